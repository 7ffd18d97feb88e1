"""The writes of an eligible DRF model viewset -> Go: create (POST), update / partial_update (PUT / PATCH),
destroy (DELETE), with DRF's validation and its 400 bodies (drfjson/validate.go).

Each write runs the query of a derived site (load/drf_sites): ``create(<every column>)``,
``filter(pk=pk).update(<every column>)`` (what ``instance.save()`` writes), ``filter(pk=pk).delete()``.
The serializer's writable fields are validated as DRF's fields do (required, null, blank, max_length /
min_length, min_value / max_value, choices, DRF's type coercions), errors in field order. A create fills
the columns the request leaves out with the model's literal defaults; an update starts from the row
(``get_object``: DRF's 404s first). The answer re-reads the row (201 / 200 with serializer.data), a destroy
answers 204.

What is not generated (the write methods answer 501, the reason naming the Python): a serializer with its
own validation (``validate()``, ``validate_<field>()``, ``Meta.validators`` / unique validators), a view
overriding ``perform_create`` and the like, a field other than CharField / IntegerField / BooleanField /
ChoiceField or a nullable one, a column left out with a callable default. A destroy of a model other models
point to runs Django's collector through the GORM layer's delete helper (translate/drf_destroy), or stays 501
where that helper would not leave the database as Django does. A ``UniqueValidator`` (a ``unique`` column) runs the
derived ``exists()`` queries, SlugField's pattern a Go regexp.
"""

from __future__ import annotations

import json

from ..ir_drf import DRFView, Serializer
from .drf_destroy import NotCollected, destroy_call

WRITE_ACTIONS = {"create": ("POST",), "update": ("PUT",), "partial_update": ("PATCH",), "destroy": ("DELETE",)}
KINDS = {"CharField": ("Char", "string"), "SlugField": ("Char", "string"), "IntegerField": ("Integer", "int64"),
         "BooleanField": ("Boolean", "bool")}
PATTERNS = {r"^[-a-zA-Z0-9_]+\n?\z": "drfjson.SlugPattern"}  # a RegexValidator's Go regexp -> drfjson's compiled one


class NotWritten(Exception):
    pass


def write_actions(routes: list[dict], view: str) -> dict[str, str]:
    """method -> write action of the view's routes (POST: create, ...)."""
    return {m: a for r in routes if r["view"] == view for m, a in r["actions"].items() if a in WRITE_ACTIONS}


def _spec(f) -> str:
    parts = [f"Required: {str(f.required).lower()}", f"AllowBlank: {str(f.allow_blank).lower()}",
             f"MaxLength: {f.max_length}", f"MinLength: {f.min_length}"]
    for name, v in (("MinValue", f.min_value), ("MaxValue", f.max_value)):
        if v is not None:
            if not isinstance(v, int):
                raise NotWritten(f"field {f.name}: a non-integer {name}")
            parts.append(f"{name}: drfjson.Int({v})")
    if f.pattern:
        if f.pattern not in PATTERNS:
            raise NotWritten(f"field {f.name}: the pattern {f.pattern}")
        parts.append(f"Pattern: {PATTERNS[f.pattern]}, PatternMessage: {json.dumps(f.pattern_message)}")
    if f.drf_class == "ChoiceField":
        parts.append("Choices: []string{" + ", ".join(json.dumps(str(c)) for c in f.choices) + "}")
    return "drfjson.Field{" + ", ".join(parts) + "}"


def _unique(f, found: dict) -> tuple[str, list[str]]:
    """The Go of a field's UniqueValidator (``Unique`` of its drfjson.Field): the derived sites' queries, the
    row's own pk excluded on an update (load/drf_sites.write_sites)."""
    same, other = found.get(f"/unique_{f.source}"), found.get(f"/unique_{f.source}_other")
    if same is None or other is None or len(same.params) != 1 or same.struct or not other.struct:
        raise NotWritten(f"field {f.name}: no query of its UniqueValidator in the store")
    args = ", ".join(f"{p.name}: v" if p.tag == f.source else f"{p.name}: *pk" for p in other.params)
    return (f"Unique: func(v string) bool {{\n\t\tif pk == nil {{\n\t\t\treturn drfjson.Exists(s.Store.{same.name}(ctx, v))\n"
            f"\t\t}}\n\t\treturn drfjson.Exists(s.Store.{other.name}(ctx, {other.struct}{{{args}}}))\n\t}}, "
            f"UniqueMessage: {json.dumps(f.unique_message)}"), [same.name, other.name]


def _validate(ser: Serializer, params: dict, found: dict | None = None) -> tuple[list[str], dict, list[str]]:
    """Go statements validating the serializer's writable fields into ``w``; body keys for parity; the queries
    the unique validators run."""
    stmts, keys, queries = [], {}, []
    for f in ser.fields:
        if f.read_only:
            continue
        why = f.write_reason or ("nullable" if f.allow_null else "")
        if f.drf_class == "ChoiceField":
            kind, go = ("Choice", "int64" if all(isinstance(c, int) for c in f.choices) else "string")
        elif f.drf_class in KINDS and f.kind == "value" and (f.drf_class != "SlugField" or f.pattern):
            kind, go = KINDS[f.drf_class]
        else:
            why = why or f"a {f.drf_class} is not validated by the generated Go yet"
        param = params.get(f.source)
        if not why and (param is None or param[1] != go):
            why = f"no {go} column {f.source} in the write query"
        if why:
            raise NotWritten(f"field {ser.name}.{f.name}: {why}")
        value = "*v" if kind != "Choice" or go == "string" else "drfjson.ChoiceInt(*v)"
        spec = _spec(f)
        if f.unique_message:
            if kind != "Char":
                raise NotWritten(f"field {ser.name}.{f.name}: a UniqueValidator on a {f.drf_class}")
            go_unique, names = _unique(f, found or {})
            spec, queries = spec[:-1] + ", " + go_unique + "}", queries + names
        stmts.append(f"if v, ok, errs := ({spec}).{kind}(data, {json.dumps(f.name)}, partial); ok {{\n"
                     f"\t\tw.{param[0]} = {value}\n\t}} else {{\n\t\te.Add({json.dumps(f.name)}, errs)\n\t}}")
        if kind != "Boolean":
            keys[f.name] = "str" if go == "string" and kind == "Char" else "int" if go == "int64" else "any"
    return stmts, keys, queries


def _default(field, go: str) -> str:
    """The Go literal of a column's value when a create leaves it out (the model's literal default)."""
    d = field.default
    if d.kind == "literal" and go == "string" and isinstance(d.value, str):
        return json.dumps(d.value)
    if d.kind == "literal" and go == "int64" and isinstance(d.value, int) and not isinstance(d.value, bool):
        return str(d.value)
    if d.kind == "literal" and go == "bool" and isinstance(d.value, bool):
        return str(d.value).lower()
    if d.kind == "none" and go == "string" and not field.null:
        return '""'  # Field.get_default(): "" for a column that takes empty strings
    if d.kind == "none" and go in ("int64", "bool"):
        return "0" if go == "int64" else "false"  # never written: the serializer requires the field
    raise NotWritten(f"column {field.name}: its default ({d.kind} {d.callable or d.value!r}) is not generated")


def plan_writes(view: DRFView, ser: Serializer, methods: dict[str, str], project, found: dict, row) -> dict:
    """The writes' view-model (templates/drf/views.go.j2), given the view's store methods ``found`` by derived
    site suffix; raises NotWritten with the reason."""
    if view.write_overrides:
        raise NotWritten(f"overrides {', '.join(view.write_overrides)}")
    if ser.validation:
        raise NotWritten("the serializer's own validation is not translated: " + " ".join(ser.validation.split())[:300])
    model = project.model(view.model) if project is not None else None
    if model is None:
        raise NotWritten(f"model {view.model} not loaded")
    stubbed, gorm = {}, None
    if "DELETE" in methods and any(m.fields and any(f.relation and f.relation.target == model.label for f in m.fields)
                                   for m in project.models):
        try:  # delete() runs Django's collector: the GORM layer's helper reproduces it (translate/drf_destroy)
            gorm = destroy_call(project, model.label)
        except NotCollected as exc:
            stubbed["DELETE"] = f"{model.label} is the target of a relation: {exc}"
            methods = {m: a for m, a in methods.items() if m != "DELETE"}
    create, update, destroy = (found.get(k) for k in ("/create", "/update", "/destroy"))
    if create is None or update is None or "DELETE" in methods and destroy is None and gorm is None \
            or not update.struct \
            or not create.struct and len(create.params) != 1:
        raise NotWritten("the write queries (create, update, delete) are not all in the store")
    # a create of one column takes it as a scalar: its name is the update's (which also takes the pk)
    params = {p.tag: (p.name, p.type) for p in (create.params if create.struct else update.params) if p.tag != "pk"}
    stmts, keys, unique = _validate(ser, params, found)
    values = [(name, typ, tag) for tag, (name, typ) in params.items()]
    by_tag = {tag: name for name, _, tag in row.fields}
    if {p.tag for p in update.params} != set(params) | {"pk"} or any(t not in by_tag for _, _, t in values):
        raise NotWritten("the update query's columns are not the create's and the row's")
    row_types = {tag: typ for _, typ, tag in row.fields}
    if any(row_types[t] != typ for _, typ, t in values):
        raise NotWritten("a column's type in the row is not its type in the write")
    return dict(columns=[f"{n} {t}" for n, t, _ in values], validate=stmts, body_keys=keys,
                defaults=[f"{n}: {_default(model.field(t), typ)}" for n, typ, t in values],
                from_row=[f"{n}: row.{by_tag[t]}" for n, _, t in values], params=[f"{n}: w.{n}" for n, _, _ in values],
                create=create.name, create_args=f"{create.struct}{{ {', '.join(f'{n}: w.{n}' for n, _, _ in values)} }}"
                if create.struct else f"w.{values[0][0]}", update_query=update.name, update_params=update.struct,
                update_pk=next(p.name for p in update.params if p.tag == "pk"), destroy=destroy and destroy.name,
                methods=sorted(methods), stubbed=stubbed, gorm_delete=gorm and dict(gorm, label=model.label),
                queries=[create.name, update.name, *([destroy.name] if "DELETE" in methods and not gorm else []),
                         *unique])
