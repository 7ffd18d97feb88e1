"""A parameter in the HAVING of a subquery on SQLite, translated exactly (postman's cleanup command).

sqlc's SQLite engine does not look into HAVING: a parameter there stays ``sqlc.arg()`` text and the Go function
has no argument for it. A grouped subquery whose HAVING holds a parameter becomes the same grouped query without
HAVING, each aggregate HAVING reads added as a column, filtered one level up by a WHERE over those columns (SQL's
own definition of HAVING: a filter on the groups; NULL filters a group out in both)::

    ... IN (SELECT U0.thread_id AS thread FROM m U0 GROUP BY 1 HAVING MAX(U0.d) <= ?)
    ... IN (SELECT "_having"."thread" FROM (SELECT U0.thread_id AS thread, MAX(U0.d) AS "__h1" FROM m U0
            GROUP BY 1) AS "_having" WHERE "_having"."__h1" <= CAST(? AS dj_datetime_text))

sqlc's SQLite engine cannot type a parameter by a column of a derived table, so each parameter is cast: to
``dj_datetime_text`` (TEXT, Go's djtypes.DateTime) beside MAX / MIN of a DateTimeField, to INTEGER beside COUNT.
Only subqueries are lifted (the outer query's columns would lose their types the same way); a grouped query that
also orders, slices or is DISTINCT, a HAVING reading a column outside an aggregate, a parameter beside anything
else, or a select column without a name stays SQLC_REJECTED.
"""

from __future__ import annotations

from sqlglot import exp

from .sqlc_model import Untranslatable
from .sqlc_nulls import tables

SUB = "_having"


def _refuse(why: str) -> Untranslatable:
    return Untranslatable("SQLC_REJECTED", "a parameter in HAVING (a filter on an annotation): sqlc's SQLite engine "
                          f"does not see it and leaves `sqlc.arg()` in the SQL ({why})")


def lift(tree: exp.Expression, datetimes: frozenset) -> exp.Expression:
    """Every grouped subquery of ``tree`` whose HAVING holds a placeholder, rewritten as above (in place);
    ``datetimes``: (table, column) of the project's DateTimeFields."""
    for select in [s for s in tree.find_all(exp.Select)
                   if s.args.get("having") is not None and s.args["having"].find(exp.Placeholder) is not None]:
        if select is tree or not isinstance(select.parent, (exp.Subquery, exp.In)):
            raise _refuse("in the outer query")
        select.replace(_lift_one(select, datetimes))
    return tree


def _cast_type(agg: exp.Expression, select: exp.Select, datetimes: frozenset) -> str:
    if isinstance(agg, exp.Count):
        return "INTEGER"
    col = agg.this if isinstance(agg, (exp.Max, exp.Min)) else None
    if isinstance(col, exp.Column):
        real = {t.alias_or_name: t.name for t in tables(select)}.get(col.table, col.table)
        if (real, col.name) in datetimes:
            return "dj_datetime_text"
    raise _refuse(f"a parameter compared with {agg.sql()[:60]}")


def _lift_one(select: exp.Select, datetimes: frozenset) -> exp.Select:
    if any(select.args.get(k) for k in ("order", "limit", "offset", "distinct")):
        raise _refuse("the grouped query is also ordered, sliced or DISTINCT")
    names = []
    for e in select.expressions:
        name = e.alias_or_name if isinstance(e, (exp.Alias, exp.Column)) else ""
        if not name or name in names:
            raise _refuse(f"a selected column without a name of its own: {e.sql()[:60]}")
        names.append(name)
    condition = select.args["having"].this.copy()
    for cmp in list(condition.find_all(exp.Binary)):  # each parameter cast to the type of the aggregate beside it
        for side, other in ((cmp.this, cmp.expression), (cmp.expression, cmp.this)):
            if isinstance(side, exp.Placeholder):
                agg = other.unnest() if isinstance(other, exp.Paren) else other
                if not isinstance(agg, exp.AggFunc):
                    raise _refuse(f"a parameter compared with {other.sql()[:60]}")
                side.replace(exp.Cast(this=side.copy(), to=exp.DataType.build(
                    _cast_type(agg, select, datetimes), udt=True)))
    if any(isinstance(p.parent, (exp.Cast,)) is False for p in condition.find_all(exp.Placeholder)):
        raise _refuse("a parameter outside a comparison with an aggregate")
    added: list[exp.Expression] = []

    def column_for(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.AggFunc):
            added.append(exp.alias_(node.copy(), f"__h{len(added) + 1}", quoted=True))
            return exp.column(f"__h{len(added)}", SUB, quoted=True)
        return node
    condition = condition.transform(column_for)
    if any(c.table != SUB for c in condition.find_all(exp.Column)):
        raise _refuse("HAVING reads a column outside an aggregate")
    inner = select.copy()
    inner.set("having", None)
    inner.set("expressions", [*inner.expressions, *added])
    outer = exp.select(*(exp.column(n, SUB, quoted=True) for n in names)).from_(
        exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier(SUB, quoted=True))))
    return outer.where(condition)
