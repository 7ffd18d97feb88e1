"""A DRF view's ``get_queryset`` / ``get_serializer`` overrides read by partial evaluation (runs inside Django).

``get_queryset`` often builds its QuerySet through a project helper over ``request.user`` (django-helpdesk's
``HelpdeskUser(self.request.user).accessible_tickets()``). Its body, and the bodies of the methods it calls on
``self`` and on project helper objects, are read statement by statement, never run: the names their modules hold
at import (settings, models, ``Q``) are substituted, ``if``s whose test is known are decided, and what is left
must be one QuerySet written as source (``Model.objects.filter(...)``, nested QuerySets and ``Q`` included) that
the compile worker interprets like any other chain. The user's flags are known only as far as the view's
permission classes and DRF's authentication settle them (``IsAdminUser``: a signed-in, active staff user); a test
over another flag (``is_superuser``) or any other value of the user leaves the view a stub, the flag named.

``get_serializer`` is read for what it changes in a read: an override that returns ``super().get_serializer(...)``
after calls that only narrow a relation field's ``queryset`` (its choices for a write) changes nothing a read
renders (a related field writes the pk whatever its queryset), provided the arguments are read without running a
query. Anything else raises Unread with what could not be read: never a guess.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass
from typing import Any

_CONST = (bool, int, float, str, bytes, type(None))
USER_FACTS = {  # the user flags a permission class settles (authentication only yields active users)
    "rest_framework.permissions.IsAdminUser": {"is_authenticated": True, "is_active": True, "is_staff": True,
                                               "is_anonymous": False},
    "rest_framework.permissions.IsAuthenticated": {"is_authenticated": True, "is_active": True, "is_anonymous": False},
}
SAFE_BUILTINS = {"getattr": getattr, "hasattr": hasattr, "type": type, "callable": callable, "bool": bool}


FLAGS = ("is_authenticated", "is_active", "is_staff", "is_superuser", "is_anonymous")


class Unread(Exception):
    pass


class Fork(Exception):
    """A test over a user flag the permission classes leave open: read again with it True, then False."""

    def __init__(self, flag: str):
        super().__init__(flag)
        self.flag = flag


@dataclass(frozen=True)
class QS:
    """A QuerySet, a Q, or a QuerySet method call chain, as source text the compile worker interprets."""
    source: str
    model: str = ""  # app_label.Model of a QuerySet ("" for a Q)


@dataclass
class Helper:
    """An instance of a project class built in the body (its __init__ only stores its arguments)."""
    cls: type
    attrs: dict


class _Marker:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


SELF, REQUEST, USER, SERIALIZER = (_Marker(n) for n in ("self", "request", "request.user", "the serializer"))


def _node(fn) -> ast.FunctionDef:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError) as exc:
        raise Unread(f"the source of {getattr(fn, '__qualname__', fn)} is not readable") from exc
    node = tree.body[0]
    if not isinstance(node, ast.FunctionDef):
        raise Unread(f"{fn.__qualname__} is not a plain function")
    return node


def _project(obj) -> bool:
    module = getattr(obj, "__module__", "") or ""
    return not module.startswith(("django.", "rest_framework", "builtins")) and module != "typing"


class Reader:
    def __init__(self, view: type, facts: dict):
        self.view, self.facts, self.depth = view, facts, 0

    # statements -----------------------------------------------------------------

    def run(self, fn, bound: dict) -> Any:
        """What calling ``fn`` (a project function) returns, its parameters bound."""
        self.depth += 1
        if self.depth > 12:
            raise Unread("calls nest too deep")
        try:
            env = dict(bound, __globals__=fn.__globals__)
            for stmt in _node(fn).body:
                done, value = self.stmt(stmt, env)
                if done:
                    return value
            return None
        finally:
            self.depth -= 1

    def block(self, body: list, env: dict) -> tuple[bool, Any]:
        for stmt in body:
            done, value = self.stmt(stmt, env)
            if done:
                return True, value
        return False, None

    def stmt(self, s: ast.stmt, env: dict) -> tuple[bool, Any]:
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant):
            return False, None  # a docstring
        if isinstance(s, ast.Return):
            return True, self.expr(s.value, env) if s.value else None
        if isinstance(s, ast.If):
            return self.block(s.body if self.truth(self.expr(s.test, env)) else s.orelse, env)
        if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name):
            env[s.targets[0].id] = self.expr(s.value, env)
            return False, None
        if isinstance(s, ast.AugAssign) and isinstance(s.target, ast.Name) \
                and isinstance(s.op, (ast.BitOr, ast.BitAnd)):
            env[s.target.id] = self.combine(env[s.target.id], s.op, self.expr(s.value, env))
            return False, None
        raise Unread(f"`{ast.unparse(s).splitlines()[0]}` is not read")

    # expressions ----------------------------------------------------------------

    def truth(self, v) -> bool:
        if isinstance(v, _CONST) or isinstance(v, (tuple, list, dict)):
            return bool(v)
        raise Unread(f"the truth of {getattr(v, 'source', v)!r} is known only at run time")

    def combine(self, a, op, b) -> QS:
        if not (isinstance(a, QS) and isinstance(b, QS) and not a.model and not b.model):
            raise Unread("an operator over values that are not Q objects")
        return QS(f"({a.source}) {'|' if isinstance(op, ast.BitOr) else '&'} ({b.source})")

    def expr(self, n: ast.expr, env: dict) -> Any:  # noqa: C901 - one dispatch on the node's kind
        if isinstance(n, ast.Constant):
            return n.value
        if isinstance(n, ast.Name):
            if n.id in env:
                return env[n.id]
            g = env["__globals__"]
            if n.id in g:
                return g[n.id]
            if n.id in SAFE_BUILTINS:
                return SAFE_BUILTINS[n.id]
            raise Unread(f"the name {n.id} is not known")
        if isinstance(n, ast.Attribute):
            return self.attribute(self.expr(n.value, env), n.attr)
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not):
            return not self.truth(self.expr(n.operand, env))
        if isinstance(n, ast.BoolOp):
            is_and = isinstance(n.op, ast.And)
            v = None
            for part in n.values:  # Python's short circuit, on known values only
                v = self.expr(part, env)
                if self.truth(v) != is_and:
                    return v
            return v
        if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.BitOr, ast.BitAnd)):
            return self.combine(self.expr(n.left, env), n.op, self.expr(n.right, env))
        if isinstance(n, ast.Call):
            return self.call(n, env)
        raise Unread(f"`{ast.unparse(n)}` is not read")

    def attribute(self, base, attr: str):
        if base is SELF:
            if attr == "request":
                return REQUEST
            fn = getattr(self.view, attr, None)
            if callable(fn) and _project(fn):
                return ("method", fn, SELF)
            raise Unread(f"self.{attr} is not read")
        if base is REQUEST and attr == "user":
            return USER
        if base is USER:
            if attr in self.facts:
                return self.facts[attr]
            if attr in FLAGS:
                raise Fork(attr)
            raise Unread(f"request.user.{attr} is known only at run time (not settled by the permission classes)")
        if isinstance(base, Helper):
            if attr in base.attrs:
                return base.attrs[attr]
            fn = getattr(base.cls, attr, None)
            if callable(fn):
                return ("method", fn, base)
            raise Unread(f"{base.cls.__name__}.{attr} is not read")
        if isinstance(base, QS) and base.model:
            return ("qs", base, attr)
        if isinstance(base, (_Marker, QS, tuple)):
            raise Unread(f".{attr} of a run-time value is not read")
        from django.db import models

        if isinstance(base, type) and issubclass(base, models.Model) and attr == "objects":
            return QS(f"{base.__name__}.objects", base._meta.label)
        value = getattr(base, attr, _Marker("missing"))
        if isinstance(value, _Marker):
            raise Unread(f"{getattr(base, '__name__', base)}.{attr} is not known")
        return value

    def call(self, n: ast.Call, env: dict):
        if any(isinstance(a, ast.Starred) for a in n.args) or any(k.arg is None for k in n.keywords):
            raise Unread(f"`{ast.unparse(n)}`: * or ** arguments")
        f = self.expr(n.func, env)
        args = [self.expr(a, env) for a in n.args]
        kwargs = {k.arg: self.expr(k.value, env) for k in n.keywords}
        if isinstance(f, tuple) and f[0] == "qs":
            return self.queryset(f[1], f[2], args, kwargs)
        if isinstance(f, tuple) and f[0] == "method":
            return self.run(f[1], self.bind(f[1], [f[2], *args], kwargs))
        from django.db.models import Q

        if f is Q:
            return QS(f"Q({self.arguments(args, kwargs)})")
        if f in SAFE_BUILTINS.values() and all(isinstance(a, _CONST) or callable(a) for a in args):
            return f(*args, **kwargs)
        if isinstance(f, type) and _project(f):  # a helper object: its __init__ only keeps its arguments
            init = f.__dict__.get("__init__")
            attrs: dict = {}
            if init is not None:
                helper = Helper(f, attrs)
                bound = self.bind(init, [helper, *args], kwargs)
                for stmt in _node(init).body:
                    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0],
                            ast.Attribute) and isinstance(stmt.targets[0].value, ast.Name)
                            and stmt.targets[0].value.id == "self" and isinstance(stmt.value, ast.Name)):
                        raise Unread(f"{f.__name__}.__init__ does more than keep its arguments")
                    attrs[stmt.targets[0].attr] = bound[stmt.value.id]
                return helper
            return Helper(f, attrs)
        raise Unread(f"the call `{ast.unparse(n)}` is not read")

    def bind(self, fn, args: list, kwargs: dict) -> dict:
        try:
            return dict(inspect.signature(fn).bind(*args, **kwargs).arguments)
        except TypeError as exc:
            raise Unread(f"{fn.__qualname__}: {exc}") from exc

    def queryset(self, qs: QS, method: str, args: list, kwargs: dict) -> QS:
        from ..querysets import QUERYSET_METHODS

        if method not in QUERYSET_METHODS or method in ("get", "first", "last", "count", "exists", "iterator"):
            raise Unread(f"{qs.source}.{method}() is not a lazy QuerySet method")
        return QS(f"{qs.source}.{method}({self.arguments(args, kwargs)})", qs.model)

    def arguments(self, args: list, kwargs: dict) -> str:
        def text(v) -> str:
            if isinstance(v, QS):
                return v.source
            if isinstance(v, _CONST) or isinstance(v, (list, tuple)) and all(isinstance(x, _CONST) for x in v):
                return repr(v)
            raise Unread(f"{v!r} as a QuerySet argument is a run-time value (not read yet)")
        return ", ".join([text(a) for a in args] + [f"{k}={text(v)}" for k, v in kwargs.items()])


def facts(permission_classes: tuple[str, ...]) -> dict:
    """The user flags the view's permission classes settle (all of them must pass)."""
    out: dict = {}
    for p in permission_classes:
        out.update(USER_FACTS.get(p, {}))
    return out


def settled(read, known: dict):
    """``read(facts)`` for every value of the user flags it tests that ``known`` leaves open; the one answer they
    all give, or Unread naming the flag the answer depends on (the Go side would have to decide it)."""
    try:
        return read(known)
    except Fork as fork:
        yes, no = (settled(read, dict(known, **{fork.flag: v})) for v in (True, False))
        if yes != no:
            raise Unread(f"the answer depends on request.user.{fork.flag}") from None
        return yes


def read_get_queryset(view: type, permission_classes: tuple[str, ...]) -> QS:
    """The QuerySet ``view.get_queryset()`` returns, as source, or Unread."""
    fn = next(k.__dict__["get_queryset"] for k in view.__mro__ if "get_queryset" in k.__dict__)
    out = settled(lambda known: Reader(view, known).run(fn, {"self": SELF}), facts(permission_classes))
    if not isinstance(out, QS) or not out.model or not out.source.count(".objects"):
        raise Unread("get_queryset does not return a QuerySet the tool reads")
    return out


def read_get_serializer(view: type, permission_classes: tuple[str, ...], fields: dict) -> None:
    """Unread unless ``get_serializer`` only narrows relation fields' querysets (``fields``: the serializer's
    field name -> its kind, ``pk`` / ``slug`` for a relation)."""
    fn = next(k.__dict__["get_serializer"] for k in view.__mro__ if "get_serializer" in k.__dict__)
    body = [s for s in _node(fn).body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    first, *calls, last = body if len(body) >= 2 else (None, None)
    if not (isinstance(first, ast.Assign) and isinstance(first.targets[0], ast.Name)
            and ast.unparse(first.value) == "super().get_serializer(*args, **kwargs)"
            and isinstance(last, ast.Return) and isinstance(last.value, ast.Name)
            and last.value.id == first.targets[0].id):
        raise Unread("get_serializer does more than return super().get_serializer(*args, **kwargs)")
    settled(lambda known: _narrowing(Reader(view, known), fn, first.targets[0].id, calls, fields),
            facts(permission_classes))


def _narrowing(reader: Reader, fn, name: str, calls: list, fields: dict) -> bool:
    env = {"self": SELF, name: SERIALIZER, "__globals__": fn.__globals__}
    for c in calls:
        call = c.value if isinstance(c, ast.Expr) and isinstance(c.value, ast.Call) else None
        if call is None or not call.args or ast.unparse(call.args[0]) != name or call.keywords:
            raise Unread(f"get_serializer: `{ast.unparse(c)}` is not a call narrowing the serializer")
        narrow = reader.expr(call.func, env)
        field = reader.expr(call.args[1], env) if len(call.args) == 3 else None
        if fields.get(field) not in ("pk", "slug"):
            raise Unread(f"get_serializer: `{ast.unparse(c)}` does not name a relation field of the serializer")
        if not isinstance(reader.expr(call.args[2], env), QS):
            raise Unread(f"get_serializer: `{ast.unparse(call.args[2])}` is not a QuerySet read without a query")
        _only_sets_queryset(narrow)
    return True


def _only_sets_queryset(fn) -> None:
    """Unread unless ``fn(serializer, field_name, queryset)`` only looks the field up, raises, and sets its
    ``queryset`` (DRF's choices for a write: what a read renders is unchanged)."""
    if not callable(fn) or not _project(fn):
        raise Unread(f"get_serializer calls {getattr(fn, '__qualname__', fn)}, which is not read")
    allowed_calls = {"getattr", "hasattr", "type"}
    tree = _node(fn)
    raised = {id(n) for r in ast.walk(tree) if isinstance(r, ast.Raise) for n in ast.walk(r)}  # the error it raises
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and id(node) not in raised:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in allowed_calls and not (name == "get" and ast.unparse(func).endswith(".fields.get")):
                raise Unread(f"{fn.__qualname__} calls `{ast.unparse(func)}`")
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if not (isinstance(t, ast.Name) or isinstance(t, ast.Attribute) and t.attr == "queryset"):
                    raise Unread(f"{fn.__qualname__} sets `{ast.unparse(t)}`")
        if isinstance(node, (ast.Delete, ast.Global, ast.Nonlocal, ast.For, ast.While, ast.With)):
            raise Unread(f"{fn.__qualname__}: `{ast.unparse(node).splitlines()[0]}` is not read")
