"""A view's wrapper layers (load.decorators: Django's auth decorators read from their closures, a project's own
decorators read by following their body) -> the djauth guard its route applies, as Go text.

Pure: plain data in, a Go expression of the handler (``HOLE``) out, or NotAuth naming the DECORATOR_* reason.
The test texts are load.decorators_eval's restricted Python: ``u.is_*`` flags, ``header("X") == "v"``,
``True``/``False``, ``not``/``and``/``or``.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Optional

from .guard_types import HOLE, Guard, NotAuth

_USER_FIELDS = {"is_authenticated": "IsAuthenticated", "is_active": "IsActive", "is_staff": "IsStaff",
                "is_superuser": "IsSuperuser"}
GUARD_KINDS = ("test", "permission", "steps", "headers")  # the layers a route guard accounts for
# a Django wrapper adding headers to every answer (load.decorators' ``headers`` layers) -> djauth's wrapper doing it
_HEADER_WRAPPERS = {"never_cache": "djauth.NeverCache"}


def _q(text: str) -> str:
    return json.dumps(text)


def go_test(text: str) -> str:
    """A test as a Go boolean expression over ``u`` (*djauth.User) and ``r`` (*http.Request)."""
    def go(node) -> str:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "u" \
                and node.attr in _USER_FIELDS:
            return f"u.{_USER_FIELDS[node.attr]}"
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return "true" if node.value else "false"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return f"!({go(node.operand)})"
        if isinstance(node, ast.BoolOp):
            return "(" + (" && " if isinstance(node.op, ast.And) else " || ").join(go(v) for v in node.values) + ")"
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "method_in":  # request.method in [...]
            methods = ast.literal_eval(node.args[0])
            return "(" + " || ".join(f"r.Method == {_q(m)}" for m in methods) + ")" if methods else "false"
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq) \
                and isinstance(node.left, ast.Call) and ast.unparse(node.left.func) == "header":
            name, value = node.left.args[0].value, node.comparators[0].value
            return f"r.Header.Get({_q(name)}) == {_q(value)}"  # request.headers.get(name) == value
        raise NotAuth(f"DECORATOR_TEST: `{ast.unparse(node)}` is not a test djauth runs")
    return go(ast.parse(text, mode="eval").body)


def _test_func(text: str) -> str:
    body = go_test(text)
    req = "r" if "r.Header" in body else "_"
    return f"func({req} *http.Request, u *djauth.User) bool {{ return {body} }}"


def _leaf(step: dict) -> str:
    if "answer" in step:
        a = step["answer"]
        headers = ", ".join(_q(x) for kv in a["headers"] for x in kv)
        return f"djauth.Answer(w, {a['status']}, []string{{{headers}}}, {_q(a['body'])})"
    if "login" in step:
        return f"a.RedirectToLogin(w, r, {_q(step['login']['url'] or '')}, {_q(step['login']['field'] or '')})"
    if "forbidden" in step:
        return "djauth.Forbidden(w)"
    if "view" in step:
        return "next(w, r)"
    raise NotAuth(f"DECORATOR_STEP: {sorted(step)} is not rendered")


def _block(steps: list, indent: str) -> list[str]:
    out = []
    for step in steps:
        if "if" in step:
            out.append(f"{indent}if {go_test(step['if'])} {{")
            out += _block(step["then"], indent + "\t")
            if step["else"]:
                out.append(f"{indent}}} else {{")
                out += _block(step["else"], indent + "\t")
            out.append(f"{indent}}}")
        else:
            out += [indent + _leaf(step), indent + "return"]
    return out


def steps_go(steps: list) -> str:
    """A project decorator's decision tree as a Go wrapper of ``HOLE`` (the identity when it only calls the view)."""
    if steps == [{"view": True}]:
        return HOLE
    lines = _block(steps, "\t\t")
    if lines and lines[-1].strip() == "return":
        lines.pop()  # the function's end
    user = any(line.lstrip().startswith("if ") and re.search(r"\bu\.", line) for line in lines)  # tests read u
    head = ["func(next http.HandlerFunc) http.HandlerFunc {", "\treturn func(w http.ResponseWriter, r *http.Request) {"]
    head += ["\t\tu := djauth.UserOf(r)"] if user else []
    return "\n".join(head + lines + ["\t}", "}(" + HOLE + ")"])


def layer_go(layer: dict) -> Optional[str]:
    """One layer's Go wrapper (with HOLE), None for a layer that is not a guard. Raises NotAuth."""
    kind = layer["kind"]
    if kind == "unread":
        raise NotAuth(f"{layer['code']}: {layer['wrapper']}: {layer['message']}")
    if kind == "steps":
        return steps_go(layer["steps"])
    if kind == "headers":
        return f"{_HEADER_WRAPPERS[layer['headers']]}({HOLE})"
    default_login = layer.get("login_url") is None and layer.get("field") == "next"
    if kind == "permission":
        if not default_login:
            raise NotAuth("DECORATOR_LOGIN_URL: permission_required with a login_url of its own")
        perms = "[]string{" + ", ".join(_q(p) for p in layer["perms"]) + "}"
        return f"a.PermissionRequired({perms}, {'true' if layer['raise_exception'] else 'false'}, {HOLE})"
    if kind == "test":
        if default_login and layer["test"] == "u.is_authenticated":
            return f"a.LoginRequired({HOLE})"
        if default_login:
            return f"a.UserPassesTest({_test_func(layer['test'])}, {HOLE})"
        return (f"a.UserPassesTestTo({_test_func(layer['test'])}, {_q(layer['login_url'] or '')}, "
                f"{_q(layer['field'] or '')}, {HOLE})")
    return None


def layers_guard(layers: list[dict], inner: str = "h") -> Optional[Guard]:
    """The guard of a view's layers (outermost first), None without a guard layer. Raises NotAuth for a layer
    not read, and for a guard below a method check or another wrapper (Django would answer those first).
    ``inner``: what the innermost guard wraps (the handler ``h``, or HOLE for a guard composed further)."""
    wraps, names, above = [], [], ""
    guarded = [i for i, layer in enumerate(layers) if layer["kind"] in GUARD_KINDS and layer_go(layer) != HOLE]
    for i, layer in enumerate(layers):
        if layer["kind"] == "transparent":
            continue
        if layer["kind"] == "result":  # the view reader's (result_of): innermost, or Django serialises answers
            below = [x["wrapper"] for x in layers[i + 1:] if x["kind"] not in ("transparent", "result")]
            if below:
                raise NotAuth(f"DECORATOR_ORDER: {layer['wrapper']} answers JsonResponse(...) of what {below[0]} "
                              "answers (a response, not the view's dict)")
            continue
        if layer["kind"] == "methods" and guarded and i < guarded[-1] and "steps" in layer:
            wraps.append(steps_go(layer["steps"]))  # Django's 405 before the guard below it (the route's comes after)
            continue
        go = layer_go(layer)
        if go == HOLE:  # a check a setting turned off: it only calls the view (accounted for, nothing to run)
            names.append(layer["wrapper"])
            continue
        if go is None:
            above = above or ("require_http_methods" if layer["kind"] == "methods" else layer["wrapper"])
            continue
        if above:
            raise NotAuth(f"DECORATOR_ORDER: {above} runs before {layer['wrapper']} (its answer comes first in Django)")
        wraps.append(go)
        names.append(layer["wrapper"])
    if not names:
        return None
    expr = inner
    for go in reversed(wraps):  # the innermost wraps the handler first
        expr = go.replace(HOLE, expr)
    return Guard(wrap=expr, python=tuple(names))


def unguarded(layers: list[dict]) -> list[str]:
    """The loader's ``decorators`` (every layer but the method checks) without those the route guard runs and
    the result wrapper the view reader reads (result_of)."""
    return [layer["wrapper"] for layer in layers if layer["kind"] not in GUARD_KINDS + ("methods", "result")]


def result_of(layers: list[dict]):
    """The result wrapper of a view's layers (json_view: ``status``, ``encoder``, ``status_kwarg``), None without
    one: the view reader then answers with the dict the view returns (translate.guards_result)."""
    return next(({k: v for k, v in layer.items() if k not in ("wrapper", "kind")} for layer in layers
                 if layer["kind"] == "result"), None)
