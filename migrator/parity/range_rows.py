"""Rows on the bounds of a date range a read takes as parameters, meeting the read's other conditions (a spec of
boundary_rows' form, datagen reads it from bounds_file).

`products_launched_in`: `is_active AND launch_date BETWEEN ?1 AND ?2` (`launch_date__year`): the parameter sets
take the years of the data's January 1 and December 31 (boundary.edge_years), which are generated rows 3 and 4
(datagen_values.field_value), but the January 1 row was inactive: the lower bound made exclusive (`>=` -> `>`)
survived, no row the read keeps sat on it. Per SELECT comparing a date or datetime column of its own table with a
parameter range (`BETWEEN ?a AND ?b`, or `>= ?a AND <= ?b` as on SQLite) and holding other literal conditions on
that table (`= 'x'`, `IN ('x', ...)`, `IS NULL`, a bare boolean column): one row per bound holding those values
and the value generated row 3 (the last instant of a year) or row 4 (the first one) holds in the column."""

from __future__ import annotations

import re

from .boundary import _FROM
from .boundary_rows import SHARED
from .match_rows import conditions

_ARG = r'\S*sqlc\.n?arg\(\w+\)\S*'
_RANGE = re.compile(rf'[`"](\w+)[`"]\.[`"](\w+)[`"] (?:BETWEEN {_ARG} AND |>= {_ARG} AND [`"]\1[`"]\.[`"]\2[`"] <= ){_ARG}')
# `"t"."c"` standing alone as a condition: after `(`, WHERE, AND or OR (not NOT), before AND, OR, `)` or the end
_BARE = re.compile(r'(?:(?<=\()|(?<=WHERE )|(?<=AND )|(?<=OR ))[`"](\w+)[`"]\.[`"](\w+)[`"](?=\s*(?:AND |OR |\)|;|$))')
EDGE_ROWS = (3, 4)  # the generated rows on a year's last and first instant (datagen_values.field_value)
_DATES = ("DateField", "DateTimeField")


def range_rows(statements: list[str], tables: dict[str, str], columns: dict[tuple[str, str], str],
               types: dict[tuple[str, str], str]) -> list[dict]:
    """{"model", "rows": 1, "set": {condition field: value, range field: SHARED}, "first": 3 or 4} per read of
    the shape above (`first`: the generated row whose value the range field takes); `types` (table, column) ->
    the field's internal type."""
    out: list[dict] = []
    for sql in statements:
        first = _FROM.search(sql)
        if not sql.lstrip().upper().startswith("SELECT") or not first or first.group(1) not in tables:
            continue
        table = first.group(1)
        dates = [c for t, c in _RANGE.findall(sql) if t == table and types.get((t, c)) in _DATES]
        cond = dict(conditions(sql, table))
        for t, c in _BARE.findall(sql):
            if t == table and types.get((t, c)) == "BooleanField":
                cond.setdefault(c, True)
        fields = {columns[(table, c)].rpartition(".")[2]: v for c, v in cond.items() if (table, c) in columns}
        if not fields or len(fields) != len(cond):
            continue
        for column in dict.fromkeys(c for c in dates if c not in cond and (table, c) in columns):
            for row in EDGE_ROWS:
                spec = {"model": tables[table], "rows": 1, "first": row,
                        "set": {**fields, columns[(table, column)].rpartition(".")[2]: SHARED}}
                if spec not in out:
                    out.append(spec)
    return out
