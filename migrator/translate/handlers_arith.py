"""Integer arithmetic in a migrated view: ``+``, ``-``, ``*`` of integers (part of ViewReader).

Python's integers do not overflow: ``(page - 1) * size`` of a page near 2**63 is a larger integer, and
Python goes on with it. Go computes in int64 with each operation checked (pyvalues.go ``Ints``): where
Python's result is beyond int64, Go cannot hold it and the handler answers 500. That is Django's answer
only where Python's big integer would fail too, so the result has its own type (WIDE) that the reader
accepts in two places only:

- another checked operation (``(page - 1) * size`` is one Go call);
- a LIMIT / OFFSET bound of a query (a slice ``qs[offset:offset + size]``): Django writes those numbers into
  the SQL text, and a number beyond int64 there is refused by SQLite ("datatype mismatch") and PostgreSQL
  ("bigint out of range"): Django answers 500 as well. Within int64 both give the same rows.

Anywhere else (a JSON answer, a comparison, a filter value) it stays a stub with a reason naming the use.
Operands are int64 values (query text through ``int()``, columns, ``max``/``min``) and integer constants;
a JSON body value (which may be a bool or a float) and ``/``, ``//``, ``%``, ``**`` are not read.
"""

from __future__ import annotations

import ast as _ast
import re

from .handlers_humanize import percent
from .handlers_values import INT_TYPES, Const, GoValue, NotRecognised

WIDE = "int64 (a Python int: checked)"
_OPS = {_ast.Add: ("Add", "+"), _ast.Sub: ("Sub", "-"), _ast.Mult: ("Mul", "*")}
_BOUND = r"\b(?:LIMIT|OFFSET) sqlc\.arg\({}\)"


def is_slice_bound(sql: str, name: str) -> bool:
    """The parameter is a LIMIT or OFFSET number of the query (a slice bound Django writes into the SQL)."""
    return re.search(_BOUND.format(re.escape(name)), sql) is not None


def in_expression(sql: str, name: str) -> bool:
    """The parameter is an operand of arithmetic in the query (``"stock" + sqlc.arg(quantity)``), where Django
    binds the Python value without a field's conversion."""
    arg = rf"sqlc\.n?arg\({re.escape(name)}\)"
    return re.search(rf"[-+*/%]\s*{arg}|{arg}\s*[-+*/%]", sql) is not None


class ArithMixin:
    """``a + b``, ``a - b``, ``a * b`` of integers for ViewReader (see the module docstring)."""

    def parse_int(self, arg: GoValue) -> GoValue:
        var = self.computed(("ParseInt", arg.code))
        if var is None:
            var = self.var("number")
            self.stmts.append(f"{var}, err := strconv.ParseInt({arg.code}, 10, 64)\n" + self.error_check("int()"))
            self.remember(("ParseInt", arg.code), var)
        return GoValue(var, "int64")

    def arithmetic(self, node, env, fn):
        """The value of an integer BinOp: a Const when both sides are known now, else a WIDE variable computed
        by one checked Go call."""
        if isinstance(node.op, _ast.Mod) and isinstance(node.left, (_ast.Constant, _ast.Call)):
            return percent(self, node, env, fn)  # "text %d" % n (handlers_humanize)
        if type(node.op) not in _OPS:
            raise NotRecognised(f"arithmetic {_ast.unparse(node)}: only +, - and * of integers are read")
        code = self._checked(node, env, fn)
        if code is None:
            raise NotRecognised(f"arithmetic {_ast.unparse(node)} of a value that is not an integer")
        if isinstance(code, Const):
            return code
        var = self.var("number")
        what = _ast.unparse(node)
        self.stmts.append(f"{var}, err := CheckedInt(func(c *Ints) int64 {{ return {code} }})\n"
                          + self.error_check(what))
        return GoValue(var, WIDE)

    def _checked(self, node, env, fn):
        """Go of ``node`` inside CheckedInt (``c.Mul(c.Sub(page, 1), size)``), a Const when known now, or
        None when a side is not an integer."""
        if isinstance(node, _ast.BinOp) and type(node.op) in _OPS:
            left, right = self._checked(node.left, env, fn), self._checked(node.right, env, fn)
            if left is None or right is None:
                return None
            if isinstance(left, Const) and isinstance(right, Const):
                return Const({_ast.Add: int.__add__, _ast.Sub: int.__sub__, _ast.Mult: int.__mul__}[type(node.op)](
                    left.value, right.value))
            name = _OPS[type(node.op)][0]
            return f"c.{name}({_operand(left)}, {_operand(right)})"
        v = self.expr(node, env, fn)
        if isinstance(v, Const) and type(v.value) is int:
            return v
        if isinstance(v, GoValue) and v.type in (WIDE, "int64"):
            return v.code
        if isinstance(v, GoValue) and v.type in INT_TYPES:
            return f"int64({v.code})"
        return None


def _operand(v) -> str:
    """Go of an operand: its code, or the constant's digits (int64 only: Go's constants are typed)."""
    if isinstance(v, Const):
        if not -2**63 <= v.value < 2**63:
            raise NotRecognised(f"the integer constant {v.value} is beyond 64 bits")
        return str(v.value)
    return v
