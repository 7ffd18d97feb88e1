"""The values a project decorator's body is read into (load.decorators_eval reads it, load.decorators_calls and
load.decorators_steps the calls and statements): a test over the request (Sym), an object held at import (Obj),
the markers of the request, user and view, and the truth of each. Kept apart so that the readers import these
and not each other.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass

_FLAGS = ("is_authenticated", "is_active", "is_staff", "is_superuser")
_CONST = (bool, int, float, str, bytes, type(None))


class Unread(Exception):
    """A decorator (or a part of it) this reader does not translate: ``code`` (DECORATOR_*) and a message."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


@dataclass(frozen=True)
class Sym:
    """A test over the request (restricted Python text): only its truth is ever used."""
    text: str


@dataclass(frozen=True)
class Obj:
    """A Python object the decorator's closure or module holds (module, function, class, settings, dict)."""
    value: object


@dataclass(frozen=True)
class Header:
    name: str


@dataclass(frozen=True)
class Steps:
    """What calling something answers (the wrapped view, a login_required-wrapped view...)."""
    steps: tuple


class _Marker:
    def __init__(self, name: str):
        self.name = name


REQUEST, USER, HEADERS, ARGS, KWARGS, VIEW = (_Marker(n) for n in ("request", "user", "headers", "args", "kwargs",
                                                                   "view"))
RESULT = _Marker("result")  # what the view returned, kept by a wrapper that answers with it (json_view)


def _const(v) -> bool:
    if isinstance(v, dict):
        return all(_const(k) and _const(x) for k, x in v.items())
    return isinstance(v, _CONST) or (isinstance(v, (tuple, list, frozenset)) and all(_const(x) for x in v))


def _user_truthy() -> bool:
    """bool(request.user): AnonymousUser and the user model define neither __bool__ nor __len__ (Django's)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    return not any(hasattr(k, m) for k in (AnonymousUser, get_user_model()) for m in ("__bool__", "__len__"))


def truth(v):
    """True/False when known, a Sym when it depends on the request."""
    if isinstance(v, Sym):
        return v
    if v is USER:
        if _user_truthy():
            return True
        raise Unread("DECORATOR_USER", "the user model defines its own truth (__bool__/__len__)")
    if _const(v) or isinstance(v, (Obj, Steps)):
        return bool(v.value) if isinstance(v, Obj) and isinstance(v.value, dict) else bool(v) if _const(v) else True
    raise Unread("DECORATOR_VALUE", f"the truth of {getattr(v, 'name', type(v).__name__)} is not read")


def sym_text(v) -> str:
    t = truth(v)
    return t.text if isinstance(t, Sym) else repr(t)


def not_(v):
    t = truth(v)
    return Sym(f"not ({t.text})") if isinstance(t, Sym) else not t


def bool_op(is_and: bool, values: list):
    """``a and b`` / ``a or b`` in a test (its truth): decided parts folded, the rest joined."""
    parts = []
    for v in values:
        t = truth(v)
        if not isinstance(t, Sym):
            if t != is_and:  # a false operand of `and` (a true one of `or`) decides
                return v if not parts else (Sym(" and ".join(parts) + " and False") if is_and else Sym(
                    " or ".join(parts) + " or True"))
            continue
        parts.append(f"({t.text})")
    if not parts:
        return values[-1]
    return Sym((" and " if is_and else " or ").join(parts))


def function_node(fn):
    """The ast of a function or lambda (its source file), and its parameter names."""
    try:
        source = textwrap.dedent(inspect.getsource(fn.__code__))  # the code's: getsource(fn) would unwrap
    except (OSError, TypeError):
        raise Unread("DECORATOR_SOURCE", f"{_name(fn)} has no source") from None
    try:
        tree = ast.parse(source)
    except SyntaxError:  # a lambda in the middle of a multi-line expression
        raise Unread("DECORATOR_SOURCE", f"the source of {_name(fn)} does not parse alone") from None
    want = fn.__code__.co_name
    nodes = [n for n in ast.walk(tree) if (isinstance(n, ast.Lambda) and want == "<lambda>") or (
        isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == want)]
    if len(nodes) != 1:
        raise Unread("DECORATOR_SOURCE", f"{_name(fn)}: {len(nodes)} definitions of that name in its source")
    return nodes[0]


def _name(fn) -> str:
    code = getattr(fn, "__code__", None)  # functools.wraps gave a wrapper the view's names: its code has its own
    qualname = getattr(code, "co_qualname", None) or getattr(fn, "__qualname__", getattr(fn, "__name__", repr(fn)))
    return f"{getattr(fn, '__module__', '')}.{qualname}"


def _readable(value) -> bool:
    """A module or django.conf.settings: reading its attributes runs no project code (no property)."""
    from django.conf import LazySettings

    return isinstance(value, Obj) and (inspect.ismodule(value.value) or isinstance(value.value, LazySettings))
