"""Compiled QuerySet SQL -> sqlc queries: placeholders traced back to source arguments, rewritten with sqlglot.

Input: what the loader's compile step captured per site and dialect (Django's SQL, its bound
parameters, and the sentinels that stood for runtime arguments). Each bound parameter is either a
sentinel (possibly transformed by Django in Python: a LIKE pattern, year bounds) and becomes a
``sqlc.arg``/``sqlc.narg``/list parameter, or a constant of the chain and is inlined as a literal.
Conditional refinements become ``(sqlc.narg(x) IS NULL OR <condition>)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

import sqlglot
from sqlglot import exp

from ..dialects import DIALECTS
from ..parallel import in_parallel
from . import sqlc_distinct, sqlc_dtdelta, sqlc_having, sqlc_nulls
from .naming import Namer, pascal
from .sqlc_match import _decode, _literal, _source_constants, _text, _write_columns, match  # noqa: F401
from .sqlc_model import ARRAY_TYPES, REASONS, SQL_WORDS, Param, Query, Untranslatable, param_name  # noqa: F401
from .sqlc_params import Match, Placeholders, numbered
from .sqlc_rewrite import (_ascii_literals, _first_non_ascii, _native_postgres, _native_sqlite,  # noqa: F401
                           _mysql_lower_aliases, _mysql_not, _mysql_positional_limit, _mysql_regexp, _rigid_outer_columns,
                           _slices_last, _sqlc_macros)

if TYPE_CHECKING:
    from ..ir import Project
    from ..plan import Plan

READ = {d.name: d.sqlglot for d in DIALECTS.values()}
# per dialect, the rewrite where sqlc's type inference or parser disagrees with Django's SQL
NATIVE = {"sqlite": _native_sqlite, "postgresql": _native_postgres, "mysql": lambda tree: tree}
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
    if dialect == "postgresql":  # numeric, interval, date: sqlc.yaml's db_type overrides give these Go types,
        for name in BY_DB_TYPE:  # a pointer where sqlc types the column nullable (a LEFT OUTER JOIN included)
            special.pop(name)
    labels = {x.label for x in project.models}
    for m in sorted(project.models, key=lambda m: m.label):
        if m.kind != "concrete":
            continue
        for f in m.fields:
            if f.internal_type in special and f.column and f.inherited_from not in labels:
                imp, typ = special[f.internal_type]
                out.append({"column": f"{m.db_table}.{f.column}", "import": imp, "type": typ, "pointer": f.null})
    return out


# Django fields whose PostgreSQL column type has db_type overrides in sqlc.yaml (templates/sqlc/sqlc.yaml.j2):
# value and pointer alike, so no column override (which would stay a value under a LEFT OUTER JOIN) is needed
BY_DB_TYPE = ("DecimalField", "DurationField", "DateField")


@dataclass(frozen=True)
class Hints:
    """What translation needs to know of the project's fields for sqlc's typing."""
    nullable: frozenset = frozenset()  # app.Model.field labels of nullable fields
    rigid: frozenset = frozenset()  # (table, column): a Go type override that cannot hold NULL, this dialect
    rigid_types: tuple = ()  # ((table, column), Go type) of those: read through a cast on SQLite (sqlc_nulls)
    datetimes: frozenset = frozenset()  # (table, column) of DateTimeFields: F(col) + a duration (sqlc_dtdelta)
    stamped: frozenset = frozenset()  # app.Model.field labels of auto_now / auto_now_add fields (save() sets them)

    @classmethod
    def of(cls, project, dialect: str) -> "Hints":
        return cls(nullable=frozenset(f"{m.label}.{f.name}" for m in project.models for f in m.fields if f.null),
                   rigid=frozenset(tuple(o["column"].split(".", 1)) for o in go_overrides(project, dialect, "")
                                   if not o["pointer"]),
                   rigid_types=tuple((tuple(o["column"].split(".", 1)), o["type"])
                                     for o in go_overrides(project, dialect, "") if not o["pointer"]),
                   datetimes=frozenset((m.db_table, f.column) for m in project.models if m.kind == "concrete"
                                       for f in m.fields if f.internal_type == "DateTimeField" and f.column),
                   stamped=frozenset(f"{m.label}.{f.name}" for m in project.models for f in m.fields
                                     if f.auto_now or f.auto_now_add))


def translate_all(compiled: dict, site: dict, dialect: str, hints: Hints = Hints()) -> list[Query]:
    """One query per statement Django runs for the site (get_or_create runs a SELECT, then an INSERT).

    ``hints``: the project's nullable fields (how an optional filter is written on SQLite, see
    ``sqlc_params.typed_first``) and the columns whose Go type cannot be NULL (LEFT_JOIN_NULLS)."""
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
            one["command"] = "many" if compiled.get("command") == "many" or stmt.get("rows") == "many" else "one"
        elif stmt["kind"] == "insert":
            one["command"] = "one" if " RETURNING " in sql else "exec"
        else:
            one["command"] = "execrows"
        one["sentinels"] = [s for s in compiled["sentinels"] if _appears(s, stmt, dialect) or _inlined_bool(s, i, compiled)]
        q = translate(one, site, dialect, hints)
        q.part = f"{i + 1}/{len(statements)} {stmt['kind']}"
        out.append(q)
    return out


def _inlined_bool(sentinel: dict, i: int, compiled: dict) -> bool:
    """A runtime boolean Django may have written into statement ``i`` itself (``"is_viewed"`` / ``NOT ...``, no
    placeholder): kept for ``translate`` to find it there (or refuse), unless compiling it False gave the same
    statement. Dropped, the statement froze the sentinel's True (django-nyt's prefetched notifications)."""
    if not (isinstance(sentinel["value"], bool) or sentinel["kind"] == "bool"):
        return False
    flips = (compiled.get("flipped_each") or {}).get(sentinel["name"]) or compiled.get("flipped")
    return not (flips and len(flips) == len(compiled["statements"]) and flips[i] == compiled["statements"][i])


def _appears(sentinel: dict, stmt: dict, dialect: str) -> bool:
    return any(match(p, [sentinel], dialect) for p in stmt["params"]) or (
        sentinel["kind"] == "int" and re.search(rf"\b{sentinel['value']}\b", stmt["sql"]) is not None)


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
        writes = _write_columns(sql)
        # a value Django computes while saving (auto_now, default=timezone.now) differs between the two compiles
        # too: a written column's, not the boolean's (it becomes a parameter of its column: _matches)
        changed = {i for i, (a, b) in enumerate(zip(params, other_params))
                   if a != b and not (writes[i] and not isinstance(params[i], (bool, int)))}
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


def _matches(compiled: dict, site: dict, dialect: str, stamped: frozenset = frozenset()
             ) -> tuple[str, list, list[Match], list[dict]]:
    """Django's SQL and bound values of the site's statement, each value matched to the sentinel it came from
    (or None: a constant of the chain), and the sentinels that are LIMIT/OFFSET bounds. A sentinel that reaches
    the SQL nowhere is PARAMETER_NOT_FOUND, except the value of an auto_now / auto_now_add field (``stamped``)
    in a write: save() replaced it with the time (helpdesk's ``Ticket.objects.create(created=now)``), and the
    column is the parameter Django computed, as it is without the argument."""
    stmt = compiled["statements"][0]
    sql, params, sentinels = stmt["sql"], stmt["params"], compiled["sentinels"]
    bools = [s for s in sentinels if isinstance(s["value"], bool) or s["kind"] == "bool"]
    forced: dict[int, dict] = {}
    if bools:
        flips = compiled.get("flipped_each") or ({bools[0]["name"]: compiled.get("flipped")} if len(bools) == 1 else {})
        sql, params, forced = _bool_placeholders(stmt, flips, bools)
    matches: list[Match] = [
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
        if id(s) not in used and s not in limits and not (s.get("field") in stamped and any(_write_columns(sql))):
            raise Untranslatable("PARAMETER_NOT_FOUND", f"`{s['source']}` does not reach the SQL as a parameter "
                                 "(Django inlined or transformed it)")
    return sql, params, matches, limits


def _for_dialect(tree: exp.Expression, by_name: dict[str, Param], dialect: str, hints: Hints) -> exp.Expression:
    """The rewrites where sqlc's engine for ``dialect`` disagrees with Django's SQL; the sqlc macros in place."""
    if dialect == "sqlite":
        tree = sqlc_having.lift(tree, hints.datetimes)  # sqlc's SQLite engine does not see a parameter in HAVING
    tree = NATIVE[dialect](tree)
    tree = sqlc_nulls.self_alias(tree)  # a table joined twice: each column typed by its own join (every engine)
    extra: list[Param] = []
    tree = _sqlc_macros(tree, by_name, dialect, extra)
    if dialect == "sqlite":
        tree = _ascii_literals(_slices_last(tree))
    if dialect == "mysql":
        tree = _mysql_lower_aliases(_mysql_not(_mysql_regexp(tree)))
    if tree.find(exp.Placeholder) is not None:
        raise Untranslatable("PLACEHOLDER_LEFT", f"a placeholder was not translated: {tree.sql()[:200]}")
    for p in extra:
        by_name.setdefault(p.name, p)
    return tree


def _checked_text(tree: exp.Expression, django_sql: str, dialect: str, hints: Hints, keep: int = 0) -> str:
    """The query's SQL, or Untranslatable where sqlc would mis-read it or its Go types could not hold a row.
    ``keep``: a DISTINCT whose rows keep only their first columns (``sqlc_distinct``)."""
    text = tree.sql(dialect=READ[dialect], copy=False)
    if dialect == "sqlite" and not text.isascii():
        raise Untranslatable("NON_ASCII", "a non-ASCII name in the SQL: sqlc's SQLite parser mis-edits it and "
                             f"every later query of the file ({_first_non_ascii(text)})")
    if dialect == "sqlite" and "LEFT OUTER JOIN" in django_sql:
        tree = sqlc_nulls.nullable_outer(tree, dict(hints.rigid_types))
        text = tree.sql(dialect=READ[dialect], copy=False)
    rigid = _rigid_outer_columns(tree, hints.rigid) if "LEFT OUTER JOIN" in django_sql else []
    if rigid:
        raise Untranslatable("LEFT_JOIN_NULLS", f"{', '.join(rigid[:3])}: columns of a LEFT OUTER JOIN (select_related "
                             "over a nullable relation) whose Go type cannot be NULL (a NOT NULL field's type, or "
                             "a table joined under an alias), and they are NULL when the relation is empty")
    if keep:
        tree = sqlc_distinct.keep_columns(tree, keep)
        text = tree.sql(dialect=READ[dialect], copy=False)
    return text


def translate(compiled: dict, site: dict, dialect: str, hints: Hints = Hints()) -> Query:
    """One statement Django compiled for ``site`` -> the sqlc query (or Untranslatable with its reason code)."""
    sql, params, matches, limits = _matches(compiled, site, dialect, hints.stamped)
    tree = sqlglot.parse_one(numbered(sql, len(params)), read=READ[dialect])
    holders = Placeholders(params, matches, limits)
    holders.mark_like_exact(tree)
    holders.wrap_optional(tree, dialect, hints.nullable)
    tree = tree.transform(holders.rewrite, copy=False)
    if dialect == "sqlite":
        tree = sqlc_dtdelta.rewrite(tree, hints.datetimes)
    tree = _for_dialect(tree, holders.by_name, dialect, hints)
    text = _checked_text(tree, sql, dialect, hints, compiled["statements"][0].get("columns", 0))
    command = compiled["command"]
    if dialect == "mysql" and " RETURNING " in text.upper() and isinstance(tree, exp.Insert):
        tree.set("returning", None)  # sqlc's MySQL engine has no RETURNING: the new primary key is LAST_INSERT_ID()
        text, command = tree.sql(dialect=READ[dialect], copy=False), "execlastid"
    params = list(holders.by_name.values())
    if dialect == "mysql":
        text, params = _mysql_positional_limit(text, params)
    raised = compiled.get("raised", ())
    return Query(name="", site=compiled["site"], function=site["function"], model=site["model"], dialect=dialect,
                 command=command, sql=text, params=params,
                 result=compiled.get("result", "rows"), django_sql=sql, get=_is_get(command, tree, sql),
                 raised=tuple(r["condition"] for r in raised),
                 note="; ".join(f"without the filter under `if {r['condition']}` (line {r['line']}), which Django "
                                f"refuses ({r['error']})" for r in raised))


def _is_get(command: str, tree: exp.Expression, django_sql: str) -> bool:
    """Django's get() (and get_or_create's SELECT) reads up to MAX_GET_RESULTS = 21 rows and raises
    MultipleObjectsReturned on two or more: a ``:one`` query would return the first row silently. update_or_create
    reads with ``select_for_update().get()``: on PostgreSQL and MySQL its LIMIT 21 is followed by the lock clause."""
    return command == "one" and isinstance(tree, exp.Select) and GET_LIMIT.search(django_sql) is not None


# Django's get(): LIMIT MAX_GET_RESULTS last, or before select_for_update's FOR UPDATE [OF ...] [NOWAIT | SKIP LOCKED]
GET_LIMIT = re.compile(r"\bLIMIT 21(?:\s+FOR\s+(?:NO\s+KEY\s+)?UPDATE\b[^()]*)?\s*$")


def query_name(site: dict, namer: Namer) -> str:
    terminal = next((c["method"] for c in reversed(site["chain"]) if c["method"] not in ("iter", "[]")), "all")
    model = site["model"].split(".")[-1]
    fn = site["function"].split(".")[-1]
    return namer.take(pascal(fn) + pascal(model) + pascal(terminal if terminal != "iter" else "list"))


def translate_project(project, compiled: list[dict], dialects, user_types=None, structs=None) -> "Plan":
    """Every static/conditional site of the project to queries, per dialect: the sqlc part of the Plan
    (queries per dialect, the sites left out as (site id, reason, detail), the query name of every site)."""
    from ..plan import Plan

    queries, skipped, names = _translate_project(project, compiled, tuple(dialects), user_types, structs)
    return Plan(dialects=tuple(dialects), queries=queries, skipped=skipped, names=names)


def _translate_project(project, compiled: list[dict], dialects, user_types=None, structs=None):
    """``structs``: model label -> GORM struct name (from translate_models; computed when not given)."""
    from ..ir import to_dict
    from .gorm import GormTranslator
    from .presave import converting_fields, pre_save_columns, write_refusal

    sites = {s.id: to_dict(s) for s in project.querysets}
    structs = structs if structs is not None else GormTranslator(project, user_types or {}).struct_names
    by_key = {(c["site"], c["dialect"]): c for c in compiled}
    pre_saved, converting = pre_save_columns(project.models), converting_fields(project.models, user_types)
    namer = Namer()
    names = {sid: query_name(s, namer) for sid, s in sites.items() if s["kind"] in ("static", "conditional")}
    def one_dialect(dialect: str) -> tuple[list[Query], list[tuple[str, str, str]]]:
        from .sqlc_cache import TranslationCache

        hints = Hints.of(project, dialect)
        cache = TranslationCache(dialect, hints)  # only the sites whose compile or IR changed are translated
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
            if why := write_refusal(c, sites[sid], pre_saved, converting):
                skipped.append((sid, *why))
                continue
            qs, skip = cache.translate(c, sites[sid], lambda c, site: translate_all(c, site, dialect, hints))
            if skip is not None:
                skipped.append((sid, *skip))
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
        cache.save()
        return queries, skipped

    results = in_parallel(one_dialect, list(dialects), work=len(names))
    return ({d: r[0] for d, r in zip(dialects, results)}, {d: r[1] for d, r in zip(dialects, results)}, names)
