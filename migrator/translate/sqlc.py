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
from typing import Any, Optional

import sqlglot
from sqlglot import exp

from .naming import Namer, pascal, snake

READ = {"sqlite": "sqlite", "postgresql": "postgres"}
# Parameter names sqlc's parsers read as SQL keywords or functions: renamed with a suffix.
SQL_WORDS = {"all", "and", "any", "as", "asc", "between", "case", "cast", "check", "column", "current_date",
             "current_time", "current_timestamp", "current_user", "default", "desc", "distinct", "do", "else",
             "end", "except", "false", "from", "group", "having", "in", "is", "limit", "not", "null", "offset",
             "on", "or", "order", "session_user", "select", "table", "then", "to", "true", "union", "user",
             "using", "when", "where", "window", "with", "key", "value", "values", "date", "time", "year"}


def param_name(raw: str) -> str:
    name = snake(raw) or "arg"
    return name + "_value" if name in SQL_WORDS else name
ARRAY_TYPES = {"int": "bigint", "str": "text", "uuid": "uuid", "decimal": "numeric", "date": "date",
               "datetime": "timestamptz", "float": "double precision", "bool": "boolean"}


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
        if k in ("decimal", "date", "datetime", "uuid", "duration", "json", "repr"):
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
    if kind == "date":
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


def translate(compiled: dict, site: dict, dialect: str) -> Query:
    stmt = compiled["statements"][0]
    sql, params, sentinels = stmt["sql"], stmt["params"], compiled["sentinels"]
    if any(isinstance(s["value"], bool) or s["kind"] == "bool" for s in sentinels):
        raise Untranslatable("BOOL_PARAMETER", "a runtime boolean argument cannot be traced to its placeholder yet")
    matches: list[Optional[tuple[dict, str]]] = [match(p, sentinels, dialect) for p in params]
    # INSERT / UPDATE: a value Django computed while compiling (auto_now, a callable default) must not be
    # frozen into the SQL: it becomes a parameter named after its column, unless the source wrote it literally.
    literals = {repr(_decode(a.get("value"))) for c in site["chain"] for a in c["args"] if a["kind"] == "literal"}
    for i, col in enumerate(_write_columns(sql)):
        if col and matches[i] is None and repr(_decode(params[i])) not in literals:
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

    def param_for(i: int) -> exp.Expression:
        m = matches[i]
        if m is None:
            return _literal(params[i])
        s, transform = m
        if transform == "" and s["is_list"]:
            transform = ""
        key = s["name"] + ("" if not transform.startswith("year") else "_" + transform.split("_")[1])
        name = param_name(key)
        if transform.startswith("like") or transform == "":
            pass
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
                name = param_name(bound["name"])
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
    for name, ph in original_placeholders.items():
        i = int(name[1:])
        m = matches[i]
        if m is None or not m[0]["optional"]:
            continue
        pred = ph
        while pred.parent is not None and not isinstance(pred.parent, (exp.And, exp.Or, exp.Where, exp.Paren, exp.Not)):
            pred = pred.parent
        if getattr(pred, "_migrator_wrapped", False):
            continue
        pname = param_name(m[0]["name"] + ("" if not m[1].startswith("year") else "_" + m[1].split("_")[1]))
        wrapped = exp.Paren(this=exp.Or(this=exp.Is(this=exp.Placeholder(this=f"n_{pname}"), expression=exp.Null()),
                                        expression=pred.copy()))
        wrapped._migrator_wrapped = True
        pred.replace(wrapped)
    tree = tree.transform(rewrite)
    tree = _native_sqlite(tree) if dialect == "sqlite" else tree
    text = tree.sql(dialect=READ[dialect])
    text = re.sub(r"%\(([qn]_\w+)\)s", r":\1", text)  # sqlglot writes postgres placeholders as %(name)s
    for name, p in by_name.items():
        fn = "sqlc.narg" if p.optional else "sqlc.arg"
        arg = f"{fn}({name})"
        if p.is_list:
            if dialect == "postgresql":
                arg = f"{fn}({name})::{ARRAY_TYPES.get(p.kind, 'text')}[]"
                text = re.sub(rf"IN \(:q_{name}\)", f"= ANY({arg})", text)
            elif p.optional:
                raise Untranslatable("OPTIONAL_LIST", "an optional __in list (sqlc.slice cannot be NULL on SQLite)")
            else:
                text = re.sub(rf"IN \(:q_{name}\)", f"IN (sqlc.slice({name}))", text)
        null_check = arg
        if dialect == "postgresql" and p.optional and not p.is_list:
            cast = "timestamptz" if p.transform.startswith("year") else ARRAY_TYPES.get(p.kind, "text")
            null_check = f"{arg}::{cast}"  # PostgreSQL must know the type of `$n IS NULL`
        text = text.replace(f":q_{name}", arg).replace(f":n_{name}", null_check)
    if re.search(r":[pqn]_?\w", text.replace("::", "")):
        raise Untranslatable("PLACEHOLDER_LEFT", f"a placeholder was not translated: {text[:200]}")
    if "LEFT OUTER JOIN" in sql and compiled.get("result") != "scalar":
        raise Untranslatable("LEFT_JOIN_NULLS", "select_related over a nullable relation: sqlc types the joined "
                             "columns NOT NULL, and they are NULL when the relation is empty")
    command = compiled["command"]
    return Query(name="", site=compiled["site"], function=site["function"], model=site["model"], dialect=dialect,
                 command=command, sql=text, params=list(by_name.values()), result=compiled.get("result", "rows"),
                 django_sql=sql)


def _native_sqlite(tree: exp.Expression) -> exp.Expression:
    """Django's SQLite backend calls Python functions it registers per connection; Go has none.

    Also works around two gaps of sqlc's SQLite engine: parameters inside BETWEEN are not seen (so
    BETWEEN becomes >= AND <=), and a parameter compared with date(column) is typed as the column
    (a datetime), so it is cast to TEXT, the form date() returns.
    """
    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Between):
            return exp.Paren(this=exp.And(this=exp.GTE(this=node.this.copy(), expression=node.args["low"].copy()),
                                          expression=exp.LTE(this=node.this.copy(), expression=node.args["high"].copy())))
        if isinstance(node, (exp.EQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NEQ)):
            left, right = node.this, node.expression
            if isinstance(left, exp.Date) or (isinstance(left, exp.Anonymous) and str(left.this).lower() in (
                    "date", "django_datetime_cast_date")):
                if isinstance(right, exp.Placeholder):
                    node.set("expression", exp.Cast(this=right.copy(), to=exp.DataType.build("TEXT")))
            return node
        if isinstance(node, exp.Anonymous) and str(node.this).lower().startswith("django_"):
            fname = str(node.this).lower()
            args = node.expressions
            tz = [a for a in args[1:] if isinstance(a, exp.Literal)]
            if any(t.this not in ("UTC",) for t in tz):
                raise Untranslatable("TIME_ZONE", f"{fname} with a non-UTC time zone")
            if fname == "django_datetime_cast_date":
                return exp.Anonymous(this="date", expressions=[args[0]])
            raise Untranslatable("SQLITE_DJANGO_FUNCTION", f"{fname}() exists only inside Django's SQLite connection")
        return node
    return tree.transform(fix)


def query_name(site: dict, namer: Namer) -> str:
    terminal = next((c["method"] for c in reversed(site["chain"]) if c["method"] not in ("iter", "[]")), "all")
    model = site["model"].split(".")[-1]
    fn = site["function"].split(".")[-1]
    return namer.take(pascal(fn) + pascal(model) + pascal(terminal if terminal != "iter" else "list"))
