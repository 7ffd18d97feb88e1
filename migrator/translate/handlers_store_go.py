"""store.go's view-model: the neutral store's interface and one adapter per dialect, as
templates/nethttp/store.go.j2 lays it out (the store itself is decided in handlers_store)."""

from __future__ import annotations

from .handlers_store import (_CONVERT, _FIELDS, _NARROW, _NARROW_NULL, ADAPTERS, NULL_INTS, Store, StoreMethod,
                             StoreStruct)
from .naming import camel


def _ret(m: StoreMethod) -> str:
    return f"({m.ret}, error)" if m.ret else "error"


def _zero(m: StoreMethod) -> str:
    if m.ret.startswith("[]") or m.ret == "interface{}":
        return "nil"
    if m.row:
        return f"{m.row}{{}}"
    return {"bool": "false", "string": '""'}.get(m.ret, "0")


def alias_of(st: StoreStruct) -> str:
    """The dialect whose struct has exactly the neutral fields (SQLite first), or "": the neutral struct
    is then an alias of it (``type XRow = sqlitedb.XRow``) and that adapter passes values through."""
    neutral = tuple(f[1] for f in st.fields)
    return next((d for d in ("sqlite", "postgresql", "mysql") if st.types.get(d) == neutral
                 and d not in st.flags and d not in st.reordered), "")


def _row_conversion(st: StoreStruct, dialect: str) -> str:
    """Go turning the dialect's row ``r`` into the neutral struct."""
    types = st.types[dialect]
    if types == tuple(f[1] for f in st.fields):
        return f"{st.name}(r)"  # the same fields: a struct conversion
    parts = []
    for (name, typ, _tag), have in zip(st.fields, types):
        if typ in (have, "interface{}"):
            parts.append(f"{name}: r.{name}")
        elif have in _FIELDS.get(typ, {}):
            parts.append(f"{name}: {_FIELDS[typ][have].format(f'r.{name}')}")
        else:
            parts.append(f"{name}: {typ}(r.{name})")
    return f"{st.name}{{{', '.join(parts)}}}"


def _adapter_method(m: StoreMethod, dialect: str, pkg: str, structs: dict) -> dict:
    narrows, args = [], []
    exact = m.exact | {camel(x) for x in m.exact}  # a Params field's tag, or a scalar's Go name
    for p in m.params:
        source = f"arg.{p.name}" if m.struct else p.name
        null = NULL_INTS.get(p.types[dialect]) if p.type == "int64" else None
        width = null[0] if null else p.types[dialect]
        narrow = _NARROW.get(width) if p.type == "int64" else _NARROW_NULL.get(width) if p.type == "*int64" else None
        if narrow:
            var = (camel(p.name) if m.struct else p.name) + ("Int4" if p.type == "*int64" else width.lstrip("uint"))
            narrows.append({"var": var, "source": source, "name": p.tag or p.name, "func": narrow,
                            "no_match": _no_match(m) if p.type == "int64" and (p.tag or p.name) in exact else ""})
            source = var
        if null:
            source = null[1].format(source)
        if p.name in m.escaped.get(dialect, ()):
            source = f"djtypes.LikeEscape({source})" if p.type == "string" else f"LikeEscaped({source})"
        if (p.type, p.types[dialect]) in _CONVERT and not narrow:
            source = _CONVERT[p.type, p.types[dialect]].format(source)
        args.append(f"{p.name}: {source}" if m.struct else source)
    if m.struct:  # an optional list's flag: true when the list is given (PostgreSQL's array is then not NULL)
        args += [f"{flag}: arg.{items} != nil" for flag, items in structs[m.struct].flags.get(dialect, ())]
    if m.struct and not narrows and alias_of(structs[m.struct]) == dialect:
        args = ["arg"]  # the neutral Params is this package's own
    elif m.struct:
        args = [f"{pkg}.{m.struct}{{{', '.join(args)}}}"]
    if dialect in m.spread:  # MySQL's Params struct: the one value in each of its fields
        struct, names = m.spread[dialect]
        args = [f"{pkg}.{struct}{{{', '.join(f'{n}: {args[0]}' for n in names)}}}"]
    call = ", " + ", ".join(args) if m.params else ""
    if not m.ret or (m.row and alias_of(structs[m.row]) == dialect):
        kind, conv = "direct", ""
    elif m.row:
        kind, conv = ("many" if m.ret.startswith("[]") else "one"), _row_conversion(structs[m.row], dialect)
    else:
        same = m.scalars[dialect] == m.ret.removeprefix("[]")
        kind = "direct" if same else ("many" if m.ret.startswith("[]") else "one")
        conv = "" if same else f"{m.ret.removeprefix('[]')}(r)"
    return {"name": m.name, "params": _signature(m), "ret": _ret(m), "zero": _zero(m), "narrows": narrows,
            "call": f"s.q.{m.name}(ctx{call})", "kind": kind, "conv": conv, "row": m.ret.removeprefix("[]")}


def _no_match(m: StoreMethod) -> str:
    """What an adapter returns for a parameter compared by `=` only when it is beyond the dialect's column (no row
    can hold it: Django's IntegerFieldOverflow matches nothing): no row, or no rows; "" (the error) for another."""
    if m.row and m.ret.startswith("[]"):
        return f"[]{m.row}{{}}, nil"
    if m.row:
        return f"{m.row}{{}}, sql.ErrNoRows"
    return ""


def _signature(m: StoreMethod) -> str:
    if m.struct:
        return f", arg {m.struct}"
    return "".join(f", {p.name} {p.type}" for p in m.params)


def store_file(store: Store, names) -> dict:
    """What store.go lays out for the queries the migrated handlers call (``names``)."""
    methods = [store.methods[n] for n in sorted(set(names)) if n in store.methods]
    wanted = sorted({m.row for m in methods if m.row} | {m.struct for m in methods if m.struct})
    return {
        "methods": [{"name": m.name, "params": _signature(m), "ret": _ret(m)} for m in methods],
        "structs": [{"name": s, "fields": store.structs[s].fields,
                     "alias": f"{ADAPTERS[alias_of(store.structs[s])][0]}.{s}" if alias_of(store.structs[s]) else ""}
                    for s in wanted],
        "adapters": [{"type": typ, "pkg": pkg, "dialect": d,
                      "methods": [_adapter_method(m, d, pkg, store.structs) for m in methods]}
                     for d, (pkg, typ) in ADAPTERS.items() if d in store.dialects],
    }
