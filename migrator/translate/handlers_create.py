"""``Model.objects.create(field=value, ...)`` in a migrated view (part of ViewReader).

sqlc's query is the INSERT Django runs (``INSERT ... RETURNING id``), one parameter per concrete column.
Each value is bound as Django binds it, by the field's ``get_prep_value``:

- an integer field: Python's ``int()`` of the value (a JSON ``true`` is 1, ``2.0`` is 2, text is parsed,
  None or a list raise: 500, as Django answers); a text field: the text, ``str()`` of another value
  (``5`` is ``"5"``), None refused by the NOT NULL column (IntegrityError: 500);
- a row given for a foreign key: its primary key; ``request.user if ... else None``: its pk, or NULL;
- a column the call does not name: the field's default (``handlers_user.save_default``), ``auto_now`` /
  ``auto_now_add``: ``timezone.now()``.

The instance ``create()`` returns keeps the values as given, not as stored (Django does not reload it):
``model_to_dict(review)["rating"]`` is ``True`` when the body said ``true``. The row the reader returns
holds those (a JSON value written as Python writes it, pyvalues.go ``PyJSON``) and the id the INSERT
returned.
"""

from __future__ import annotations

import ast as _ast

from .handlers_form import DATEUTIL
from .handlers_user import OptionalUser, UserRow, save_default, user_pk
from .handlers_values import INT_TYPES, JSON, Const, GoValue, JSONObj, NotRecognised, Obj, model_word, q

_TEXT = {"CharField", "TextField", "SlugField", "EmailField", "URLField"}
_INTEGER = {"IntegerField", "SmallIntegerField", "BigIntegerField", "PositiveIntegerField",
            "PositiveSmallIntegerField", "PositiveBigIntegerField"}
_NOW = "djtypes.DateTimeOf(djtypes.Now())"


class CreateMixin:
    """``Model.objects.create(...)`` and ``model_to_dict(row)`` for ViewReader (see the module docstring)."""

    def model_to_dict(self, node, env, fn):
        obj = self.expr(node.args[0], env, fn)
        if not isinstance(obj, Obj) or len(node.args) != 1:
            raise NotRecognised("model_to_dict of something that is not a row")
        exclude: list = []
        for kw in node.keywords:
            if kw.arg != "exclude" or not isinstance(kw.value, (_ast.List, _ast.Tuple)):
                raise NotRecognised("model_to_dict keywords")
            exclude = [e.value for e in kw.value.elts if isinstance(e, _ast.Constant)]
        items = []
        for f in self.models[obj.model].fields:
            if not f.editable or f.name in exclude:
                continue
            if not f.column or f.internal_type in ("FileField", "ImageField"):
                raise NotRecognised(f"model_to_dict includes {f.name} ({f.internal_type})")
            code, typ, field_ = obj.columns[f.attname]
            items.append((f.name, GoValue(code, typ, field_)))
        return JSONObj(items, self.helper())

    def create_row(self, site, query, m, env, fn, node=None) -> Obj:
        model = self.models[site.model]
        # field=value as the call writes it: the loader's source of a value names where a variable came from
        # (``Calendar.objects.get(...)`` for ``calendar``), which is not to be run again
        given = {kw.arg: kw.value for kw in getattr(node, "keywords", ()) if kw.arg}
        struct = self.pkg.structs.get(m.params[0][1]) if m.params else None
        if struct is None or query.command != "one" or m.ret not in INT_TYPES:
            raise NotRecognised(f"create() of {site.model}: not one INSERT returning its id")
        by_tag = {tag: (name, typ) for name, typ, tag in struct.fields}
        bound, attrs = [], {}  # Params fields; attname -> (Go code, Go type, field) of the instance
        for p in query.params:
            f = next((f for f in model.fields if p.field in (f"{site.model}.{f.name}", f.name, f.attname)), None)
            if f is None or p.name not in by_tag or p.is_list or p.optional:
                raise NotRecognised(f"insert parameter {p.name} of {query.name}")
            name, typ = by_tag[p.name]
            if p.source.startswith("<"):  # a value Django computes at save time
                code, attr = self._computed(f, typ)
            else:
                value = given.get(f.name, given.get(f.attname)) or _ast.parse(p.source, mode="eval").body
                code, attr = self._prepared(self.expr(value, env, fn), f, typ)
            bound.append(f"{name}: {code}")
            attrs[f.attname] = (*attr, f)
        var = self.var(f"{model_word(site.model)}_id")
        self.used.append(query.name)
        self.stmts.append(f"{var}, err := s.Store.{query.name}(ctx, {m.params[0][1]}{{{', '.join(bound)}}})\n"
                          + self.on_error(site))
        obj = Obj(var, site.model, {}, {})
        for f in model.fields:
            if f.primary_key:
                attrs[f.attname] = (var, m.ret, f)
            if f.column and f.attname not in attrs:
                raise NotRecognised(f"create() of {site.model}: column {f.column} is not written")
            if f.column:
                obj.columns[f.attname] = attrs[f.attname]
                if not f.relation:
                    obj.columns[f.name] = attrs[f.attname]
            if f.primary_key:
                obj.columns["pk"] = attrs[f.attname]
        return obj

    def _computed(self, f, typ: str):
        """(bound Go, (attribute Go, type)) of a column create() does not name."""
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            if typ != "djtypes.DateTime":
                raise NotRecognised(f"auto_now of {f.name} for a {typ} column")
            now = self.computed(("now",))
            if now is None:
                now = self.var("now")
                self.stmts.append(f"{now} := {_NOW}")
                self.remember(("now",), now)
            return now, (now, typ)
        code, typ = save_default(f, typ)
        return code, (code, typ)

    def _prepared(self, v, f, typ: str):
        """(bound Go, (attribute Go, type)) of ``field=v``: get_prep_value's conversion for the bound value,
        the value itself for the instance's attribute."""
        if isinstance(v, OptionalUser) and f.relation and f.null and typ == "*int64":
            code = f"Nullable({v.row.var}.IntPK(), {v.row.var}.IsAuthenticated)"
            return code, (code, typ)
        if isinstance(v, UserRow):
            v = user_pk(self, v)
        if isinstance(v, Obj) and f.relation:
            pk = v.columns.get("pk")
            if pk is None or pk[1] != typ:
                raise NotRecognised(f"create(): the primary key of {v.model} for {f.name}")
            return pk[0], (pk[0], typ)
        if isinstance(v, Const) and not isinstance(v.value, bool) and isinstance(v.value, (int, str)):
            code = q(v.value) if isinstance(v.value, str) else str(v.value)
            if (typ == "string") != isinstance(v.value, str) or (typ != "string" and typ not in INT_TYPES):
                raise NotRecognised(f"create(): the constant {v.value!r} for {f.name} ({typ})")
            return code, (code, typ)
        if isinstance(v, GoValue) and v.type == DATEUTIL and f.internal_type == "DateTimeField" and typ == "djtypes.DateTime":
            return v.code, (v.code, typ)  # stored: naive or aware, the same instant in UTC (handlers_form)
        if isinstance(v, GoValue) and v.type == typ and not f.relation:
            return v.code, (v.code, typ)
        if isinstance(v, GoValue) and v.type == JSON and not f.relation:
            if f.internal_type in _INTEGER and typ == "int64":
                conv, hint = "PyInt", "number"
            elif f.internal_type in _TEXT and not f.null and typ == "string":
                conv, hint = "PyText", f.name
            else:
                raise NotRecognised(f"create(): a JSON value for {f.name} ({f.internal_type})")
            var = self.var(hint)
            self.stmts.append(f"{var}, err := {v.code}.{conv}()\n" + self.error_check(f"{f.name}: get_prep_value"))
            return var, (f"PyJSON({v.code}.Value)", "any")
        raise NotRecognised(f"create(): the value of {f.name}")
