"""Django app registry -> IR models. Runs inside the loader worker, after django.setup().

This is the only module (with the worker) that touches Django model classes. It reads the
registry as Django sees it (``_meta``), never by parsing model source, except to find the line
where a class or field is declared (load/registry_source.py). A field is read by load/registry_fields.py.
"""

from __future__ import annotations

import inspect
import traceback
import weakref
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import signals

from ..ir import App, Constraint, Diagnostic, Hook, Index, Manager, Model
from .registry_fields import _field, _generic_relations, _hidden
from .registry_source import _dotted, _inside, _locate, _rel, _source_file
from .sources import in_source_tree
from .registry_source import json_value  # noqa: F401 - load.drf and the tests take it from here


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
            # a receiver connected without a sender runs for every model's signal (a save() override's peer)
            for model in ids.values() if key[1] == _make_id(None) else filter(None, [ids.get(key[1])]):
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
        inside = _inside(root, cfg.path) or in_source_tree(cfg.path)
        app_list.append(App(label=cfg.label, name=cfg.name, path=_rel(root, cfg.path) if inside else "",
                            origin="project" if inside else "external", models=labels))
    return tuple(app_list), tuple(out), diags
