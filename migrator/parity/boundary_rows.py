"""The rows generated data adds for the shapes of the queries (datagen reads them from bounds_file): per read,
the rows that make its LIMIT, its ORDER BY keys and its get() tell a mutant apart. Each spec is
{"model", "rows": n, "set": {field: value}}; datagen points the rows at the siblings' foreign rows
(datagen_values.sibling_target), so a parameter selecting those keeps all n of them. SHARED as a value: the
value the first of the n rows drew, on every one of them."""

from __future__ import annotations

import decimal
import re

from .boundary import _EQ_ARG, _FROM, _LITERAL, _step

LIMITS = "limits"  # the key of bounds_file's limit rows (no model label lacks a dot)
_LIMIT = re.compile(r'\bLIMIT (\d+)(?: OFFSET \d+)?\s*;?\s*$')
_LIT_EQ = re.compile(r'[`"](\w+)[`"]\.[`"](\w+)[`"] (?:= (\'[^\']*\'|-?\d+)|IN \((\'[^\']*\'|-?\d+)[,)])')


def limit_rows(statements: list[str], tables: dict[str, str], columns: dict[tuple[str, str], str]) -> list[dict]:
    """Per statement ending in a literal `LIMIT n` (2 <= n <= 50): {"model", "rows": n + 1, "set": {field:
    value}}, the rows datagen adds so that more rows than the LIMIT share one foreign row (the parameter that
    selects it keeps n + 1 of them: LIMIT n +- 1 shows) and meet the statement's literal conditions on its own
    table (`status IN ('pending', 'paid')` -> 'pending'). Django's `get()` (LIMIT 21) and `[:1]` are left out."""
    out = []
    for sql in statements:
        m = _LIMIT.search(sql.strip())
        first = _FROM.search(sql)
        nulls = _null_rows(sql, first, tables, columns) if first and not m else None
        if nulls and nulls not in out:
            out.append(nulls)
        if not m or not first or not 2 <= int(m.group(1)) <= 50 or int(m.group(1)) == 21 or first.group(1) not in tables:
            continue
        fixed = {**edge_values(sql, first.group(1), columns), **literal_conditions(sql, first.group(1), columns)}
        spec = {"model": tables[first.group(1)], "rows": int(m.group(1)) + 1, "set": fixed}
        if spec not in out:
            out.append(spec)
    return out


def literal_conditions(sql: str, table: str, columns: dict[tuple[str, str], str]) -> dict:
    """field -> value of the statement's literal conditions on `table` (`status IN ('pending', 'paid')` ->
    'pending'): a row holding them passes those conditions."""
    fixed: dict = {}
    for lit in _LIT_EQ.finditer(sql):
        label = columns.get((lit.group(1), lit.group(2))) if lit.group(1) == table else None
        text = lit.group(3) or lit.group(4)
        if label and label.rpartition(".")[2] not in fixed:
            fixed[label.rpartition(".")[2]] = text[1:-1] if text.startswith("'") else int(text)
    return fixed


_INSIDE = {">": 1, ">=": 0, "<": -1, "<=": 0}


def edge_values(sql: str, table: str, columns: dict[tuple[str, str], str]) -> dict:
    """field -> the value just inside each literal range condition on `table` (`loyalty_points > 0` -> 1,
    `price >= '10.00'` -> '10.00'), when the statement has no OR nor NOT that could turn the condition round
    and every range literal on that column holds it. The LIMIT rows hold it: `> 0 -> > 1` leaves them all
    out, which random values above the bound (filling the LIMIT) never show."""
    if re.search(r'\b(?:OR|NOT)\b', sql):
        return {}
    found: dict[str, list] = {}
    for m in _LITERAL.finditer(sql):
        label = columns.get((m.group(1), m.group(2))) if m.group(1) == table else None
        if label and m.group(3) in _INSIDE:
            found.setdefault(label.rpartition(".")[2], []).append((m.group(3), m.group(4)))
    out: dict = {}
    for name, conds in found.items():
        op, lit = conds[0]
        kind = "decimal" if "." in lit else "int"
        value = _step(kind, int(lit) if kind == "int" else lit, _INSIDE[op])
        if value is not None and all(_holds(value, o, x) for o, x in conds):
            out[name] = value
    return out


def _holds(value, op: str, lit: str) -> bool:
    a, b = decimal.Decimal(str(value)), decimal.Decimal(lit)
    return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[op]


_IS_NULL = re.compile(r'(?<!NOT )(?<!NOT \()[`"](\w+)[`"]\.[`"](\w+)[`"] IS NULL')


def _null_rows(sql: str, first, tables: dict, columns: dict) -> dict | None:
    """An ordered read whose WHERE keeps the rows where a column of its own table is NULL (`placed_at IS
    NULL ORDER BY placed_at DESC, id`): two such rows under one foreign row (the siblings' targets), so the
    keys after the NULL one order something (generated rows hold NULL on row 0 only). None otherwise."""
    table = first.group(1)
    if table not in tables or "ORDER BY" not in sql or " OR " in sql:
        return None
    null = {columns[(t, c)].rpartition(".")[2]: None for t, c in _IS_NULL.findall(sql) if t == table and (t, c) in columns}
    return {"model": tables[table], "rows": 2, "set": null} if null else None


GET_ROWS = 21  # Django's get() reads 21 rows: "more than 20" where a LIMIT 20 would read 20
SHARED = "<shared>"  # a get_rows value: the value the first of the rows drew, on every one of them
_GET = re.compile(r'\bLIMIT 21\s*;?\s*$')


def get_rows(statements: list[str], tables: dict, columns: dict, unique=frozenset(), together=frozenset()) -> list[dict]:
    """Per get() SELECT (LIMIT 21) that more than one row can match (equivalence.single_row proves the others):
    21 rows holding one value in each column of its table it compares with a parameter (SHARED) and pointing at
    the siblings' foreign rows, so the parameter set of that combination (row_sets) finds 21 rows: Django says
    "more than 20" where `LIMIT 21 -> 20` reads 20."""
    from ..equivalence import code_mask, single_row

    out = []
    for sql in statements:
        first = _FROM.search(sql)
        if not _GET.search(sql.strip()) or not first or first.group(1) not in tables:
            continue
        if single_row(sql, code_mask(sql), unique, together):
            continue
        table = first.group(1)
        fixed = {columns[(t, c)].rpartition(".")[2]: SHARED for t, c, _a in _EQ_ARG.findall(sql)
                 if t == table and (t, c) in columns}
        spec = {"model": tables[table], "rows": GET_ROWS, "set": fixed}
        if fixed and spec not in out:
            out.append(spec)
    return out


EMPTY = "empty"  # the key of bounds_file's rows to turn round on the second database (exists_rows)
_EXISTS = re.compile(r'^SELECT 1 AS [`"]a[`"] FROM [`"](\w+)[`"] WHERE \((.+)\) LIMIT 1;?$')
_CONJUNCT = re.compile(r'^[`"](\w+)[`"]\.[`"](\w+)[`"](?: = (\'[^\']*\'|-?\d+))?$')


def exists_rows(statements: list[str], columns: dict[tuple[str, str], str]) -> list[dict]:
    """Per `.exists()` without parameters over one table whose WHERE is a conjunction of literal conditions
    (`is_active AND stock = 0`): {"model", "where": {field: value}, "flip": field}, the rows the second database
    (`--data both`, generated rows only) turns round: each row meeting the whole WHERE gets its first boolean
    condition false. Its answer is then "no" there while the first database says "yes", and a dropped condition
    shows on either side: an active product in stock answers a dropped `stock = 0`, an inactive one out of stock
    a dropped `is_active` (both databases held an active product out of stock, so both answered "yes")."""
    out = []
    for sql in statements:
        m = _EXISTS.match(sql.strip())
        if not m or re.search(r'\b(?:OR|NOT|SELECT|JOIN)\b|\?|sqlc\.', m.group(2)):
            continue
        where, flip = {}, ""
        for part in m.group(2).split(" AND "):
            c = _CONJUNCT.match(part.strip())
            label = columns.get((c.group(1), c.group(2))) if c and c.group(1) == m.group(1) else None
            if not label:
                where = {}
                break
            name, text = label.rpartition(".")[2], c.group(3)
            where[name] = True if text is None else text[1:-1] if text.startswith("'") else int(text)
            flip = flip or (name if text is None else "")
        spec = {"model": label.rpartition(".")[0], "where": where, "flip": flip} if where and flip else None
        if spec and spec not in out:
            out.append(spec)
    return out
