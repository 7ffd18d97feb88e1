"""``qs.prefetch_related("a", "a__b")`` read in a view: the planned group of queries Django's prefetcher runs.

load/compile_prefetch compiles the site into a sequence: ``1/N`` the rows, then one statement per lookup and
level (``"a"``; ``"a__b"``: ``a`` again, then ``b``). Django runs them in that order after the rows, with
these rules (``prefetch_related_objects``), which the Go follows:

- a level already fetched by an earlier lookup is not run again (``done_queries``: ``"a__b"``'s ``a``);
- a forward relation's level filters the related rows by the set of keys the level above holds, None left
  out; with no key (or no row above) it runs no query;
- each row's related row is the fetched row with its key, None when there is none (no query per row).

The Go runs each level's store query with ``PrefetchKeys`` of the level above and indexes its rows by the
key (``PrefetchIndex``); ``row.a`` reads ``Prefetched(index, key)``, present where ``PrefetchedHas`` (a
nullable key). A non-null key's row is taken as present: the database's foreign key holds it. Reverse and
many-to-many levels (rows grouped per parent) are not read yet: the reason names them.

    var subscriptions []NytSubscriptionRow
    if keys := PrefetchKeys(notifications, func(r NytNotificationRow) *int64 { return r.SubscriptionID }); len(keys) > 0 {
        found, err := s.Store.GetNotificationsNotificationPrefetchRelatedSelect2(ctx, keys)
        ...
        subscriptions = found
    }
    subscriptionsByKey := PrefetchIndex(subscriptions, func(r NytSubscriptionRow) int64 { return r.ID })
"""

from __future__ import annotations

from types import SimpleNamespace

from .handlers_values import NotRecognised, Obj, Rows


def lookups(site) -> list[str]:
    """The level paths of the sequence's statements after the rows, in order (``["a", "a", "a__b"]``)."""
    out = []
    for c in site.chain:
        if c.method != "prefetch_related":
            continue
        for a in c.args:
            if a.kind != "literal" or not isinstance(a.value, str):
                raise NotRecognised(f"prefetch_related({a.source}): a Prefetch object or a runtime value")
            parts = a.value.split("__")
            out += ["__".join(parts[:i + 1]) for i in range(len(parts))]
    return out


UNREAD = "the rows, then one per prefetch_related lookup: read only as model rows a view iterates"


def _order(q) -> int:
    return int(q.part.split("/")[0])


def first(site, parts: list):
    """The rows' statement of a prefetch_related sequence (None for another sequence)."""
    if parts and any(c.method == "prefetch_related" for c in site.chain):
        return min(parts, key=_order)
    return None


def heads(site, q) -> bool:
    """``q`` is the rows' statement of a prefetch_related sequence of several statements."""
    return bool(q.part) and not q.part.startswith("1/1 ") and any(c.method == "prefetch_related" for c in site.chain)


def check(site, q) -> None:
    """The first statement of a prefetch sequence is read only as model rows a view iterates."""
    if heads(site, q) and (q.command != "many" or any(c.method in ("values", "values_list") for c in site.chain)):
        raise NotRecognised(f"the site {site.file}:{site.line} runs {q.part.split(' ')[0].split('/')[1]} "
                            "statements: prefetch_related is read for model rows only")


def attach(reader, site, q, rows: Rows) -> Rows:
    """Go statements running the prefetch levels (the statements of ``q``'s sequence after ``q``, the rows) over
    ``rows``, and each level's row linked on the row Obj of the level above (``Obj.related``)."""
    parts = sorted((x for x in reader.all_queries if x.site == q.site and x.part and x is not q), key=_order)
    paths = lookups(site)
    if len(paths) != len(parts):
        raise NotRecognised(f"the site {site.file}:{site.line} runs {len(parts) + 1} statements, its "
                            f"prefetch_related lookups {len(paths) + 1}")
    if rows.kind != "model":
        raise NotRecognised("prefetch_related() of values() rows")
    levels = {"": (rows.var, reader._row_type(rows), rows.row)}  # path -> (Go slice, row type, linked Obj)
    for path, stmt in zip(paths, parts):
        if path in levels:  # Django's done_queries: fetched by an earlier lookup
            continue
        above, _, name = path.rpartition("__")
        levels[path] = _level(reader, site, stmt, path, name, levels[above])
    return rows


def _level(reader, site, q, path: str, name: str, above: tuple):
    parent_var, parent_type, linked_above = above
    model = reader.models.get(linked_above.model)
    f = model.field(name) if model is not None else None
    if f is None or not f.relation or f.relation.kind not in ("foreign_key", "one_to_one") or not f.column:
        raise NotRecognised(f"prefetch_related({path!r}): {name} of {linked_above.model} is a reverse or "
                            "many-to-many relation (its rows grouped per parent row are not read yet)")
    m = reader.pkg.methods.get(q.name)
    if m is None or q.command != "many" or len(m.params) != 1 or not m.ret.startswith("[]"):
        raise NotRecognised(f"{q.name}: not the related rows by one list of keys")
    row_type = m.ret[2:]
    target = f.relation.target
    elem = reader.obj("r", SimpleNamespace(model=target, chain=()), row_type)
    parent_elem = reader.obj("r", SimpleNamespace(model=linked_above.model, chain=()), parent_type)
    key_code, key_type, _ = parent_elem.columns[f.attname]
    to_code, to_type, _ = elem.columns.get(f.relation.target_field) or (None, None, None)
    base = key_type.lstrip("*")
    if to_code is None or to_type != base or m.params[0][1] != f"[]{base}":
        raise NotRecognised(f"prefetch_related({path!r}): keys of type {key_type}, {target}.{f.relation.target_field} "
                            f"of type {to_type}, the query's list {m.params[0][1]}")
    key = key_code if key_type.startswith("*") else f"Ptr({key_code})"
    word = reader.var(name + "s")
    index, found, keys = reader.var(name + "s_by_key"), reader.var("found"), reader.var("keys")
    reader.used.append(q.name)
    reader.stmts.append(
        f"var {word} []{row_type}\n"
        f"if {keys} := PrefetchKeys({parent_var}, func(r {parent_type}) *{base} {{ return {key} }}); len({keys}) > 0 {{\n"
        f"{found}, err := s.Store.{q.name}(ctx, {keys})\nif err != nil {{\n{reader.fail(site)}\n}}\n{word} = {found}\n}}\n"
        f"{index} := PrefetchIndex({word}, func(r {row_type}) {base} {{ return {to_code} }})\n"
        f"_ = {index} // Django runs the query whether or not a row reads it")
    above_code, above_type, _ = linked_above.columns[f.attname]
    at = above_code if above_type.startswith("*") else f"Ptr({above_code})"
    linked = reader.obj(f"Prefetched({index}, {at})", SimpleNamespace(model=target, chain=()), row_type)
    if f.null:  # None where the key is None or names no fetched row (`x if row.a else None`)
        linked.present, linked.joined = f"PrefetchedHas({index}, {at})", True
    linked_above.related[name] = linked
    return word, row_type, linked
