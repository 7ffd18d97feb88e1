"""The project's URLconf as plain data, read inside Django (the worker calls ``collect_routes`` after
``django.setup()``).

Every endpoint of ``get_resolver()`` is walked, includes followed, in Django's order (the order it
tries them in). A route is a list of parts: literal text, or a parameter with the converter (or the
regex group) that constrains it, so the Go side can validate a value exactly where Django would
have refused to match. The view is read without calling it: its dotted name, file and line, its
source, and the HTTP methods it accepts, taken from the closures Django's ``require_http_methods``
family leaves on the wrapper (``request_method_list``), or from a class-based view's handlers.
``request.method`` comparisons in the source are recorded too (the branches a handler must keep).
A pattern the tool cannot translate is a located diagnostic, and the route is left out.
"""

from __future__ import annotations

import ast
import inspect
import os
import re
import textwrap
from typing import Optional

from ..ir import Diagnostic, to_dict

# Django's built-in path converters -> the regex each one matches (django.urls.converters).
CONVERTER_REGEX = {
    "int": "[0-9]+",
    "str": "[^/]+",
    "slug": "[-a-zA-Z0-9_]+",
    "uuid": "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    "path": ".+",
}
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
# Python regex syntax RE2 (Go's regexp) does not have.
_NOT_RE2 = re.compile(r"\(\?[=!]|\(\?<[=!]|\(\?P=|\\[1-9]|\(\?#")
_METACHARS = set(".^$*+?{}[]|()")


class Unsupported(Exception):
    """A pattern outside what translates to a Go route: becomes a diagnostic, the route is skipped."""


def route_parts(route: str, converters: dict) -> list[dict]:
    """``products/<int:pk>/`` -> [literal "products/", param pk (int), literal "/"]."""
    parts: list[dict] = []
    pos = 0
    for m in _PARAM.finditer(route):
        if m.start() > pos:
            parts.append({"literal": route[pos:m.start()]})
        name = m.group("parameter")
        conv = m.group("converter") or "str"
        regex = CONVERTER_REGEX.get(conv)
        if regex is None:  # a registered custom converter: its own regex
            c = converters.get(name)
            regex = getattr(c, "regex", None) or getattr(type(c), "regex", None)
            if not regex:
                raise Unsupported(f"converter {conv!r} of <{conv}:{name}> has no regex")
        parts.append({"param": name, "converter": conv, "regex": regex})
        pos = m.end()
    if pos < len(route):
        parts.append({"literal": route[pos:]})
    return parts


def _group_end(regex: str, start: int) -> int:
    """Index of the ``)`` closing the group opened at ``start`` (escapes and classes skipped)."""
    depth, i, in_class = 0, start, False
    while i < len(regex):
        c = regex[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise Unsupported(f"unbalanced group in {regex!r}")


def regex_parts(regex: str, endpoint: bool) -> list[dict]:
    """``^products/(?P<year>[0-9]{4})/$`` -> literals and named parameters; anything else is Unsupported."""
    if _NOT_RE2.search(regex):
        raise Unsupported(f"regex {regex!r} uses syntax Go's regexp (RE2) does not have")
    body = regex[1:] if regex.startswith("^") else regex  # Django matches from the start either way
    if endpoint:
        if not body.endswith("$") or body.endswith("\\$"):
            raise Unsupported(f"regex {regex!r} has no closing $: it matches every path it prefixes")
        body = body[:-1]
    parts: list[dict] = []
    lit = ""
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            nxt = body[i + 1:i + 2]
            if not nxt or nxt.isalnum():
                raise Unsupported(f"regex {regex!r}: escape \\{nxt} outside a named group")
            lit += nxt
            i += 2
        elif body.startswith("(?P<", i):
            end = _group_end(body, i)
            name, _, inner = body[i + 4:end].partition(">")
            if lit:
                parts.append({"literal": lit})
                lit = ""
            parts.append({"param": name, "converter": "regex", "regex": inner})
            i = end + 1
        elif c in _METACHARS:
            raise Unsupported(f"regex {regex!r}: {c!r} outside a named group (only literal text and "
                              "(?P<name>...) groups translate)")
        else:
            lit += c
            i += 1
    if lit:
        parts.append({"literal": lit})
    return parts


def pattern_parts(pattern, endpoint: bool) -> list[dict]:
    from django.urls.resolvers import RegexPattern, RoutePattern

    if isinstance(pattern, RoutePattern):
        return route_parts(str(pattern._route), getattr(pattern, "converters", {}))
    if isinstance(pattern, RegexPattern):
        return regex_parts(str(pattern._regex), endpoint)
    raise Unsupported(f"{type(pattern).__name__} ({pattern.describe()}) is not translated (i18n prefixes included)")


def _rel(root: str, path: Optional[str]) -> str:
    if not path:
        return ""
    rel = os.path.relpath(os.path.abspath(path), root)
    return path if rel.startswith("..") else rel


def _request_methods(view) -> Optional[list[str]]:
    """The methods the decorators of ``view`` allow (intersected), or None when none restrict them.

    ``require_http_methods(list)`` (and require_GET / require_POST / require_safe built on it) wraps the
    view in a closure holding ``request_method_list``; functools.wraps leaves ``__wrapped__`` on each layer.
    """
    allowed: Optional[set[str]] = None
    fn, seen = view, 0
    while fn is not None and seen < 50:
        code = getattr(fn, "__code__", None)
        if code is not None and fn.__closure__ and "request_method_list" in code.co_freevars:
            cell = fn.__closure__[code.co_freevars.index("request_method_list")]
            methods = {str(m).upper() for m in cell.cell_contents}
            allowed = methods if allowed is None else allowed & methods
        fn, seen = getattr(fn, "__wrapped__", None), seen + 1
    return sorted(allowed) if allowed is not None else None


def _class_methods(cls) -> list[str]:
    """What Django's View._allowed_methods() answers: handlers defined, plus HEAD when GET is (View.setup)."""
    names = [m for m in cls.http_method_names if hasattr(cls, m)]
    if "get" in names and "head" not in names and "head" in cls.http_method_names:
        names.append("head")
    return sorted(m.upper() for m in names)


def _branch_methods(source: str) -> list[str]:
    """Methods compared with ``request.method`` in the source (``==``, ``!=``, ``in``)."""
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return []
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        if not any(isinstance(s, ast.Attribute) and s.attr == "method" for s in sides):
            continue
        for s in sides:
            for c in ([s] if isinstance(s, ast.Constant) else getattr(s, "elts", [])):
                if isinstance(c, ast.Constant) and isinstance(c.value, str) and c.value.isalpha():
                    found.add(c.value.upper())
    return sorted(found)


def describe_view(root: str, callback) -> dict:
    """Dotted name, file, line, source, app and methods of a URLconf callback."""
    from django.apps import apps

    cls = getattr(callback, "view_class", None)
    target = cls if cls is not None else inspect.unwrap(callback)
    module = getattr(target, "__module__", "") or ""
    dotted = f"{module}.{getattr(target, '__qualname__', getattr(target, '__name__', repr(target)))}"
    file, line, source = "", 0, ""
    try:
        file = _rel(root, inspect.getsourcefile(target))
        lines, line = inspect.getsourcelines(target)
        source = textwrap.dedent("".join(lines))
    except (OSError, TypeError):
        pass
    if cls is not None:
        methods: Optional[list[str]] = _class_methods(cls)
        kind = "class"
    else:
        methods = _request_methods(callback)
        kind = "function"
    app = apps.get_containing_app_config(module)
    return {"view": dotted, "kind": kind, "file": file, "line": line, "python": source,
            "app": app.label if app else module.split(".")[0], "methods": methods,
            "branches": _branch_methods(source) if source else [],
            "functions": view_functions(root, target) if cls is None and source else {}}


def _resolve(root: str, obj) -> Optional[dict]:
    """What a name in a view's globals stands for, as plain data (never the object)."""
    from django.db import models as djmodels

    if inspect.isclass(obj) and issubclass(obj, djmodels.Model):
        return {"kind": "model", "ref": obj._meta.label}
    if inspect.ismodule(obj):
        return {"kind": "module", "ref": obj.__name__}
    if callable(obj):
        target = inspect.unwrap(obj) if inspect.isfunction(obj) else obj
        mod = getattr(target, "__module__", "") or ""
        ref = f"{mod}.{getattr(target, '__qualname__', getattr(target, '__name__', ''))}"
        try:
            path = inspect.getsourcefile(target) if inspect.isfunction(target) else None
        except TypeError:
            path = None
        local = bool(path) and not os.path.relpath(os.path.abspath(path), root).startswith("..") and (
            "site-packages" not in path)
        return {"kind": "function" if local else "external", "ref": ref}
    return None


def view_functions(root: str, view, depth: int = 3) -> dict:
    """The view and the project functions it calls (helpers, services), each with its source and the
    names its body uses resolved in its module globals: ``{qualified name: {source, file, line, names}}``.

    ``names`` maps a name (``JsonResponse``) or a module attribute (``services.popular_tags``) to
    ``{"kind": model | module | function | external, "ref": label or dotted name}``, so the http
    translator can read the view's body without importing anything.
    """
    out: dict[str, dict] = {}
    todo = [(inspect.unwrap(view), 0)]
    while todo:
        fn, level = todo.pop(0)
        ref = f"{fn.__module__}.{fn.__qualname__}"
        if ref in out:
            continue
        try:
            lines, line = inspect.getsourcelines(fn)
            file = _rel(root, inspect.getsourcefile(fn))
        except (OSError, TypeError):
            continue
        source = textwrap.dedent("".join(lines))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        env = getattr(fn, "__globals__", {})
        names: dict[str, dict] = {}
        for node in ast.walk(tree):
            key, obj = None, None
            if isinstance(node, ast.Name) and node.id in env:
                key, obj = node.id, env[node.id]
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and inspect.ismodule(
                    env.get(node.value.id)):
                key, obj = f"{node.value.id}.{node.attr}", getattr(env[node.value.id], node.attr, None)
            if key is None or key in names or obj is None:
                continue
            resolved = _resolve(root, obj)
            if resolved is None:
                continue
            names[key] = resolved
            if resolved["kind"] == "function" and level < depth and inspect.isfunction(obj):
                todo.append((inspect.unwrap(obj), level + 1))
        out[ref] = {"source": source, "file": file, "line": line, "names": names}
    return out


def collect_routes(root: str) -> tuple[list[dict], list[dict]]:
    """Every endpoint of the root URLconf, in Django's order, and the diagnostics for those left out."""
    from django.urls import URLPattern, URLResolver, get_resolver

    root = os.path.abspath(root)
    routes: list[dict] = []
    diags: list[Diagnostic] = []

    def walk(patterns, prefix: list[dict], django: str, namespace: str, urlconf: str) -> None:
        for entry in patterns:
            endpoint = isinstance(entry, URLPattern)
            try:
                parts = prefix + pattern_parts(entry.pattern, endpoint)
            except Unsupported as exc:
                diags.append(Diagnostic(code="ROUTE_UNSUPPORTED", file=urlconf, severity="warning",
                                        message=f"{django}{entry.pattern}: {exc}; the route is left out",
                                        hint="rewrite it with path() converters, or add the Go route by hand"))
                continue
            text = django + str(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = ":".join(p for p in (namespace, entry.namespace) if p)
                file = urlconf
                mod = entry.urlconf_module
                if inspect.ismodule(mod):
                    file = _rel(root, getattr(mod, "__file__", "")) or urlconf
                walk(entry.url_patterns, parts, text, ns, file)
                continue
            view = describe_view(root, entry.callback)
            routes.append({"django": text, "parts": _merge_literals(parts), "name": entry.name or "",
                           "namespace": namespace, "urlconf": urlconf, **view})

    resolver = get_resolver()
    mod = resolver.urlconf_module
    walk(resolver.url_patterns, [], "", "", _rel(root, getattr(mod, "__file__", "")) if inspect.ismodule(mod) else "")
    return routes, [to_dict(d) for d in diags]


def _merge_literals(parts: list[dict]) -> list[dict]:
    out: list[dict] = []
    for p in parts:
        if "literal" in p and out and "literal" in out[-1]:
            out[-1] = {"literal": out[-1]["literal"] + p["literal"]}
        elif "literal" not in p or p["literal"]:
            out.append(dict(p))
    return out
