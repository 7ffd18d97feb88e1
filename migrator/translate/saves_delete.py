"""delete() overrides that refuse: ported to Go when they read only the row's own fields; otherwise the reason.

A ported override is a sequence of ``if <condition>: raise ...`` and ``assert <condition>[, message]`` on the
row's fields (the conditions of translate.saves, with Python's truthiness), then ``super().delete(...)``: the Go
method returns a *DeleteRefused (delete.go) exactly when the Python raises, and DeleteX calls it for each row
before it deletes anything, as instance.delete() runs the override before its Collector (a cascade does not
call it, and neither does deleteX). Anything else (a query, a relation, a call, Python after the delete) keeps
a scaffold that names the statement. An assert is kept as Python runs it without -O (as Django's servers do).
"""

from __future__ import annotations

import ast

from ..gostring import go_string
from .gorm_model import Hook, Struct
from .saves import NotPorted, _first_line, _negate, _Porter, _what, columns_of, method_body


def delete_hook(source: str, where: str, s: Struct) -> Hook:
    """The struct's delete() step: ported (portedDelete), or a stub saying why not (pythonDelete)."""
    try:
        go = port_delete(source, columns_of(s), s.label, where)
        return Hook("delete_override", "portedDelete", python=source, where=where, go=go)
    except NotPorted as exc:
        return Hook("delete_override", "pythonDelete", python=source, where=where, why=str(exc))


def port_delete(source: str, columns: dict, label: str, where: str) -> list[str]:
    """The Go statements of a refusing delete() override (before its ``super().delete()``), or NotPorted."""
    fn, body = method_body(source)
    if not body or not _is_super_delete(body[-1]):
        raise NotPorted("super().delete() is not its last statement: " + _what(body[-1] if body else fn))
    porter, out = _Porter(columns), []
    for s in body[:-1]:
        try:
            out += _refusal(porter, s, label, where)
        except NotPorted as exc:
            raise NotPorted(str(exc) if str(exc).startswith("line ") else
                            f"line {s.lineno}: {_first_line(s)}: {exc}") from exc
    if not out:
        raise NotPorted("it refuses nothing before super().delete()")
    return out


def _refusal(porter: _Porter, s: ast.stmt, label: str, where: str) -> list[str]:
    if isinstance(s, ast.Assert):
        cond, raised = porter.truth(s.test), "AssertionError"
        return [f"if {_negate(cond)} {{", "\t" + _refused(label, where, raised, s.lineno), "}"]
    if isinstance(s, ast.If) and not s.orelse and len(s.body) == 1 and isinstance(s.body[0], ast.Raise) \
            and s.body[0].exc is not None:
        exc = s.body[0].exc
        name = exc.func if isinstance(exc, ast.Call) else exc
        if not isinstance(name, (ast.Name, ast.Attribute)):
            raise NotPorted(f"{ast.unparse(exc)} is not an exception class")
        raised = name.id if isinstance(name, ast.Name) else name.attr
        return [f"if {porter.truth(s.test)} {{", "\t" + _refused(label, where, raised, s.lineno), "}"]
    if isinstance(s, (ast.Import, ast.ImportFrom)):  # a local import of the exception class: nothing to port
        return []
    raise NotPorted(_what(s).replace("only conditions on the row's fields and assignments to them are ported",
                                     "only `if ...: raise` and `assert` on the row's fields are ported"))


def _refused(label: str, where: str, raised: str, line: int) -> str:
    path, _, first = where.rpartition(":")  # line counts from the def, at the where's line
    at = f"{path}:{int(first) + line - 1}" if first.isdigit() else where
    return (f"return &DeleteRefused{{Model: {go_string(label)}, Raised: {go_string(raised)}, "
            f"Where: {go_string(at)}}}")


def _is_super_delete(stmt: ast.stmt) -> bool:
    call = stmt.value if isinstance(stmt, (ast.Expr, ast.Return)) else None
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "delete"
            and isinstance(call.func.value, ast.Call) and isinstance(call.func.value.func, ast.Name)
            and call.func.value.func.id == "super")
