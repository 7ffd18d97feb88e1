"""The parameters of one sqlc query: Django's ``%s`` placeholders, each matched to a sentinel (a runtime
argument) or to a constant, become named ``sqlc.arg``/``sqlc.narg`` placeholders or literals; an optional
filter's predicate is wrapped in ``(x IS NULL OR <predicate>)`` (``translate.sqlc.translate`` composes these)."""

from __future__ import annotations

import re
from typing import Optional

from sqlglot import exp

from .sqlc_match import _literal
from .sqlc_model import Param, param_name

Match = Optional[tuple[dict, str]]  # (sentinel, the transform Django applied to it in Python) or a constant


def typed_first(dialect: str, sentinel: dict, nullable: frozenset) -> bool:
    """Whether an optional filter is written ``(<condition> OR x IS NULL)`` rather than ``(x IS NULL OR ...)``.

    sqlc's SQLite engine types a parameter from its first use: ``x IS NULL`` first gives ``interface{}``,
    the condition first gives the column's type, nullable (sql.NullInt64, *djtypes.Duration). That is right
    unless the column has a non-pointer Go type override (decimals, UUID, JSON, dates, datetimes, durations
    of a NOT NULL field): the parameter would then be a value that cannot be absent, so those stay
    ``interface{}``. PostgreSQL casts ``x IS NULL`` explicitly, so the order does not matter there.
    """
    if dialect != "sqlite":
        return False
    return sentinel["kind"] in ("int", "str", "float", "bool") or sentinel["field"] in nullable


def key_of(sentinel: dict, transform: str) -> str:
    """The name a sentinel's parameter is made from: year bounds of one value are two parameters."""
    return sentinel["name"] + ("" if not transform.startswith("year") else "_" + transform.split("_")[1])


class Placeholders:
    """Django's ``:pN`` placeholders of one query -> its named parameters, each name taken once."""

    def __init__(self, params: list, matches: list[Match], limits: list[dict]):
        self.params, self.matches, self.limits = params, matches, limits
        self.by_name: dict[str, Param] = {}
        self.names: dict[str, str] = {}  # sentinel key -> parameter name, unique in the query

    def name_of(self, key: str) -> str:
        """`order` and `order_value` both exist as arguments: the second one to come gets a number."""
        if key not in self.names:
            base = name = param_name(key)
            n = 2
            while name in self.names.values():
                name, n = f"{base}{n}", n + 1
            self.names[key] = name
        return self.names[key]

    def param_for(self, i: int) -> exp.Expression:
        m = self.matches[i]
        if m is None:
            return _literal(self.params[i])
        s, transform = m
        name = self.name_of(key_of(s, transform))
        if name not in self.by_name:
            self.by_name[name] = Param(name=name, source=s["source"], kind=s["kind"], transform=transform,
                                       optional=s["optional"], is_list=s["is_list"], field=s["field"],
                                       sentinel=s["name"])
        return exp.Placeholder(this=f"q_{name}")

    def rewrite(self, node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder) and str(node.this).startswith("p"):
            return self.param_for(int(str(node.this)[1:]))
        if isinstance(node, exp.Literal) and node.is_int and isinstance(node.parent, (exp.Limit, exp.Offset)):
            bound = next((s for s in self.limits if str(s["value"]) == node.this), None)
            if bound is not None:  # Django inlines LIMIT/OFFSET numbers: a sentinel there is a slice bound
                name = self.name_of(bound["name"])
                self.by_name.setdefault(name, Param(name=name, source=bound["source"], kind="int",
                                                    sentinel=bound["name"]))
                return exp.Placeholder(this=f"q_{name}")
        return node

    def mark_like_exact(self, tree: exp.Expression) -> None:
        """As on SQLite: Django's iexact binds an escaped value to ``LIKE ... ESCAPE '\\'``."""
        for like in tree.find_all(exp.Like, exp.Escape):
            target = like.this if isinstance(like, exp.Escape) else like
            rhs = target.expression if isinstance(target, exp.Like) else None
            if isinstance(rhs, exp.Placeholder):
                i = int(str(rhs.this)[1:])
                if self.matches[i] is not None and self.matches[i][1] == "":
                    self.matches[i] = (self.matches[i][0], "like_exact")

    def wrap_optional(self, tree: exp.Expression, dialect: str, nullable: frozenset) -> None:
        """Each predicate holding an optional parameter becomes ``(x IS NULL OR <predicate>)`` (or the other
        order, see ``typed_first``), once however many of its placeholders are optional."""
        wrapped_nodes: list[exp.Expression] = []
        for name, ph in {str(ph.this): ph for ph in tree.find_all(exp.Placeholder)}.items():
            m = self.matches[int(name[1:])]
            if m is None or not m[0]["optional"]:
                continue
            pred = ph
            while pred.parent is not None and not isinstance(pred.parent, (exp.And, exp.Or, exp.Where, exp.Paren,
                                                                           exp.Not)):
                pred = pred.parent
            if any(pred is w for w in wrapped_nodes):
                continue
            absent = exp.Is(this=exp.Placeholder(this=f"n_{self.name_of(key_of(*m))}"), expression=exp.Null())
            first, second = (pred.copy(), absent) if typed_first(dialect, m[0], nullable) else (absent, pred.copy())
            wrapped = exp.Paren(this=exp.Or(this=first, expression=second))
            wrapped_nodes.append(wrapped)
            pred.replace(wrapped)


def numbered(sql: str, count: int) -> str:
    """Django's ``count`` ``%s`` placeholders as ``:p0``, ``:p1``... (sqlglot parses those), ``%%`` as ``%``."""
    counter = iter(range(count))
    return re.sub(r"%s", lambda _m: f":p{next(counter)}", sql.replace("%%", "%"))
