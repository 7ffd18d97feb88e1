"""``row in <QuerySet>``: a fetched model row tested against the rows a QuerySet returns.

Django evaluates the QuerySet (``QuerySet.__contains__`` fetches every row) and compares with
``Model.__eq__``: rows of the same concrete model are equal when their primary keys are. The Go runs the
same query and loops over its rows comparing primary keys. ``None in qs`` (a ``.first()`` that found no
row) is False, as in Python. Rows of another model, or a row whose primary key has another Go type, keep
the view a stub (``Model.__eq__`` across proxies is not read).
"""

from __future__ import annotations

from .handlers_values import GoValue, NotRecognised, Obj, Rows


def row_in_rows(reader, row: Obj, rows: Rows, neg: bool) -> GoValue:
    """``row in rows`` (``not in`` when ``neg``) as a Go bool variable set by a loop over the rows."""
    if rows.kind != "model" or not isinstance(rows.row, Obj):
        raise NotRecognised("`in` of a row and a QuerySet that does not return model rows")
    if row.model != rows.row.model:
        raise NotRecognised(f"`in` of a {row.model} row and {rows.row.model} rows (Model.__eq__ across models)")
    mine, theirs = row.columns.get("pk"), rows.row.columns.get("pk")
    if mine is None or theirs is None or mine[1] != theirs[1]:
        raise NotRecognised(f"`in` of {row.model} rows without a comparable primary key")
    found = reader.var("found")
    reader.stmts.append(f"{found} := false\nfor _, r := range {rows.var} {{\nif {theirs[0]} == {mine[0]} {{\n"
                        f"{found} = true\nbreak\n}}\n}}")
    code = f"{row.present} && {found}" if row.present else found  # None in qs: False
    if neg:
        return GoValue(f"!({code})" if row.present else f"!{found}", "bool")
    return GoValue(code, "bool")
