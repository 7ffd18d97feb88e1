"""Rows that tie on an ordered read's first ORDER BY key (datagen reads them from bounds_file, as the LIMIT rows
of boundary_rows): `WHERE order_id = ?1 ORDER BY applied_at ASC, id ASC` orders two coupons of one order by id
only when they hold the same applied_at. The generated rows never do (every datetime is drawn apart, and
`auto_now_add` columns are stamped per row), so `id ASC -> DESC` survived on PostgreSQL's data. Per such read:
two rows under the siblings' foreign rows (so a parameter selecting them keeps both), the read's literal
conditions on its own table set, and the first key's column SHARED: one value on both rows. Under a literal
LIMIT the shared value is the extreme the read puts first ("first": "max" for DESC, "min" for ASC), so the
tied pair is inside the rows the LIMIT keeps."""

from __future__ import annotations

import re

import json

from .boundary import _EQ_ARG, _FROM, _row_key, as_kind
from .boundary_rows import SHARED, literal_conditions

_ORDER_BY = re.compile(r'\bORDER BY ((?:(?!\bORDER BY\b).)+?)\s*(?:\bLIMIT\b[^()]*)?;?\s*$', re.S)
_COLUMN = re.compile(r'^[`"](\w+)[`"]\.[`"](\w+)[`"](?:\s+AS\s+[`"](\w+)[`"])?$')


def _split(text: str) -> list[str]:
    """Top-level comma-separated items (commas inside parentheses stay)."""
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return [x for x in [*out, cur.strip()] if x]


def _selected(sql: str) -> list[str]:
    """The outermost SELECT's items."""
    m = re.match(r'\s*SELECT\s+(?:DISTINCT\s+)?', sql, re.I)
    if not m:
        return []
    depth, i = 0, m.end()
    for j in range(m.end(), len(sql)):
        depth += sql[j] == "("
        depth -= sql[j] == ")"
        if depth == 0 and sql.startswith(" FROM ", j):
            return _split(sql[i:j])
    return []


def order_keys(sql: str) -> list[tuple[str, str, str]]:
    """(table, column, direction) of the outermost ORDER BY's keys that a later key follows, while they are plain
    columns (written as the column, its position `ORDER BY 6`, its alias, or a derived table's alias of a column:
    `"_distinct"."__o1"` for the `"t"."month_of_year" AS "__o1"` of a DISTINCT read); [] when the first is not."""
    m = _ORDER_BY.search(sql)
    if not m or m.group(1).count("(") != m.group(1).count(")"):
        return []
    keys = _split(m.group(1))
    items = _selected(sql)
    out = []
    for k in keys[:-1]:
        key, _, rest = k.partition(" ")
        direction = "DESC" if rest.upper().startswith("DESC") else "ASC"
        if key.isdigit() and 0 < int(key) <= len(items):
            key = items[int(key) - 1]
        elif re.fullmatch(r'[`"]\w+[`"]', key):
            key = next((it for it in items if re.search(rf'\s+AS\s+{re.escape(key)}$', it)), key)
        col = _COLUMN.match(key.strip())
        if not col:
            break
        table, column = col.group(1), col.group(2)
        derived = re.search(rf'[`"](\w+)[`"]\.[`"](\w+)[`"] AS [`"]{column}[`"]', sql) if column.startswith("__o") else None
        out.append((*(derived.groups() if derived else (table, column)), direction))
    return out


def first_order_key(sql: str) -> tuple[str, str, str] | None:
    """The first of order_keys (None when there is none)."""
    found = order_keys(sql)
    return found[0] if found else None


def tie_rows(statements: list[str], tables: dict[str, str], columns: dict[tuple[str, str], str]) -> list[dict]:
    """Per ordered read of its own table's column (first_order_key): {"model", "rows": 2, "set": {field: value,
    key field: SHARED}, "first": "max" | "min" | ""} (see the module docstring)."""
    out = []
    for sql in statements:
        first, key = _FROM.search(sql), first_order_key(sql)
        if not first or not key or key[0] != first.group(1) or first.group(1) not in tables:
            continue
        if not columns.get(key[:2]):
            continue
        fixed = literal_conditions(sql, first.group(1), columns)
        for t, c, _arg in _EQ_ARG.findall(sql):  # a column compared with a parameter: one value on both rows
            if t == first.group(1) and (t, c) in columns:
                fixed.setdefault(columns[(t, c)].rpartition(".")[2], SHARED)
        limited = re.search(r'\bLIMIT\b[^()]*$', sql.strip()) is not None
        for t, c, _d in order_keys(sql):  # tied on the first key, then on the first two...: each later key orders
            if t != first.group(1) or (t, c) not in columns:
                break
            fixed = {**fixed, columns[(t, c)].rpartition(".")[2]: SHARED}
            spec = {"model": tables[first.group(1)], "rows": 2, "set": fixed,
                    "first": ("max" if key[2] == "DESC" else "min") if limited else ""}
            if spec not in out:
                out.append(spec)
    return out


def tie_sets(query, dump: dict) -> list[dict]:
    """The parameter set that keeps two rows tied on the query's first ORDER BY key: every parameter compared
    with a field of the query's own model taken from one row of the first pair of rows that agree on those
    fields and on the key (the tie rows above), so only the next key orders them."""
    first, key = _FROM.search(query.sql), first_order_key(query.sql)
    rows = dump.get(query.model, [])
    if not first or not key or key[0] != first.group(1) or not rows:
        return []
    order = _row_key(rows, key[1])
    ps = [p for p in query.params if p.field and not p.is_list and not p.transform
          and p.field.rpartition(".")[0] == query.model]
    if not order or not ps:
        return []
    seen: dict[str, dict] = {}
    for r in rows:
        values = {p.sentinel: as_kind(p.kind, r.get(p.field.rpartition(".")[2])) for p in ps}
        if r.get(order) is None or any(v is None or isinstance(v, (list, dict)) for v in values.values()):
            continue
        k = json.dumps([values, r.get(order)], sort_keys=True, default=str)
        if k in seen:
            return [values]
        seen[k] = values
    return []


_AGGREGATE = re.compile(r'\b(SUM|COUNT|MAX|MIN|AVG)\(\s*(?:DISTINCT\s+)?[`"](\w+)[`"]\.[`"](\w+)[`"]\s*\)', re.I)


def _first_key(sql: str) -> tuple[str, str] | None:
    """(expression, direction) of the outermost ORDER BY's first key, a position (`ORDER BY 4`) or an alias
    read as the selected item it names, when a later key follows; None otherwise."""
    m = _ORDER_BY.search(sql)
    if not m or m.group(1).count("(") != m.group(1).count(")"):
        return None
    keys = _split(m.group(1))
    if len(keys) < 2:
        return None
    key = re.sub(r'\s+(?:ASC|DESC)\b.*$', "", keys[0], flags=re.I | re.S)
    direction = "DESC" if re.search(r'\sDESC\b', keys[0], re.I) else "ASC"
    items = _selected(sql)
    if key.isdigit() and 0 < int(key) <= len(items):
        key = items[int(key) - 1]
    elif re.fullmatch(r'[`"]\w+[`"]', key):
        key = next((it for it in items if re.search(rf'\s+AS\s+{re.escape(key)}$', it)), key)
    return key, direction


def aggregate_ties(statements: list[str], tables: dict[str, str], columns: dict[tuple[str, str], str]) -> list[dict]:
    """Per grouped read ordered first on an aggregate of a joined table (`SUM("orders_order"."total")` per user,
    `ORDER BY 4 DESC, 1 ASC`): two rows of that table, each under a row of the read's own table that no row of
    it points at yet ("fresh": the joining column), with the read's literal conditions on it and one value of
    the aggregated column on both. The two groups then tie on the aggregate (a sum, a count of 1), so only the
    next key orders them: its flip shows. Generated groups never tie (their rows' values are drawn apart)."""
    out = []
    for sql in statements:
        first, key = _FROM.search(sql), _first_key(sql)
        agg = _AGGREGATE.search(key[0]) if key and "GROUP BY" in sql else None
        if not first or not agg or agg.group(2) == first.group(1) or agg.group(2) not in tables:
            continue
        own, joined = re.escape(first.group(1)), re.escape(agg.group(2))
        on = (re.search(rf'JOIN [`"]{joined}[`"] ON \([`"]{own}[`"]\.[`"]\w+[`"] = [`"]{joined}[`"]\.[`"](\w+)[`"]\)', sql)
              or re.search(rf'JOIN [`"]{joined}[`"] ON \([`"]{joined}[`"]\.[`"](\w+)[`"] = [`"]{own}[`"]\.[`"]\w+[`"]\)', sql))
        if not on:
            continue
        fixed = literal_conditions(sql, agg.group(2), columns)
        label = columns.get((agg.group(2), agg.group(3)))
        if agg.group(1).upper() != "COUNT" and label:
            fixed[label.rpartition(".")[2]] = SHARED
        spec = {"model": tables[agg.group(2)], "rows": 2, "set": fixed, "fresh": on.group(1)}
        if spec not in out:
            out.append(spec)
    return out
