"""A site that calls a custom manager method whose body is not one chain (``CUSTOM_METHOD``): its body followed
with the site's arguments (load.inline_method), and the chain it builds turned into the site's calls."""

from __future__ import annotations

import ast
from typing import Any, Union

import libcst as cst

from ..ir import Call, Model
from ..querysets import TERMINAL_METHODS
from .branches import Reason
from .inline_method import Runtime, Stop, chain_text, follow
from .scan_index import Ctx


def site_argument(scanner, value: cst.BaseExpression) -> Any:
    """A literal argument's value; anything else a Runtime by its source (``cast(T, x)`` is ``x``)."""
    if type(value) is cst.Call and scanner.qualified(value.func) == "typing.cast" and len(value.args) == 2:
        value = value.args[1].value
    text = scanner.code(value)
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return Runtime(text)


def follow_site(scanner, model: Model, manager: str, node: cst.Call, ctx: Ctx) -> Union[list[Call], Reason]:
    """The calls ``Model.<manager>.<custom>(args)`` stands for, or the CUSTOM_METHOD reason that says why not."""
    name = node.func.attr.value
    managers = [mg for mg in model.managers if mg.name == manager] or \
        (model.managers[:1] if manager in ("objects", "_default_manager") else [])
    paths = tuple(p for mg in managers for p in (mg.class_path, mg.queryset_class) if p)
    try:
        if any(a.star for a in node.args):
            raise Stop("the call passes *args or **kwargs")
        args = [(a.keyword.value if a.keyword else "", site_argument(scanner, a.value)) for a in node.args]
        steps = chain_text(follow(scanner.index.classes, scanner.index.constants, paths, name, args), name)
    except Stop as stop:
        return Reason("CUSTOM_METHOD", f"the custom manager method `{name}()`, followed with this site's "
                                       f"arguments, stops at {stop}: what it runs is decided by its Python code")
    p = scanner.pos[node.func.attr]
    out = []
    for method, items in steps:
        parsed = [cst.Arg(value=cst.parse_expression(src), keyword=cst.Name(k) if k else None) for k, src in items]
        out.append(Call(method=method, args=tuple(scanner.arg(a, ctx) for a in parsed),
                        line=p.start.line, column=p.start.column + 1))
    return out


def followed_calls(scanner, model: Model, manager: str, ops: list, calls: list[Call],
                   ctx: Ctx) -> tuple[list[Call], list[str]]:
    """The site's calls with its first one, a custom manager method, replaced by the chain its body builds;
    or the calls unchanged and the CUSTOM_METHOD reason that says why."""
    followed = follow_site(scanner, model, manager, ops[0][1], ctx)
    if isinstance(followed, Reason):
        return calls, [followed]
    if followed[-1].method in TERMINAL_METHODS and len(calls) > 1:
        return calls, [Reason("CUSTOM_METHOD", f"`{ops[0][0]}()` ends with `{followed[-1].method}()`: what follows "
                                               "it works on that result, not on a QuerySet")]
    return [*followed, *calls[1:]], []
