"""The calls a project decorator makes with values known at import, read by load.decorators_eval without running
the project's code beyond what import runs: a lambda answering a constant (django-nyt's
``json_view(lambda *a, **kw: {"error": "not logged in"})(request, status=403)``), a decorator of the project
applied to it (only a function that defines its wrapper and returns it: what ``@decorator`` runs at import), and
``response.write(text)`` on a response the decorator built from literals."""

from __future__ import annotations

import ast

from .decorators_eval import Obj, Steps, Unread, _const, _Marker


def constant_function(reader, node: ast.Lambda):
    """``lambda *a, **kw: <constant>``: a function of ours returning that constant (its parameters are never
    read: a body reading one is not a constant)."""
    a = node.args
    params = [p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg) if p is not None]
    saved = dict(reader.locals)
    reader.locals.update({p: _Marker(f"lambda argument {p}") for p in params})
    try:
        value = reader.expr(node.body)
    finally:
        reader.locals = saved
    if not _const(value):
        raise Unread("DECORATOR_EXPRESSION", f"`{ast.unparse(node)}` does not return a constant")

    def constant(*_args, **_kwargs):
        return value

    return Obj(constant)


def constant_of(obj):
    """The value a constant_function returns, else ``...`` (by its code: functools.wraps copies names, not code)."""
    code = getattr(obj, "__code__", None)
    ours = code is not None and code.co_filename == __file__ and code.co_name == "constant"
    return obj() if ours else ...


def _decorator_shape(fn) -> bool:
    """``def d(f): [@wraps(f)] def wrapper(...): ...; return wrapper``: applying it only defines a function."""
    from .decorators_eval import function_node

    node = function_node(fn)
    body = [s for s in getattr(node, "body", []) if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return (len(body) == 2 and isinstance(body[0], ast.FunctionDef) and isinstance(body[1], ast.Return)
            and isinstance(body[1].value, ast.Name) and body[1].value.id == body[0].name
            and all(ast.unparse(d.func if isinstance(d, ast.Call) else d).rpartition(".")[2] == "wraps"
                    for d in body[0].decorator_list))


def apply_decorator(fn, args: list, kwargs: dict):
    """A project decorator applied to a constant function (decorator-shaped: nothing else runs), as import
    applies it: its wrapper (an Obj), else None."""
    if kwargs or len(args) != 1 or not isinstance(args[0], Obj) or constant_of(args[0].value) is ...:
        return None
    if not _decorator_shape(fn):
        return None
    return Obj(fn(args[0].value))


def write_statement(reader, st) -> bool:
    """``response.write(text)`` of a response built from literals (a local holding its answer): the text
    appended to its body, as HttpResponse.write does. False for another statement."""
    call = st.value if isinstance(st, ast.Expr) else None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "write"
            and isinstance(call.func.value, ast.Name) and len(call.args) == 1 and not call.keywords):
        return False
    response = reader.locals.get(call.func.value.id)
    leaves = list(response.steps) if isinstance(response, Steps) else []
    text = reader.expr(call.args[0])
    if len(leaves) != 1 or "answer" not in leaves[0] or not isinstance(text, (str, bytes)):
        raise Unread("DECORATOR_STATEMENT", f"`{ast.unparse(st)}` is not read")
    body = leaves[0]["answer"]["body"] + (text.decode() if isinstance(text, bytes) else text)
    reader.locals[call.func.value.id] = Steps(({"answer": dict(leaves[0]["answer"], body=body)},))
    return True
