"""Compiled QuerySet SQL -> sqlc queries: placeholders traced back to source arguments, rewritten with sqlglot.

Input: what the loader's compile step captured per site and dialect (Django's SQL, its bound
parameters, and the sentinels that stood for runtime arguments). Each bound parameter is either a
sentinel (possibly transformed by Django in Python: a LIKE pattern, year bounds) and becomes a
``sqlc.arg``/``sqlc.narg``/list parameter, or a constant of the chain and is inlined as a literal.
Conditional refinements become ``(sqlc.narg(x) IS NULL OR <condition>)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

import sqlglot
from sqlglot import exp

from ..parallel import in_parallel
from .naming import Namer, pascal, snake

if TYPE_CHECKING:
    from ..ir import Project

READ = {"sqlite": "sqlite", "postgresql": "postgres"}
# Parameter names sqlc cannot take in ``sqlc.arg(name)``, renamed with the suffix ``_value`` (checked with sqlc
# 1.31.1, one query per name): PostgreSQL's reserved and type/function-name keywords; the words sqlc's SQLite
# parser reads as literals or keywords; and the locals of the Go sqlc writes (a parameter `rows` or `err`
# redeclares them). The older entries (date, key, value...) are kept so names stay stable.
SQL_WORDS = frozenset("""
    all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create
    current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc
    distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral
    leading limit localtime localtimestamp not null offset on only or order placing primary references returning
    select session_user some symmetric table then to trailing true union unique user using variadic when where
    window with
    authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left
    like natural notnull outer overlaps right similar tablesample verbose
    nothing others ties
    ctx err items rows
    key value values date time year
""".split())


def param_name(raw: str) -> str:
    name = snake(raw) or "arg"
    return name + "_value" if name in SQL_WORDS else name


ARRAY_TYPES = {"int": "bigint", "str": "text", "uuid": "uuid", "decimal": "numeric", "date": "date",
               "datetime": "timestamptz", "float": "double precision", "bool": "boolean", "duration": "interval",
               "time": "time"}


# Why a static or conditional site got no query (sqlc/UNTRANSLATED.md), and what a person does about it.
REASONS = {
    "NOT_YET_TRANSLATED": ("a method the sqlc step does not translate yet (bulk_update, clear, set, union...)",
                           "write the query by hand in a .sql file next to sqlc/queries, or use the GORM models"),
    "UNKNOWN_METHOD": ("a custom manager method the step cannot call (create_user...)",
                       "port the method: usually a GORM create with the values it computes"),
    "CASCADE_DELETE": ("a delete() whose rows Django deletes with its collector",
                       "select the ids and call the generated models.Delete<Model> helper"),
    "LEFT_JOIN_NULLS": ("the query reads columns of a LEFT OUTER JOIN whose Go type cannot be NULL (a NOT NULL "
                        "decimal, UUID, date or datetime; or a table joined twice, which sqlc types NOT NULL)",
                        "drop select_related on the nullable relation and load it separately, or use GORM Preload"),
    "BOOL_PARAMETER": ("runtime boolean arguments not traced: several in one call, or one that changes the SQL "
                       "beyond `col` / `NOT col` (`__isnull=flag`)",
                       "split the call into the two literal variants (filter(x=True) / filter(x=False))"),
    "OPTIONAL_LIST": ("an __in filter under `if` on SQLite: sqlc.slice cannot be NULL",
                      "make the list always present, or write two queries"),
    "PARAMETER_NOT_FOUND": ("Django transformed a runtime value in a way the step cannot reverse",
                            "pass the transformed value yourself: write the query by hand"),
    "NEEDS_DATABASE": ("Django needs a live database to compile this call",
                       "write the query by hand from Django's SQL (str(qs.query))"),
    "COMPILE_FAILED": ("Django refused the chain as interpreted with typed stand-in values",
                       "see the detail; simplify the expression or write the query by hand"),
    "NESTED_PREFETCH": ("prefetch_related across several relations (a__b)",
                        "prefetch each level with its own query keyed by the ids of the level above"),
    "SQLC_REJECTED": ("sqlc could not parse or type Django's SQL", "the detail is sqlc's message"),
    "UNSUPPORTED_EXPRESSION": ("an argument expression the interpreter does not model",
                               "compute the value before the call and pass a variable"),
    "SQLITE_DJANGO_FUNCTION": ("SQL that calls one of Django's SQLite-only Python functions",
                               "PostgreSQL translates; on SQLite rewrite the filter as a range"),
    "TIME_ZONE": ("a date function in a time zone other than UTC", "store and query in UTC (USE_TZ)"),
    "MULTIPLE_STATEMENTS": ("the call runs several statements the step does not sequence",
                            "use the GORM models for this write"),
    "REWRITE_FAILED": ("sqlglot could not rewrite Django's SQL", "the detail says where; report it"),
    "NOT_COMPILED": ("the Django compile step did not run for this site", "see the loader's diagnostics"),
    "SLICE_ORDER": ("a parameter after an `__in` list on SQLite: sqlc numbers it as if the list were one value, "
                    "so a list of two or more would bind an item to it", "move the `__in` filter last, or use PostgreSQL"),
    "NON_ASCII": ("a non-ASCII table, column or alias name on SQLite: sqlc's SQLite parser mis-edits the query "
                  "file after it", "rename it in ASCII (db_table, db_column, the annotation's name)"),
    "COMPILE_TIMEOUT": ("compiling the site took longer than MIGRATOR_COMPILE_TIMEOUT seconds (default 10), or "
                        "stopped the worker (a lock, a network wait); the other sites compiled without it",
                        "the detail names the line it was on; raise the bound if it is only slow"),
    "LOADER_CRASH": ("the Django process died while compiling this site", "the detail shows its last output"),
    "SIDE_EFFECT": ("compiling the site tried to write a file, connect or start a process (refused): the call runs "
                    "Python with effects the query does not have", "the detail names the line that tried"),
    "DYNAMIC_KWARGS": ("lookups or defaults passed as a dict built at run time: the columns are decided at run time",
                       "spell the keyword arguments out, or one query per shape"),
    "UNSUPPORTED_TERMINAL": ("the chain does not end in a QuerySet or a method the step knows",
                             "see the detail; write the query by hand"),
    "DYNAMIC_Q": ("a Q object from a variable bound more than once (branches, |=, &=), changed in place or returned "
                  "by a function: its conditions are decided at run time",
                  "build the Q in one expression, or one query per shape"),
    "CUSTOM_QUERIES": ("a manager or QuerySet method that runs queries of its own Python code before the chain "
                       "(create_user() hashing a password, a method choosing queries by results)",
                       "port the method: its queries and the Python between them"),
    "REQUEST_SITE": ("Site.objects.get_current() without settings.SITE_ID: Django looks the request's host up, then "
                     "the host without its port", "set SITE_ID, or write the two lookups by hand"),
    "SAVE_OVERRIDE": ("the write runs a save() override that changes the statements or values Django sends",
                      "port the override to the Go side (a GORM hook), or write the query by hand"),
}


class Untranslatable(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class Param:
    name: str  # sqlc parameter name
    source: str
    kind: str  # value family (int, str, decimal, date, datetime, uuid, bool, year)
    transform: str = ""  # "" | like | like_prefix | like_suffix | like_exact | year_start | year_end
    optional: bool = False
    is_list: bool = False
    field: str = ""
    sentinel: str = ""  # the source argument's sentinel name (several params may share one: year bounds)


@dataclass
class Query:
    name: str
    site: str
    function: str
    model: str
    dialect: str
    command: str  # one | many | exec | execrows
    sql: str  # sqlc SQL
    params: list[Param] = field(default_factory=list)
    result: str = "rows"
    django_sql: str = ""
    part: str = ""  # "2/2 insert" for one statement of a sequence (get_or_create...), "" for a whole query
    note: str = ""  # a line for the query's comment


def _text(value: Any) -> str:
    v = _decode(value)
    v = v[1] if isinstance(v, tuple) else v
    try:  # Decimal("0") in the source, "0.00" once Django quantized it
        import decimal

        return str(decimal.Decimal(str(v)).normalize()) if isinstance(v, (str, int, float)) and not isinstance(
            v, bool) and str(v).replace(".", "", 1).lstrip("-").isdigit() else str(v)
    except decimal.InvalidOperation:
        return str(v)


def _source_constants(site: dict) -> set[str]:
    """Every constant written in the chain's arguments (F("views") + 1 holds 1, Decimal("0") holds "0")."""
    import ast as pyast

    out = set()
    for c in site["chain"]:
        for a in c["args"]:
            try:
                tree = pyast.parse(a["source"], mode="eval")
            except SyntaxError:
                continue
            for n in pyast.walk(tree):
                if isinstance(n, pyast.Constant) and n.value is not None:
                    out.add(_text(n.value))
    return out


def _write_columns(sql: str) -> list[str]:
    """For each placeholder of an INSERT or UPDATE, the column it writes ("" when it is in WHERE)."""
    m = re.match(r'\s*INSERT INTO \S+ \((.*?)\) VALUES \((.*)\)', sql, re.S)
    if m:
        cols = [c.strip().strip('"') for c in m.group(1).split(",")]
        values = _split_top(m.group(2).split(") RETURNING")[0])
        out = [c for c, v in zip(cols, values) if "%s" in v]
        return out + [""] * (sql.count("%s") - len(out))
    m = re.match(r'\s*UPDATE \S+ SET (.*?)( WHERE .*)?$', sql, re.S)
    if m:
        out = []
        for part in _split_top(m.group(1)):
            col = part.split("=")[0].strip().strip('"')
            out += [col] * part.count("%s") if part.count("%s") == 1 else [""] * part.count("%s")
        return out + [""] * (sql.count("%s") - len(out))
    return [""] * sql.count("%s")


def _split_top(text: str) -> list[str]:
    parts, depth, cur, quote = [], 0, "", False
    for ch in text:
        if ch == "'":
            quote = not quote
        if not quote:
            depth += ch == "("
            depth -= ch == ")"
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
                continue
        cur += ch
    return parts + [cur]


def _decode(v: Any) -> Any:
    if isinstance(v, dict) and len(v) == 1:
        (k, x), = v.items()
        if k in ("decimal", "date", "datetime", "time", "uuid", "duration", "json", "repr"):
            return (k, x)
    return v


def _sqlite_form(kind: str, value: Any) -> Any:
    """How Django binds a sentinel on SQLite (its adapters run before the driver)."""
    import datetime
    import uuid

    if kind == "uuid":
        return uuid.UUID(value[1]).hex
    if kind == "datetime":
        dt = datetime.datetime.fromisoformat(value[1]).replace(tzinfo=None)
        return dt.isoformat(" ")
    if kind in ("date", "time"):
        return value[1]
    if kind == "decimal":
        return value[1]
    return value


def match(param: Any, sentinels: list[dict], dialect: str) -> Optional[tuple[dict, str]]:
    """The sentinel a bound value came from, and the transformation Django applied to it."""
    p = _decode(param)
    for s in sentinels:
        value = _decode(s["value"])
        values = value if s["is_list"] else [value]
        for v in values:
            forms = {repr(v)}
            if dialect == "sqlite":
                forms.add(repr(_sqlite_form(s["kind"], v)))
            if isinstance(v, tuple) and s["kind"] == "decimal":
                forms.add(repr(("decimal", v[1])))
            if isinstance(v, tuple) and s["kind"] == "duration":
                forms.add(repr(v[1]))  # SQLite: Django binds a duration as microseconds
            if repr(p) in forms or (isinstance(p, tuple) and isinstance(v, tuple) and p[1] == v[1]):
                return s, ""
            if s["kind"] == "json" and isinstance(v, tuple) and isinstance(p, str):
                import json as _json

                try:
                    if _json.loads(p) == v[1]:
                        return s, "json"
                except ValueError:
                    pass
            if isinstance(p, str) and isinstance(v, str) and v in p and p != v:
                if p == f"%{v}%":
                    return s, "like"
                if p == f"{v}%":
                    return s, "like_prefix"
                if p == f"%{v}":
                    return s, "like_suffix"
        if s["kind"] == "year":
            y = value
            starts = {f"{y}-01-01 00:00:00", f"{y}-01-01", f"{y}-01-01T00:00:00+00:00"}
            ends = {f"{y}-12-31 23:59:59.999999", f"{y}-12-31", f"{y}-12-31T23:59:59.999999+00:00"}
            text = p[1] if isinstance(p, tuple) else p
            if text in starts:
                return s, "year_start"
            if text in ends:
                return s, "year_end"
    return None


def _literal(value: Any) -> exp.Expression:
    v = _decode(value)
    if v is None:
        return exp.Null()
    if isinstance(v, bool):
        return exp.Boolean(this=v)
    if isinstance(v, (int, float)):
        return exp.Literal.number(v)
    if isinstance(v, tuple):
        return exp.Literal.string(str(v[1]))
    return exp.Literal.string(str(v))


def go_overrides(project: Project, dialect: str, module: str) -> list[dict]:
    """Column-level Go types for sqlc.yaml: decimals never float, Django's UUID/JSON/duration/date encodings.
    A NOT NULL field's type is a value (``pointer`` False): sqlc uses it even where the column can be NULL
    (a LEFT OUTER JOIN), which is why such columns decide LEFT_JOIN_NULLS."""
    dj = f"{module}/djtypes"
    out = []
    special = {
        "DecimalField": ("github.com/shopspring/decimal", "Decimal"),
        "UUIDField": (dj, "UUID"), "JSONField": (dj, "JSON"), "DurationField": (dj, "Duration"),
        "DateField": (dj, "Date"),
    }
    if dialect == "sqlite":
        special["DateTimeField"] = (dj, "DateTime")
    labels = {x.label for x in project.models}
    for m in sorted(project.models, key=lambda m: m.label):
        if m.kind != "concrete":
            continue
        for f in m.fields:
            if f.internal_type in special and f.column and f.inherited_from not in labels:
                imp, typ = special[f.internal_type]
                out.append({"column": f"{m.db_table}.{f.column}", "import": imp, "type": typ, "pointer": f.null})
    return out


@dataclass(frozen=True)
class Hints:
    """What translation needs to know of the project's fields for sqlc's typing."""
    nullable: frozenset = frozenset()  # app.Model.field labels of nullable fields
    rigid: frozenset = frozenset()  # (table, column): a Go type override that cannot hold NULL, this dialect

    @classmethod
    def of(cls, project, dialect: str) -> "Hints":
        return cls(nullable=frozenset(f"{m.label}.{f.name}" for m in project.models for f in m.fields if f.null),
                   rigid=frozenset(tuple(o["column"].split(".", 1)) for o in go_overrides(project, dialect, "")
                                   if not o["pointer"]))


def translate_all(compiled: dict, site: dict, dialect: str, hints: Hints = Hints()) -> list[Query]:
    """One query per statement Django runs for the site (get_or_create runs a SELECT, then an INSERT).

    ``hints``: the project's nullable fields (how an optional filter is written on SQLite, see
    ``_typed_first``) and the columns whose Go type cannot be NULL (LEFT_JOIN_NULLS)."""
    statements = compiled["statements"]
    if len(statements) == 1 and compiled.get("result") != "sequence":
        q = translate(compiled, site, dialect, hints)
        if compiled.get("result") == "delete_ids":
            q.note = "delete(): these rows, deleted with on_delete by the generated GORM Delete helper"
            q.result = "delete_ids"
        return [q]
    out = []
    for i, stmt in enumerate(statements):
        one = dict(compiled, statements=[stmt])
        if compiled.get("flipped") and len(compiled["flipped"]) == len(statements):
            one["flipped"] = [compiled["flipped"][i]]
        if compiled.get("flipped_each"):  # several runtime booleans: each compiled False on its own
            one["flipped_each"] = {k: [v[i]] if len(v) == len(statements) else v
                                   for k, v in compiled["flipped_each"].items()}
        sql = stmt["sql"].lstrip().upper()
        if stmt["kind"] == "select":  # prefetch_related: the rows, then the related rows (many, both)
            one["command"] = "many" if compiled.get("command") == "many" else "one"
        elif stmt["kind"] == "insert":
            one["command"] = "one" if " RETURNING " in sql else "exec"
        else:
            one["command"] = "execrows"
        one["sentinels"] = [s for s in compiled["sentinels"] if _appears(s, stmt, dialect)]
        q = translate(one, site, dialect, hints)
        q.part = f"{i + 1}/{len(statements)} {stmt['kind']}"
        out.append(q)
    return out


def _appears(sentinel: dict, stmt: dict, dialect: str) -> bool:
    return any(match(p, [sentinel], dialect) for p in stmt["params"]) or (
        sentinel["kind"] == "int" and re.search(rf"\b{sentinel['value']}\b", stmt["sql"]) is not None)


def _typed_first(dialect: str, sentinel: dict, nullable: frozenset) -> bool:
    """Whether an optional filter is written ``(<condition> OR x IS NULL)`` rather than ``(x IS NULL OR ...)``.

    sqlc's SQLite engine types a parameter from its first use: ``x IS NULL`` first gives ``interface{}``,
    the condition first gives the column's type, nullable (sql.NullInt64, *djtypes.Duration). That is right
    unless the column has a non-pointer Go type override (decimals, UUID, JSON, dates, datetimes, durations
    of a NOT NULL field): the parameter would then be a value that cannot be absent, so those stay
    ``interface{}``. PostgreSQL casts ``x IS NULL`` explicitly, so the order does not matter there.
    """
    if dialect != "sqlite":
        return False
    return sentinel["kind"] in ("int", "str", "float", "bool") or sentinel["field"] in nullable


_COLUMN_AT = re.compile(r'"[^"]+"(?:\."[^"]+")?')


def _placeholders(sql: str) -> list[int]:
    """Offsets of the ``%s`` placeholders of Django's SQL (``%%`` is a literal percent sign)."""
    out, i = [], 0
    while i < len(sql) - 1:
        if sql[i] == "%":
            if sql[i + 1] == "s":
                out.append(i)
            i += 2
            continue
        i += 1
    return out


def _bool_edit(sql: str, params: list, flipped: dict) -> tuple:
    """How one runtime boolean shows in the statement compiled again with it False: ("params", indices that
    changed) or ("not", start, end) of the column Django wrote bare for True and ``NOT col`` for False."""
    other_sql, other_params = flipped["sql"], flipped["params"]
    if sql == other_sql:
        if len(params) != len(other_params):
            raise Untranslatable("BOOL_PARAMETER", "the parameters change with the runtime boolean")
        changed = {i for i, (a, b) in enumerate(zip(params, other_params)) if a != b}
        if any(not isinstance(params[i], (bool, int)) for i in changed):
            raise Untranslatable("BOOL_PARAMETER", "more than the runtime boolean changes with it")
        return ("params", changed)
    import difflib

    ops = [op for op in difflib.SequenceMatcher(None, sql, other_sql, autojunk=False).get_opcodes() if op[0] != "equal"]
    if len(ops) == 1 and ops[0][0] == "insert" and other_sql[ops[0][3]:ops[0][4]].strip() == "NOT" and \
            params == list(other_params):
        at = ops[0][1]
        while at < len(sql) and sql[at] == " ":  # "AND NOT x" may align as "AND" + " NOT" + " x"
            at += 1
        column = _COLUMN_AT.match(sql, at)
        if column:
            return ("not", at, column.end())
    raise Untranslatable("BOOL_PARAMETER", "a runtime boolean changes the SQL beyond `col` / `NOT col` (e.g. "
                         "__isnull=flag): split the call into its two literal variants")


def _bool_placeholders(stmt: dict, flips: dict, bools: list[dict]) -> tuple[str, list, dict[int, dict]]:
    """Where each runtime boolean went, from the statement compiled with every boolean True and, once per
    boolean, with that one False (``flips``: sentinel name -> statements).

    Either the SQL is the same and the parameters that changed are its placeholders, or Django wrote
    ``"col"`` for True and ``NOT "col"`` for False (a boolean field compared with a boolean): that
    becomes ``("col" = %s)`` with the boolean as its parameter. Returns (sql, params, parameter index ->
    its boolean). Anything else stays BOOL_PARAMETER.
    """
    sql, params = stmt["sql"], list(stmt["params"])
    edits = []
    for b in bools:
        flipped = flips.get(b["name"])
        if not flipped or len(flipped) != 1:
            raise Untranslatable("BOOL_PARAMETER", "a runtime boolean argument: Django could not compile it as False")
        edits.append((b, _bool_edit(sql, params, flipped[0])))
    claimed = [i for _b, e in edits if e[0] == "params" for i in e[1]]
    if len(claimed) != len(set(claimed)):
        raise Untranslatable("BOOL_PARAMETER", "two runtime booleans change the same parameter")
    # every placeholder, original or new, by its offset in the original SQL; new text from the right
    slots = [(at, "orig", j) for j, at in enumerate(_placeholders(sql))]
    slots += [(e[1], "new", b) for b, e in edits if e[0] == "not"]
    for _b, e in sorted((x for x in edits if x[1][0] == "not"), key=lambda x: -x[1][1]):
        sql = f"{sql[:e[1]]}({sql[e[1]:e[2]]} = %s){sql[e[2]:]}"
    owner = {i: b for b, e in edits if e[0] == "params" for i in e[1]}
    out_params: list = []
    forced: dict[int, dict] = {}
    for _at, what, x in sorted(slots, key=lambda s: s[0]):
        if what == "new":
            forced[len(out_params)] = x
            out_params.append(True)
        else:
            if x in owner:
                forced[len(out_params)] = owner[x]
            out_params.append(params[x])
    return sql, out_params, forced


def translate(compiled: dict, site: dict, dialect: str, hints: Hints = Hints()) -> Query:
    stmt = compiled["statements"][0]
    sql, params, sentinels = stmt["sql"], stmt["params"], compiled["sentinels"]
    bools = [s for s in sentinels if isinstance(s["value"], bool) or s["kind"] == "bool"]
    forced: dict[int, dict] = {}
    if bools:
        flips = compiled.get("flipped_each") or ({bools[0]["name"]: compiled.get("flipped")} if len(bools) == 1 else {})
        sql, params, forced = _bool_placeholders(stmt, flips, bools)
    matches: list[Optional[tuple[dict, str]]] = [
        (forced[i], "") if i in forced else match(p, [s for s in sentinels if s not in bools], dialect)
        for i, p in enumerate(params)]
    # INSERT / UPDATE: a value Django computed while compiling (auto_now, a callable default) must not be
    # frozen into the SQL: it becomes a parameter named after its column, unless the source wrote it literally.
    literals = _source_constants(site)
    for i, col in enumerate(_write_columns(sql)):
        if col and matches[i] is None and _text(params[i]) not in literals:
            matches[i] = ({"name": col, "source": f"<{col}: computed by Django at save time>", "kind": "value",
                           "value": None, "optional": False, "is_list": False, "field": col}, "")
    used = {id(m[0]) for m in matches if m}
    limits = [s for s in sentinels if s["kind"] == "int" and re.search(rf"\b(?:LIMIT|OFFSET) {s['value']}\b", sql)]
    for s in sentinels:
        if id(s) not in used and s not in limits:
            raise Untranslatable("PARAMETER_NOT_FOUND", f"`{s['source']}` does not reach the SQL as a parameter "
                                 "(Django inlined or transformed it)")
    # %s -> :pN placeholders sqlglot understands
    counter = iter(range(len(params)))
    marked = re.sub(r"%s", lambda _m: f":p{next(counter)}", sql.replace("%%", "%"))
    tree = sqlglot.parse_one(marked, read=READ[dialect])
    by_name: dict[str, Param] = {}
    optional_marks: dict[str, str] = {}
    names: dict[str, str] = {}  # sentinel key -> parameter name, unique in the query

    def name_of(key: str) -> str:
        """`order` and `order_value` both exist as arguments: the second one to come gets a number."""
        if key not in names:
            base = name = param_name(key)
            n = 2
            while name in names.values():
                name, n = f"{base}{n}", n + 1
            names[key] = name
        return names[key]

    def param_for(i: int) -> exp.Expression:
        m = matches[i]
        if m is None:
            return _literal(params[i])
        s, transform = m
        key = s["name"] + ("" if not transform.startswith("year") else "_" + transform.split("_")[1])
        name = name_of(key)
        p = by_name.get(name)
        if p is None:
            p = by_name[name] = Param(name=name, source=s["source"], kind=s["kind"], transform=transform,
                                      optional=s["optional"], is_list=s["is_list"], field=s["field"],
                                      sentinel=s["name"])
        if s["optional"]:
            optional_marks[f"p{i}"] = name
        return exp.Placeholder(this=f"q_{name}")

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder) and str(node.this).startswith("p"):
            return param_for(int(str(node.this)[1:]))
        if isinstance(node, exp.Literal) and node.is_int and isinstance(node.parent, (exp.Limit, exp.Offset)):
            bound = next((s for s in limits if str(s["value"]) == node.this), None)
            if bound is not None:  # Django inlines LIMIT/OFFSET numbers: a sentinel there is a slice bound
                name = name_of(bound["name"])
                by_name.setdefault(name, Param(name=name, source=bound["source"], kind="int", sentinel=bound["name"]))
                return exp.Placeholder(this=f"q_{name}")
        return node

    original_placeholders = {str(ph.this): ph for ph in tree.find_all(exp.Placeholder)}
    # like on SQLite: Django's iexact binds an escaped value to LIKE ... ESCAPE '\'
    for like in tree.find_all(exp.Like, exp.Escape):
        target = like.this if isinstance(like, exp.Escape) else like
        rhs = target.expression if isinstance(target, exp.Like) else None
        if isinstance(rhs, exp.Placeholder):
            i = int(str(rhs.this)[1:])
            if matches[i] is not None and matches[i][1] == "":
                matches[i] = (matches[i][0], "like_exact")
    # optional conditions: wrap the predicate that holds the optional parameter
    wrapped_nodes: list[exp.Expression] = []
    for name, ph in original_placeholders.items():
        i = int(name[1:])
        m = matches[i]
        if m is None or not m[0]["optional"]:
            continue
        pred = ph
        while pred.parent is not None and not isinstance(pred.parent, (exp.And, exp.Or, exp.Where, exp.Paren, exp.Not)):
            pred = pred.parent
        if any(pred is w for w in wrapped_nodes):
            continue
        pname = name_of(m[0]["name"] + ("" if not m[1].startswith("year") else "_" + m[1].split("_")[1]))
        absent = exp.Is(this=exp.Placeholder(this=f"n_{pname}"), expression=exp.Null())
        first, second = (pred.copy(), absent) if _typed_first(dialect, m[0], hints.nullable) else (absent, pred.copy())
        wrapped = exp.Paren(this=exp.Or(this=first, expression=second))
        wrapped_nodes.append(wrapped)
        pred.replace(wrapped)
    tree = tree.transform(rewrite, copy=False)
    tree = _native_sqlite(tree) if dialect == "sqlite" else _native_postgres(tree)
    extra: list[Param] = []
    tree = _sqlc_macros(tree, by_name, dialect, extra)
    if dialect == "sqlite":
        tree = _ascii_literals(_slices_last(tree))
    if tree.find(exp.Placeholder) is not None:
        raise Untranslatable("PLACEHOLDER_LEFT", f"a placeholder was not translated: {tree.sql()[:200]}")
    text = tree.sql(dialect=READ[dialect], copy=False)
    if dialect == "sqlite" and not text.isascii():
        raise Untranslatable("NON_ASCII", "a non-ASCII name in the SQL: sqlc's SQLite parser mis-edits it and "
                             f"every later query of the file ({_first_non_ascii(text)})")
    rigid = _rigid_outer_columns(tree, hints.rigid) if "LEFT OUTER JOIN" in sql else []
    if rigid:
        raise Untranslatable("LEFT_JOIN_NULLS", f"{', '.join(rigid[:3])}: columns of a LEFT OUTER JOIN (select_related "
                             "over a nullable relation) whose Go type cannot be NULL (a NOT NULL field's type, or "
                             "a table joined under an alias), and they are NULL when the relation is empty")
    for p in extra:
        by_name.setdefault(p.name, p)
    command = compiled["command"]
    return Query(name="", site=compiled["site"], function=site["function"], model=site["model"], dialect=dialect,
                 command=command, sql=text, params=list(by_name.values()), result=compiled.get("result", "rows"),
                 django_sql=sql)


def _sqlc_macros(tree: exp.Expression, by_name: dict[str, Param], dialect: str,
                 extra: list[Param]) -> exp.Expression:
    """Each placeholder node (`:q_name` a value, `:n_name` its NULL test) becomes its sqlc macro, node by node
    (never by text: `price` is a prefix of `price_unit`). `x IN (list)` becomes `x = ANY(sqlc.arg(x)::type[])`
    on PostgreSQL and `x IN (sqlc.slice(x))` on SQLite. sqlglot does not know the macros: they are opaque
    ``Var`` nodes, written as they are."""
    def param(ph: exp.Expression) -> Optional[tuple[str, Param]]:
        if isinstance(ph, exp.Placeholder) and str(ph.this)[:2] in ("q_", "n_") and str(ph.this)[2:] in by_name:
            return str(ph.this)[0], by_name[str(ph.this)[2:]]
        return None

    def arg(p: Param) -> str:
        text = f"{'sqlc.narg' if p.optional else 'sqlc.arg'}({p.name})"
        if p.is_list and dialect == "postgresql":
            text += f"::{ARRAY_TYPES.get(p.kind, 'text')}[]"
        return text

    def null_check(p: Param) -> str:
        if dialect == "postgresql" and p.optional and not p.is_list:  # PostgreSQL must know the type of `$n IS NULL`
            return f"{arg(p)}::{'timestamptz' if p.transform.startswith('year') else ARRAY_TYPES.get(p.kind, 'text')}"
        return arg(p)

    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.In) and node.expressions and not node.args.get("query"):
            found = [param(e) for e in node.expressions]
            if found[0] and found[0][1].is_list and all(f and f[1] is found[0][1] for f in found):
                p = found[0][1]
                if dialect == "postgresql":
                    return exp.EQ(this=node.this, expression=exp.Any(this=exp.Paren(this=exp.Var(this=arg(p)))))
                node.set("expressions", [exp.Var(this=f"sqlc.slice({p.name})")])
                return node
        if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
            found = param(node.this)
            if found and found[0] == "n" and found[1].is_list and dialect == "sqlite":
                p = found[1]  # sqlc.slice cannot be NULL on SQLite: a flag says whether the filter applies
                # CAST: sqlc types the flag bool (bare, it is interface{})
                extra.append(Param(name=f"{p.name}_present", source=p.source, kind="bool", transform="present",
                                   optional=False, sentinel=p.sentinel, field=p.field))
                return exp.Var(this=f"NOT CAST(sqlc.arg({p.name}_present) AS BOOLEAN)")
        found = param(node)
        if found:
            return exp.Var(this=arg(found[1]) if found[0] == "q" else null_check(found[1]))
        return node
    return tree.transform(fix, copy=False)


def _has_slice(node: exp.Expression) -> bool:
    return any(str(v.this).startswith("sqlc.slice(") for v in node.find_all(exp.Var))


def _slices_last(tree: exp.Expression) -> exp.Expression:
    """On SQLite sqlc expands ``sqlc.slice(x)`` into one ``?`` per item but numbers every other parameter
    (``?2``) as if the list were one value: a parameter written after a slice then binds a list item
    instead (a two-item status list read the second status as ``status_present``). Put each slice after
    every other parameter (OR operands swapped, the WHERE's slice conjuncts moved last: the same
    predicate), or refuse the query."""
    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Or) and _has_slice(node.this) and not _has_slice(node.expression):
            return exp.Or(this=node.expression, expression=node.this)
        return node

    if not _has_slice(tree):
        return tree
    tree = tree.transform(swap, copy=False)
    where = tree.args.get("where") if isinstance(tree, exp.Select) else None
    if where is not None:
        cond = where.this.this if isinstance(where.this, exp.Paren) else where.this
        conjuncts = list(cond.flatten()) if isinstance(cond, exp.And) else [cond]
        ordered = [c for c in conjuncts if not _has_slice(c)] + [c for c in conjuncts if _has_slice(c)]
        if [id(c) for c in ordered] != [id(c) for c in conjuncts]:
            where.set("this", exp.Paren(this=exp.and_(*ordered, copy=False)))
    if _after_slice_unnamed(tree.sql(dialect="sqlite")):
        tree = _limits_first(tree)
    if _after_slice_unnamed(tree.sql(dialect="sqlite")):
        raise Untranslatable("SLICE_ORDER", "a parameter comes after an `__in` list (in LIMIT/OFFSET, HAVING, a "
                             "subquery or another OR branch): sqlc's SQLite code would bind a list item to it")
    return tree


def _limits_first(tree: exp.Expression) -> exp.Expression:
    """LIMIT / OFFSET parameters (a slice ``[offset:offset + size]``) come after every WHERE list, and sqlc numbers
    them after it too. Named first in the WHERE by a condition that is always true,
    ``(CAST(sqlc.arg(size) AS INTEGER) IS NULL OR 1 = 1) AND (...)``, they take the first numbers and LIMIT
    reuses them (``LIMIT ?1``): the same rows, with no list item bound in their place."""
    if not isinstance(tree, exp.Select) or tree.args.get("where") is None:
        return tree
    named = []
    for key in ("limit", "offset"):
        clause = tree.args.get(key)
        value = clause.args.get("expression") if clause is not None else None
        if isinstance(value, exp.Var) and re.fullmatch(r"sqlc\.arg\(\w+\)", str(value.this)):
            named.append(exp.Is(this=exp.Cast(this=value.copy(), to=exp.DataType.build("INTEGER")), expression=exp.Null()))
    if named:
        always = exp.Paren(this=exp.or_(*named, exp.EQ(this=exp.Literal.number(1), expression=exp.Literal.number(1))))
        where = tree.args["where"]
        where.set("this", exp.and_(always, exp.Paren(this=where.this), copy=False))
    return tree


def _after_slice_unnamed(text: str) -> bool:
    """Whether a parameter written after the first list is not also written before it (sqlc numbers a name once)."""
    first = text.find("sqlc.slice(")
    before = set(re.findall(r"sqlc\.n?arg\((\w+)\)", text[:first]))
    return any(n not in before for n in re.findall(r"sqlc\.n?arg\((\w+)\)", text[first:]))


def _ascii_literals(tree: exp.Expression) -> exp.Expression:
    """sqlc's SQLite parser counts characters where Go counts bytes: a non-ASCII character shifts its edits
    (sqlc.arg -> ?1) of that query and of every later one in the file, silently. A string literal with one is
    written as the bytes of its UTF-8 text, ``CAST(X'636166C3A9' AS TEXT)`` for ``'café'`` (Django's SQLite
    databases are UTF-8): the same value, in ASCII."""
    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Literal) and node.is_string and not str(node.this).isascii():
            return exp.Cast(this=exp.Var(this=f"X'{str(node.this).encode().hex().upper()}'"),
                            to=exp.DataType.build("TEXT"))
        return node
    return tree.transform(fix, copy=False)


def _first_non_ascii(text: str) -> str:
    at = next(i for i, ch in enumerate(text) if not ch.isascii())
    return f"near `{text[max(0, at - 30):at + 10]}`"


def _rigid_outer_columns(tree: exp.Expression, rigid: frozenset) -> list[str]:
    """Columns of a LEFT-joined table the SELECT list reads (outside an aggregate) whose Go type cannot
    hold NULL. sqlc types the other LEFT-joined columns nullable (sql.NullString, pgtype.Text), but a
    column override (decimal.Decimal, djtypes.DateTime of a NOT NULL field) applies as it is, and a table
    joined under an alias (Django's T2 when it joins a table twice: a parent of the same model) keeps
    sqlc's NOT NULL types (query parity found an int64 id scanned from NULL)."""
    select = tree if isinstance(tree, exp.Select) else tree.find(exp.Select)
    if select is None:
        return []
    outer = {(j.this.alias_or_name or "").lower(): j.this.name for j in select.args.get("joins") or []
             if (j.side or "").upper() == "LEFT"}
    found = []
    for e in select.expressions:
        for col in e.find_all(exp.Column):
            table = outer.get(col.table.lower())
            aliased = table is not None and col.table.lower() != table.lower()
            if table and (aliased or (table, col.name) in rigid) and \
                    col.find_ancestor(exp.AggFunc, exp.Filter, exp.Window) is None:
                found.append(f"{table}.{col.name}")
    return found


def _native_postgres(tree: exp.Expression) -> exp.Expression:
    """Work around sqlc's PostgreSQL type inference where it disagrees with what the query returns.

    sqlc types SUM/AVG/MIN/MAX as NOT NULL (and SUM(numeric) as an integer), but over no rows they are
    NULL, which Django returns as None: wrapped in COALESCE(x, NULL) they come back as an untyped,
    nullable value. A parameter compared with CAST(... AS DATE) is cast to DATE so sqlc types it as a date, one
    compared with EXTRACT(...) to BIGINT.
    """
    select = tree if isinstance(tree, exp.Select) else tree.find(exp.Select)
    if select is not None:
        for e in select.expressions:
            inner = e.this if isinstance(e, exp.Alias) else e
            if isinstance(inner, (exp.Sum, exp.Avg, exp.Min, exp.Max)):
                inner.replace(exp.Coalesce(this=inner.copy(), expressions=[exp.Null()]))

    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, (exp.EQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NEQ)):
            left, right = node.this, node.expression
            if isinstance(left, exp.Cast) and left.to.this == exp.DataType.Type.DATE and isinstance(right, exp.Placeholder):
                node.set("expression", exp.Cast(this=right.copy(), to=exp.DataType.build("DATE")))
            elif left.find(exp.Extract) is not None and isinstance(right, exp.Placeholder):
                # created__month=m: a number (sqlc would type it text)
                node.set("expression", exp.Cast(this=right.copy(), to=exp.DataType.build("BIGINT")))
        return node
    return tree.transform(fix, copy=False)


# Django's date-part extraction on SQLite (django_date_extract / django_datetime_extract, in UTC), in SQLite's
# own strftime over the text Django stores: {lookup: (strftime format, SQL around the integer)}
_SQLITE_PARTS = {"year": ("%Y", "{}"), "month": ("%m", "{}"), "day": ("%d", "{}"), "hour": ("%H", "{}"),
                 "minute": ("%M", "{}"), "second": ("%S", "{}"), "week_day": ("%w", "({} + 1)"),
                 "iso_week_day": ("%w", "((({} + 6) % 7) + 1)"), "quarter": ("%m", "(({} + 2) / 3)")}


def _sqlite_date_part(fname: str, args: list) -> Optional[exp.Expression]:
    if fname not in ("django_date_extract", "django_datetime_extract") or len(args) < 2 or not isinstance(
            args[0], exp.Literal) or args[0].this not in _SQLITE_PARTS:
        return None
    fmt, around = _SQLITE_PARTS[args[0].this]
    number = f"CAST(strftime('{fmt}', {args[1].sql(dialect='sqlite')}) AS INTEGER)"
    return exp.Paren(this=exp.Var(this=around.format(number)))


def _native_sqlite(tree: exp.Expression) -> exp.Expression:
    """Django's SQLite backend calls Python functions it registers per connection; Go has none.

    Also works around two gaps of sqlc's SQLite engine: parameters inside BETWEEN are not seen (so
    BETWEEN becomes >= AND <=), and a parameter compared with date(column) is typed as the column
    (a datetime), so it is cast to TEXT, the form date() returns.
    """
    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Escape) and isinstance(node.this, exp.Like) and isinstance(
                node.this.expression, exp.Literal) and "\\" not in node.this.expression.this:
            return node.this  # a literal pattern with no escapes: ESCAPE changes nothing (and sqlc rejects it)
        if isinstance(node, exp.Escape) and not isinstance(node.parent, exp.Paren):
            return exp.Paren(this=node.copy())  # sqlc's SQLite parser needs LIKE ... ESCAPE in parentheses after OR
        if isinstance(node, exp.Between):
            return exp.Paren(this=exp.And(this=exp.GTE(this=node.this.copy(), expression=node.args["low"].copy()),
                                          expression=exp.LTE(this=node.this.copy(), expression=node.args["high"].copy())))
        if isinstance(node, (exp.EQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NEQ)):
            left, right = node.this, node.expression
            if isinstance(left, exp.Date) or (isinstance(left, exp.Anonymous) and str(left.this).lower() in (
                    "date", "django_datetime_cast_date")):
                if isinstance(right, exp.Placeholder):
                    node.set("expression", exp.Cast(this=right.copy(), to=exp.DataType.build("TEXT")))
            if isinstance(left, exp.Anonymous) and str(left.this).lower() in (
                    "django_date_extract", "django_datetime_extract") and isinstance(right, exp.Placeholder):
                # a date part is a number: sqlc would type the parameter as the column inside strftime()
                node.set("expression", exp.Cast(this=right.copy(), to=exp.DataType.build("INTEGER")))
            return node
        if isinstance(node, exp.Anonymous) and str(node.this).lower().startswith("django_"):
            fname = str(node.this).lower()
            args = node.expressions
            tz = [a for a in args[1:] if isinstance(a, exp.Literal)]
            if any(t.this not in ("UTC",) for t in tz):
                raise Untranslatable("TIME_ZONE", f"{fname} with a non-UTC time zone")
            if fname == "django_datetime_cast_date":
                return exp.Anonymous(this="date", expressions=[args[0]])
            part = _sqlite_date_part(fname, args)
            if part is not None:
                return part
            raise Untranslatable("SQLITE_DJANGO_FUNCTION", f"{fname}() exists only inside Django's SQLite connection")
        return node
    return tree.transform(fix, copy=False)


def query_name(site: dict, namer: Namer) -> str:
    terminal = next((c["method"] for c in reversed(site["chain"]) if c["method"] not in ("iter", "[]")), "all")
    model = site["model"].split(".")[-1]
    fn = site["function"].split(".")[-1]
    return namer.take(pascal(fn) + pascal(model) + pascal(terminal if terminal != "iter" else "list"))


_LAST: list = []  # (inputs, result) of the last call: the sqlc and http targets both ask for it


def translate_project(project, compiled: list[dict], dialects, user_types=None):
    """Every static/conditional site of the project to queries, per dialect.

    Returns (queries per dialect, skipped per dialect as (site id, reason, detail), query name per site).
    The result of the last call is kept: generate asks once per target for the same inputs.
    """
    key = (project, compiled, tuple(dialects))
    if _LAST and all(a is b for a, b in zip(_LAST[0], key)):
        return _LAST[1]
    result = _translate_project(project, compiled, dialects, user_types)
    _LAST[:] = [key, result]
    return result


def _translate_project(project, compiled: list[dict], dialects, user_types=None):
    from ..ir import to_dict
    from .gorm import GormTranslator

    sites = {s.id: to_dict(s) for s in project.querysets}
    structs = GormTranslator(project, user_types or {}).struct_names
    by_key = {(c["site"], c["dialect"]): c for c in compiled}
    namer = Namer()
    names = {sid: query_name(s, namer) for sid, s in sites.items() if s["kind"] in ("static", "conditional")}
    def one_dialect(dialect: str) -> tuple[list[Query], list[tuple[str, str, str]]]:
        hints = Hints.of(project, dialect)
        queries: list[Query] = []
        skipped: list[tuple[str, str, str]] = []
        for sid, name in names.items():
            c = by_key.get((sid, dialect))
            if c is None:
                skipped.append((sid, "NOT_COMPILED", "the Django compile step did not run"))
                continue
            if "reason" in c:
                skipped.append((sid, c["reason"], c.get("error", "")))
                continue
            try:
                qs = translate_all(c, sites[sid], dialect, hints)
            except Untranslatable as exc:
                skipped.append((sid, exc.code, str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001 - sqlglot could not rewrite Django's SQL
                skipped.append((sid, "REWRITE_FAILED", f"{type(exc).__name__}: {exc}"))
                continue
            suffixes = Namer()
            for q in qs:
                q.name = name + (suffixes.take(pascal(q.part.split()[1])) if q.part else "")
                if q.note == "" and qs[0].note:
                    q.note = qs[0].note
                if not q.part and c.get("result") == "delete_ids":
                    q.name = name + "IDs"
                    q.note = (f"delete(): the rows to delete; then models.Delete{structs.get(sites[sid]['model'], '')}"
                              "(db, ids...) deletes them with Django's on_delete")
                queries.append(q)
        return queries, skipped

    results = in_parallel(one_dialect, list(dialects), work=len(names))
    return ({d: r[0] for d, r in zip(dialects, results)}, {d: r[1] for d, r in zip(dialects, results)}, names)
