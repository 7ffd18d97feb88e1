"""The queries Django's prefetcher runs for ``prefetch_related(...)`` lookups: per relation and per level, the
related rows of a list of parent rows, keyed by the parents' keys (a runtime list the Go caller passes).
Compiled with one stand-in parent whose key is a list sentinel (load.sentinels), as load.compile does for a chain."""

from __future__ import annotations

from .capture import Capture, capture
from .sentinels import NotTranslated, Sentinels


def prefetch_levels(model: type, lookup: str, alias: str, conn, sentinels: Sentinels) -> list[Capture]:
    """``prefetch_related("a__b")``: Django's prefetcher runs one query per level, each keyed by the rows the
    level above returned (``a``'s rows of the parents, then ``b``'s rows of those ``a`` rows)."""
    out = []
    parts = lookup.split("__")
    for i, part in enumerate(parts):
        cap, model = _prefetch(model, part, alias, conn, sentinels, "__".join(parts[:i]))
        out.append(cap)
    return out


def _prefetch(model: type, lookup: str, alias: str, conn, sentinels: Sentinels, above: str = "") -> tuple[Capture, type]:
    """The query Django's prefetcher runs for ``lookup``: the related rows of a list of parents (keyed by the
    parents' primary keys, or, over a forward foreign key, by the keys the parents hold), and their model.
    ``above``: the lookup of the level whose rows are the parents here ("" for the QuerySet's own rows)."""
    from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor

    descriptor = getattr(model, lookup, None)
    rows = f"the {above} rows'" if above else "the parent rows'"
    if descriptor is None:
        raise NotTranslated("NESTED_PREFETCH", f"prefetch_related(): `{lookup}` is not a relation of {model.__name__}")
    if isinstance(descriptor, ForwardManyToOneDescriptor):
        # Django's prefetcher filters with TupleIn over the target columns, which for one stand-in parent
        # compiles to `= %s` (SQLite) or `(col) IN ((%s))`: the same rows as `<target>__in=<the parents' keys>`
        # on the one target column, written so that the list stays a list
        fld = descriptor.field
        if len(fld.foreign_related_fields) != 1:
            raise NotTranslated("NESTED_PREFETCH", f"prefetch_related({lookup!r}) over a composite foreign key")
        keys = sentinels.make(f"{above}_{lookup}_ids" if above else f"{lookup}_ids", f"{rows} {fld.attname} values",
                              fld.target_field, "in", False)
        qs = descriptor.get_queryset().using(alias).filter(**{f"{fld.target_field.name}__in": keys})
        qs.query.clear_ordering()
        sql, params = qs.query.get_compiler(using=alias).as_sql()
        return Capture(sql, tuple(params), "select", rows="many"), qs.model
    else:
        parent = model(pk=sentinels.make(f"{above}_ids" if above else "parent_ids", f"{rows} primary keys",
                                         model._meta.pk, "in", False)[0])
        for up in model._meta.get_parent_list():  # multi-table inheritance: a parent's relation reads its own key
            setattr(parent, up._meta.pk.attname, parent.pk)
        source = descriptor if hasattr(descriptor, "get_prefetch_querysets") or hasattr(
            descriptor, "get_prefetch_queryset") else None
    parent._state.db = alias
    scratch: list[Capture] = []
    with capture(conn, scratch):  # a reverse foreign key's prefetcher iterates its QuerySet to set caches
        source = source or getattr(parent, lookup)
        getter = getattr(source, "get_prefetch_querysets", None)
        if getter is not None:
            qs = getter([parent])[0]
        else:  # Django 4.2
            qs = source.get_prefetch_queryset([parent])[0]
    sql, params = qs.query.get_compiler(using=alias).as_sql()
    return Capture(sql, tuple(params), "select", rows="many"), qs.model
