"""Routes (load.urls, plain dicts) -> the HTTP service's view-model: Go 1.22 ServeMux patterns, Fiber
paths, handler names, and the parameter checks that stand for Django's converters.

Django tries its patterns in order and the first match wins; a converter that refuses a value makes
Django try the next pattern. Go's ServeMux picks the most specific pattern instead and panics on two
patterns that match the same requests, so routes whose Go patterns are the same (up to wildcard
names) are merged into one registration that tries them in Django's order, checking each one's
parameters as its converters would. Fiber tries routes in registration order, like Django, so each
route is registered on its own and hands over to the next (``c.Next()``) when a parameter is refused.

A route is a ``stub`` (answers 501 with the view's name and source) until its data access is
migrated; a later change sets ``status="migrated"`` and gives it a real handler.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Optional

from ..ir import Diagnostic
from .http_paths import RouteError, is_exact, path_regex, translate_path
from .naming import camel, http_core_name, http_handler_namer, http_param_namer, pascal

# Methods a view that does not restrict them is registered for (Go: every method a client sends).
ANY_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


@dataclass(frozen=True)
class Param:
    name: str  # Django's keyword argument
    converter: str  # int, str, slug, uuid, path, a custom converter's name, or "regex"
    regex: str  # what Django's converter (or the regex group) matches
    fiber_key: str  # the name c.Params() takes ("+" for a path converter)
    var: str  # a Go identifier for the value

    @property
    def go_regex(self) -> str:
        return f"^(?:{self.regex})$"


@dataclass(frozen=True)
class Route:
    index: int  # position in Django's URLconf order
    django: str  # the route as Django spells it (prefixes joined)
    name: str  # namespace:name, or ""
    view: str  # dotted Python view
    kind: str  # function | class
    app: str
    file: str
    line: int
    python: str
    methods: tuple[str, ...]  # the methods the view accepts; () when it does not restrict them
    branches: tuple[str, ...]  # methods the view's body compares request.method with
    handler: str  # the Go method on *Server
    mux_path: str  # ServeMux path pattern, without the method
    fiber_path: str
    path_regex: str  # the whole path as Django matches it (Go regexp syntax, named groups)
    params: tuple[Param, ...]
    status: str = "stub"  # "migrated" when the handler is real
    # False when mux_path is wider than the route (a parameter sharing a segment, a path converter before
    # more text, regex syntax outside named groups): path_regex alone decides, the wildcards mean nothing
    exact: bool = True
    actions: tuple[tuple[str, str], ...] = ()  # a DRF viewset route: (method, action), e.g. ("GET", "list")

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}" if self.file else ""

    @property
    def allowed(self) -> tuple[str, ...]:
        return self.methods or ANY_METHODS

    @property
    def patterns(self) -> list[str]:
        return [f"{m} {self.mux_path}" for m in self.allowed]


@dataclass(frozen=True)
class MuxEntry:
    """One ServeMux registration: a path, the methods it is registered for, the routes it tries in order."""

    path: str
    methods: tuple[str, ...]
    routes: tuple[int, ...]


@dataclass(frozen=True)
class Handler:
    name: str
    view: str
    app: str
    kind: str
    file: str
    line: int
    python: str
    routes: tuple[Route, ...]
    status: str = "stub"
    actions: tuple[tuple[str, str], ...] = ()  # a DRF viewset's (method, action) pairs
    core: str = ""  # the method a migrated handler's body lives in (naming.http_core_name)

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}" if self.file else ""

    @property
    def action_groups(self) -> list[tuple[str, tuple[str, ...]]]:
        """(action, methods) in method order: what a viewset stub names per method."""
        out: OrderedDict[str, list[str]] = OrderedDict()
        for method, action in self.actions:
            out.setdefault(action, []).append(method)
        return [(a, tuple(ms)) for a, ms in out.items()]


@dataclass
class HTTPModel:
    routes: list[Route] = field(default_factory=list)
    entries: list[MuxEntry] = field(default_factory=list)
    handlers: list[Handler] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    store: dict = field(default_factory=dict)  # store.go's view-model (handlers_store_go.store_file), by migrate_views
    responses: list = field(default_factory=list)  # responses.go's structs (handlers_json.Responses), by migrate_views

    def by_app(self) -> dict[str, list[Handler]]:
        out: dict[str, list[Handler]] = {}
        for h in sorted(self.handlers, key=lambda h: (h.app, h.file, h.line, h.view)):
            out.setdefault(h.app, []).append(h)
        return out

    @property
    def stubbed(self) -> int:
        return sum(1 for r in self.routes if r.status == "stub")

    @property
    def migrated(self) -> int:
        return sum(1 for r in self.routes if r.status == "migrated")


# ServeMux patterns as segments: a literal, or None for a wildcard; rest=True when {x...} ends it.
Shape = tuple[tuple[Optional[str], ...], bool]


def shape(mux_path: str) -> Shape:
    segs = mux_path[1:].split("/")
    rest = segs[-1].endswith("...}")
    if rest:
        segs = segs[:-1]
    elif segs[-1] == "{$}":
        segs[-1] = ""
    return tuple(None if s.startswith("{") else s for s in segs), rest


def _sub(a: Shape, b: Shape) -> bool:
    """Every path a matches, b matches too (a is at least as specific)."""
    (sa, ra), (sb, rb) = a, b
    if rb:
        return (not ra or len(sa) >= len(sb)) and len(sa) >= len(sb) and all(
            y is None or x == y for x, y in zip(sa, sb))
    return not ra and len(sa) == len(sb) and all(y is None or x == y for x, y in zip(sa, sb))


def _overlap(a: Shape, b: Shape) -> bool:
    (sa, ra), (sb, rb) = a, b
    if not ra and not rb and len(sa) != len(sb):
        return False
    if ra and not rb and len(sb) < len(sa) or rb and not ra and len(sa) < len(sb):
        return False
    return all(x is None or y is None or x == y for x, y in zip(sa, sb))


def _conflict(a: Shape, b: Shape) -> bool:
    """ServeMux panics: both match some path, and neither is more specific (identical included)."""
    return _overlap(a, b) and _sub(a, b) == _sub(b, a)


def _total(rt: Route) -> bool:
    """Its converters accept every value its ServeMux wildcards can hold."""
    return rt.exact and all(p.regex in ("[^/]+", ".*") for p in rt.params)


def _may_take(a: Route, b: Route) -> bool:
    """Route a (earlier, more general) could match some path route b matches: a shadows b in Django."""
    if not a.exact:
        return True
    sa, sb = shape(a.mux_path)[0], shape(b.mux_path)[0]
    names = iter(a.params)
    for x, y in zip(sa, sb):
        if x is None:
            p = next(names, None)
            if p is not None and y is not None and not re.fullmatch(p.regex, y):
                return False
    return True


def _generalise(shapes: list[Shape]) -> Shape:
    """The narrowest shape covering all of them: literals kept where all agree, else wildcards."""
    if all(not r for _, r in shapes) and len({len(s) for s, _ in shapes}) == 1:
        n, rest = len(shapes[0][0]), False
    else:
        n, rest = min(len(s) for s, _ in shapes), True
    segs = []
    for i in range(n):
        vals = {s[i] for s, _ in shapes}
        segs.append(vals.pop() if len(vals) == 1 else None)
    return tuple(segs), rest


def _narrow(rt: Route) -> bool:
    """A parameter whose converter refuses some segment ServeMux's wildcard takes (str and path take them all)."""
    return any(p.converter not in ("str", "path") for p in rt.params)


def _pattern(sh: Shape, routes: list[Route]) -> str:
    """A ServeMux path for a shape; a wildcard keeps its name when every route spells it the same."""
    segs, rest = sh
    if len(routes) == 1:
        return routes[0].mux_path
    out = []
    for i, seg in enumerate(segs):
        if seg is not None:
            out.append(seg if seg or i < len(segs) - 1 or rest else "{$}")
            continue
        names = set()
        for rt in routes:
            parts = rt.mux_path[1:].split("/")
            names.add(parts[i][1:-1] if i < len(parts) and parts[i].startswith("{") and "..." not in parts[i]
                      and parts[i] != "{$}" else None)
        name = names.pop() if len(names) == 1 and None not in names else f"s{i}"
        out.append("{" + name + "}")
    if rest:
        out.append("{rest...}")
    return "/" + "/".join(out)


def _handler_key(r: dict) -> str:
    """One handler per view; a viewset gets one per set of actions (list/create, retrieve/update...)."""
    actions = r.get("actions")
    return r["view"] + ("#" + ",".join(f"{m}={a}" for m, a in sorted(actions.items())) if actions else "")


def _handler_base(r: dict) -> str:
    base = r["view"].rsplit(".", 1)[-1]
    actions = r.get("actions")
    if actions:
        base += "_" + "_".join(dict.fromkeys(a for _, a in sorted(actions.items(), key=lambda x: _METHOD_ORDER(x[0]))))
    return pascal(base)


def _METHOD_ORDER(method: str) -> int:
    order = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
    return order.index(method) if method in order else len(order)


def translate_routes(raw: list[dict]) -> HTTPModel:
    model = HTTPModel()
    namer = http_handler_namer()
    handler_names: dict[str, str] = {}
    keys: list[str] = []
    for i, r in enumerate(raw):
        try:
            mux, fiber, params = translate_path(r["parts"])
            regex = path_regex(r["parts"])
        except RouteError as exc:
            model.diagnostics.append(Diagnostic(
                code="ROUTE_UNSUPPORTED", file=r.get("urlconf", ""), severity="warning",
                message=f"{r['django']} ({r['view']}): {exc}; the route is left out",
                hint="add the Go route by hand"))
            continue
        view, key = r["view"], _handler_key(r)
        if key not in handler_names:
            handler_names[key] = namer.take(_handler_base(r))
        keys.append(key)
        vars_ = http_param_namer()
        actions = tuple(sorted((r.get("actions") or {}).items(), key=lambda x: _METHOD_ORDER(x[0])))
        model.routes.append(Route(
            index=len(model.routes), django=r["django"],
            name=":".join(x for x in (r.get("namespace", ""), r.get("name", "")) if x) if r.get("name") else "",
            view=view, kind=r.get("kind", "function"), app=r.get("app", ""), file=r.get("file", ""),
            line=r.get("line", 0), python=r.get("python", ""),
            methods=(tuple(r["methods"]) if r.get("kind") == "class" else tuple(sorted(r["methods"])))  # class: Allow's order
            if r.get("methods") is not None else (),
            branches=tuple(r.get("branches", ())), handler=handler_names[key], mux_path=mux, fiber_path=fiber,
            path_regex=regex, exact=is_exact(r["parts"]), actions=actions,
            params=tuple(Param(name=p["param"], converter=p["converter"], regex=p["regex"],
                               fiber_key=p["fiber_key"], var=vars_.take(camel(p["param"]))) for p in params)))
    _merge(model)
    by_key: OrderedDict[str, list[Route]] = OrderedDict()
    for key, rt in zip(keys, model.routes):
        by_key.setdefault(key, []).append(rt)
    for routes in by_key.values():
        first = routes[0]
        model.handlers.append(Handler(name=first.handler, view=first.view, app=first.app, kind=first.kind,
                                      file=first.file, line=first.line, python=first.python, routes=tuple(routes),
                                      status="migrated" if all(r.status == "migrated" for r in routes) else "stub",
                                      actions=first.actions, core=http_core_name(first.handler)))
    return model


def _merge(model: HTTPModel) -> None:
    """Group routes into ServeMux registrations that keep Django's first-match order.

    Two routes go in one registration (tried in Django's order by regex) when ServeMux would panic on
    them, when an earlier route could take some of a later, more specific route's paths, or when an
    earlier, more specific route could refuse a path a later one takes. Groups are widened to one
    pattern covering their routes, which may conflict again: repeat until nothing conflicts.
    """
    routes = model.routes
    parent = list(range(len(routes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    shapes = [shape(rt.mux_path) for rt in routes]
    for i, a in enumerate(routes):
        for j in range(i + 1, len(routes)):
            b = routes[j]
            if not _overlap(shapes[i], shapes[j]):
                continue
            a_in_b, b_in_a = _sub(shapes[i], shapes[j]), _sub(shapes[j], shapes[i])
            if a_in_b == b_in_a or (b_in_a and _may_take(a, b)) or (a_in_b and not _total(a)):
                union(i, j)
    while True:
        groups: OrderedDict[int, list[int]] = OrderedDict()
        for i in range(len(routes)):
            groups.setdefault(find(i), []).append(i)
        wide = {g: _generalise([shapes[i] for i in idx]) for g, idx in groups.items()}
        keys = list(groups)
        clash = next(((g, h) for n, g in enumerate(keys) for h in keys[n + 1:] if _conflict(wide[g], wide[h])), None)
        if clash is None:
            break
        union(*clash)
    for g, idx in groups.items():
        members = [routes[i] for i in idx]
        # a class-based view's route takes every method: its own check answers 405 with Django's Allow order
        # and so does a route whose converter is narrower than a ServeMux segment (int, slug, uuid, a regex): Django
        # answers 404 for a value it refuses whatever the method, so dispatch must see every method before any 405
        methods = {m for rt in members for m in (ANY_METHODS if rt.kind == "class" or _narrow(rt) else rt.allowed)}
        if "GET" in methods:  # a GET pattern serves HEAD too; "HEAD /{x...}" would conflict with "GET /healthz"
            methods.discard("HEAD")
        methods = sorted(methods)
        model.entries.append(MuxEntry(path=_pattern(wide[g], members), methods=tuple(methods), routes=tuple(idx)))


# the view translator (handlers_plan, handlers*) decides which views get a real handler
from .handlers_plan import migrate_views  # noqa: E402,F401  (the http stage imports it from here)
