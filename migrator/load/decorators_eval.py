"""Read the body of a project's own view decorator (its wrapper closure) by partial evaluation: the names its
closure and module hold at import (the wrapped view, settings, flags, functions) are substituted, the `if`s
whose test is known are decided, small functions it calls are inlined, and what is left is a decision tree
over the request's user (and headers) ending in an answer (a response Django builds from literals, the login
redirect, PermissionDenied, Http404) or in the wrapped view.

Plain data out (``steps``, translate.guards renders them as Go):
``{"if": test, "then": [steps], "else": [steps]}``, ``{"answer": {"status", "headers", "body"}}``,
``{"login": {"url": None or str, "field": str or None}}``, ``{"forbidden": True}``, ``{"view": True}``.
A test is restricted Python text over ``u.is_authenticated``, ``u.is_active``, ``u.is_staff``,
``u.is_superuser``, ``header("X-Name") == "value"``, ``True``/``False``, ``not``/``and``/``or``.
Anything else raises Unread with a DECORATOR_* code naming what could not be read: never a guess.
"""

from __future__ import annotations

import ast
import inspect
import sys

from .decorators_values import (  # noqa: F401 - the readers' values; other readers import them from here too
    _CONST, _FLAGS, ARGS, HEADERS, KWARGS, REQUEST, RESULT, USER, VIEW, Header, Obj, Steps, Sym, Unread, _const,
    _Marker, _name, _readable, _user_truthy, bool_op, function_node, not_, sym_text, truth)


_PURE_DJANGO = {"django.shortcuts.redirect", "django.shortcuts.resolve_url", "django.urls.base.reverse",
                "json.dumps"}  # called with constants only


class Reader:
    """One function's body, evaluated with its closure and module globals (``bound``: its parameters)."""

    # a called function's value: load.decorators_steps sets it when it is imported (statements read functions,
    # which call functions: mutual recursion across the two modules without an import cycle)
    evaluate_value = None

    def __init__(self, fn, view, bound: dict, depth: int = 0):
        if depth > 3:
            raise Unread("DECORATOR_CALL", f"{_name(fn)}: calls nested deeper than 3")
        self.fn, self.view, self.depth = fn, view, depth
        code = fn.__code__
        cells = {}
        for name, cell in zip(code.co_freevars, fn.__closure__ or ()):
            try:
                cells[name] = cell.cell_contents
            except ValueError:  # an empty cell
                continue
        self.cells, self.globals, self.locals = cells, fn.__globals__, dict(bound)
        self.result_kept = None  # RESULT once the view's result is bound to a name (decorators_steps.block)

    # -- values
    def wrap(self, obj):
        if obj is self.view:
            return VIEW
        return obj if _const(obj) else Obj(obj)

    def name(self, node: ast.Name):
        import builtins

        for scope in (self.locals,):
            if node.id in scope:
                return scope[node.id]
        for scope in (self.cells, self.globals, vars(builtins)):
            if node.id in scope:
                return self.wrap(scope[node.id])
        raise Unread("DECORATOR_NAME", f"`{node.id}` is not bound")

    def attribute(self, base, attr: str):
        if base is REQUEST:
            if attr == "user":
                return USER
            if attr == "headers":
                return HEADERS
            raise Unread("DECORATOR_REQUEST", f"request.{attr} is not read")
        if base is USER:
            if attr in _FLAGS:
                return Sym(f"u.{attr}")
            if attr == "is_anonymous":
                return Sym("not (u.is_authenticated)")
            raise Unread("DECORATOR_USER", f"request.user.{attr} is not one of {', '.join(_FLAGS)}")
        if base is KWARGS and attr == "get":  # the route's URL kwargs: decorators_calls.KwargOr
            return Obj(("kwargs.get",))
        if base is HEADERS and attr == "get":
            return Obj(("headers.get",))
        if _readable(base):
            try:
                return self.wrap(getattr(base.value, attr))
            except AttributeError:
                raise Unread("DECORATOR_NAME", f"{attr} is not set") from None
        if isinstance(base, (Obj, dict)) and isinstance(getattr(base, "value", base), dict) and attr == "get":
            return Obj(("dict.get", getattr(base, "value", base)))
        if isinstance(base, Obj) and inspect.isclass(base.value) and hasattr(base.value, "_meta"):
            raise Unread("DECORATOR_QUERY", f"{base.value.__qualname__}.{attr}: the decorator reads the database")
        what = getattr(base.value, "__qualname__", type(base.value).__name__) if isinstance(base, Obj) else getattr(
            base, "name", type(base).__name__)
        raise Unread("DECORATOR_VALUE", f"{what}.{attr} is not read")

    def expr(self, node):  # noqa: C901 - one dispatch on the node's kind
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Attribute):
            return self.attribute(self.expr(node.value), node.attr)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not_(self.expr(node.operand))
        if isinstance(node, ast.BoolOp):
            return bool_op(isinstance(node.op, ast.And), [self.expr(v) for v in node.values])
        if isinstance(node, ast.NamedExpr):
            self.locals[node.target.id] = value = self.expr(node.value)
            return value
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            return self.compare(self.expr(node.left), node.ops[0], self.expr(node.comparators[0]))
        if isinstance(node, (ast.Tuple, ast.List)):
            items = [self.expr(e) for e in node.elts]
            if all(_const(i) for i in items):
                return tuple(items) if isinstance(node, ast.Tuple) else items
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            left, right = self.expr(node.left), self.expr(node.right)
            if isinstance(left, (str, int)) and isinstance(right, (str, int, tuple)) and not isinstance(left, bool):
                return left + right if isinstance(node.op, ast.Add) else left % right
        if isinstance(node, ast.Dict) and None not in node.keys:
            items = {self.expr(k): self.expr(v) for k, v in zip(node.keys, node.values)}
            if _const(items):
                return items
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Lambda):
            from .decorators_calls import constant_function

            return constant_function(self, node)
        raise Unread("DECORATOR_EXPRESSION", f"`{ast.unparse(node)}` is not read")

    def compare(self, left, op, right):
        if _const(left) and _const(right):
            ops = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Is: lambda a, b: a is b,
                   ast.IsNot: lambda a, b: a is not b, ast.In: lambda a, b: a in b}
            if type(op) in ops:
                return ops[type(op)](left, right)
        if isinstance(right, Header):
            left, right = right, left
        if isinstance(left, Header) and isinstance(right, str) and isinstance(op, (ast.Eq, ast.NotEq)):
            text = f"header({left.name!r}) == {right!r}"
            return Sym(text) if isinstance(op, ast.Eq) else Sym(f"not ({text})")
        raise Unread("DECORATOR_EXPRESSION", "a comparison of values that depend on the request")

    def call(self, node: ast.Call):
        func = self.expr(node.func)
        if func is VIEW or isinstance(func, Steps):
            if not self.passes_through(node):
                raise Unread("DECORATOR_VIEW_ARGS", "the view is called with arguments of the decorator's own")
            return func if isinstance(func, Steps) else Steps(({"view": True},))
        args, kwargs, spread = self.arguments(node)
        if RESULT in args or RESULT in kwargs.values():
            return self.result_answer(func, args, kwargs, node)
        if spread:
            raise Unread("DECORATOR_CALL", f"`{ast.unparse(node)}` passes *args/**kwargs")
        if not isinstance(func, Obj):
            raise Unread("DECORATOR_CALL", f"`{ast.unparse(node.func)}` is not a function read at import")
        return self.call_object(func.value, args, kwargs, ast.unparse(node))

    def arguments(self, node: ast.Call) -> tuple[list, dict, bool]:
        """A call's arguments, ``*x`` / ``**x`` expanded when ``x`` is a constant (a wrapper's own args and
        kwargs once a constant call bound them: ``f(request, *args, **kwargs)`` called with ``status=403``), and
        whether one was left out (not a constant: the route's)."""
        args: list = []
        kwargs: dict = {}
        spread = False
        for a in node.args:
            value = self.expr(a.value if isinstance(a, ast.Starred) else a)
            if isinstance(a, ast.Starred) and not (isinstance(value, (tuple, list)) and _const(value)):
                spread = True
                continue
            args += list(value) if isinstance(a, ast.Starred) else [value]
        for k in node.keywords:
            value = self.expr(k.value)
            if k.arg is None and not (isinstance(value, dict) and _const(value)):
                spread = True
                continue
            kwargs.update(value if k.arg is None else {k.arg: value})
        return args, kwargs, spread

    def passes_through(self, node: ast.Call) -> bool:
        """``view(request, *args, **kwargs)``: the request and the route's arguments, as Django passed them."""
        args = [self.expr(a.value if isinstance(a, ast.Starred) else a) for a in node.args]
        kw = [self.expr(k.value) for k in node.keywords]
        return args in ([REQUEST, ARGS], [REQUEST]) and kw in ([KWARGS], []) and (
            [isinstance(a, ast.Starred) for a in node.args] == [False, True][:len(args)]) and all(
            k.arg is None for k in node.keywords)

    def call_object(self, obj, args: list, kwargs: dict, text: str):  # noqa: C901 - the callables read
        from django.contrib.auth.decorators import login_required
        from django.http.response import HttpResponseBase

        if isinstance(obj, tuple) and obj[0] == "kwargs.get" and len(args) == 2 and isinstance(args[0], str) \
                and _const(args[1]):
            from .decorators_calls import KwargOr

            return KwargOr(args[0], args[1])
        if isinstance(obj, tuple) and obj[0] == "headers.get" and len(args) == 1 and isinstance(args[0], str):
            return Header(args[0])
        if isinstance(obj, tuple) and obj[0] == "dict.get" and all(_const(a) for a in args):
            value = obj[1].get(*args)
            return self.wrap(value)
        if obj in (hasattr, getattr) and len(args) >= 2 and isinstance(args[1], str) and _readable(args[0]):
            try:
                return obj(args[0].value, *args[1:])
            except AttributeError:
                raise Unread("DECORATOR_NAME", f"{args[1]} is not set") from None
        if obj is login_required and args == [VIEW] and not kwargs:
            return Steps(({"if": "not (u.is_authenticated)", "then": [{"login": {"url": None, "field": "next"}}],
                           "else": []}, {"view": True}))
        consts = all(_const(a) for a in args) and all(_const(v) for v in kwargs.values())
        if inspect.isclass(obj) and issubclass(obj, HttpResponseBase) and consts:
            return self.response(obj, args, kwargs)
        if inspect.isclass(obj) and issubclass(obj, HttpResponseBase) and all(_const(a) for a in args):
            from .decorators_calls import response_of_kwarg

            return response_of_kwarg(self, obj, args, kwargs)
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            return Obj(obj)  # raised next
        from .decorators_calls import apply_decorator, constant_of

        if constant_of(obj) is not ...:
            return obj()
        if f"{getattr(obj, '__module__', '')}.{getattr(obj, '__name__', '')}" in _PURE_DJANGO and consts:
            out = obj(*args, **kwargs)
            return Steps((answer_of(out),)) if isinstance(out, HttpResponseBase) else self.wrap(out)
        if inspect.isfunction(obj) and not obj.__module__.startswith("django.") and (
                obj.__module__.split(".")[0] not in sys.stdlib_module_names):
            return apply_decorator(obj, args, kwargs) or self.inline(obj, args, kwargs)
        raise Unread("DECORATOR_CALL", f"`{text}` calls {_name(obj)}, which is not read")

    def result_answer(self, func, args: list, kwargs: dict, node: ast.Call):
        """A call given the view's result (load.decorators_calls.result_answer)."""
        from .decorators_calls import result_answer

        return result_answer(self, func, args, kwargs, node)

    def response(self, cls, args, kwargs):
        init = next(k for k in cls.__mro__ if "__init__" in vars(k))
        if not init.__module__.startswith("django."):
            raise Unread("DECORATOR_RESPONSE", f"{_name(cls)} builds its response in its own __init__")
        return Steps((answer_of(cls(*args, **kwargs)),))

    def inline(self, fn, args, kwargs):
        """A small function the decorator calls, read the same way: its value when every path returns a test."""
        signature = inspect.signature(fn, follow_wrapped=False)  # a wrapper's own (functools.wraps: the view's)
        params = signature.parameters
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            raise Unread("DECORATOR_CALL", f"{_name(fn)} called with other arguments than it takes") from None
        bound.apply_defaults()
        values = {k: (self.wrap(v) if not isinstance(v, (Sym, Obj, Header, _Marker)) and v is not None
                      and not _const(v) else v) for k, v in bound.arguments.items()}
        if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and not _const(values[name]) for name, p in params.items()):
            raise Unread("DECORATOR_CALL", f"{_name(fn)} takes *args/**kwargs")
        return type(self).evaluate_value(fn, self.view, values, self.depth + 1)


def answer_of(response) -> dict:
    """A response Django built, as plain data (only a plain, fully read content: never a stream)."""
    if getattr(response, "streaming", False) or response.cookies:
        raise Unread("DECORATOR_RESPONSE", "a streaming response, or one setting cookies")
    return {"answer": {"status": response.status_code, "headers": sorted([k, v] for k, v in response.items()),
                       "body": response.content.decode("utf-8")}}
