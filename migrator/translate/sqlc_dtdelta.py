"""``F("start") + delta`` on SQLite: Django's ``django_format_dtdelta`` written in SQLite's own SQL, exactly.

Django's SQLite backend adds a duration to a datetime in Python, in a function it registers on its own
connections (django/db/backends/sqlite3/_functions.py, ``_sqlite_format_dtdelta``): the stored text is read
with ``typecast_timestamp`` (the date and time up to the seconds, then up to six digits of microseconds; any
offset after them dropped), the duration is an integer of microseconds, and the sum comes back as
``str(datetime)`` of that naive value: ``YYYY-MM-DD HH:MM:SS``, then ``.ffffff`` only when the microseconds
are not zero (USE_TZ or not). Go has no such function, so the same arithmetic is written
in integers (never SQLite's floating julian days, which lose microseconds):

    u    = strftime('%s', first 19 characters) * 1000000 + the six digits after a '.' at character 20  ± delta
    frac = u modulo 1000000, taken >= 0 (floor, so before 1970 too)
    text = strftime('%Y-%m-%d %H:%M:%S', (u - frac) / 1000000, 'unixepoch') || '.%06d' of frac unless 0

Past the years 1 to 9999, and on an empty text, Django's function raises and so does this SQL.
This is Django's result for every value Django itself writes into a DateTimeField column on SQLite (four-digit
year, six-digit microseconds or none, UTC); NULL stays NULL. The duration parameter is cast to
``dj_duration`` so sqlc types it djtypes.Duration (an override in sqlc.yaml), the microseconds Django binds.
A shape Django computes otherwise (a date column, two datetimes, a duration minus a datetime, an aliased
table) stays SQLITE_DJANGO_FUNCTION.
"""

from __future__ import annotations

from typing import Optional

import sqlglot
from sqlglot import exp

DURATION_TYPE = "dj_duration"  # SQLite type name of the cast; NUMERIC affinity keeps the integer as it is

_U = ("(CAST(strftime('%s', substr(__l__, 1, 19)) AS INTEGER) * 1000000 + (CASE WHEN substr(__l__, 20, 1) = '.' "
      "THEN CAST(substr(__l__, 21, 6) AS INTEGER) ELSE 0 END) {op} CAST(__r__ AS " + DURATION_TYPE + "))")
_FRAC = "((({u} % 1000000) + 1000000) % 1000000)"
# Python's datetime spans years 1 to 9999: past them (and on an empty text) Django's function raises, so
# does this SQL (abs() of the smallest integer is SQLite's "integer overflow" error)
_FIRST, _LAST = -62135596800 * 1000000, 253402300799 * 1000000 + 999999
_TEXT = ("(CASE WHEN {u} < " + str(_FIRST) + " OR {u} > " + str(_LAST) + " OR (__l__ = '' AND __r__ IS NOT NULL) "
         "THEN abs(-9223372036854775807 - 1) ELSE strftime('%Y-%m-%d %H:%M:%S', ({u} - {frac}) / 1000000, 'unixepoch') "
         "|| CASE WHEN {frac} = 0 THEN '' ELSE printf('.%06d', {frac}) END END)")


def expression(op: str) -> str:
    """The SQL of Django's ``django_format_dtdelta(op, __l__, __r__)``, ``__l__`` the datetime text, ``__r__``
    the microseconds (``op`` is ``+`` or ``-``)."""
    u = _U.format(op=op)
    frac = _FRAC.format(u=u)
    return _TEXT.format(u=u, frac=frac)


def _datetime_column(node: exp.Expression, datetimes: frozenset) -> bool:
    return isinstance(node, exp.Column) and (node.table, node.name) in datetimes


def _operands(node: exp.Anonymous, datetimes: frozenset) -> Optional[tuple[str, exp.Expression, exp.Expression]]:
    """(op, datetime column, duration) when the call is one this module writes exactly, else None."""
    args = node.expressions
    if len(args) != 3 or not isinstance(args[0], exp.Literal) or args[0].this.strip() not in ("+", "-"):
        return None
    op, left, right = args[0].this.strip(), args[1], args[2]
    if _datetime_column(left, datetimes) and not _datetime_column(right, datetimes) and not isinstance(right, exp.Column):
        return op, left, right
    if op == "+" and _datetime_column(right, datetimes) and not isinstance(left, exp.Column):
        return op, right, left  # timedelta + datetime: the same sum
    return None


def _substr(node: exp.Expression) -> exp.Expression:
    """``substr()`` as written (sqlglot would print SUBSTRING, which SQLite before 3.34 does not know)."""
    if isinstance(node, exp.Substring):
        return exp.Anonymous(this="substr", expressions=[node.this, node.args["start"], node.args["length"]])
    return node


def rewrite(tree: exp.Expression, datetimes: frozenset) -> exp.Expression:
    """Each ``django_format_dtdelta`` over a DateTimeField column (``datetimes``: its (table, column) pairs) and a
    duration, as SQLite SQL; the others are left for ``_native_sqlite`` to report."""

    def fix(node: exp.Expression) -> exp.Expression:
        if not (isinstance(node, exp.Anonymous) and str(node.this).lower() == "django_format_dtdelta"):
            return node
        found = _operands(node, datetimes)
        if found is None:
            return node
        op, column, duration = found
        out = sqlglot.parse_one(expression(op), read="sqlite").transform(_substr, copy=False)
        for ident in list(out.find_all(exp.Column)):
            if ident.name == "__l__":
                ident.replace(column.copy())
            elif ident.name == "__r__":
                ident.replace(duration.copy())
        return exp.Paren(this=out)
    return tree.transform(fix, copy=False)
