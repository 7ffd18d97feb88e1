"""One route's path (load.urls parts) -> its Go forms: the ServeMux pattern, the Fiber path and the full regex
that stands for Django's match, with the parameters' wildcard keys; a route Go cannot take is a RouteError.
The path stage of translate.http, which decides the patterns' registration and the handlers' names."""

from __future__ import annotations

import re

_FIBER_SPECIAL = re.compile(r"([:*+?])")


class RouteError(Exception):
    pass


class _Wider(RouteError):
    """The route does not map to whole ServeMux segments: a wider pattern stands for it."""


def _check_literal(lit: str) -> None:
    if "{" in lit or "}" in lit or any(c.isspace() for c in lit):
        raise RouteError(f"literal {lit!r} holds characters a Go pattern cannot (braces, spaces)")
    if "//" in lit:
        raise RouteError(f"literal {lit!r} has an empty path segment")


def _check_params(parts: list[dict]) -> None:
    seen: set[str] = set()
    for p in parts:
        if "param" not in p:
            continue
        name = p["param"]
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise RouteError(f"parameter name {name!r} is not a Go wildcard name")
        if name in seen:
            raise RouteError(f"parameter <{name}> appears twice in the route (an include prefix and the route)")
        seen.add(name)


def translate_path(parts: list[dict]) -> tuple[str, str, list[dict]]:
    """Route parts -> (ServeMux path, Fiber path, params with their wildcard keys).

    ``api/products/<int:pk>/`` -> ``/api/products/{pk}/{$}`` and ``/api/products/:pk/``. When a parameter
    does not fill a whole path segment (``items.<format>``), a ``path`` converter is followed by more text
    (admin's ``<path:object_id>/change/``) or the regex has syntax outside named groups (DRF's ``/?``),
    the pattern is the route's literal leading segments and a rest wildcard (``/api/{rest...}``), wider
    than the route: its full regex (``path_regex``) then decides, in Django's order (see ``is_exact``).
    """
    _check_params(parts)
    try:
        return _exact_path(parts)
    except _Wider:
        return _wide_path(parts)


def is_exact(parts: list[dict]) -> bool:
    try:
        _exact_path(parts)
    except _Wider:
        return False
    return True


def _exact_path(parts: list[dict]) -> tuple[str, str, list[dict]]:
    mux, fiber, params = "/", "/", []
    for i, p in enumerate(parts):
        if "raw" in p:
            raise _Wider(f"regex syntax {p['raw']!r} outside a named group")
        if "literal" in p:
            lit = p["literal"]
            if i == 0:
                lit = lit.lstrip("/") if lit != "/" else ""
            _check_literal(lit)
            mux += lit
            fiber += _FIBER_SPECIAL.sub(r"\\\1", lit)
            continue
        name, conv = p["param"], p["converter"]
        if not mux.endswith("/"):
            raise _Wider(f"parameter <{name}> shares a path segment with literal text")
        after = parts[i + 1] if i + 1 < len(parts) else None
        if after is not None and not ("literal" in after and after["literal"].startswith("/")):
            raise _Wider(f"parameter <{name}> shares a path segment with what follows it")
        if conv == "path":
            if after is not None:
                raise _Wider(f"<path:{name}> is followed by {after['literal']!r}")
            mux += "{" + name + "...}"
            fiber += "+"
            params.append({**p, "fiber_key": "+"})
        else:
            mux += "{" + name + "}"
            fiber += ":" + name
            params.append({**p, "fiber_key": name})
    if mux.endswith("/"):
        mux += "{$}"  # Django matches the path exactly; "/a/" alone would be a subtree in Go
    return mux, fiber, params


def _wide_path(parts: list[dict]) -> tuple[str, str, list[dict]]:
    """The literal whole segments the route starts with, then a rest wildcard (named apart from its params)."""
    lead = ""
    for p in parts:
        if "literal" not in p:
            break
        lead += p["literal"]
    lead = lead.lstrip("/")
    lead = lead[:lead.rfind("/") + 1]
    for p in parts:
        if "literal" in p:
            _check_literal(p["literal"].lstrip("/") if p is parts[0] else p["literal"])
    names = {p["param"] for p in parts if "param" in p}
    rest, n = "rest", 2
    while rest in names:
        rest, n = f"rest{n}", n + 1
    params = [{**p, "fiber_key": p["param"]} for p in parts if "param" in p]
    return "/" + lead + "{" + rest + "...}", "/" + _FIBER_SPECIAL.sub(r"\\\1", lead) + "*", params


def path_regex(parts: list[dict]) -> str:
    """The full path as Django matches it: ``^/api/products/(?P<pk>[0-9]+)/$``."""
    out = ""
    for p in parts:
        if "raw" in p:
            out += p["raw"]
        else:
            out += re.escape(p["literal"]) if "literal" in p else f"(?P<{p['param']}>{p['regex']})"
    return "^/" + out.lstrip("/") + "$" if not out.startswith("/") else "^" + out + "$"
