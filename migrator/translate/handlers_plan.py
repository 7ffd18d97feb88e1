"""Which views get a real handler: each view read once per method (handlers.ViewReader) against the
dialect-neutral store (handlers_store) over the sqlc step's typed package signatures.

Split from handlers.py, which reads one view body; this module plans the whole set.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap

from dataclasses import dataclass, field
from types import SimpleNamespace

from ..gostring import go_string
from ..plan import GoMethod, GoPackage, GoStruct  # noqa: F401 (the sqlc step's typed signatures)
from . import handlers_cbv, handlers_cbv_known, handlers_cbv_reader
from .handlers_json import Responses
from .handlers_store import neutral_store
from ..load.save_sites import SAVE
from .clock_fields import clock_fields
from .handlers_store_go import store_file
from .naming import HTTP_PACKAGE_NAMES, HTTP_SERVER_MEMBERS
from .pipeline import pipelined


# package main's own types (respond.go, values.go, pyvalues.go, routes.go): no response struct takes their name
_MAIN_TYPES = {"Req", "Route", "Server", "PyFloat", "PyValueError", "JSONValue", "ErrorHandler", "List"}
_READ = {(True, False): "req.Int({q})", (False, True): "req.UUID({q})", (False, False): "req.Path({q})"}
_STRING = re.compile(r'"(?:\\.|[^"\\\n])*"|`[^`]*`')


def _inline_once(groups: list[dict], var: str, read: str) -> bool:
    """Replace the one read of ``var`` (outside string literals) in the groups' statements by ``read``; False
    (nothing changed) when it is read more than once."""
    word = re.compile(rf"\b{re.escape(var)}\b")
    found = [(g, i) for g in groups for i, st in enumerate(g["stmts"]) for _ in word.finditer(_STRING.sub('""', st))]
    if len(found) != 1:
        return False
    g, i = found[0]
    parts = re.split(f"({_STRING.pattern})", g["stmts"][i])
    g["stmts"][i] = "".join(x if k % 2 else word.sub(read, x) for k, x in enumerate(parts))
    return True


def source_lines(text: str, comment: str) -> int:
    """Lines of code: neither blank nor only a comment (``#`` or ``//``)."""
    return sum(1 for line in text.splitlines() if line.strip() and not line.strip().startswith(comment))


@dataclass
class MigratedView:
    """What the handler template lays out: per group of methods, the Go statements."""

    view: str
    source: str
    path_params: list[dict]  # {name, var, converter, int: bool}
    groups: list[dict]  # {methods: [..], stmts: [..]}: methods that share their Go
    migrated_methods: list[str]
    stubbed: dict  # method -> why it answers 501
    queries: list[str]
    body_keys: dict = field(default_factory=dict)  # JSON body key -> the isinstance type tested, or None
    reads_body: bool = False
    query_keys: list = field(default_factory=list)
    json_query_keys: list = field(default_factory=list)  # of those, read through json.loads (handlers_jsontext)
    every_method: bool = False  # a class view's preludes run for every method (its route lists none): the check asks them
    form_keys: list = field(default_factory=list)  # request.POST keys read (a form body: handlers_form)
    form_ints: list = field(default_factory=list)  # those of them the view passes to int()
    form_texts: dict = field(default_factory=dict)  # key -> the constants the view compares its text with
    python_lines: int = 0  # code lines of the view and the helpers read into it (source_lines)
    strict: bool = True  # parity compares its JSON exactly: keys, their order, types, number text, values
    # route index -> the view read for that route, whose arguments are not the first route's (its own Go core)
    variants: dict = field(default_factory=dict)
    clock_fields: list = field(default_factory=list)  # "app.Model.field" its writes stamp from the clock (clock_fields)
    # parity's signed-in users (django_side.sessions' kinds) its DRF permission classes let read: drf_access.signed_readers
    signed_in_as: list = field(default_factory=list)

    @property
    def other_methods(self) -> bool:
        return bool(self.stubbed)


def _once(read, project):
    """The DRF loader's JSON, read (or waited for) once, when first needed."""
    from functools import cache

    from .drf_handlers import read_drf

    return cache(read if read is not None else lambda: read_drf(project))


def _drf(model, project, shared, store, out: dict, reasons: dict, read=None) -> None:
    """DRF viewsets whose GET endpoints are eligible: their handlers (translate/drf_handlers). ``read``: waits
    for the DRF loader's JSON started earlier (generate starts it with the load stage), else it is read now."""
    from .drf_handlers import migrate_drf, read_drf

    drf, why = migrate_drf(model, read() if read is not None else read_drf(project), shared, store, project)
    out.update({view: MigratedView(**kw) for view, kw in drf.items()})
    reasons.update(why)
    [reasons.pop(view, None) for view in drf]  # the API root view is a class-based view skip_reason named


# decorators that do not change what a migrated handler answers (CSRF is not checked by the Go side yet)
_TRANSPARENT_DECORATORS = ("django/views/decorators/csrf.py:csrf_exempt.",)


def skip_reason(h, raw) -> str:
    """Why ``h`` is not read at all (empty when it is): every construct that blocks it, named, so that
    fixing one does not reveal the next."""
    if raw is None:
        return "not among the URLconf's resolved routes"
    out = []
    if h.kind == "class" and handlers_cbv.readable(raw):  # a Django View: read method by method
        out += handlers_cbv.class_skip(raw)
    elif h.kind != "function":
        returns = " (it returns JSON)" if re.search(r"\bJsonResponse\b|\bjson\.dumps\b", raw.get("python", "")) else ""
        if _function(raw.get("python", "")) is not None:  # the loader's target for @api_view is the function
            return f"a DRF @api_view function{returns}: the DRF step reads viewsets, not @api_view functions"
        if h.view.startswith("rest_framework."):  # the router's API root view, say
            return f"DRF's own {h.view.rsplit('.', 1)[-1]}: the DRF step reads the project's viewsets"
        return f"a class-based view{returns}: only function views and DRF views are read"
    if len(h.routes) != 1 and h.kind != "function":  # a function view is read once per set of route arguments
        out.append(f"served by {len(h.routes)} routes ({', '.join(r.django for r in h.routes)}): "
                   "a migrated view is served by one route")
    if (h.kind == "function" or len(h.routes) == 1) and (inexact := [r.django for r in h.routes if not r.exact]):
        # its path values would come from the regex only
        out.append(f"route {inexact[0]} matches more than a ServeMux pattern "
                   "(a regex without $, or regex syntax outside its named groups)")
    wrappers = [d for d in raw.get("decorators", ()) if not d.startswith(_TRANSPARENT_DECORATORS)]
    if wrappers:  # login_required, permission_required...: behaviour the Go handler would not have
        whose = "decorator's" if len(wrappers) == 1 else "decorators'"
        out.append(f"wrapped by {_wrappers(raw.get('python', ''), wrappers)}: the {whose} behaviour is not translated"
                   + (f" ({raw['guard_reason']})" if raw.get("guard_reason") else ""))  # translate.guards' DECORATOR_*
    return "; ".join(out)


def _arguments(rt) -> str:
    """The path parameters a route calls its view with, as its converters match them (a route read for another
    serves the same handler when they are the same: the view's reading depends on nothing else)."""
    named = [f"{p.name}={p.converter}" + (f" {p.regex}" if p.converter == "regex" else "")
             for p in sorted(rt.params, key=lambda p: p.name)]
    unnamed = len(_UNNAMED.findall(rt.django)) if not rt.exact and not rt.params else 0  # Django's positional args
    return ", ".join(named + [f"{unnamed} positional (an unnamed group)"] * bool(unnamed)) or "none"


_UNNAMED = re.compile(r"(?<!\\)\((?!\?)")  # "(" opening a capturing group without a name


def _wrappers(python: str, wrappers: list[str]) -> str:
    """The wrappers as the view's source writes them, each with the code it runs ("@login_required
    (django/contrib/auth/decorators.py:...)"); the code alone when the source does not show them all."""
    fn = _function(python)
    written = [ast.unparse(d) for d in fn.decorator_list] if fn else []
    written = [w for w in written if not re.match(r"(\w+\.)*(csrf_exempt|require_(GET|POST|safe|http_methods))\b", w)]
    if len(written) != len(wrappers):
        return ", ".join(wrappers)
    return ", ".join(f"@{w} ({d})" for w, d in zip(written, wrappers))


def _function(python: str):
    """The function definition ``python`` is (an ast node), None when it is not one."""
    try:
        tree = ast.parse(textwrap.dedent(python))
    except SyntaxError:
        return None
    node = tree.body[0] if len(tree.body) == 1 else None
    return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def shared_queries(queries: dict) -> list:
    """The sqlc queries every dialect has with the same shape (PostgreSQL's, read against the store)."""
    others = [{q.name: q for q in queries.get(d, ())} for d in ("sqlite", "mysql") if d == "sqlite" or d in queries]

    def shape(q):  # MySQL's INSERT :execlastid gives the new key as PostgreSQL's RETURNING id (the store checks types)
        command = "one" if q.command == "execlastid" else q.command
        # an optional list's presence flag (SQLite, MySQL) is no parameter of its own: the adapter sets it
        # from the list (handlers_store), the list being PostgreSQL's nullable array
        return command, q.result, q.site, q.part, sorted((p.name, p.source, p.is_list, p.optional) for p in q.params
                                                         if p.transform != "present")

    return [q for q in queries.get("postgresql", ())
            if all(q.name in o and shape(o[q.name]) == shape(q) for o in others)]


def presence_flags(queries: dict) -> dict:
    """query name -> {a presence flag's parameter name: its list's} (``status_present`` -> ``status``: SQLite's and
    MySQL's optional ``__in`` list, which PostgreSQL takes as one nullable array)."""
    out: dict = {}
    for qs in queries.values():
        for q in qs:
            for p in q.params:
                if p.transform == "present":
                    out.setdefault(q.name, {})[p.name] = p.name.removesuffix("_present")
    return out


def exact_params(queries: dict) -> dict:
    """query name -> the parameters a SELECT only compares by ``col = sqlc.arg(p)`` in a WHERE of ANDs (no OR, NOT
    or CASE) on every dialect: a number beyond the column's range makes it match no row (Django's lookups
    IntegerFieldOverflow: EmptyResultSet), so a store adapter narrowing it answers no row, not an error."""
    out: dict = {}
    for d, qs in queries.items():
        for q in qs:
            sql, found = q.sql or "", set()
            where = re.search(r"\bWHERE\b", sql, re.I)
            if where and sql.lstrip().upper().startswith("SELECT") and not re.search(r"\b(OR|NOT|CASE)\b", sql, re.I):
                for p in {p.name for p in q.params}:
                    at = [m for m in re.finditer(rf"sqlc\.n?arg\({re.escape(p)}\)", sql)]
                    if at and all(m.start() > where.end() and m.group().startswith("sqlc.arg") and re.search(
                            r"(?<![<>!])=\s*$", sql[:m.start()]) for m in at):
                        found.add(p)
            out[q.name] = out.get(q.name, found) & found
    return {k: frozenset(v) for k, v in out.items() if v}


def dialect_transforms(queries: dict) -> dict:
    """query name -> {parameter: {dialect: its transform}} where a dialect transforms it otherwise than PostgreSQL
    (``__iexact``: escaped for SQLite's and MySQL's LIKE, as is on PostgreSQL), for the store's adapters."""
    pg = {q.name: {p.name: p.transform for p in q.params} for q in queries.get("postgresql", ())}
    out: dict = {}
    for d, qs in queries.items():
        for q in qs:
            for p in q.params:
                if d != "postgresql" and p.transform != "present" and pg.get(q.name, {}).get(p.name, p.transform) != p.transform:
                    out.setdefault(q.name, {}).setdefault(p.name, {})[d] = p.transform
    return out


def unshared(queries: dict, shared: list) -> list:
    """(site id, "SHAPE", why) of each PostgreSQL query another dialect gives other parameters (an ``__in`` list
    PostgreSQL binds as one array, SQLite as ``sqlc.slice`` and a presence flag): the view reading it stays a stub."""
    names = {q.name for q in shared}
    others = {q.name: q for q in queries.get("sqlite", ())}
    out = []
    for q in queries.get("postgresql", ()):
        if q.name not in names and q.name in others:
            theirs = sorted(p.name for p in others[q.name].params)
            ours = sorted(p.name for p in q.params)
            out.append((q.site, "SHAPE", f"{q.name} takes other parameters on SQLite "
                        f"({', '.join(x for x in theirs if x not in ours) or 'the same names, other kinds'}) than on PostgreSQL"))
    return out


def migrate_views(model, raw_routes: list[dict], project, queries: dict, packages: dict,
                  drf=None, skipped: dict | None = None) -> dict[str, MigratedView]:
    """view -> MigratedView for the views read against the store; routes and handlers marked migrated.

    ``queries``: dialect -> sqlc Query list; ``packages``: dialect -> GoPackage, the one place the view
    translator takes the per-dialect signatures: it reads against the neutral store made of them
    (handlers_store), whose store.go view-model it leaves on ``model`` (an http.HTTPModel). The view is
    read once per
    method it accepts (``request.method`` tests are decided per method); methods whose reading fails
    answer 501 while the others are migrated. A function view served by several routes is read once per set of
    arguments they call it with (a route's own Go core when it is not the first route's: ``variants``); a
    class-based view served by several routes stays a stub.
    """
    from dataclasses import replace

    store = neutral_store(packages, {q.name for qs in queries.values() for q in qs  # a row's save() writes NULL too
                                     if q.sql.lstrip().upper().startswith("INSERT") or q.site.endswith(SAVE)},
                          presence_flags(queries),
                         dialect_transforms(queries), exact_params(queries))
    drf = _once(drf, project)
    settings = lambda: (drf() or {}).get("settings")  # noqa: E731 (USE_TZ, TIME_ZONE: read when a view needs them)
    responses = Responses(HTTP_PACKAGE_NAMES | HTTP_SERVER_MEMBERS | set(store.structs) | _MAIN_TYPES)
    sites: dict = {}
    for s in project.querysets:
        sites.setdefault((s.file, s.line), []).append(s)
    raw_by_view = {r["view"]: r for r in raw_routes}
    shared = shared_queries(queries)
    why_not = dict(skipped or {}, shape=unshared(queries, shared) + [  # why a site has no query the reader can call
        (q.site, "SHAPE", f"{q.name} is not in the store: {store.left_out[q.name]}") for q in shared if q.name in store.left_out])
    out: dict[str, MigratedView] = {}
    reasons: dict[str, str] = {}
    ctx = SimpleNamespace(project=project, sites=sites, shared=shared, store=store, responses=responses,
                          settings=settings, why_not=why_not,
                          extra={r["view"] for r in raw_routes if r.get("extra_kwargs")})  # a route's own kwargs
    for h in model.handlers:
        raw = raw_by_view.get(h.view)
        if h.kind == "class" and (known := _known_view(h, raw)) is not None:  # an installed package's view
            out[h.view] = known  # answered by Go written as the package computes it (load/cbv_known.py)
            continue
        skip = skip_reason(h, raw)
        if skip.startswith("route ") and ";" not in skip and h.kind == "function":  # the body's blocker too
            body = _read_view(h, raw, h.routes[0], ctx)
            skip += f"; then {body}" if isinstance(body, str) else ""
        if skip:
            if h.kind != "viewset":  # a viewset's reason is _drf's
                reasons[h.view] = skip
            continue
        sets: dict[str, list] = {}  # the routes by the arguments they call the view with, in Django's order
        for rt in h.routes:
            sets.setdefault(_arguments(rt), []).append(rt)
        read = [(rts, _read_view(h, raw, rts[0], ctx)) for rts in sets.values()]
        failed = [(rts, mv) for rts, mv in read if isinstance(mv, str)]
        if failed:
            whys = {why for _, why in failed}  # one blocker every route meets is named once
            reasons[h.view] = whys.pop() if len(whys) == 1 and len(failed) == len(read) else "; ".join(
                f"{', '.join(r.django for r in rts)}: {why}" for rts, why in failed)
            continue
        out[h.view] = read[0][1]
        out[h.view].variants = {rt.index: mv for rts, mv in read[1:] for rt in rts}  # their own handler core
    _drf(model, project, shared, store, out, reasons, drf)
    model.routes[:] = [replace(r, status="migrated") if r.view in out else r for r in model.routes]
    model.handlers[:] = [replace(h, status="migrated", routes=tuple(r for r in model.routes if r.view == h.view))
                         if h.view in out else h for h in model.handlers]
    model.reasons = reasons
    by_name = {q.name: q for q in shared}
    for mv in out.values():  # parity's request window judges only these (translate.clock_fields)
        mv.clock_fields = clock_fields([n for v in (mv, *mv.variants.values()) for n in v.queries], by_name, project)
    model.store = store_file(store, {name for mv in out.values() for v in (mv, *mv.variants.values()) for name in v.queries})
    model.responses = responses.view_model()
    return out


def _read_view(h, raw: dict, rt, c) -> MigratedView | str:
    """``h``'s view read for the route ``rt`` (its arguments), each method once: the MigratedView, or why no
    method is read. ``c``: what every reading shares (the project, its sites, the store, the response structs...)."""
    from .handlers import NotRecognised, ViewReader

    route = dict(raw, _params=rt.params, _extra=h.view in c.extra)
    groups: list[dict] = []
    path, used, failed, body_keys, reads_body = {}, [], {}, {}, False
    query_keys, form_keys, form_ints, form_texts, json_keys = set(), set(), set(), {}, set()
    inlined: set = set()
    for method in [m for m in rt.allowed if m != "OPTIONS" or handlers_cbv.reads_options(raw)]:
        used_m = []
        try:
            read, kind = ((handlers_cbv.method_route(route, method), handlers_cbv_reader.reader_class())
                          if h.kind == "class" else (route, ViewReader))
            reader = kind(read, c.project, c.sites, c.shared, c.store.package, method, c.responses, c.settings, c.why_not)
            stmts = pipelined(reader.read(), c.shared, c.store.package)  # statements sent together (translate/pipeline)
            path.update(reader.path)
            used_m += reader.used
            body_keys.update(reader.body_keys)
            reads_body = reads_body or reader.reads_body or reader.form_var is not None
            query_keys |= reader.query_keys
            json_keys |= reader.json_query_keys
            form_keys |= reader.form_keys
            form_ints |= reader.form_ints
            for k, texts in reader.form_texts.items():
                form_texts.setdefault(k, set()).update(texts)
            inlined |= reader.inlined
        except NotRecognised as exc:
            failed[method] = str(exc)
            continue
        used += used_m
        same = next((g for g in groups if g["stmts"] == stmts), None)
        if same is not None:
            same["methods"].append(method)
        else:
            groups.append({"methods": [method], "stmts": stmts})
    if h.kind == "class" and "OPTIONS" in rt.allowed and not handlers_cbv.reads_options(raw):  # View.options
        options = handlers_cbv.options_group(raw)
        groups.append(options) if isinstance(options, dict) else failed.setdefault("OPTIONS", options)
    if not any(m != "OPTIONS" for g in groups for m in g["methods"]):
        return (handlers_cbv.per_method(failed) if h.kind == "class" or len(set(failed.values())) > 1
                else next(iter(failed.values()), "no method to read"))  # each method's blocker
    # the group with GET (else the largest) is the switch's default case
    groups.sort(key=lambda g: ("GET" in g["methods"], len(g["methods"])))
    migrated = sorted(m for g in groups for m in g["methods"])
    body = json.dumps(groups)
    params = [dict(path[p.name], unused=not re.search(rf"\b{re.escape(path[p.name]['var'])}\b", body))
              for p in rt.params if p.name in path]  # parsed for its 404 even when the body never reads it
    for p in params:  # read once: req.Int("pk") where it is used, no variable
        if not p["unused"] and _inline_once(groups, p["var"], _READ[(p["int"], p["uuid"])].format(q=go_string(p["name"]))):
            p["unused"] = True
    return MigratedView(
        view=h.view, source=h.source, path_params=params,
        groups=groups, migrated_methods=migrated, stubbed=dict(sorted(failed.items())),
        queries=sorted(set(used)), body_keys=dict(sorted(body_keys.items())), reads_body=reads_body,
        query_keys=sorted(query_keys), form_keys=sorted(form_keys), json_query_keys=sorted(json_keys),
        every_method=h.kind == "class" and bool((raw.get("cbv") or {}).get("preludes")), form_ints=sorted(form_ints),
        form_texts={k: sorted(v) for k, v in sorted(form_texts.items())},
        python_lines=sum(source_lines(funcs[f]["source"], "#") for funcs, names in [handlers_cbv.functions_of(
            raw, h.kind, migrated)] for f in [h.view, *names, *sorted(inlined)] if f in funcs))


def _known_view(h, raw: dict | None) -> MigratedView | None:
    """The MigratedView of ``h`` when it is an installed package's known view (translate.handlers_cbv_known),
    else None. Its answer reads the request, never the route's kwargs, so several routes share the handler (the
    toolkit's metadata views: with and without the issuer path) and a regex route is served as the router
    serves any (its regex decides the match: OIDC discovery's ``^\\.well-known/openid-configuration/?$``)."""
    if raw is None or raw.get("decorators"):
        return None  # a route decorator: read as any other view
    found = handlers_cbv_known.groups(raw, tuple(h.routes[0].allowed))
    if found is None:
        return None
    return MigratedView(view=h.view, source=h.source, path_params=[], groups=found,
                        migrated_methods=sorted(m for g in found for m in g["methods"]), stubbed={}, queries=[],
                        python_lines=source_lines(raw.get("python", ""), "#"))
