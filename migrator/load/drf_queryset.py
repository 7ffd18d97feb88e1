"""A DRF view's ``get_queryset`` / ``get_serializer`` overrides read by partial evaluation (runs inside Django).

``get_queryset`` often builds its QuerySet through a project helper over ``request.user`` (django-helpdesk's
``HelpdeskUser(self.request.user).accessible_tickets()``). Its body, and the bodies of the methods it calls on
``self`` and on project helper objects, are read statement by statement, never run: the names their modules hold
at import (settings, models, ``Q``) are substituted, ``if``s whose test is known are decided, and what is left
must be one QuerySet written as source (``Model.objects.filter(...)``, nested QuerySets and ``Q`` included) that
the compile worker interprets like any other chain. The user's flags are known only as far as the view's
permission classes and DRF's authentication settle them (``IsAdminUser``: a signed-in, active staff user); a test
over another flag (``is_superuser``) or any other value of the user leaves the view a stub, the flag named.

A run-time text column of a signed-in user (``request.user.email``) becomes a query parameter ``user_<attr>``; an
``if not email: return M.objects.none()`` is kept as the QuerySet with its empty guard (QS.empty_unless), and
``for t in qs: t.method()`` over the returned QuerySet as the model methods its rows ran (QS.sets, only_reads).
``get_serializer`` overrides: load/drf_serializer_read. Anything else raises Unread with what could not be read:
never a guess.
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
    user: tuple[str, ...] = ()  # the signed-in user's attributes it takes as parameters (``user_<attr>`` in source)
    empty_unless: str = ""  # the user attribute whose empty value makes the answer ``.none()`` (``if not email``)
    sets: tuple[str, ...] = ()  # model methods run on each row it holds (``for t in qs: t.m()``: its result cache)


@dataclass(frozen=True)
class UserValue:
    """``request.user.<attr>``, a text column of the user known only at run time; ``known``: not empty."""
    attr: str
    known: bool = False


USER_TEXT = ("email", "first_name", "last_name", "username")  # text columns djauth.User carries (never NULL)


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


def function_node(fn) -> ast.FunctionDef:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError) as exc:
        raise Unread(f"the source of {getattr(fn, '__qualname__', fn)} is not readable") from exc
    node = tree.body[0]
    if not isinstance(node, ast.FunctionDef):
        raise Unread(f"{fn.__qualname__} is not a plain function")
    return node


def project_code(obj) -> bool:
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
            for stmt in function_node(fn).body:
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
        if isinstance(s, ast.For) and isinstance(s.target, ast.Name) and isinstance(s.iter, ast.Name) \
                and not s.orelse:
            env[s.iter.id] = self.loop(self.expr(s.iter, env), s)
            return False, None
        if isinstance(s, ast.AugAssign) and isinstance(s.target, ast.Name) \
                and isinstance(s.op, (ast.BitOr, ast.BitAnd)):
            env[s.target.id] = self.combine(env[s.target.id], s.op, self.expr(s.value, env))
            return False, None
        raise Unread(f"`{ast.unparse(s).splitlines()[0]}` is not read")

    # expressions ----------------------------------------------------------------

    def loop(self, qs, s: ast.For) -> QS:
        """``for t in qs: t.method()``: the QuerySet evaluated, the model's ``method`` run on each cached row (it may
        only read and set attributes: _only_reads); the same QuerySet, its rows carrying what the method set."""
        body = [st for st in s.body if not (isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant))]
        call = body[0].value if len(body) == 1 and isinstance(body[0], ast.Expr) else None
        if not (isinstance(qs, QS) and qs.model and isinstance(call, ast.Call) and not call.args and not call.keywords
                and isinstance(call.func, ast.Attribute) and ast.unparse(call.func.value) == s.target.id):
            raise Unread(f"`{ast.unparse(s).splitlines()[0]}` is not read (only `for row in qs: row.method()`)")
        from django.apps import apps

        method = getattr(apps.get_model(qs.model), call.func.attr, None)
        if not (inspect.isfunction(method) and project_code(method)):
            raise Unread(f"{qs.model}.{call.func.attr} is not a project method of the model")
        only_reads(method)
        return QS(qs.source, qs.model, qs.user, qs.empty_unless, qs.sets + (call.func.attr,))

    def truth(self, v) -> bool:
        if isinstance(v, _CONST) or isinstance(v, (tuple, list, dict)):
            return bool(v)
        if isinstance(v, UserValue):
            if v.known:
                return True
            raise Fork(v.attr)
        raise Unread(f"the truth of {getattr(v, 'source', v)!r} is known only at run time")

    def combine(self, a, op, b) -> QS:
        if not (isinstance(a, QS) and isinstance(b, QS) and not a.model and not b.model):
            raise Unread("an operator over values that are not Q objects")
        return QS(f"({a.source}) {'|' if isinstance(op, ast.BitOr) else '&'} ({b.source})",
                  user=tuple(sorted({*a.user, *b.user})))

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
        if isinstance(n, ast.ListComp):
            return self.rows(n, env)
        raise Unread(f"`{ast.unparse(n)}` is not read")

    def rows(self, n: ast.ListComp, env: dict) -> _Marker:
        """``[q.<attr> for q in <QuerySet>]``: the QuerySet runs (a query), its values known only at run time: a
        marker no test, QuerySet argument or return reads (Unread there), kept only where nothing uses it."""
        gen = n.generators[0] if len(n.generators) == 1 else None
        if not (gen and isinstance(gen.target, ast.Name) and not gen.ifs and not gen.is_async
                and isinstance(n.elt, ast.Attribute) and ast.unparse(n.elt.value) == gen.target.id):
            raise Unread(f"`{ast.unparse(n)}` is not read (only `[row.<attr> for row in <QuerySet>]`)")
        qs = self.expr(gen.iter, env)
        if not (isinstance(qs, QS) and qs.model and not qs.user and not qs.empty_unless and not qs.sets):
            raise Unread(f"`{ast.unparse(n)}` is not read (its rows are not a QuerySet read without user values)")
        return _Marker(f"the values of {ast.unparse(n)}")

    def attribute(self, base, attr: str):
        if base is SELF:
            if attr == "request":
                return REQUEST
            fn = getattr(self.view, attr, None)
            if callable(fn) and project_code(fn):
                return ("method", fn, SELF)
            raise Unread(f"self.{attr} is not read")
        if base is REQUEST and attr == "user":
            return USER
        if base is USER:
            if attr in self.facts:
                return self.facts[attr]
            if attr in FLAGS:
                raise Fork(attr)
            if attr in USER_TEXT and _user_text(attr) and self.facts.get("is_authenticated") is True:
                return UserValue(attr)  # a signed-in user's (AnonymousUser has no email)
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
        if isinstance(base, (_Marker, QS, tuple, UserValue)):
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
            return QS(f"Q({self.arguments(args, kwargs)})", user=tuple(sorted(
                {v.attr for v in [*args, *kwargs.values()] if isinstance(v, UserValue)}
                | {a for v in [*args, *kwargs.values()] if isinstance(v, QS) for a in v.user})))
        if f in SAFE_BUILTINS.values() and all(isinstance(a, _CONST) or callable(a) for a in args):
            return f(*args, **kwargs)
        if isinstance(f, type) and project_code(f):  # a helper object: its __init__ only keeps its arguments
            init = f.__dict__.get("__init__")
            attrs: dict = {}
            if init is not None:
                helper = Helper(f, attrs)
                bound = self.bind(init, [helper, *args], kwargs)
                for stmt in function_node(init).body:
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
        user = sorted({*qs.user, *(v.attr for v in [*args, *kwargs.values()] if isinstance(v, UserValue)),
                       *(a for v in [*args, *kwargs.values()] if isinstance(v, QS) for a in v.user)})
        return QS(f"{qs.source}.{method}({self.arguments(args, kwargs)})", qs.model, tuple(user))  # a clone: no cache

    def arguments(self, args: list, kwargs: dict) -> str:
        def text(v) -> str:
            if isinstance(v, QS):
                if v.empty_unless or v.sets:
                    raise Unread("a QuerySet read with a run-time branch or a loop, as an argument")
                return v.source
            if isinstance(v, UserValue):
                return f"user_{v.attr}"
            if isinstance(v, _CONST) or isinstance(v, (list, tuple)) and all(isinstance(x, _CONST) for x in v):
                return repr(v)
            raise Unread(f"{v!r} as a QuerySet argument is a run-time value (not read yet)")
        return ", ".join([text(a) for a in args] + [f"{k}={text(v)}" for k, v in kwargs.items()])


def _user_text(attr: str) -> bool:
    """The user model's ``attr`` is a text column that is never NULL (its empty value is ``""``), the one djauth.User
    carries under that name (``username``: only as the USERNAME_FIELD)."""
    from django.contrib.auth import get_user_model

    model = get_user_model()
    try:
        field = model._meta.get_field(attr)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist: not a column of this user model
        return False
    return (field.concrete and not field.null and field.get_internal_type() in ("CharField", "TextField")
            and (attr != "username" or model.USERNAME_FIELD == "username"))


READ_CALLS = frozenset({"all", "get", "filter", "exclude", "order_by", "setattr", "getattr", "str"})


def only_reads(fn) -> None:
    """Unread unless the model method ``fn`` only reads rows and sets attributes on ``self``: its calls are QuerySet
    reads (``all``, ``get``, ``filter``, ``exclude``, ``order_by``), ``setattr`` / ``getattr`` / ``str``; it assigns names only
    (helpdesk's ``Ticket.set_custom_field_values``). Never a save, a write or a call into other project code."""
    tree = function_node(fn)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in READ_CALLS:
                raise Unread(f"{fn.__qualname__} calls `{ast.unparse(func)}`")
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if not all(isinstance(t, ast.Name) for t in targets):
                raise Unread(f"{fn.__qualname__} sets `{', '.join(ast.unparse(t) for t in targets)}`")
        if isinstance(node, (ast.Delete, ast.Global, ast.Nonlocal, ast.While, ast.With, ast.Return, ast.Yield,
                             ast.Lambda, ast.Raise)):
            raise Unread(f"{fn.__qualname__}: `{ast.unparse(node).splitlines()[0]}` is not read")


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
        text = fork.flag not in FLAGS  # a text column: not empty, then ""
        values = (UserValue(fork.flag, known=True), "") if text else (True, False)
        yes, no = (settled(read, dict(known, **{fork.flag: v})) for v in values)
        if text and isinstance(yes, QS) and yes.model and not yes.empty_unless and isinstance(no, QS) \
                and no.model == yes.model and no.source.endswith(".none()") and not (no.user or no.sets):
            return QS(yes.source, yes.model, yes.user, fork.flag, yes.sets)  # `if not email: return M.objects.none()`
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
