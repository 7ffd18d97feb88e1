"""select_related over a nullable relation on SQLite: a joined NOT NULL column whose Go type is a value.

sqlc types the columns of a LEFT OUTER JOIN nullable, except where a column override gives the Go type
(djtypes.DateTime, decimal.Decimal, ...): that type is used as it is, a value, and the NULL of an empty
relation cannot be scanned into it (LEFT_JOIN_NULLS). On SQLite such a column is read through a cast to a
type name of the same affinity (``dj_datetime_text`` is TEXT, ``dj_decimal`` NUMERIC), which sqlc.yaml maps to
a pointer of the same Go type: NULL scans as nil (Django's None) and every stored value comes back unchanged
(TEXT to TEXT is the identity; Django's decimals and durations are stored as INTEGER or REAL, which a NUMERIC
cast keeps as the same number). The column keeps its name (an alias). PostgreSQL types a CAST NOT NULL, so
there the query stays LEFT_JOIN_NULLS, as does a table joined under an alias (sqlc types it NOT NULL).
"""

from __future__ import annotations

from sqlglot import exp

# Go type of the column override -> the SQLite type name of the cast (its affinity keeps the stored value)
CASTS = {"DateTime": "dj_datetime_text", "Date": "dj_date_text", "UUID": "dj_uuid_text", "JSON": "dj_json_text",
         "Decimal": "dj_decimal", "Duration": "dj_duration_ptr"}


def nullable_outer(tree: exp.Expression, types: dict[tuple[str, str], str]) -> exp.Expression:
    """Each bare column of the SELECT list that belongs to a LEFT-joined table (not aliased) and has a value Go
    type (``types``: (table, column) -> the override's Go type name) cast as above and aliased to its name."""
    select = tree if isinstance(tree, exp.Select) else tree.find(exp.Select)
    if select is None:
        return tree
    outer = {j.this.name for j in select.args.get("joins") or []
             if (j.side or "").upper() == "LEFT" and isinstance(j.this, exp.Table) and not j.this.alias}
    out = []
    for e in select.expressions:
        go = types.get((e.table, e.name)) if isinstance(e, exp.Column) and e.table in outer else None
        if go in CASTS:
            e = exp.Alias(this=exp.Cast(this=e, to=exp.DataType.build(CASTS[go], udt=True)),
                          alias=exp.to_identifier(e.name, quoted=True))
        out.append(e)
    select.set("expressions", out)
    return tree


def read_nullable(col: exp.Column) -> bool:
    """Whether ``nullable_outer`` cast this column (so its Go type is a pointer)."""
    parent = col.parent
    return isinstance(parent, exp.Cast) and parent.to.sql(dialect="sqlite").lower() in CASTS.values()
