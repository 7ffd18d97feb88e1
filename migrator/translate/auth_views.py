"""Route-level auth decorators of a view -> the djauth wrapper the generated route applies.

Reads the decorators in the view's own source (``ast``, never run): ``@login_required``,
``@permission_required(perm or [perms], raise_exception=...)`` and ``@user_passes_test(lambda u: ...)``
whose test reads only ``is_authenticated``, ``is_active``, ``is_staff``, ``is_superuser`` with
``not`` / ``and`` / ``or``. Anything else about auth (a ``login_url`` or ``redirect_field_name`` of its
own, a test calling a function) is not recognised, and the view keeps its decorator (and stays a stub).
The loader's ``decorators`` (the wrappers' code locations) say which wrappers exist; this module accounts
for the auth ones. Pure: plain data in, a Go expression (text the template places) out.
"""

from __future__ import annotations

import ast
import json
import textwrap
from typing import Optional

from ..frameworks import NAMES as FRAMEWORKS  # every route table wraps handlers in guards (http/auth.go)
from .guard_types import HOLE, Guard, NotAuth  # noqa: F401 (re-exported: callers import them from here)

# the wrapper code Django's auth decorators leave (load.urls._decorators: file:qualname)
AUTH_WRAPPER = "django/contrib/auth/decorators.py:"
_NAMES = {"login_required", "permission_required", "user_passes_test"}
_METHOD_DECORATORS = {"require_GET", "require_POST", "require_safe", "require_http_methods"}
_USER_FIELDS = {"is_authenticated": "IsAuthenticated", "is_active": "IsActive", "is_staff": "IsStaff",
                "is_superuser": "IsSuperuser"}


def _q(text: str) -> str:
    return json.dumps(text)


def _literal(node: ast.AST):
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise NotAuth(f"`{ast.unparse(node)}` is not a literal") from None


def _predicate(node: ast.AST, arg: str) -> str:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == arg \
            and node.attr in _USER_FIELDS:
        return f"u.{_USER_FIELDS[node.attr]}"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return f"!({_predicate(node.operand, arg)})"
    if isinstance(node, ast.BoolOp):
        op = " && " if isinstance(node.op, ast.And) else " || "
        return "(" + op.join(_predicate(v, arg) for v in node.values) + ")"
    raise NotAuth(f"user_passes_test: `{ast.unparse(node)}` is not a simple test of the user's flags")


def _guard(dec: ast.expr) -> Optional[str]:
    """The Go wrapper of one decorator, None when it is not an auth decorator."""
    call = dec if isinstance(dec, ast.Call) else None
    func = call.func if call else dec
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name not in _NAMES:
        return None
    args, kwargs = (call.args, {k.arg: k.value for k in call.keywords}) if call else ([], {})
    allowed = {"login_required": set(), "permission_required": {"raise_exception"}, "user_passes_test": set()}
    if set(kwargs) - allowed[name] or any(k is None for k in kwargs):
        raise NotAuth(f"{name}: arguments {sorted(k or '**' for k in kwargs)} (login_url, redirect_field_name) "
                      "are not translated")
    if name == "login_required":
        if args:
            raise NotAuth("login_required with a positional argument")
        return "a.LoginRequired(" + HOLE + ")"
    if name == "permission_required":
        perms = _literal(args[0]) if len(args) == 1 else None
        perms = [perms] if isinstance(perms, str) else perms
        raise_exc = _literal(kwargs["raise_exception"]) if "raise_exception" in kwargs else False
        if not (isinstance(perms, (list, tuple)) and perms and all(isinstance(p, str) for p in perms)) \
                or not isinstance(raise_exc, bool):
            raise NotAuth("permission_required: the permissions must be literal strings")
        go_perms = "[]string{" + ", ".join(_q(p) for p in perms) + "}"
        return f"a.PermissionRequired({go_perms}, {'true' if raise_exc else 'false'}, {HOLE})"
    test = args[0] if len(args) == 1 else None
    if not (isinstance(test, ast.Lambda) and len(test.args.args) == 1):
        raise NotAuth("user_passes_test: the test must be a lambda of the user")
    pred = _predicate(test.body, test.args.args[0].arg)
    return f"a.UserPassesTest(func(_ *http.Request, u *djauth.User) bool {{ return {pred} }}, {HOLE})"


def read_guard(python: str, decorators: list[str]) -> Optional[Guard]:
    """The view's auth guard (decorators applied outermost first), None when it has no auth decorator.
    Raises NotAuth when it has one this module does not translate, or when the loader saw an auth wrapper
    the source does not show (a decorator applied elsewhere)."""
    seen = sum(1 for d in decorators if d.startswith(AUTH_WRAPPER))
    if not seen:
        return None
    try:
        tree = ast.parse(textwrap.dedent(python))
    except SyntaxError as exc:
        raise NotAuth(f"the view's source does not parse: {exc}") from None
    fn = tree.body[0] if tree.body and isinstance(tree.body[0], (ast.FunctionDef, ast.AsyncFunctionDef)) else None
    if fn is None:
        raise NotAuth("not a function view")
    wraps, python_decs, methods_above = [], [], ""
    for dec in fn.decorator_list:
        go = _guard(dec)
        if go is not None and methods_above:  # the route checks methods after its guard (routes.go: allow)
            raise NotAuth(f"@{methods_above} above an auth decorator: its 405 comes first in Django")
        if go is not None:
            wraps.append(go)
            python_decs.append("@" + ast.unparse(dec))
        name = ast.unparse(dec.func if isinstance(dec, ast.Call) else dec).rpartition(".")[2]
        if name in _METHOD_DECORATORS:
            methods_above = name
    if len(wraps) != seen:
        raise NotAuth("an auth decorator applied outside the view's source")
    expr = "h"
    for go in reversed(wraps):  # the decorator nearest the function wraps it first
        expr = go.replace(HOLE, expr)
    return Guard(wrap=expr, python=tuple(python_decs))


def strip_auth(decorators: list[str]) -> list[str]:
    """The loader's wrappers without the auth ones (a route that applies the guard accounts for them)."""
    return [d for d in decorators if not d.startswith(AUTH_WRAPPER)]




def read_mixins(found: Optional[dict]) -> Optional[Guard]:
    """A class-based view's LoginRequiredMixin / PermissionRequiredMixin (load.urls._auth_mixins), outermost
    first, as a guard; None without them. Raises NotAuth for another access mixin (UserPassesTestMixin: a
    function) or what the view changes of them (login_url, handle_no_permission...)."""
    if not found:
        return None
    if found["custom"] or found["raise_exception"] is None:
        raise NotAuth(f"the access mixins' {', '.join(found['custom']) or 'raise_exception'} are the view's own")
    raise_exc = "true" if found["raise_exception"] else "false"
    wraps = []
    for name in found["mixins"]:
        if name == "LoginRequiredMixin":
            wraps.append(f"a.LoginRequiredMixin({raise_exc}, {HOLE})")
        elif name == "PermissionRequiredMixin" and found["permission_required"]:
            perms = "[]string{" + ", ".join(_q(p) for p in found["permission_required"]) + "}"
            wraps.append(f"a.PermissionRequiredMixin({perms}, {raise_exc}, {HOLE})")
        else:
            raise NotAuth(f"{name} is not translated (or has no permission_required)")
    expr = "h"
    for go in reversed(wraps):
        expr = go.replace(HOLE, expr)
    return Guard(wrap=expr, python=tuple(found["mixins"]))


# csrf_exempt: CsrfViewMiddleware reads it from the view (load.view_auth.csrf_of), the route's CSRF guard follows it;
# login_not_required (Django 5.1) only marks the view for LoginRequiredMiddleware, which no Go route runs
_TRANSPARENT = ("csrf_exempt", "login_not_required")


def dispatch_decorators(raw: dict) -> tuple[list[str], list[str]]:
    """``method_decorator``s on ``dispatch``, outermost first, split into (auth guards as Go, the others as
    written). Raises NotAuth for an auth decorator this tool does not translate."""
    guards, others = [], []
    cbv = raw.get("cbv") or {}
    layers = cbv.get("dispatch_layers")  # load.decorators.decorator_layers of each, when the loader read them
    for i, text in enumerate(cbv.get("dispatch_decorators", [])):
        dec = ast.parse(text, mode="eval").body
        if ast.unparse(dec.func if isinstance(dec, ast.Call) else dec).rpartition(".")[2] in _TRANSPARENT:
            continue
        if layers is not None and layers[i] is not None:
            from .guards import layers_guard

            guard = layers_guard(layers[i], inner=HOLE)
            if guard is None or any(layer["kind"] == "other" for layer in layers[i]):
                others.append(text)
            else:
                guards.append(guard.wrap)
            continue
        go = _guard(dec)
        if go is None:
            others.append(text)
        else:
            guards.append(go)
    return guards, others


def class_guard(raw: dict):
    """The route guard of a class-based view (a Guard), None without one: ``method_decorator``s on
    ``dispatch`` outermost, then the access mixins (their ``dispatch`` runs before View's). Raises NotAuth."""
    mixins = read_mixins(raw.get("auth_mixins"))
    cbv = raw.get("cbv") or {}
    guards, _ = dispatch_decorators(raw) if cbv and not cbv.get("drf") else ([], [])
    if not guards:
        return mixins
    expr = mixins.wrap if mixins is not None else "h"
    for go in reversed(guards):
        expr = go.replace(HOLE, expr)
    return Guard(wrap=expr, python=tuple(raw["cbv"]["dispatch_decorators"]) + (mixins.python if mixins else ()))


def _auth_guard(raw: dict) -> Optional[Guard]:
    """The view's auth decorators (or a class-based view's access mixins) as a guard; None when it has none,
    or one this module does not translate (the view then keeps its decorators, and stays a stub)."""
    try:
        return read_view_guard(raw)
    except NotAuth:
        return None


def read_view_guard(raw: dict) -> Optional[Guard]:
    """The route guard of a view: a class-based view's (class_guard), a function view's from its wrapper layers
    as the loader read them (translate.guards: Django's auth decorators and the project's own), else from the
    decorators its source shows (read_guard). Raises NotAuth naming what is not translated."""
    if raw.get("kind") == "class":
        return class_guard(raw)  # method_decorator on dispatch, access mixins
    if "wrappers" in raw:
        from .guards import layers_guard

        return layers_guard(raw["wrappers"])
    return read_guard(raw.get("python", ""), raw.get("decorators", []))


def needs_csrf(raw: dict) -> bool:
    """CsrfViewMiddleware checks the view (in MIDDLEWARE, not csrf_exempt: load.urls). Whatever methods the
    view allows: process_view runs before require_GET's 405, so a CSRF-less POST to a GET view is a 403."""
    return raw.get("csrf") == "protect"


def route_guards(routes: list[dict], framework: str | None) -> dict[str, str]:
    """view -> the Go function wrapping its handler: Django's CSRF check first (process_view runs before the
    view's decorators), then its auth decorators, for the views whose decorators translate."""
    if framework not in FRAMEWORKS:
        return {}
    out = {}
    for raw in routes:
        guard = _auth_guard(raw)
        wrap = guard.wrap if guard is not None else "h"
        if needs_csrf(raw):
            wrap = f"a.CSRFRequired({wrap})"
        if wrap != "h":
            out[raw["view"]] = f"func(a *djauth.Auth, h http.HandlerFunc) http.HandlerFunc {{ return {wrap} }}"
    return out


def guarded_routes(routes: list[dict], framework: str | None) -> list[dict]:
    """The routes without the wrappers the route guards apply: the view translator then reads those views as it
    reads any other (their handlers run only after the guard let the request in). A view whose decorators are
    not translated keeps them, with the reason (``guard_reason``, DECORATOR_*...) for http/MIGRATION.md."""
    if framework not in FRAMEWORKS:
        return routes
    from .guards import result_of, unguarded

    out = []
    for r in routes:
        try:
            guard = read_view_guard(r)
        except NotAuth as exc:
            out.append(dict(r, guard_reason=str(exc)))
            continue
        result = result_of(r.get("wrappers", []))
        if guard is None and result is None:
            out.append(r)
        elif guard is None:  # only a result wrapper (json_view): the view reader answers with its dict
            out.append(dict(r, decorators=unguarded(r["wrappers"]), result=result))
        else:
            kept = unguarded(r["wrappers"]) if "wrappers" in r else strip_auth(r.get("decorators", []))
            out.append(dict(r, decorators=kept, guarded=True, **({"result": result} if result else {})))
    return out


# the methods a guarded route is registered for besides its own: Django's CSRF check and auth decorators answer
# them (403, the login redirect) before require_http_methods' 405
GUARDED_METHODS = ("DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT")


def open_entries(model, guards: dict) -> None:
    """ServeMux registrations of guarded routes take every method: the route's guard runs before its method
    check (templates/auth/server.go.j2 ``allow``), as in Django."""
    from dataclasses import replace

    for i, e in enumerate(model.entries):
        if e.methods and any(model.routes[r].handler in guards for r in e.routes):
            model.entries[i] = replace(e, methods=tuple(sorted(set(e.methods) | set(GUARDED_METHODS))))
