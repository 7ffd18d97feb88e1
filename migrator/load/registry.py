"""Django app registry -> IR models. Runs inside the loader worker, after django.setup().

This is the only module (with the worker) that touches Django model classes. It reads the
registry as Django sees it (``_meta``), never by parsing model source, except to find the line
where a class or field is declared.
"""

from __future__ import annotations

import ast
import datetime
import decimal
import enum
import inspect
import os
import sys
import traceback
import uuid
import weakref
from functools import lru_cache
from typing import Any, Optional

from django.apps import apps
from django.db import models
from django.db.models import signals

from ..ir import App, Choice, Constraint, Default, Diagnostic, Field, Hook, Index, Manager, Model, Relation


def _rel(root: str, path: Optional[str]) -> str:
    if not path:
        return ""
    if os.path.isabs(path):  # a relative path depends on the working directory: not cached
        return _rel_abs(root, path)
    return _rel_abs(root, os.path.abspath(path))


@lru_cache(maxsize=None)
def _rel_abs(root: str, path: str) -> str:
    """Cached: every field of a model asks about the same file."""
    from .sources import display_path

    return display_path(root, path)  # an installed file: its package path; beside the project: ../src/...


def _inside(root: str, path: Optional[str]) -> bool:
    return bool(path) and not os.path.relpath(os.path.abspath(path), root).startswith("..")


def _in_sources(path: Optional[str]) -> bool:
    """Inside a --source tree (see load.sources): the project's code, though not under its root."""
    from .sources import ENV, decode

    return bool(path) and any(not os.path.relpath(os.path.abspath(path), tree).startswith("..")
                              for tree, _ in decode(os.environ.get(ENV, "")))


@lru_cache(maxsize=None)
def _class_lines(path: str) -> dict[str, tuple[int, dict[str, int]]]:
    """class name -> (line, {attribute: line}) for every class in a source file."""
    try:
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), path)
    except (OSError, SyntaxError, ValueError):
        return {}
    out: dict[str, tuple[int, dict[str, int]]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            attrs: dict[str, int] = {}
            for stmt in node.body:
                targets = []
                if isinstance(stmt, ast.Assign):
                    targets = stmt.targets
                elif isinstance(stmt, ast.AnnAssign):
                    targets = [stmt.target]
                elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    attrs[stmt.name] = stmt.lineno
                for t in targets:
                    if isinstance(t, ast.Name):
                        attrs[t.id] = stmt.lineno
            out.setdefault(node.name, (node.lineno, attrs))
    return out


@lru_cache(maxsize=None)
def _class_source_file(cls: type) -> str:
    return _source_file(cls)


def _source_file(obj: Any) -> str:
    try:
        return inspect.getsourcefile(obj) or ""
    except (TypeError, OSError):
        mod = sys.modules.get(getattr(obj, "__module__", ""), None)
        return getattr(mod, "__file__", "") or ""


def _locate(cls: type, attr: str = "") -> tuple[str, int]:
    path = _class_source_file(cls)
    if not path:
        return "", 0
    info = _class_lines(path).get(cls.__name__)
    if not info:
        return path, 0
    if attr:
        return path, info[1].get(attr, 0)
    return path, info[0]


def _dotted(obj: Any) -> str:
    mod = getattr(obj, "__module__", "") or ""
    owner = getattr(obj, "__self__", None)
    if not mod and isinstance(owner, type):  # a builtin class method: datetime.date.today
        mod = owner.__module__
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
    return f"{mod}.{name}" if mod and mod != "builtins" else name


def json_value(value: Any) -> Any:
    """A Python default/choice value in JSON form (lossless for the types Django uses)."""
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):  # ISO 8601, exact to the microsecond (parity's one form)
        from django.utils.duration import duration_iso_string

        return duration_iso_string(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return repr(value)


def _default(root: str, f: models.Field) -> Default:
    if not f.has_default():
        return Default()
    d = f.default
    if callable(d):
        src = ""
        if _inside(root, _source_file(d)):
            try:
                src = inspect.getsource(d)
            except (OSError, TypeError):
                src = ""
        return Default(kind="callable", callable=_dotted(d), source=src)
    return Default(kind="literal", value=json_value(d))


def _flat_choices(choices) -> list[tuple[Any, str]]:
    out = []
    for value, label in choices or ():
        if isinstance(label, (list, tuple)):
            out.extend(_flat_choices(label))
        else:
            out.append((value, str(label)))
    return out


def _choices(model: type, f: models.Field) -> tuple[tuple[Choice, ...], str]:
    flat = _flat_choices(f.choices)
    if not flat:
        return (), ""
    values = {json_value(v) for v, _ in flat}
    # Find the TextChoices/IntegerChoices class the field was declared with (Django keeps only
    # the flattened pairs), looking at classes nested in the model and in its module.
    candidates = []
    for owner in [*model.__mro__, sys.modules.get(model.__module__)]:
        for attr in vars(owner).values() if owner is not None else ():
            if isinstance(attr, type) and issubclass(attr, models.Choices) and attr is not models.Choices:
                candidates.append(attr)
    for cls in candidates:
        if {json_value(m.value) for m in cls} == values:
            names = {json_value(m.value): m.name for m in cls}
            return tuple(Choice(json_value(v), l, names.get(json_value(v), "")) for v, l in flat), cls.__name__
    return tuple(Choice(json_value(v), l) for v, l in flat), ""


def _on_delete(f) -> str:
    od = getattr(f.remote_field, "on_delete", None)
    if od is None:
        return ""
    name = getattr(od, "__name__", "") or ""
    if name == "set_on_delete" or "SET" == name:
        return "SET"
    return name


def _relation(f) -> Optional[Relation]:
    if not f.is_relation or f.remote_field is None:
        return None
    rf = f.remote_field
    target = rf.model._meta.label if not isinstance(rf.model, str) else rf.model
    if isinstance(rf.model, str) or (f.many_to_many and not isinstance(rf.through, type)):
        # an abstract model's relation is not resolved by Django: keep what was declared
        return Relation(kind="many_to_many" if f.many_to_many else ("one_to_one" if f.one_to_one else "foreign_key"),
                        target=target, on_delete="" if f.many_to_many else _on_delete(f),
                        related_name=rf.related_name or "")
    if f.many_to_many:
        through = rf.through
        join_column = f.m2m_column_name()
        return Relation(
            kind="many_to_many",
            target=target,
            target_field=rf.model._meta.pk.name,
            related_name=rf.related_name or "",
            related_accessor=rf.get_accessor_name() or "",
            related_query_name=f.related_query_name(),
            through=through._meta.label,
            through_auto=bool(through._meta.auto_created),
            join_table=through._meta.db_table,
            join_column=join_column,
            join_target_column=f.m2m_reverse_name(),
            content_type_column=_generic_content_type_column(through, join_column),
        )
    kind = "one_to_one" if f.one_to_one else "foreign_key"
    return Relation(
        kind=kind,
        target=target,
        target_field=f.target_field.name,
        on_delete=_on_delete(f),
        related_name=rf.related_name or "",
        related_accessor="" if _hidden(rf) else (rf.get_accessor_name() or ""),
        related_query_name=f.related_query_name(),
        parent_link=bool(getattr(rf, "parent_link", False)),
        db_constraint=bool(getattr(f, "db_constraint", True)),
    )


def _generic_content_type_column(through: type, join_column: str) -> str:
    """The content-type column when the through model points at this side with a GenericForeignKey (taggit's
    TaggableManager over TaggedItem: object_id + content_type), else ''."""
    meta = through._meta
    for pf in meta.private_fields:
        ct_field, fk_field = getattr(pf, "ct_field", None), getattr(pf, "fk_field", None)
        if not (ct_field and fk_field and pf.is_relation and pf.many_to_one):
            continue
        try:
            if meta.get_field(fk_field).column == join_column:
                return meta.get_field(ct_field).column
        except Exception:  # noqa: BLE001 - a GenericForeignKey naming a missing field: not this join
            continue
    return ""


def _generic_relations(root: str, model: type) -> list[Diagnostic]:
    """GenericRelation fields (private, one-to-many over content_type + object_id) have no IR field: say so
    where they are declared, once per concrete model of the project."""
    out = []
    for f in model._meta.private_fields:
        if not (f.is_relation and f.one_to_many and getattr(f, "remote_field", None) is not None):
            continue
        owner = _declaring_class(model, f.name)
        path, line = _locate(owner, f.name)
        if not line or not _inside(root, path):
            continue  # not in the project's source: added by another field (taggit's tagged_items), reported there
        target = f.remote_field.model._meta.label
        out.append(Diagnostic(
            code="GENERIC_RELATION_SKIPPED", severity="warning", file=_rel(root, path), line=line, column=5,
            message=f"{model._meta.label}.{f.name}: {type(f).__name__} to {target} (content_type + object_id) is "
                    f"left out of the Go models",
            hint=f"read {target} rows with content_type_id = the id of ({model._meta.app_label}, "
                 f"{model._meta.model_name}) in django_content_type AND object_id = the primary key"))
    return out


def _hidden(rel) -> bool:
    """Whether a relation has no reverse accessor (related_name ending in '+'), across Django versions."""
    hidden = getattr(rel, "hidden", None)
    if hidden is None or callable(hidden):
        return bool(rel.is_hidden())
    return bool(hidden)


def _declaring_class(model: type, name: str) -> type:
    """The class whose body declares ``name`` (the model itself, an abstract base, or an MTI parent)."""
    for klass in model.__mro__:
        if getattr(klass, "_meta", None) is None:
            continue
        path = _class_source_file(klass)
        info = _class_lines(path).get(klass.__name__) if path else None
        if info and name in info[1]:
            return klass
    return model


# Methods through which a field converts values between Python and the database (reads, query parameters), and
# pre_save, through which it computes the value a save writes (a checksum, a hash of the value set).
CONVERSION_METHODS = ("from_db_value", "to_python", "get_prep_value", "get_db_prep_value", "get_db_prep_save",
                      "pre_save")


@lru_cache(maxsize=None)
def _conversions(field_class: type) -> tuple[str, ...]:
    """The conversion methods a field class takes from a class outside django.* (a custom field that stores
    '' as NULL, say): the Go side cannot know what they do. Relations convert through their target's field."""
    out = []
    for meth in CONVERSION_METHODS:
        for klass in field_class.__mro__:
            if meth in vars(klass):
                if not (klass.__module__ or "").startswith("django."):
                    out.append(f"{_dotted(klass)}.{meth}")
                break
    return tuple(out)


def _internal_type(f) -> str:
    """Django's internal type; for a relation field, the Django relation it subclasses: ForeignKey has no
    get_internal_type of its own, so a subclass (mptt's TreeForeignKey) reports its class name."""
    from django.db import models as djmodels

    for base in (djmodels.OneToOneField, djmodels.ForeignKey, djmodels.ManyToManyField):
        if isinstance(f, base) and type(f).get_internal_type is djmodels.Field.get_internal_type:
            return base.__name__
    return f.get_internal_type()


def _field(root: str, model: type, f, vendor_types: dict[str, Any]) -> Field:
    owner = _declaring_class(model, f.name)
    path, line = _locate(owner, f.name)
    inherited = ""
    if owner is not model:
        inherited = owner._meta.label if not owner._meta.abstract else _dotted(owner)
    if f.model is not model and not f.model._meta.abstract:
        inherited = f.model._meta.label
    choices, choices_class = _choices(model, f)
    db_type = {}
    for vendor, conn in vendor_types.items():
        try:
            t = f.db_type(conn)
        except Exception:  # noqa: BLE001 - a third-party field may need a live connection
            t = None
        if t:
            db_type[vendor] = t
    return Field(
        name=f.name,
        attname=getattr(f, "attname", f.name) or f.name,
        column=(f.column or "") if not f.many_to_many else "",
        internal_type=_internal_type(f),
        field_class=_dotted(type(f)),
        null=bool(f.null),
        blank=bool(f.blank),
        primary_key=bool(f.primary_key),
        unique=bool(f.unique) and not f.primary_key,
        db_index=bool(f.db_index),
        editable=bool(f.editable),
        default=_default(root, f),
        choices=choices,
        choices_class=choices_class,
        max_length=f.max_length,
        max_digits=getattr(f, "max_digits", None),
        decimal_places=getattr(f, "decimal_places", None),
        auto_now=bool(getattr(f, "auto_now", False)),
        auto_now_add=bool(getattr(f, "auto_now_add", False)),
        auto_created=bool(f.auto_created),
        db_type=db_type,
        relation=_relation(f),
        inherited_from=inherited,
        conversions=() if f.is_relation else _conversions(type(f)),
        line=line,
        file=_rel(root, path) if line else "",
    )


def _expr_text(expr: Any) -> str:
    return str(expr) if expr is not None else ""


def _soft_delete_field(manager) -> str:
    """The field a manager's get_queryset() excludes on IS NULL (soft delete), per Django's own query."""
    from .isolate import CompileTimeout, compile_timeout, time_limit

    try:
        with time_limit(compile_timeout()):  # a custom get_queryset() may wait on a lock: bounded like a compile
            where = manager.get_queryset().query.where
    except (Exception, CompileTimeout):  # noqa: BLE001 - a broken custom manager is reported elsewhere
        return ""
    stack = [where]
    while stack:
        node = stack.pop()
        children = getattr(node, "children", None)
        if children is not None:
            stack.extend(children)
            continue
        if getattr(node, "lookup_name", "") == "isnull" and node.rhs is True:
            target = getattr(node.lhs, "target", None)
            if target is not None:
                return target.name
    return ""


_BASE_METHODS = set(dir(models.Manager)) | set(dir(models.QuerySet))


@lru_cache(maxsize=None)
def _custom_methods(manager_class: type, qs_class: type) -> tuple[str, ...]:
    """Public methods a manager class and its QuerySet class add to Django's (cached: most models share them)."""
    return tuple(sorted(
        {n for k in (manager_class, qs_class) for n in dir(k) if not n.startswith("_") and n not in _BASE_METHODS}
    ))


def _managers(root: str, model: type) -> tuple[Manager, ...]:
    out = []
    default = model._meta.default_manager
    for m in model._meta.managers:
        qs_class = getattr(m, "_queryset_class", models.QuerySet)
        custom = _custom_methods(type(m), qs_class)
        path, line = _locate(model, m.name)
        out.append(
            Manager(
                name=m.name,
                class_path=_dotted(type(m)),
                queryset_class=_dotted(qs_class),
                is_default=m is default,
                custom_methods=tuple(custom),
                soft_delete_field=_soft_delete_field(m),
                file=_rel(root, path),
                line=line,
            )
        )
    return tuple(out)


def _hooks(root: str, model: type, receivers: dict[int, list]) -> tuple[Hook, ...]:
    out = []
    for meth in ("save", "delete", "clean"):
        for klass in model.__mro__:
            if klass in (models.Model, object):
                break
            if meth in vars(klass):
                fn = vars(klass)[meth]
                path, line = _locate(klass, meth)
                try:
                    src = inspect.getsource(fn)
                except (OSError, TypeError):
                    src = ""
                out.append(Hook(kind=f"{meth}_override", name=f"{_dotted(klass)}.{meth}",
                                file=_rel(root, path), line=line, source=src))
                break
    for signal_name, fn in receivers.get(id(model), []):
        try:
            src = inspect.getsource(fn)
            _, line = inspect.getsourcelines(fn)
        except (OSError, TypeError):
            src, line = "", 0
        out.append(Hook(kind="signal", name=_dotted(fn), signal=signal_name,
                        file=_rel(root, _source_file(fn)), line=line, source=src))
    return tuple(out)


def _receivers() -> dict[int, list]:
    from django.dispatch.dispatcher import _make_id

    by_model: dict[Any, list] = {}
    ids = {_make_id(m): m for m in apps.get_models(include_auto_created=True)}
    for name in ("pre_save", "post_save", "pre_delete", "post_delete", "m2m_changed", "pre_init", "post_init"):
        signal = getattr(signals, name)
        for entry in list(signal.receivers):
            key, recv = entry[0], entry[1]
            fn = recv() if isinstance(recv, weakref.ReferenceType) else recv
            if fn is None:
                continue
            model = ids.get(key[1])
            if model is None:
                continue
            by_model.setdefault(id(model), []).append((name, fn))
    for lst in by_model.values():
        lst.sort(key=lambda p: (p[0], _dotted(p[1])))
    return by_model


def _indexes(meta) -> tuple[Index, ...]:
    out = []
    for idx in meta.indexes:
        fields = tuple(idx.fields)
        cols = tuple(meta.get_field(n.lstrip("-")).column for n in fields if not n.startswith("-") or True)
        out.append(Index(name=idx.name or "", fields=fields, columns=cols, unique=False,
                         condition=_expr_text(idx.condition)))
    return tuple(out)


def _constraints(meta) -> tuple[Constraint, ...]:
    out = []
    for c in meta.constraints:
        if isinstance(c, models.UniqueConstraint):
            out.append(Constraint(kind="unique", name=c.name, fields=tuple(c.fields),
                                  condition=_expr_text(c.condition)))
        elif isinstance(c, models.CheckConstraint):
            cond = getattr(c, "condition", None) or getattr(c, "check", None)
            out.append(Constraint(kind="check", name=c.name, condition=_expr_text(cond)))
        else:
            out.append(Constraint(kind=type(c).__name__.lower(), name=getattr(c, "name", "")))
    return tuple(out)


def _kind(meta) -> str:
    if meta.abstract:
        return "abstract"
    if meta.proxy:
        return "proxy"
    if not meta.managed:
        return "unmanaged"
    return "concrete"


def _model(root: str, model: type, receivers, vendor_types) -> Model:
    meta = model._meta
    path, line = _locate(model)
    path = _rel(root, path)
    if meta.abstract:
        fields = tuple(_field(root, model, f, {}) for f in meta.local_fields + meta.local_many_to_many)
    else:
        fields = tuple(_field(root, model, f, vendor_types) for f in meta.concrete_fields + meta.many_to_many)
    abstract_bases = tuple(
        _dotted(k) for k in model.__mro__[1:] if getattr(getattr(k, "_meta", None), "abstract", False)
    )
    parents = tuple(p._meta.label for p in meta.parents) if not meta.abstract else ()
    proxy_for = meta.concrete_model._meta.label if meta.proxy else ""
    reverse = ()
    if not meta.abstract:
        rev = []
        # hidden ones too (related_name='+'): Django still runs their on_delete (auditlog's LogEntry.content_type)
        for rel in meta.get_fields(include_hidden=True):
            if not (rel.auto_created and not rel.concrete and rel.is_relation and rel.related_model is not None):
                continue
            kind = "many_to_many" if rel.many_to_many else ("one_to_one" if rel.one_to_one else "foreign_key")
            if rel.remote_field.model._meta.auto_created:
                continue
            accessor = "" if _hidden(rel) else (rel.get_accessor_name() or "")  # hidden: no accessor to name
            rev.append((accessor, rel.related_model._meta.label, rel.field.name, kind))
        reverse = tuple(sorted(rev))
    return Model(
        app_label=_app_label(model),
        name=model.__name__ if meta.abstract else meta.object_name,
        db_table=meta.db_table if not meta.abstract else "",
        kind=_kind(meta),
        module=model.__module__,
        file=path,
        line=line,
        fields=fields,
        pk=meta.pk.name if meta.pk is not None else "",
        abstract_bases=abstract_bases,
        parents=parents,
        proxy_for=proxy_for,
        ordering=tuple(str(o) for o in (meta.ordering or ())),
        indexes=_indexes(meta) if not meta.abstract else (),
        constraints=_constraints(meta) if not meta.abstract else (),
        unique_together=tuple(tuple(ut) for ut in meta.unique_together),
        managers=_managers(root, model) if not meta.abstract else (),
        hooks=_hooks(root, model, receivers) if not meta.abstract else (),
        verbose_name=str(meta.verbose_name),
        reverse=reverse,
    )


def _app_label(model: type) -> str:
    """Django's app_label, or, for an abstract base from a package that is not in INSTALLED_APPS (Django
    leaves its app_label None: taggit's TagBase without taggit installed), the label Django would give
    that package: the module's package name."""
    label = model._meta.app_label
    if label:
        return label
    module = model.__module__
    if module.endswith(".models") or ".models." in module:
        module = module[: module.rindex(".models")]
    return module.rsplit(".", 1)[-1]


def _read_failed(root: str, model: type, exc: BaseException) -> Diagnostic:
    """A model whose reading raised: a diagnostic at its class, the traceback kept as its detail."""
    try:
        path, line = _locate(model)
    except Exception:  # noqa: BLE001 - locating is best effort here
        path, line = "", 0
    name = f"{model.__module__}.{model.__qualname__}"
    return Diagnostic(code="MODEL_READ_FAILED", file=_rel(root, path), line=line,
                      message=f"{name}: reading the model failed ({type(exc).__name__}: {exc}); it is left out",
                      hint="the rest of the project is analysed; --verbose shows the traceback",
                      detail="".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))


def read_registry(root: str) -> tuple[tuple[App, ...], tuple[Model, ...], list[Diagnostic]]:
    """Every model Django registered, and the abstract bases they inherit; a model that cannot be read is a
    MODEL_READ_FAILED diagnostic, and the others are still read."""
    from django.db import connections

    from .schema import offline_connection

    vendor_types = {}
    for dialect in ("sqlite", "postgresql"):  # column types per dialect, with no server involved
        try:
            vendor_types[dialect] = offline_connection(dialect)
        except Exception:  # noqa: BLE001 - e.g. psycopg not installed: that dialect's types stay unknown
            continue
    for alias in connections:
        conn = connections[alias]
        vendor_types.setdefault(conn.vendor, conn)
    receivers = _receivers()
    concrete = sorted(apps.get_models(), key=lambda m: m._meta.label)
    abstract: dict[str, type] = {}
    for m in concrete:
        for k in m.__mro__[1:]:
            meta = getattr(k, "_meta", None)
            if meta is not None and meta.abstract and k.__module__ != "django.db.models.base":
                abstract.setdefault(_dotted(k), k)
    out: list[Model] = []
    diags: list[Diagnostic] = []
    for m, types in [(m, vendor_types) for m in concrete] + [(abstract[k], {}) for k in sorted(abstract)]:
        try:
            out.append(_model(root, m, receivers, types))
            if not m._meta.abstract and not m._meta.proxy:
                diags += _generic_relations(root, m)
        except Exception as exc:  # noqa: BLE001 - one model (often a third-party field) must not stop the others
            diags.append(_read_failed(root, m, exc))
    out.sort(key=lambda m: (m.app_label, m.name, m.module))
    app_list = []
    for cfg in sorted(apps.get_app_configs(), key=lambda c: c.label):
        labels = tuple(m.label for m in out if m.app_label == cfg.label and m.kind != "abstract")
        inside = _inside(root, cfg.path) or _in_sources(cfg.path)
        app_list.append(App(label=cfg.label, name=cfg.name, path=_rel(root, cfg.path) if inside else "",
                            origin="project" if inside else "external", models=labels))
    return tuple(app_list), tuple(out), diags
