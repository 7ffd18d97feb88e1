"""Rows that pass a read's literal conditions on its own table, and the parameter set that selects one of them
(datagen reads the rows from bounds_file, as the LIMIT rows of boundary_rows; param_sets asks the set).

postman's `ReplyView.dispatch` get() reads `recipient_id = ?1 AND moderation_status = 'a' AND
recipient_deleted_at IS NULL AND id = ?2`: generated rows hold NULL on row 0 only, and row 0 holds the first
choice ('p'), so no message met the three at once, both sides answered DoesNotExist for every parameter set,
and 30 column swaps and dropped conditions of `DispatchMessageGet` survived. Per read whose WHERE holds two
literal conditions on its own table or an `IS NULL` one (a `NOT` one is left out): two rows meeting them all,
under the siblings' foreign rows (datagen_values.sibling_target: each foreign key of a row a different target,
so a swapped key column shows); and the parameter set taken from the first row of the data that meets them
(every parameter compared with a field of the read's own model from that row), so the read returns a row (one literal condition is enough for that set)."""

from __future__ import annotations

import re

from .boundary import _FROM, _row_key, as_kind

# `"t"."c" = 'x'`, `"t"."c" = 0`, `"t"."c" IN ('x', ...)` (its first value) and `"t"."c" IS NULL`; not after NOT
_CONDITION = re.compile(r'(?<!NOT )(?<!NOT \()[`"](\w+)[`"]\.[`"](\w+)[`"] '
                        r'(?:= (\'[^\']*\'|-?\d+)(?![\w.])|IN \((\'[^\']*\'|-?\d+)[,)]|(IS NULL))')


def conditions(sql: str, table: str) -> dict[str, object]:
    """column -> the value a row of `table` holds to pass the statement's literal conditions on it (None for
    `IS NULL`); the first condition on a column wins."""
    out: dict[str, object] = {}
    for m in _CONDITION.finditer(sql):
        if m.group(1) != table or m.group(2) in out:
            continue
        text = m.group(3) or m.group(4)
        out[m.group(2)] = None if m.group(5) else text[1:-1] if text.startswith("'") else int(text)
    return out


def _wanted(cond: dict) -> bool:
    return len(cond) >= 2 or None in cond.values()


def match_rows(statements: list[str], tables: dict[str, str], columns: dict[tuple[str, str], str]) -> list[dict]:
    """Per SELECT of a model's table whose literal conditions on it are two or more, or one `IS NULL`:
    {"model", "rows": 2, "set": {field: value}} (see the module docstring)."""
    out = []
    for sql in statements:
        first = _FROM.search(sql)
        if not sql.lstrip().upper().startswith("SELECT") or not first or first.group(1) not in tables:
            continue
        table = first.group(1)
        cond = conditions(sql, table)
        fields = {columns[(table, c)].rpartition(".")[2]: v for c, v in cond.items() if (table, c) in columns}
        spec = {"model": tables[table], "rows": 2, "set": fields}
        if _wanted(cond) and len(fields) == len(cond) and spec not in out:
            out.append(spec)
    return out


def compared_column(sql: str, table: str, name: str) -> str:
    """The column of `table` the parameter `name` is first compared with (`"t"."c" = sqlc.arg(name)`), else ""."""
    m = re.search(rf'[`"]{re.escape(table)}[`"]\.[`"](\w+)[`"] = sqlc\.arg\({re.escape(name)}\)', sql)
    return m.group(1) if m else ""


def match_sets(query, dump: dict) -> list[dict]:
    """The parameter set selecting the first row of the data that meets the query's literal conditions on its
    own table, even one (`GetMessageThread2`: `id = ?1 AND ((recipient_id = ?2 AND moderation_status = 'a') OR
    sender_id = ?2)`, whose sets from the data's rows reached no accepted message of its recipient: 24 column
    swaps survived); [] when no row meets them, there is none or no parameter reads a field of the model.
    A parameter without a model field (`request.user`) takes the row's value of the column it is first compared
    with: kept at the base user, who received no matching message, the set returned no row (session 10)."""
    first = _FROM.search(query.sql)
    rows = dump.get(query.model, [])
    if not first or not rows:
        return []
    cond = conditions(query.sql, first.group(1))
    keys = {c: _row_key(rows, c) for c in cond}
    ps = {p.sentinel: (p.field.rpartition(".")[2], p.kind) for p in query.params if p.field and not p.is_list
          and not p.transform and p.field.rpartition(".")[0] == query.model}
    if not cond or not all(keys.values()) or not ps:  # one condition is enough here: it adds a set, not rows
        return []
    for p in query.params:  # a field-less one compared with a column of the own table: that column's value
        key = "" if p.field or p.is_list or p.transform else _row_key(rows, compared_column(query.sql, first.group(1),
                                                                                             p.name))
        if key:
            ps.setdefault(p.sentinel, (key, p.kind))
    for r in rows:
        if all(r.get(keys[c]) == v if v is not None else r.get(keys[c]) is None for c, v in cond.items()):
            values = {s: as_kind(kind, r.get(key)) for s, (key, kind) in ps.items()}
            if all(v is not None and not isinstance(v, (list, dict)) for v in values.values()):
                return [values]
    return []
