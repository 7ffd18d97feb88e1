"""The calls a project decorator makes with values known at import, read by load.decorators_eval without running
the project's code beyond what import runs: a lambda answering a constant (django-nyt's
``json_view(lambda *a, **kw: {"error": "not logged in"})(request, status=403)``), a decorator of the project
applied to it (only a function that defines its wrapper and returns it: what ``@decorator`` runs at import), and
``response.write(text)`` on a response the decorator built from literals."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from .decorators_values import Obj, Steps, Unread, _const, _Marker


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
    from .decorators_values import function_node

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
    if len(leaves) == 1 and "answer" in leaves[0] and isinstance(text, ResultText):
        answer = leaves[0]["answer"]  # the view's result written as JSON: the view reader's answer
        if answer["body"] or dict(answer["headers"]).get("Content-Type") != "application/json":
            raise Unread("DECORATOR_RESULT", "the view's result written into a response that is not empty JSON")
        result = {"status": answer["status"], "encoder": "json", "status_kwarg": answer.get("status_kwarg")}
        reader.locals[call.func.value.id] = Steps(({"result": result},))
        return True
    if len(leaves) != 1 or "answer" not in leaves[0] or not isinstance(text, (str, bytes)):
        raise Unread("DECORATOR_STATEMENT", f"`{ast.unparse(st)}` is not read")
    body = leaves[0]["answer"]["body"] + (text.decode() if isinstance(text, bytes) else text)
    reader.locals[call.func.value.id] = Steps(({"answer": dict(leaves[0]["answer"], body=body)},))
    return True


@dataclass(frozen=True)
class KwargOr:
    """``kwargs.get(name, default)`` of the route's URL kwargs: the default unless the route has that kwarg."""
    name: str
    default: object


@dataclass(frozen=True)
class ResultText:
    """``json.dumps(result, ensure_ascii=...)``: the view's result as JSON text (no DjangoJSONEncoder)."""
    ensure_ascii: bool


def result_answer(reader, func, args: list, kwargs: dict, node: ast.Call):
    """A call given the view's result (RESULT): ``JsonResponse(result[, status=N])`` (DjangoJSONEncoder),
    ``json.dumps(result[, ensure_ascii=b])``, or a project function ``f(result, **kwargs)`` read with the route's
    kwargs (django-nyt's ``data2jsonresponse``). Any other use of the result is named, not translated."""
    import inspect
    import json

    from django.http import JsonResponse

    from .decorators_values import KWARGS, RESULT

    value = func.value if isinstance(func, Obj) else None
    plain = len(node.args) == 1 and args == [RESULT] and all(k.arg for k in node.keywords) and len(kwargs) == len(
        node.keywords)
    if value is JsonResponse and plain and set(kwargs) <= {"status"} and isinstance(kwargs.get("status", 200), int):
        return Steps(({"result": {"status": kwargs.get("status", 200), "encoder": "django"}},))
    if value is json.dumps and plain and set(kwargs) <= {"ensure_ascii"} and _const(kwargs.get("ensure_ascii", True)):
        return ResultText(bool(kwargs.get("ensure_ascii", True)))
    if inspect.isfunction(value) and len(node.args) == 1 and args == [RESULT] and len(node.keywords) == 1 \
            and node.keywords[0].arg is None and reader.expr(node.keywords[0].value) is KWARGS:
        params = list(inspect.signature(value, follow_wrapped=False).parameters.values())
        if len(params) == 2 and params[0].kind == params[0].POSITIONAL_OR_KEYWORD and params[1].kind == params[1].VAR_KEYWORD:
            return reader.evaluate_value(value, reader.view, {params[0].name: RESULT, params[1].name: KWARGS},
                                         reader.depth + 1)
    callee = _name_of(value) if value is not None else ast.unparse(node.func)
    raise Unread("DECORATOR_RESULT", f"`{ast.unparse(node)}` answers with the view's result through {callee}: only "
                 "JsonResponse(result), json.dumps(result) written into a response, or a function of them is read")


def _name_of(fn) -> str:
    from .decorators_values import _name

    return _name(fn)


def response_of_kwarg(reader, cls, args: list, kwargs: dict):
    """``HttpResponse(content_type=..., status=kwargs.get("status", 200))``: the response with the default, the
    status kwarg kept (``status_kwarg``) for the route to check; only read when its body is the view's result."""
    kwarg = [(k, v) for k, v in kwargs.items() if isinstance(v, KwargOr)]
    if len(kwarg) != 1 or kwarg[0][0] != "status" or not all(_const(v) for k, v in kwargs.items() if k != "status"):
        raise Unread("DECORATOR_RESPONSE", f"{cls.__name__} built from values that depend on the request")
    steps = reader.response(cls, args, dict(kwargs, status=kwarg[0][1].default))
    return Steps(({"answer": dict(steps.steps[0]["answer"], status_kwarg=kwarg[0][1].name)},))
