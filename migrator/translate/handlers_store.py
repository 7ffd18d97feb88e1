"""One dialect-neutral store for migrated handlers, adapted to each per-dialect sqlc package.

sqlc writes one Go package per dialect, and their types differ where the databases do: a PostgreSQL
``integer`` column is ``int32`` where SQLite gives ``int64``; a nullable column is ``pgtype.Int4`` on
one side and ``sql.NullInt64`` on the other; a parameter sqlc cannot type on PostgreSQL is
``interface{}``. A handler written against either package would have to be written twice.

``neutral_store(packages)`` decides, for every query both packages offer, one neutral signature:

- the same type on both sides: that type;
- integers of different widths: ``int64`` (a parameter is narrowed by the adapter, out of range is an
  error, as the database would refuse it);
- a row's column of a type each dialect converts to (``_FIELDS``): that type, converted by the adapters
  (``pgtype.Timestamptz`` / ``djtypes.DateTime``: ``djtypes.DateTime``; ``pgtype.Int4`` / ``sql.NullInt64``:
  ``*int64``, nil for NULL);
- a result column of other differing types: ``interface{}``, which the JSON writer (``JV``) renders
  the same for both (the handler cannot compute with it, so a view that does stays a stub);
- a parameter typed ``interface{}`` on one side: the other side's type.

A query with a parameter of any other pair of types is left out of the store (a view using it stays
a stub). The result is the ``GoPackage`` the view reader reads against (so it reads each view once),
and the ``Store`` view-model the template lays out as an interface with one adapter per dialect; the
dialect is chosen once, at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..plan import GoMethod, GoPackage, GoStruct

_INTS = ("int16", "int32", "int64", "uint16", "uint32")  # a result converts to int64 (MySQL's unsigned too)
# a neutral int64 parameter narrowed to the dialect's type (out of range is an error, as the database's would be)
_NARROW = {"int32": "Int32Of", "uint32": "Uint32Of", "int16": "Int16Of"}
# a nullable integer an INSERT writes (a nullable foreign key: None is NULL), narrowed where the column is narrower
_NARROW_NULL = {"pgtype.Int4": "PgInt4Of"}
# (neutral, the dialect's) -> the Go that converts a parameter: a date sqlc's MySQL engine types as a time
_CONVERT = {("djtypes.Date", "time.Time"): "{}.Time()", ("*djtypes.Date", "sql.NullTime"): "NullTimeOf({})",
            # an aware datetime (timezone.now() - timedelta(...)): the instant, as psycopg binds Django's
            ("djtypes.DateTime", "pgtype.Timestamptz"): "pgtype.Timestamptz{{Time: {}.Time, Valid: true}}",
            # the same on MySQL: Django binds it naive in UTC (connection.timezone), the driver's loc is UTC
            ("djtypes.DateTime", "time.Time"): "{}.Time.UTC()",
            # an optional integer (sqlc.narg of a bigint): nil is NULL, the filter off (handlers_optional)
            ("*int64", "pgtype.Int8"): "PgInt8Of({})", ("*int64", "sql.NullInt64"): "NullInt64Of({})",
            # an optional string (sqlc.narg of a text: `email__iexact=email` under `if email`): nil is NULL
            ("*string", "pgtype.Text"): "PgTextOf({})", ("*string", "sql.NullString"): "NullStringOf({})",
            # an optional boolean (django-nyt's `is_viewed=is_viewed` under `if is_viewed is not None`)
            ("*bool", "pgtype.Bool"): "PgBoolOf({})", ("*bool", "sql.NullBool"): "NullBoolOf({})",
            # an optional date SQLite's sqlc types as text (CAST(narg AS TEXT)): Django binds str(date) there
            ("*djtypes.Date", "sql.NullString"): "NullDateText({})",
            # a nullable aware datetime an INSERT writes (None: NULL)
            ("*djtypes.DateTime", "pgtype.Timestamptz"): "PgTimestamptzOf({})"}
# the dialects' types of one optional integer parameter (each converted from *int64 by its adapter)
_OPTIONAL_INTS = {"pgtype.Int8", "sql.NullInt64"}
_OPTIONAL_STRINGS = {"pgtype.Text", "sql.NullString"}  # ... of one optional string parameter (from *string)
_OPTIONAL_BOOLS = {"pgtype.Bool", "sql.NullBool"}  # ... of one optional boolean parameter (from *bool)
# sqlc's nullable integer parameter types -> (the width of their value, the Go literal of a valid one): a
# nullable column compared with `=` (request.user.reviews on a nullable FK) is given a value, never NULL
NULL_INTS = {"pgtype.Int4": ("int32", "pgtype.Int4{{Int32: {}, Valid: true}}"),
             "pgtype.Int8": ("int64", "pgtype.Int8{{Int64: {}, Valid: true}}"),
             "sql.NullInt32": ("int32", "sql.NullInt32{{Int32: {}, Valid: true}}"),
             "sql.NullInt64": ("int64", "sql.NullInt64{{Int64: {}, Valid: true}}")}
# dialect -> (sqlc package, adapter type in package main); MySQL's only when the tree has it (--dialect mysql)
ADAPTERS = {"postgresql": ("pgdb", "pgStore"), "sqlite": ("sqlitedb", "liteStore"), "mysql": ("mysqldb", "myStore")}


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
    types: dict  # dialect -> the sqlc package's field types, in the neutral fields' order
    # dialect -> ((a presence flag's Go field, its list's Go field), ...): fields the neutral struct lacks (an optional
    # ``__in`` list, one nullable array on PostgreSQL, is ``sqlc.slice`` and a flag on SQLite and MySQL)
    flags: dict = field(default_factory=dict)
    reordered: frozenset = frozenset()  # dialects whose struct has the neutral fields in another order (slices last)


@dataclass(frozen=True)
class StoreMethod:
    name: str
    params: tuple[Param, ...]  # one scalar parameter, or the fields of the Params struct (struct set)
    struct: str  # the Params struct's name, "" for a scalar parameter or none
    ret: str  # neutral result type: "[]XRow", "XRow", "int64", "" for an :exec
    row: str  # the struct of the result ("" for a scalar or an :exec)
    scalars: dict  # dialect -> the sqlc result type of a scalar (without "[]")
    spread: dict = field(default_factory=dict)  # dialect -> (its Params struct, its fields) for one scalar (_spread)
    escaped: dict = field(default_factory=dict)  # dialect -> parameters it LIKE-escapes (iexact: ``_escapes``)
    exact: frozenset = frozenset()  # parameters compared by `=` only (handlers_plan.exact_params): out of range, no row


@dataclass
class Store:
    package: GoPackage  # what the view reader reads against: neutral types only
    methods: dict  # name -> StoreMethod
    structs: dict  # name -> StoreStruct
    dialects: tuple = ("postgresql", "sqlite")  # the adapters store.go has
    left_out: dict = field(default_factory=dict)  # query name -> why no neutral signature suits it (_why_left_out)


# a row's column the dialects type differently, read as one Go type: neutral -> {a dialect's type: the Go turning
# its value {0} into the neutral one}; a NULL is nil (Nullable, values.go). Any other difference: interface{}.
_FIELDS = {
    "djtypes.DateTime": {"pgtype.Timestamptz": "djtypes.DateTime{{Time: {0}.Time}}"},
    "*djtypes.DateTime": {"pgtype.Timestamptz": "Nullable(djtypes.DateTime{{Time: {0}.Time}}, {0}.Valid)"},
    "*int64": {"pgtype.Int2": "Nullable(int64({0}.Int16), {0}.Valid)", "pgtype.Int4": "Nullable(int64({0}.Int32), {0}.Valid)",
               "pgtype.Int8": "Nullable({0}.Int64, {0}.Valid)", "sql.NullInt32": "Nullable(int64({0}.Int32), {0}.Valid)",
               "sql.NullInt64": "Nullable({0}.Int64, {0}.Valid)"},
    "*float64": {"pgtype.Float8": "Nullable({0}.Float64, {0}.Valid)", "sql.NullFloat64": "Nullable({0}.Float64, {0}.Valid)"},
    # a column of a nullable relation's row (select_related through a LEFT OUTER JOIN)
    "*string": {"pgtype.Text": "Nullable({0}.String, {0}.Valid)", "sql.NullString": "Nullable({0}.String, {0}.Valid)"},
    "*bool": {"pgtype.Bool": "Nullable({0}.Bool, {0}.Valid)", "sql.NullBool": "Nullable({0}.Bool, {0}.Valid)"},
}


def field_type(*types: str) -> str:
    """The neutral type of a row's column scanned as each of ``types`` (one per dialect): result_type's, or one
    of _FIELDS when every dialect's type converts to it (``pgtype.Timestamptz`` and ``djtypes.DateTime``)."""
    neutral = result_type(*types)
    if neutral != "interface{}":
        return neutral
    return next((n for n, conv in _FIELDS.items() if all(t == n or t in conv for t in types)), neutral)


def result_type(*types: str) -> str:
    """The neutral type of a result column scanned as each of ``types`` (one per dialect)."""
    if len(set(types)) == 1:
        return types[0]
    if all(t in _INTS for t in types):
        return "int64"
    return "interface{}"


def param_type(*types: str, write: bool = False) -> str | None:
    """The neutral type of a parameter typed ``types`` (one per dialect), or None when no value suits all.
    ``write``: the parameter is a value an INSERT writes, where a nullable integer may be NULL (nil)."""
    known = set(types) - {"interface{}"}
    if len(known) <= 1:
        return known.pop() if known else "interface{}"
    if known <= {"int64", *_NARROW}:  # narrowed by each adapter
        return "int64"
    if known <= _OPTIONAL_INTS or (write and known <= _OPTIONAL_INTS | set(_NARROW_NULL)):
        return "*int64"  # a pointer each adapter makes NULL (nil) or the value of
    if known <= _OPTIONAL_STRINGS:
        return "*string"
    if known <= _OPTIONAL_BOOLS:
        return "*bool"
    if known <= set(NULL_INTS):  # each adapter makes the valid nullable value (and narrows it)
        return "int64"
    # one type every other dialect's adapter converts from (SQLite's djtypes.DateTime -> PostgreSQL's
    # pgtype.Timestamptz and MySQL's time.Time)
    return next((a for a in sorted(known) if all(t == a or (a, t) in _CONVERT for t in known)), None)


def _result_struct(name: str, structs: dict) -> StoreStruct | None:
    per = {d: s.get(name) for d, s in structs.items()}
    if None in per.values() or len({tuple((f[0], f[2]) for f in s.fields) for s in per.values()}) != 1:
        return None
    first = next(iter(per.values())).fields
    fields = tuple((a[0], field_type(*(s.fields[i][1] for s in per.values())), a[2]) for i, a in enumerate(first))
    return StoreStruct(name, fields, {d: tuple(f[1] for f in s.fields) for d, s in per.items()})


def _spread(ptype: str, scalar: str, structs: dict) -> bool:
    """MySQL's Params struct for what the other dialects take as one value: sqlc's MySQL engine makes one as
    soon as a parameter is used twice (an optional filter's ``x IS NULL OR col = x``), its one field that value."""
    st = structs.get(ptype)
    return st is not None and len({f[2] for f in st.fields}) == 1 and all(f[1] == scalar for f in st.fields)


def _params(ms: dict, structs: dict, write: bool = False, flags=None) -> tuple[list, str, dict, dict] | None:
    """The neutral parameters of a method, its Params struct's name (or ""), the dialects that spread the
    one scalar into a Params struct of their own (``_spread``), and the dialects' presence flags (``_flagged``)."""
    if not any(m.params for m in ms.values()):
        return [], "", {}, {}
    if not all(m.params for m in ms.values()):
        return None
    (pname, ptype), types = next(iter(ms.values())).params[0], {d: m.params[0][1] for d, m in ms.items()}
    if not ptype.endswith("Params"):
        spread = {d: t for d, t in types.items() if t.endswith("Params")}
        scalars = {d: t for d, t in types.items() if d not in spread}
        neutral = param_type(*scalars.values())
        if neutral is None or not all(_spread(t, neutral, structs[d]) for d, t in spread.items()):
            return None
        fields = {d: (t, tuple(f[0] for f in structs[d][t].fields)) for d, t in spread.items()}
        return [Param(pname, neutral, "", {d: scalars.get(d, neutral) for d in ms})], "", fields, {}
    per = {d: structs[d].get(t) for d, t in types.items()}
    if len(set(types.values())) != 1 or None in per.values():
        return None
    found = _flagged(per, flags or {})
    if found is None:
        return None
    per, flagged = found
    params = []
    for i, f in enumerate(next(iter(per.values()))):
        neutral = param_type(*(s[i][1] for s in per.values()), write=write)
        if neutral is None:
            return None
        params.append(Param(f[0], neutral, f[2], {d: s[i][1] for d, s in per.items()}))
    return params, ptype, {}, flagged


def _flagged(per: dict, flags: dict) -> tuple[dict, dict] | None:
    """Each dialect's Params fields in the first dialect's order, without the presence flags ``flags`` names ({flag
    tag: list tag}), and dialect -> ((flag's Go field, list's Go field), ...); None when the fields differ otherwise."""
    fields, out = {}, {}
    for d, st in per.items():
        by_tag = {f[2]: f for f in st.fields}
        pairs = tuple((f[0], by_tag[flags[f[2]]][0]) for f in st.fields if f[2] in flags and flags[f[2]] in by_tag)
        if len(pairs) != sum(f[2] in flags for f in st.fields):
            return None  # a flag without its list
        if pairs:
            out[d] = pairs
        fields[d] = [f for f in st.fields if f[2] not in flags]
    first = next(iter(fields.values()))
    order = {f[:1] + f[2:]: i for i, f in enumerate(first)}
    if any(sorted(order.get(f[:1] + f[2:], -1) for f in fs) != list(range(len(first))) for fs in fields.values()):
        return None
    return {d: sorted(fs, key=lambda f: order[f[:1] + f[2:]]) for d, fs in fields.items()}, out


def _method(name: str, ms: dict, structs: dict, out: dict, write: bool = False, flags=None) -> StoreMethod | None:
    if len({len(m.params) for m in ms.values()}) != 1 or len({m.ret.startswith("[]") for m in ms.values()}) != 1:
        return None
    found = _params(ms, structs, write, flags)
    if found is None:
        return None
    params, struct, spread, flagged = found
    if struct:
        neutral = tuple((p.name, p.tag) for p in params)
        out[struct] = StoreStruct(struct, tuple((p.name, p.type, p.tag) for p in params),
                                  {d: tuple(p.types[d] for p in params) for d in ms}, flagged,
                                  frozenset(d for d in ms if tuple((f[0], f[2]) for f in structs[d][struct].fields
                                                                  if f[2] not in (flags or {})) != neutral))
    first = next(iter(ms.values()))
    many = "[]" if first.ret.startswith("[]") else ""
    rows = {d: m.ret.removeprefix("[]") for d, m in ms.items()}
    if any(rows[d] in structs[d] for d in ms):
        st = _result_struct(rows[next(iter(ms))], structs) if len(set(rows.values())) == 1 else None
        if st is None:
            return None
        out[st.name] = st
        return StoreMethod(name, tuple(params), struct, first.ret, st.name, {}, spread)
    scalar = result_type(*rows.values())
    if scalar == "interface{}" and len(set(rows.values())) != 1:
        return None
    return StoreMethod(name, tuple(params), struct, many + scalar if first.ret else "", "", rows, spread)


def _escapes(params, transforms: dict) -> dict | None:
    """dialect -> the names of the parameters its adapter LIKE-escapes: ``__iexact`` is ``LIKE %s ESCAPE '\\'`` on
    SQLite and MySQL, whose value Django escapes (prep_for_iexact_query), ``UPPER(x) = UPPER(%s)`` of the value
    itself on PostgreSQL. None when the dialects transform a parameter otherwise (the query stays out)."""
    out: dict = {}
    for p in params:
        for d, t in transforms.get(p.tag or p.name, {}).items():
            if t != "like_exact" or p.type not in ("string", "*string"):
                return None
            out.setdefault(d, set()).add(p.name)
    return out


def neutral_store(packages: dict, inserts=frozenset(), flags=None, transforms=None, exact=None) -> Store:
    """The store every dialect's sqlc package is adapted to (see the module docstring). ``inserts``: the
    names of the INSERT queries (their nullable integer values may be NULL: ``*int64``); ``flags``: query name ->
    {presence flag: its list} (handlers_plan.presence_flags), set by the adapters from the list (nil: false);
    ``transforms``: query name -> {parameter: {dialect: its transform}} where the dialects differ (``_escapes``)."""
    dialects = tuple(d for d in ADAPTERS if d in packages)
    structs = {d: packages[d].structs for d in dialects}
    methods, out_structs, left_out = {}, {}, {}
    for name in sorted(set.intersection(*(set(packages[d].methods) for d in dialects))):
        found: dict = {}
        ms = {d: packages[d].methods[name] for d in dialects}
        m = _method(name, ms, structs, found, name in inserts, (flags or {}).get(name))
        escaped = _escapes(m.params, (transforms or {}).get(name, {})) if m is not None else None
        if escaped is not None:
            methods[name] = replace(m, escaped=escaped, exact=(exact or {}).get(name, frozenset()))
            out_structs.update(found)
        else:
            left_out[name] = (_why_left_out(ms, structs, (flags or {}).get(name) or {}, name in inserts) if m is None
                              else "a parameter the dialects transform otherwise (not an iexact value)")
    package = GoPackage(
        methods={m.name: GoMethod(params=(("arg", m.struct),) if m.struct else tuple(
            (p.name, p.type) for p in m.params), ret=m.ret) for m in methods.values()},
        structs={s.name: GoStruct(fields=s.fields) for s in out_structs.values()})
    return Store(package, methods, out_structs, dialects, left_out)


def _why_left_out(ms: dict, structs: dict, flags: dict, write: bool) -> str:
    """Why no neutral signature suits the dialects' ``ms``: the first parameter they type with no Go type that every
    adapter converts from (a nullable filter sqlc's MySQL engine types NOT NULL: ``decimal.Decimal``), or the result."""
    per: dict = {}
    for d, m in ms.items():
        for pname, ptype in m.params:
            st = structs[d].get(ptype)
            for f in (st.fields if st is not None else ((pname, ptype, pname),)):
                if f[2] not in flags:
                    per.setdefault(f[2] or f[0], {})[d] = f[1]
    for name, types in per.items():
        if len(types) != len(ms):
            return f"its parameter {name} is not on every dialect"
        if param_type(*types.values(), write=write) is None:
            return f"its parameter {name} is " + ", ".join(f"{t} on {d}" for d, t in types.items()) + " (no one Go type)"
    return "its result types differ per dialect"
