"""Systematic mutants of one generated SQL statement (the text inside the tree's Go code).

Each operator below is a small, plausible translation bug; applied everywhere it fits, it gives the
mutants of a statement: comparison operators flipped or shifted by one (`>=` -> `>` and `<`), literal
bounds moved by one unit, conjuncts of a WHERE / ON / HAVING neutralised (`(x OR 1 = 1)`), disjuncts
dropped (`(x AND 1 = 0)`), `IS NULL` <-> `IS NOT NULL`, a `NOT` removed, LIMIT / OFFSET +-1, ORDER BY
direction flipped, a selected column swapped with another of the same table and type. Quoted text,
identifiers and comments (`/*SLICE:ids*/?`) are never touched.

Pure text in, text out: no Django, no Go; `migrator.parity.mutation` decides which to run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import equivalence as proof
from ..equivalence import code_mask


@dataclass(frozen=True)
class SqlMutant:
    kind: str  # operator | bound | dropped-condition | null | limit | order | wrong-column | boolean | between
    # | insert-column
    what: str  # the change, as a user reads it: `>=` -> `>` at `"orders_order"."total" >= ?1`
    sql: str  # the mutated statement
    equivalent: str = ""  # proof that no data can tell it apart ("" when it can be killed)


def _code_matches(pattern: re.Pattern, sql: str, mask: list[bool]):
    return [m for m in pattern.finditer(sql) if mask[m.start()] and mask[m.end() - 1]]


_CMP = re.compile(r"(?<![<>!=:@\-|#])(>=|<=|<>|!=|=|<|>)(?![=>@])")
_FLIPS = {"=": ("<>",), "<>": ("=",), "!=": ("=",), "<": ("<=", ">="), "<=": ("<", ">"),
          ">": (">=", "<="), ">=": (">", "<")}
_SET = re.compile(r"\bSET\b(.*?)(\bWHERE\b|\bRETURNING\b|$)", re.S | re.I)
_NUM = re.compile(r"'?(-?\d+(?:\.\d+)?)'?")


def _context(sql: str, start: int, end: int) -> str:
    a, b = max(0, start - 40), min(len(sql), end + 30)
    return " ".join(sql[a:b].split())


def _replace(sql: str, start: int, end: int, new: str) -> str:
    return sql[:start] + new + sql[end:]


def operators(sql: str, mask: list[bool]) -> list[SqlMutant]:
    assignments = [(m.start(1), m.end(1)) for m in _SET.finditer(sql)]
    out = []
    for m in _code_matches(_CMP, sql, mask):
        if any(a <= m.start() < b for a, b in assignments) and m.group(1) == "=":
            # `SET "x" = ...`: an assignment, not a comparison (a WHERE inside a sub-select is rare here)
            continue
        for new in _FLIPS[m.group(1)]:
            out.append(SqlMutant("operator", f"`{m.group(1)}` -> `{new}` at `{_context(sql, m.start(), m.end())}`",
                                 _replace(sql, m.start(), m.end(), new)))
    return out


def _shifted(text: str, delta: int) -> str:
    if "." in text:
        places = len(text.split(".")[1])
        unit = 10 ** -places
        return f"{float(text) + delta * unit:.{places}f}"
    return str(int(text) + delta)


def bounds(sql: str, mask: list[bool], pks: frozenset = frozenset()) -> list[SqlMutant]:
    """A number compared with a column moved by one unit of its last digit, both ways."""
    out = []
    for m in _code_matches(_CMP, sql, mask):
        if m.group(1) in ("=", "<>", "!="):
            continue
        rest = sql[m.end():]
        lit = re.match(r"\s*" + _NUM.pattern, rest)
        if not lit:
            continue
        s, e = m.end() + lit.start(1), m.end() + lit.end(1)
        if sql[s - 1:s] != "'" and not mask[s]:
            continue
        for delta in (1, -1):
            new = _shifted(lit.group(1), delta)
            equivalent = ("." not in new and proof.group_count(sql, mask, m.start(), pks, int(lit.group(1)), int(new))
                          if sql[s - 1:s] != "'" else "")
            out.append(SqlMutant("bound", f"bound {lit.group(1)} -> {new} at `{_context(sql, m.start(), e)}`",
                                 _replace(sql, s, e, new), equivalent))
    return out


_PARAM = r"(?:\?\d*|\$\d+|\d+)"
_LIMIT = re.compile(r"\b(LIMIT|OFFSET)\s+(" + _PARAM + r")(?![\w.])", re.I)


def limits(sql: str, mask: list[bool], command: str, unique: frozenset = frozenset(), get: bool = False) -> list[SqlMutant]:
    """LIMIT / OFFSET +-1. `get`: the statement is a get()'s SELECT read through sqlcstep/getone.py's getOne."""
    out = []
    for m in _code_matches(_LIMIT, sql, mask):
        word, value = m.group(1).upper(), m.group(2)
        for delta in (1, -1):
            if value.isdigit():
                new = str(int(value) + delta)
                if int(new) < 0:
                    continue
            else:
                new = f"{value} {'+' if delta > 0 else '-'} 1"
            equivalent = ""
            depth = proof.depth(sql, mask, m.start())
            positive = word == "LIMIT" and value.isdigit() and int(new) >= 1 and int(value) >= 1
            if command == "one" and positive and depth == 0:
                equivalent = (f"a :one query reads its first row only (QueryRow): LIMIT {value} and LIMIT {new} "
                              "return the same row for any data")
            elif positive and proof.inside_exists(sql, mask, m.start()):
                equivalent = (f"EXISTS(...) is true as soon as one row exists: LIMIT {value} and LIMIT {new} give "
                              "the same answer for any data")
            elif positive and depth == 0 and proof.single_row(sql, mask, unique):
                equivalent = proof.single_row(sql, mask, unique)
            elif get and depth == 0 and (value, new) == ("21", "22"):
                equivalent = ("a get() reads its rows through getOne, which tells 0, 1, 2 ... 20 rows apart and "
                              "calls 21 or more `more than 20` (Django's MAX_GET_RESULTS): LIMIT 22 reads 22 rows "
                              "as 21, for any data")
            out.append(SqlMutant("limit", f"{word} {value} -> {new}", _replace(sql, m.start(2), m.end(2), new),
                                 equivalent))
    return out


_NULL = re.compile(r"\bIS\s+(NOT\s+)?NULL\b", re.I)
_NOT = re.compile(r"\bNOT\s+(?!NULL\b|IN\b|LIKE\b|EXISTS\b|BETWEEN\b)", re.I)


def nulls(sql: str, mask: list[bool]) -> list[SqlMutant]:
    out = []
    for m in _code_matches(_NULL, sql, mask):
        new = "IS NULL" if m.group(1) else "IS NOT NULL"
        out.append(SqlMutant("null", f"`{m.group(0)}` -> `{new}` at `{_context(sql, m.start(), m.end())}`",
                             _replace(sql, m.start(), m.end(), new)))
    for m in _code_matches(_NOT, sql, mask):
        out.append(SqlMutant("null", f"`NOT` removed at `{_context(sql, m.start(), m.end())}`",
                             _replace(sql, m.start(), m.end(), "")))
    return out


_ORDER = re.compile(r"\b(ASC|DESC)\b", re.I)


def orders(sql: str, mask: list[bool], unique: frozenset = frozenset()) -> list[SqlMutant]:
    out = []
    for m in _code_matches(_ORDER, sql, mask):
        new = "DESC" if m.group(1).upper() == "ASC" else "ASC"
        equivalent = ""
        if proof.inside_exists(sql, mask, m.start()):
            equivalent = "EXISTS(...) does not depend on the order of its rows, for any data"
        elif proof.depth(sql, mask, m.start()) == 0:
            equivalent = proof.single_row(sql, mask, unique) or proof.constant_key(sql, mask, m.start())
        out.append(SqlMutant("order", f"{m.group(1)} -> {new} at `{_context(sql, m.start(), m.end())}`",
                             _replace(sql, m.start(), m.end(), new), equivalent))
    return out


_STOP = re.compile(r"\b(AND|OR|ORDER\s+BY|GROUP\s+BY|HAVING|LIMIT|OFFSET|RETURNING|WHERE|INNER|LEFT|RIGHT|"
                   r"JOIN|UNION|FROM|SELECT|ON|THEN|WHEN|ELSE|END|SET)\b", re.I)


def _operand(sql: str, mask: list[bool], start: int, step: int) -> tuple[int, int]:
    """The extent of the operand next to a boolean keyword: from `start` going `step` (+1 right, -1 left)
    at parenthesis depth 0, up to a keyword, a comma or an unmatched parenthesis."""
    depth, i = 0, start
    n = len(sql)
    while 0 <= i < n:
        c = sql[i]
        if mask[i]:
            if c in "()":
                opening = (c == "(") == (step > 0)
                if opening:
                    depth += 1
                elif depth == 0:
                    break
                else:
                    depth -= 1
            elif depth == 0 and c == ",":
                break
            elif depth == 0 and c.isalpha() and (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] == "_")) \
                    and step > 0 and _STOP.match(sql, i):
                break
            elif depth == 0 and step < 0 and c.isalpha() and (i + 1 == n or not (sql[i + 1].isalnum() or sql[i + 1] == "_")):
                m = re.search(r"(\w+)$", sql[:i + 1])
                w0 = m.start(1)
                if _STOP.fullmatch(sql[w0:i + 1]) and (w0 == 0 or not sql[w0 - 1].isalnum()):
                    break  # the operand starts after this keyword
        i += step
    a, b = (start, i) if step > 0 else (i + 1, start + 1)
    while a < b and sql[a].isspace():
        a += 1
    while b > a and sql[b - 1].isspace():
        b -= 1
    return a, b


_BOOL = re.compile(r"\b(AND|OR)\b", re.I)


def conditions(sql: str, mask: list[bool], pks: frozenset = frozenset()) -> list[SqlMutant]:
    """Each operand of AND neutralised (as if the condition were dropped), each operand of OR dropped."""
    out, seen = [], set()
    for m in _code_matches(_BOOL, sql, mask):
        word = m.group(1).upper()
        if word == "AND" and re.search(r"\bBETWEEN\s+\S+\s*$", sql[:m.start()], re.I):
            continue
        if word == "OR" and re.search(r"\bINSERT\s*$", sql[:m.start()], re.I):
            continue  # SQLite's `INSERT OR IGNORE`: a conflict clause, no condition
        sides = (_operand(sql, mask, m.start() - 1, -1), _operand(sql, mask, m.end(), 1))
        for (a, b), (oa, ob) in zip(sides, sides[::-1]):
            if a >= b or (a, b) in seen:
                continue
            seen.add((a, b))
            operand = sql[a:b]
            new = f"({operand} OR 1 = 1)" if word == "AND" else f"({operand} AND 1 = 0)"
            label = "condition dropped" if word == "AND" else "alternative dropped"
            equivalent = (proof.repeated_conjunct(operand, sql[oa:ob]) or proof.never_null(sql, operand, pks)
                          or proof.always_true(operand) if word == "AND" else proof.true_alternative(sql, mask, a, b))
            out.append(SqlMutant("dropped-condition", f"{label}: `{' '.join(operand.split())[:120]}`",
                                 _replace(sql, a, b, new), equivalent))
    return out


_COL = re.compile(r'"(\w+)"\."(\w+)"')


def columns(sql: str, mask: list[bool], types: dict[tuple[str, str], str]) -> list[SqlMutant]:
    """In the outermost SELECT list: a column read swapped with the next one of the same table and type."""
    m = re.match(r"\s*SELECT\b", sql, re.I)
    if not m:
        return []
    depth, end = 0, None
    for i in range(m.end(), len(sql)):
        if not mask[i]:
            continue
        if sql[i] == "(":
            depth += 1
        elif sql[i] == ")":
            depth -= 1
        elif depth == 0 and re.match(r"\bFROM\b", sql[i:i + 5], re.I) and not sql[i - 1].isalnum():
            end = i
            break
    if end is None:
        return []
    refs = [c for c in _COL.finditer(sql, m.end(), end) if mask[c.start() - 1] if c.start() > 0]
    out = []
    for i, a in enumerate(refs):
        ta = types.get((a.group(1), a.group(2)))
        for b in refs[i + 1:]:
            if a.group(1) == b.group(1) and a.group(2) != b.group(2) and ta and types.get((b.group(1), b.group(2))) == ta:
                new = sql[:a.start()] + b.group(0) + sql[a.end():b.start()] + a.group(0) + sql[b.end():]
                out.append(SqlMutant("wrong-column", f"columns {a.group(0)} and {b.group(0)} ({ta}) swapped", new))
                break
    return out


_BARE_BEFORE = re.compile(r"(?:\bWHERE|\bAND|\bOR|\bON|\bHAVING|\()\s*$", re.I)
_BARE_AFTER = re.compile(r"\s*(?:;|\)|$|(?:AND|OR|ORDER|GROUP|HAVING|LIMIT|OFFSET|RETURNING)\b)", re.I)


def booleans(sql: str, mask: list[bool], types: dict[tuple[str, str], str]) -> list[SqlMutant]:
    """A condition that is a bare boolean column (`WHERE "t"."is_active"`) negated (`NOT "t"."is_active"`)."""
    out = []
    for c in _COL.finditer(sql):
        if c.start() == 0 or not mask[c.start() - 1] or types.get((c.group(1), c.group(2))) != "BooleanField":
            continue
        if _BARE_BEFORE.search(sql[:c.start()]) and _BARE_AFTER.match(sql, c.end()):
            out.append(SqlMutant("boolean", f"`{c.group(0)}` -> `NOT {c.group(0)}`",
                                 _replace(sql, c.start(), c.end(), f"NOT {c.group(0)}")))
    return out


_BETWEEN = re.compile(r"\bBETWEEN\s+(" + _PARAM + r"|sqlc\.arg\(\w+\)|'[^']*')\s+AND\s+(" + _PARAM
                      + r"|sqlc\.arg\(\w+\)|'[^']*')", re.I)


def betweens(sql: str, mask: list[bool]) -> list[SqlMutant]:
    """`x BETWEEN a AND b`: each bound made exclusive (`>=` -> `>`), a literal bound moved by one unit both
    ways, and the test flipped (`NOT BETWEEN`)."""
    out = []
    for m in (m for m in _BETWEEN.finditer(sql) if mask[m.start()]):  # a quoted bound ends outside the code
        a, b = _operand(sql, mask, m.start() - 1, -1)
        x, low, high = sql[a:b], m.group(1), m.group(2)
        at = _context(sql, a, m.end())
        whole = lambda new: sql[:a] + new + sql[m.end():]  # noqa: E731
        out.append(SqlMutant("between", f"lower bound made exclusive at `{at}`",
                             whole(f"({x} > {low} AND {x} <= {high})")))
        out.append(SqlMutant("between", f"upper bound made exclusive at `{at}`",
                             whole(f"({x} >= {low} AND {x} < {high})")))
        for group in (1, 2):
            lit = _NUM.fullmatch(m.group(group))
            for delta in ((1, -1) if lit and m.group(group).startswith("'") else ()):
                new = _shifted(lit.group(1), delta)
                out.append(SqlMutant("between", f"bound {lit.group(1)} -> {new} at `{at}`",
                                     _replace(sql, m.start(group) + 1, m.end(group) - 1, new)))
        out.append(SqlMutant("between", f"`BETWEEN` -> `NOT BETWEEN` at `{at}`",
                             _replace(sql, m.start(), m.start(), "NOT ")))
    return out


_INSERT = re.compile(r'\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+"(\w+)"\s*\(([^)]*)\)', re.I)
_TEXT = {"CharField", "TextField", "SlugField", "EmailField", "URLField"}  # one storage type (text) on both databases


def _storage(internal: str | None) -> str | None:
    return "text" if internal in _TEXT else internal


def column_types(models) -> dict[tuple[str, str], str]:
    """(table, column) -> Django's internal type, auto-created many-to-many join tables included (two keys)."""
    types = {(m.db_table, f.column): f.internal_type for m in models for f in m.fields if f.column}
    for f in (f for m in models for f in m.fields if f.relation and f.relation.through_auto):
        for column in (f.relation.join_column, f.relation.join_target_column):
            types.setdefault((f.relation.join_table, column), "ForeignKey")
    return types


def inserts(sql: str, types: dict[tuple[str, str], str]) -> list[SqlMutant]:
    """An INSERT's column list: a column swapped with the next one of the same table and storage type, so each
    value is written to the other's column."""
    m = _INSERT.match(sql)
    if not m:
        return []
    table = m.group(1)
    refs = list(re.finditer(r'"(\w+)"', sql[:m.end(2)]))[1:]  # the columns (the first quoted name is the table)
    refs = [r for r in refs if r.start() >= m.start(2)]
    out = []
    for i, a in enumerate(refs):
        ta = _storage(types.get((table, a.group(1))))
        for b in refs[i + 1:]:
            if ta and _storage(types.get((table, b.group(1)))) == ta:
                new = sql[:a.start()] + b.group(0) + sql[a.end():b.start()] + a.group(0) + sql[b.end():]
                out.append(SqlMutant("insert-column", f"INSERT columns {a.group(0)} and {b.group(0)} ({ta}) swapped", new))
                break
    return out


def mutants(sql: str, command: str, types: dict[tuple[str, str], str], unique: frozenset = frozenset(),
            pks: frozenset = frozenset(), get: bool = False) -> list[SqlMutant]:
    """Every mutant of one statement, in a stable order; duplicates (same text) removed. `unique` and `pks`
    ((table, column) pairs: unique columns, primary keys) let migrator.equivalence prove some equivalent."""
    mask = code_mask(sql)
    found = (operators(sql, mask) + bounds(sql, mask, pks) + conditions(sql, mask, pks) + nulls(sql, mask)
             + limits(sql, mask, command, unique, get) + orders(sql, mask, unique) + columns(sql, mask, types)
             + booleans(sql, mask, types) + betweens(sql, mask) + inserts(sql, types))
    seen, out = {sql}, []
    for mu in found:
        if mu.sql not in seen:
            seen.add(mu.sql)
            out.append(mu)
    return out


_HINTS = {
    "operator": "a row whose value equals the one compared with (the parameter or literal), and rows on "
                "either side of it, each meeting the rest of the query",
    "bound": "a row whose value lies exactly on the bound and one a unit beyond it",
    "dropped-condition": "a row that fails this condition but meets every other (with a parameter value "
                         "that selects it)",
    "null": "a row where this column is NULL and one where it is not, both meeting the rest of the query",
    "limit": "more matching rows than the LIMIT (or an OFFSET call with rows after the offset)",
    "order": "two matching rows that differ in this ORDER BY key",
    "wrong-column": "rows where the two columns hold different values",
    "boolean": "a row where this column is true and one where it is false, both meeting the rest of the query",
    "between": "rows exactly on each bound, one a unit inside and one a unit outside",
    "insert-column": "a write set whose values for the two columns differ, read back after the INSERT",
}


def hint(kind: str, what: str) -> str:
    """The data that would kill a surviving mutant of this kind."""
    return f"{_HINTS.get(kind, 'data that tells the change apart')} ({what})"
