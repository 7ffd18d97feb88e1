"""The wrappers around a function view (the ``__wrapped__`` chain functools.wraps leaves), each read as plain
data for translate.guards: Django's ``user_passes_test`` family (whatever the source calls it:
``helpdesk_staff_member_required = user_passes_test(is_helpdesk_staff)`` applied by name, a test function
built by a factory, ``login_url`` and ``redirect_field_name`` read from the closure), and a project's own
wrapper closure (load.decorators_eval: its body evaluated with its closure and the settings it reads at import).

Each layer, outermost first: ``{"wrapper": file:qualname, "kind": ...}`` with kind
``methods`` (require_http_methods: the route's method check), ``result`` (a wrapper answering with what the
view returned: ``status``, ``encoder`` "django" for JsonResponse or "json" for json.dumps, ``status_kwarg``: the
URL kwarg that would set the status), ``headers`` (``headers``: a Django wrapper that adds
headers to every answer, ``never_cache``), ``test`` (``test``: restricted Python text over
``u``, ``login_url``: None for settings.LOGIN_URL, ``field``), ``permission`` (``perms``, ``raise_exception``,
``login_url``), ``steps`` (``steps``: decorators_eval's decision tree), ``transparent`` (csrf_exempt... that change
nothing a Go route answers), ``other`` (a Django wrapper that is not a guard: cache_page...), or ``unread``
(``code``: DECORATOR_*, ``message``).
"""

from __future__ import annotations

import sys
from typing import Optional

from .decorators_eval import USER, Obj, Steps, Sym, Unread
from .decorators_steps import evaluate_value, wrapper_steps

_AUTH = "django/contrib/auth/decorators.py"
_TRANSPARENT = ("django/views/decorators/csrf.py:csrf_exempt.",)
# Django wrappers that only add headers to every answer of the view (the guard's, the view's): translated as
# a djauth wrapper naming them (translate.guards)
_HEADERS = {"django/views/decorators/cache.py:never_cache.": "never_cache"}


def _cells(fn) -> dict:
    out = {}
    for name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or ()):
        try:
            out[name] = cell.cell_contents
        except ValueError:
            continue
    return out


def _short(path: str) -> str:
    """An installed module's path from its package (``django/contrib/auth/decorators.py``): portable."""
    return path.replace("\\", "/").rpartition("site-packages/")[2]


def _where(fn, rel) -> str:
    code = fn.__code__
    return f"{rel(code.co_filename)}:{getattr(code, 'co_qualname', code.co_name)}"


def _test_layer(fn, view) -> dict:
    """Django's user_passes_test wrapper: its test function and login redirect, from the closure."""
    from django.contrib.auth import REDIRECT_FIELD_NAME

    cells = _cells(fn)
    test, to_login = cells.get("test_func"), cells.get("_redirect_to_login")
    if test is None or to_login is None or cells.get("view_func") is not view:
        raise Unread("DECORATOR_SHAPE", "a django.contrib.auth wrapper of another shape (an async view?)")
    redirect = _cells(to_login)
    login_url, field = redirect.get("login_url"), redirect.get("redirect_field_name", REDIRECT_FIELD_NAME)
    if login_url is not None:
        from django.shortcuts import resolve_url

        login_url = str(resolve_url(login_url))  # a URL name, reversed once (as Django does on each request)
    common = {"login_url": login_url, "field": field or None}
    if getattr(test, "__qualname__", "") == "permission_required.<locals>.decorator.<locals>.check_perms":
        perm = _cells(test)
        return {"kind": "permission", "perms": list(perm["perms"]), "raise_exception": bool(perm["raise_exception"]),
                **common}
    value = evaluate_value(test, view, {_first_param(test): USER})
    if isinstance(value, Steps):
        raise Unread("DECORATOR_TEST", f"the test {test.__qualname__} answers instead of returning a value")
    if isinstance(value, Obj):
        raise Unread("DECORATOR_TEST", f"the test {test.__qualname__} returns an object, not a test")
    return {"kind": "test", "test": value.text if isinstance(value, Sym) else repr(bool(value)), **common}


def _method_steps(methods) -> list:
    """require_http_methods' check as steps (a guard below it runs after it): HttpResponseNotAllowed, as Django
    builds it (Allow), when the method is not listed."""
    from django.http import HttpResponseNotAllowed

    from .decorators_eval import answer_of

    listed = [str(m) for m in methods]
    return [{"if": f"not (method_in({listed!r}))", "then": [answer_of(HttpResponseNotAllowed(listed))], "else": []},
            {"view": True}]


def _first_param(fn) -> str:
    code = fn.__code__
    if code.co_argcount != 1:
        raise Unread("DECORATOR_TEST", f"the test {fn.__qualname__} takes {code.co_argcount} arguments, not the user")
    return code.co_varnames[0]


def _project(path: str) -> bool:
    """A wrapper written outside Django and the standard library (the project's, or an installed app's)."""
    top = path.replace("\\", "/").split("site-packages/")[-1].split("/")[0]
    return "/django/" not in path.replace("\\", "/") and top not in sys.stdlib_module_names


def _steps_layer(steps: list) -> dict:
    """A project wrapper's steps: a decision tree ending in the view (``steps``), or ``result`` when it only
    answers with what the view returned (``JsonResponse(view(...))``: json_view), which the view reader reads."""
    def has_result(block: list) -> bool:
        return any("result" in s or has_result(s.get("then", []) + s.get("else", [])) for s in block)

    def kwarg_status(block: list) -> bool:
        return any(s.get("answer", {}).get("status_kwarg") or kwarg_status(s.get("then", []) + s.get("else", []))
                   for s in block)

    if kwarg_status(steps):
        raise Unread("DECORATOR_RESPONSE", "an answer whose status comes from the URL kwargs")
    results = [s for s in steps if "result" in s]
    if not has_result(steps):
        return {"kind": "steps", "steps": steps}
    if steps == results and len(results) == 1:
        return {"kind": "result", **results[0]["result"]}
    raise Unread("DECORATOR_RESULT", "the wrapper checks the request and answers with the view's result: not read")


def read_layer(fn, view, rel=_short) -> dict:
    """One wrapper ``fn`` around ``view`` (the next function down the chain)."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return {"wrapper": type(fn).__name__, "kind": "unread", "code": "DECORATOR_SHAPE",
                "message": f"a callable {type(fn).__name__} instance wraps the view"}
    where, django_where = _where(fn, rel), _where(fn, _short)
    if fn.__closure__ and "request_method_list" in code.co_freevars:
        return {"wrapper": where, "kind": "methods", "steps": _method_steps(_cells(fn)["request_method_list"])}
    if django_where.startswith(_TRANSPARENT):
        return {"wrapper": where, "kind": "transparent"}
    headers = next((name for prefix, name in _HEADERS.items() if django_where.startswith(prefix)), None)
    if headers is not None:
        return {"wrapper": where, "kind": "headers", "headers": headers}
    try:
        if django_where.startswith(_AUTH + ":user_passes_test."):
            return {"wrapper": where, **_test_layer(fn, view)}
        if not _project(code.co_filename):
            return {"wrapper": where, "kind": "other"}
        return {"wrapper": where, **_steps_layer(wrapper_steps(fn, view))}
    except Unread as exc:
        return {"wrapper": where, "kind": "unread", "code": exc.code, "message": exc.message}
    except Exception as exc:  # noqa: BLE001 - running the project's code at import (a setting's property...)
        return {"wrapper": where, "kind": "unread", "code": "DECORATOR_ERROR",
                "message": f"reading it raised {type(exc).__name__}: {str(exc)[:120]}"}


def read_wrappers(callback, rel=_short) -> list[dict]:
    """Every wrapper layer of a function view, outermost first."""
    out, fn = [], callback
    while getattr(fn, "__wrapped__", None) is not None and len(out) < 50:
        out.append(read_layer(fn, fn.__wrapped__, rel))
        fn = fn.__wrapped__
    return out


def _label(decorator) -> str:
    """A decorator's name in a reason: its module and qualified name, never its repr (a memory address would
    make two runs' MIGRATION.md differ)."""
    name = getattr(decorator, "__qualname__", None) or type(decorator).__qualname__
    return f"{getattr(decorator, '__module__', None) or type(decorator).__module__}.{name}"


def describe_decorator(decorator, rel=_short) -> Optional[list[dict]]:
    """A decorator (the callable a view is passed to: ``auth_required``, ``method_decorator(auth_required)``'s
    decorator, ``user_passes_test(test)``) applied to a stand-in view, its layers read as read_wrappers reads a
    view's (None when it does not wrap). For the class-based views' ``method_decorator(..., name="dispatch")``."""
    code = getattr(decorator, "__code__", None)
    if getattr(code, "co_qualname", "") == "method_decorator.<locals>._dec":
        decorator = _cells(decorator)["decorator"]  # method_decorator(dec): the function decorator it adapts
    if isinstance(decorator, (list, tuple)):
        return [layer for d in decorator for layer in (describe_decorator(d, rel) or [])]

    def stand_in(request, *args, **kwargs):  # never called
        raise AssertionError("the stand-in view ran")

    try:
        wrapped = decorator(stand_in)
    except Exception as exc:  # noqa: BLE001 - a decorator refusing a plain function: reported, never raised
        return [{"wrapper": _label(decorator), "kind": "unread",
                 "code": "DECORATOR_SHAPE", "message": f"applying it to a function raised {type(exc).__name__}"}]
    if wrapped is stand_in:
        return None
    layers, fn = [], wrapped
    while fn is not stand_in and getattr(fn, "__wrapped__", None) is not None and len(layers) < 50:
        layers.append(read_layer(fn, fn.__wrapped__, rel))
        fn = fn.__wrapped__
    return layers if fn is stand_in else layers + [{"wrapper": _label(decorator), "kind": "unread",
                                                      "code": "DECORATOR_SHAPE",
                                                      "message": "its wrapper does not lead to the view (__wrapped__)"}]


def decorator_layers(text: str, namespace: dict, rel=_short) -> Optional[list[dict]]:
    """The layers of a decorator written as ``text`` in a module whose globals are ``namespace``: a name
    (``auth_required_m``), a dotted name, or a call of one with literal arguments (``role_required(staff=True)``,
    a factory run once, as at import). None when it does not wrap; an ``unread`` layer when the text is another
    expression. For load.cbv: each ``method_decorator(..., name="dispatch")``'s decorator, read as a function
    view's (translate.guards.layers_guard renders them, translate.auth_views.dispatch_decorators reads
    ``dispatch_layers``)."""
    import ast

    def value(node):
        if isinstance(node, ast.Name) and node.id in namespace:
            return namespace[node.id]
        if isinstance(node, ast.Attribute):
            return getattr(value(node.value), node.attr)
        if isinstance(node, ast.Call) and not any(isinstance(a, ast.Starred) for a in node.args) and all(
                k.arg for k in node.keywords):
            args = [ast.literal_eval(a) for a in node.args]
            return value(node.func)(*args, **{k.arg: ast.literal_eval(k.value) for k in node.keywords})
        raise ValueError(ast.unparse(node))

    try:
        decorator = value(ast.parse(text, mode="eval").body)
    except Exception as exc:  # noqa: BLE001 - not a name, or a factory refusing its literal arguments
        return [{"wrapper": text, "kind": "unread", "code": "DECORATOR_EXPRESSION",
                 "message": f"`{text}` is not a name or a call with literal arguments ({type(exc).__name__})"}]
    return describe_decorator(decorator, rel)
