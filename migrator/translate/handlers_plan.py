"""Which views get a real handler: each view read per method and per dialect (handlers.ViewReader),
and the Go the sqlc packages offer (their typed signatures, from the sqlc step).

Split from handlers.py, which reads one view body; this module plans the whole set.
"""

from __future__ import annotations

import json
import re

from dataclasses import dataclass, field

from .http import HTTPModel

from ..plan import GoMethod, GoPackage, GoStruct  # noqa: E402,F401  (the sqlc step's typed signatures)


@dataclass
class MigratedView:
    """What the handler template lays out: per group of methods and per dialect, the Go statements."""

    view: str
    source: str
    path_params: list[dict]  # {name, var, converter, int: bool}
    groups: list[dict]  # {methods: [..], branches: per dialect {field, stmts}}: methods that share their Go
    migrated_methods: list[str]
    stubbed: dict  # method -> why it answers 501
    queries: list[str]
    body_keys: dict = field(default_factory=dict)  # JSON body key -> the isinstance type tested, or None
    reads_body: bool = False
    query_keys: list = field(default_factory=list)

    @property
    def other_methods(self) -> bool:
        return bool(self.stubbed)


# decorators that do not change what a migrated handler answers (CSRF is not checked by the Go side yet)
_TRANSPARENT_DECORATORS = ("django/views/decorators/csrf.py:csrf_exempt.",)


def migrate_views(model: HTTPModel, raw_routes: list[dict], project, queries: dict, packages: dict) -> dict[str, MigratedView]:
    """view -> MigratedView for the views read on every dialect; routes and handlers marked migrated.

    ``queries``: dialect -> sqlc Query list; ``packages``: dialect -> GoPackage. The view is read once per
    method it accepts (``request.method`` tests are decided per method); methods whose reading fails
    answer 501 while the others are migrated. A view served by several routes or a class-based view
    stays a stub.
    """
    from dataclasses import replace

    from .handlers import NotRecognised, ViewReader

    sites: dict = {}
    for s in project.querysets:
        sites.setdefault((s.file, s.line), []).append(s)
    raw_by_view = {r["view"]: r for r in raw_routes}
    out: dict[str, MigratedView] = {}
    reasons: dict[str, str] = {}
    for h in model.handlers:
        raw = raw_by_view.get(h.view)
        if raw is None or h.kind != "function" or len(h.routes) != 1 or not h.routes[0].exact:
            continue  # (a route wider than its ServeMux pattern: its path values come from the regex only)
        rt = h.routes[0]
        wrappers = [d for d in raw.get("decorators", ()) if not d.startswith(_TRANSPARENT_DECORATORS)]
        if wrappers:  # login_required, permission_required...: behaviour the Go handler would not have
            reasons[h.view] = f"wrapped by {wrappers[0]}: the decorator's behaviour is not translated"
            continue
        route = dict(raw, _params=rt.params)
        groups: list[dict] = []
        path, used, failed, body_keys, reads_body, query_keys = {}, [], {}, {}, False, set()
        for method in [m for m in rt.allowed if m != "OPTIONS"]:
            branches, used_m = [], []
            try:
                for dialect in ("postgresql", "sqlite"):
                    if dialect not in queries or dialect not in packages:
                        raise NotRecognised(f"no sqlc queries for {dialect}")
                    reader = ViewReader(route, project, sites, queries[dialect], packages[dialect], dialect, method)
                    stmts = reader.read()
                    branches.append({"field": reader.field, "stmts": stmts})
                    path.update(reader.path)
                    used_m += reader.used
                    body_keys.update(reader.body_keys)
                    reads_body = reads_body or reader.reads_body
                    query_keys |= reader.query_keys
            except NotRecognised as exc:
                failed[method] = str(exc)
                continue
            used += used_m
            same = next((g for g in groups if g["branches"] == branches), None)
            if same is not None:
                same["methods"].append(method)
            else:
                groups.append({"methods": [method], "branches": branches})
        if not groups:
            reasons[h.view] = next(iter(failed.values()), "no method to read")
            continue
        # the group with GET (else the largest) is the switch's default case
        groups.sort(key=lambda g: ("GET" in g["methods"], len(g["methods"])))
        migrated = sorted(m for g in groups for m in g["methods"])
        body = json.dumps(groups)
        params = [dict(path[p.name], unused=not re.search(rf"\b{re.escape(path[p.name]['var'])}\b", body))
                  for p in rt.params if p.name in path]  # parsed for its 404 even when the body never reads it
        out[h.view] = MigratedView(
            view=h.view, source=h.source, path_params=params,
            groups=groups, migrated_methods=migrated, stubbed=dict(sorted(failed.items())),
            queries=sorted(set(used)), body_keys=dict(sorted(body_keys.items())), reads_body=reads_body,
            query_keys=sorted(query_keys))
    model.routes[:] = [replace(r, status="migrated") if r.view in out else r for r in model.routes]
    model.handlers[:] = [replace(h, status="migrated", routes=tuple(r for r in model.routes if r.view == h.view))
                         if h.view in out else h for h in model.handlers]
    model.reasons = reasons
    return out
