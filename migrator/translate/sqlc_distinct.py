"""distinct() ordered by columns it does not return (DISTINCT_ORDER), translated exactly.

Django adds each ORDER BY column (Meta.ordering, order_by) to a DISTINCT select list, so the rows are distinct
over the returned columns *and* the ordering columns, in that order; then it drops the ordering columns from
each row (``compiler.col_count``: how many leading columns a row keeps). The same query in SQL, with only the
kept columns in its result: Django's statement unchanged as a subquery (the same rows, LIMIT included), its
kept columns selected from it, ordered again by the same terms over the subquery's columns::

    SELECT "d"."timezone" FROM (SELECT DISTINCT t.timezone AS "timezone", t.hour AS "__o1" FROM t ORDER BY
    t.hour ASC, 1 ASC) AS "d" ORDER BY "d"."__o1" ASC, "d"."timezone" ASC

A term the select list does not hold, or a kept column without a name, stays DISTINCT_ORDER.
"""

from __future__ import annotations

from sqlglot import exp

from .sqlc_model import Untranslatable

SUB = "_distinct"


def _refuse(why: str) -> Untranslatable:
    return Untranslatable("DISTINCT_ORDER", f"distinct() ordered by a column it does not return: {why}")


def keep_columns(tree: exp.Expression, keep: int) -> exp.Expression:
    """``tree`` (Django's SELECT DISTINCT with its ordering columns appended) -> the query that returns only its
    first ``keep`` columns, with the same rows in the same order."""
    if not isinstance(tree, exp.Select) or not 0 < keep < len(tree.expressions):
        raise _refuse("the statement is not one SELECT with extra columns")
    names, inner = [], []
    for i, e in enumerate(tree.expressions):
        if i < keep:
            name = e.alias_or_name if isinstance(e, (exp.Alias, exp.Column)) else ""
            if not name or name in names:
                raise _refuse(f"a returned column without a name of its own ({e.sql()[:60]})")
            inner.append(e)
        else:
            name = f"__o{i}"
            inner.append(exp.alias_(e.this if isinstance(e, exp.Alias) else e, name, quoted=True))
        names.append(name)
    outer_order = []
    for term in (tree.args.get("order") or exp.Order(expressions=[])).expressions:
        at = _position(term.this, tree.expressions)
        if at is None:
            raise _refuse(f"ORDER BY {term.this.sql()[:60]} is not one of the selected columns")
        term = term.copy()
        term.set("this", exp.column(names[at], SUB, quoted=True))
        outer_order.append(term)
    tree.set("expressions", inner)
    outer = exp.select(*(exp.column(n, SUB, quoted=True) for n in names[:keep])).from_(
        exp.Subquery(this=tree, alias=exp.TableAlias(this=exp.to_identifier(SUB, quoted=True))))
    if outer_order:
        outer.set("order", exp.Order(expressions=outer_order))
    return outer


def _position(expr: exp.Expression, selected: list[exp.Expression]) -> int | None:
    """Which selected column an ORDER BY term names: a 1-based ordinal, or the same expression (or its alias)."""
    if isinstance(expr, exp.Literal) and expr.is_int:
        at = int(expr.name) - 1
        return at if 0 <= at < len(selected) else None
    for i, e in enumerate(selected):
        if e == expr or (isinstance(e, exp.Alias) and (e.this == expr or (
                isinstance(expr, exp.Column) and not expr.table and expr.name == e.alias))):
            return i
    return None
