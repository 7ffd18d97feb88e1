"""One Django field -> IR Field: its default, choices (and the Choices class declared), relation, column type
per dialect and the conversions a custom field class adds. Part of the registry reader (load/registry.py)."""

from __future__ import annotations

import inspect
import sys
from functools import lru_cache
from typing import Any, Optional

from django.db import models

from ..ir import Choice, Default, Diagnostic, Field, Relation
from .registry_source import (_class_lines, _class_source_file, _dotted, _inside, _locate, _rel, _source_file,
                              json_value)


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
