"""One dialect-neutral store for migrated handlers, adapted to each per-dialect sqlc package.

sqlc writes one Go package per dialect, and their types differ where the databases do: a PostgreSQL
``integer`` column is ``int32`` where SQLite gives ``int64``; a nullable column is ``pgtype.Int4`` on
one side and ``sql.NullInt64`` on the other; a parameter sqlc cannot type on PostgreSQL is
``interface{}``. A handler written against either package would have to be written twice.

``neutral_store(packages)`` decides, for every query both packages offer, one neutral signature:

- the same type on both sides: that type;
- integers of different widths: ``int64`` (a parameter is narrowed by the adapter, out of range is an
  error, as the database would refuse it);
- a result column of other differing types: ``interface{}``, which the JSON writer (``JV``) renders
  the same for both (the handler cannot compute with it, so a view that does stays a stub);
- a parameter typed ``interface{}`` on one side: the other side's type.

A query with a parameter of any other pair of types is left out of the store (a view using it stays
a stub). The result is the ``GoPackage`` the view reader reads against (so it reads each view once),
and the ``Store`` view-model the template lays out as an interface with one adapter per dialect; the
dialect is chosen once, at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..plan import GoMethod, GoPackage, GoStruct
from .naming import camel

_INTS = ("int16", "int32", "int64")
# dialect -> (sqlc package, adapter type in package main)
ADAPTERS = {"postgresql": ("pgdb", "pgStore"), "sqlite": ("sqlitedb", "liteStore")}
_DIALECTS = tuple(ADAPTERS)
# sqlc's nullable integer parameter types -> (the width of their value, the Go literal of a valid one)
NULL_INTS = {"pgtype.Int4": ("int32", "pgtype.Int4{{Int32: {}, Valid: true}}"),
             "pgtype.Int8": ("int64", "pgtype.Int8{{Int64: {}, Valid: true}}"),
             "sql.NullInt64": ("int64", "sql.NullInt64{{Int64: {}, Valid: true}}")}


@dataclass(frozen=True)
class Param:
    """One parameter of a store method: its neutral name and type, and per dialect its Go type."""

    name: str
    type: str
    tag: str  # json tag in a Params struct, "" for a scalar parameter
    types: dict  # dialect -> the sqlc package's type


@dataclass(frozen=True)
class StoreStruct:
    name: str
    fields: tuple[tuple[str, str, str], ...]  # neutral (Go name, Go type, json tag)
    types: dict  # dialect -> the sqlc package's field types, in order


@dataclass(frozen=True)
class StoreMethod:
    name: str
    params: tuple[Param, ...]  # one scalar parameter, or the fields of the Params struct (struct set)
    struct: str  # the Params struct's name, "" for a scalar parameter or none
    ret: str  # neutral result type: "[]XRow", "XRow", "int64", "" for an :exec
    row: str  # the struct of the result ("" for a scalar or an :exec)
    scalars: dict  # dialect -> the sqlc result type of a scalar (without "[]")


@dataclass
class Store:
    package: GoPackage  # what the view reader reads against: neutral types only
    methods: dict  # name -> StoreMethod
    structs: dict  # name -> StoreStruct


def result_type(pg: str, lite: str) -> str:
    """The neutral type of a result column scanned as ``pg`` on PostgreSQL and ``lite`` on SQLite."""
    if pg == lite:
        return pg
    if pg in _INTS and lite in _INTS:
        return "int64"
    return "interface{}"


def param_type(pg: str, lite: str) -> str | None:
    """The neutral type of a parameter, or None when no value of one type suits both."""
    if pg == lite:
        return pg
    if {pg, lite} == {"int32", "int64"}:
        return "int64"
    if pg in NULL_INTS and lite in NULL_INTS:  # a nullable integer column compared with `=`: a value is given
        return "int64"
    if pg == "interface{}":
        return lite
    if lite == "interface{}":
        return pg
    return None


def _result_struct(name: str, structs: dict) -> StoreStruct | None:
    pg, lite = structs["postgresql"].get(name), structs["sqlite"].get(name)
    if pg is None or lite is None or [(f[0], f[2]) for f in pg.fields] != [(f[0], f[2]) for f in lite.fields]:
        return None
    fields = tuple((a[0], result_type(a[1], b[1]), a[2]) for a, b in zip(pg.fields, lite.fields))
    return StoreStruct(name, fields, {"postgresql": tuple(f[1] for f in pg.fields),
                                      "sqlite": tuple(f[1] for f in lite.fields)})


def _params(pg: GoMethod, lite: GoMethod, structs: dict) -> tuple[list, str] | None:
    """The neutral parameters of a method and its Params struct's name (or "")."""
    if not pg.params:
        return [], ""
    (pname, ptype), (_, ltype) = pg.params[0], lite.params[0]
    if not ptype.endswith("Params"):
        neutral = param_type(ptype, ltype)
        return None if neutral is None else ([Param(pname, neutral, "", {"postgresql": ptype, "sqlite": ltype})], "")
    a, b = structs["postgresql"].get(ptype), structs["sqlite"].get(ptype)
    if ptype != ltype or a is None or b is None or [f[0] for f in a.fields] != [f[0] for f in b.fields]:
        return None
    params = []
    for fa, fb in zip(a.fields, b.fields):
        neutral = param_type(fa[1], fb[1])
        if neutral is None:
            return None
        params.append(Param(fa[0], neutral, fa[2], {"postgresql": fa[1], "sqlite": fb[1]}))
    return params, ptype


def _method(name: str, pg: GoMethod, lite: GoMethod, structs: dict, out: dict) -> StoreMethod | None:
    if len(pg.params) != len(lite.params) or pg.ret.startswith("[]") != lite.ret.startswith("[]"):
        return None
    found = _params(pg, lite, structs)
    if found is None:
        return None
    params, struct = found
    if struct:
        out[struct] = StoreStruct(struct, tuple((p.name, p.type, p.tag) for p in params),
                                  {d: tuple(p.types[d] for p in params) for d in _DIALECTS})
    many = "[]" if pg.ret.startswith("[]") else ""
    row_pg, row_lite = pg.ret.removeprefix("[]"), lite.ret.removeprefix("[]")
    if row_pg in structs["postgresql"] or row_lite in structs["sqlite"]:
        st = _result_struct(row_pg, structs) if row_pg == row_lite else None
        if st is None:
            return None
        out[row_pg] = st
        return StoreMethod(name, tuple(params), struct, pg.ret, row_pg, {})
    scalar = result_type(row_pg, row_lite)
    if scalar == "interface{}" and row_pg != row_lite:
        return None
    return StoreMethod(name, tuple(params), struct, many + scalar if pg.ret else "", "",
                       {"postgresql": row_pg, "sqlite": row_lite})


def neutral_store(packages: dict) -> Store:
    """The store both dialects' sqlc packages are adapted to (see the module docstring)."""
    pg, lite = packages["postgresql"], packages["sqlite"]
    structs = {"postgresql": pg.structs, "sqlite": lite.structs}
    methods, out_structs = {}, {}
    for name in sorted(set(pg.methods) & set(lite.methods)):
        found: dict = {}
        m = _method(name, pg.methods[name], lite.methods[name], structs, found)
        if m is not None:
            methods[name] = m
            out_structs.update(found)
    package = GoPackage(
        methods={m.name: GoMethod(params=(("arg", m.struct),) if m.struct else tuple(
            (p.name, p.type) for p in m.params), ret=m.ret) for m in methods.values()},
        structs={s.name: GoStruct(fields=s.fields) for s in out_structs.values()})
    return Store(package, methods, out_structs)


# ---- store.go's view-model (templates/nethttp/store.go.j2 lays it out)

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
    return next((d for d in ("sqlite", "postgresql") if st.types[d] == neutral), "")


def _row_conversion(st: StoreStruct, dialect: str) -> str:
    """Go turning the dialect's row ``r`` into the neutral struct."""
    types = st.types[dialect]
    if types == tuple(f[1] for f in st.fields):
        return f"{st.name}(r)"  # the same fields: a struct conversion
    parts = []
    for (name, typ, _tag), have in zip(st.fields, types):
        parts.append(f"{name}: r.{name}" if typ in (have, "interface{}") else f"{name}: {typ}(r.{name})")
    return f"{st.name}{{{', '.join(parts)}}}"


def _adapter_method(m: StoreMethod, dialect: str, pkg: str, structs: dict) -> dict:
    narrows, args = [], []
    for p in m.params:
        source = f"arg.{p.name}" if m.struct else p.name
        have, null = p.types[dialect], NULL_INTS.get(p.types[dialect])
        if (have == "int32" or (null and null[0] == "int32")) and p.type == "int64":
            var = (camel(p.name) if m.struct else p.name) + "32"
            narrows.append({"var": var, "source": source, "name": p.tag or p.name})
            source = var
        if null:
            source = null[1].format(source)
        args.append(f"{p.name}: {source}" if m.struct else source)
    if m.struct and not narrows and alias_of(structs[m.struct]) == dialect:
        args = ["arg"]  # the neutral Params is this package's own
    elif m.struct:
        args = [f"{pkg}.{m.struct}{{{', '.join(args)}}}"]
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
                     for d, (pkg, typ) in ADAPTERS.items()],
    }
