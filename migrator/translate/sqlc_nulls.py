"""select_related over a nullable relation on SQLite: a joined NOT NULL column whose Go type is a value.

sqlc types the columns of a LEFT OUTER JOIN nullable, except where a column override gives the Go type
(djtypes.DateTime, decimal.Decimal, ...): that type is used as it is, a value, and the NULL of an empty
relation cannot be scanned into it (LEFT_JOIN_NULLS). On SQLite such a column is read through a cast to a
type name of the same affinity (``dj_datetime_text`` is TEXT, ``dj_decimal`` NUMERIC), which sqlc.yaml maps to
a pointer of the same Go type: NULL scans as nil (Django's None) and every stored value comes back unchanged
(TEXT to TEXT is the identity; Django's decimals and durations are stored as INTEGER or REAL, which a NUMERIC
cast keeps as the same number). The column keeps its name (an alias). PostgreSQL types a CAST NOT NULL, so
there the query stays LEFT_JOIN_NULLS (PostgreSQL's decimal, date and interval columns need no cast: sqlc.yaml's
db_type overrides type them, a pointer where nullable).

A table joined twice (Django's ``T3`` for the second join of ``auth_user``): sqlc matches a column of the aliased
table to the first *unaliased* table of that name in the FROM clause, so when that one is required (the FROM
table, an INNER JOIN) it types the LEFT-joined alias's columns NOT NULL. ``self_alias`` gives each unaliased
occurrence of a table named twice its own name as alias (``JOIN "auth_user" AS "auth_user"``: the same SQL), and
sqlc then matches each column to its own join.
"""

from __future__ import annotations

from collections import Counter

from sqlglot import exp

# Go type of the column override -> the SQLite type name of the cast (its affinity keeps the stored value)
CASTS = {"DateTime": "dj_datetime_text", "Date": "dj_date_text", "UUID": "dj_uuid_text", "JSON": "dj_json_text",
         "Decimal": "dj_decimal", "Duration": "dj_duration_ptr"}


def tables(select: exp.Select) -> list[exp.Table]:
    """The tables of a SELECT's FROM clause and joins, in order."""
    frm = select.args.get("from_")
    out = [frm.this] if frm is not None and isinstance(frm.this, exp.Table) else []
    return out + [j.this for j in select.args.get("joins") or [] if isinstance(j.this, exp.Table)]


def self_alias(tree: exp.Expression) -> exp.Expression:
    """Each unaliased occurrence of a table named more than once in a FROM clause aliased to its own name; not
    where a parameter compares with a column of one of its aliases (sqlc's parameter typing then looks for the
    alias and fails: `table alias "t2" does not exist`), which stays as it was."""
    for select in tree.find_all(exp.Select):
        found = tables(select)
        twice = {n for n, k in Counter(t.name.lower() for t in found).items() if k > 1}
        aliases = {t.alias.lower() for t in found if t.alias and t.name.lower() in twice}
        if any(c.table.lower() in aliases for p in select.find_all(exp.Placeholder)
               for c in (p.find_ancestor(exp.Predicate, exp.Binary) or p).find_all(exp.Column)):
            continue
        for t in found:
            if t.name.lower() in twice and not t.alias:
                t.set("alias", exp.TableAlias(this=exp.to_identifier(t.name, quoted=True)))
    return tree


def misread(select: exp.Select) -> set[str]:
    """Tables whose aliased joins sqlc mistypes: named unaliased too (see the module docstring), lowercase."""
    return {t.name.lower() for t in tables(select) if not t.alias}


def nullable_outer(tree: exp.Expression, types: dict[tuple[str, str], str]) -> exp.Expression:
    """Each bare column of the SELECT list that belongs to a LEFT-joined table (not aliased) and has a value Go
    type (``types``: (table, column) -> the override's Go type name) cast as above and aliased to its name."""
    select = tree if isinstance(tree, exp.Select) else tree.find(exp.Select)
    if select is None:
        return tree
    bare = misread(select)
    outer = {j.this.alias_or_name: j.this.name for j in select.args.get("joins") or []
             if (j.side or "").upper() == "LEFT" and isinstance(j.this, exp.Table)
             and not (j.this.alias and j.this.alias != j.this.name and j.this.name.lower() in bare)}
    out = []
    for e in select.expressions:
        go = types.get((outer[e.table], e.name)) if isinstance(e, exp.Column) and e.table in outer else None
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
