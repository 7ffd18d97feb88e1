"""What the bench loads: the endpoints (a migrated list view, a migrated detail view by integer id, one
migrated write), checked to answer the same 2xx on both stacks, and the floor's statement."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Optional

from ..parity.http_requests import build_requests, migrated_routes
from ..parity.http import fetch
from ..parity.runner import CannotRun, Context
from .procs import Stack


@dataclass
class Endpoint:
    name: str  # Django's route, or the path given with --endpoint
    paths: list[str]
    explicit: bool = False
    method: str = "GET"
    body: Optional[bytes] = None  # a write's JSON body

    @property
    def label(self) -> str:
        return self.name if self.method == "GET" else f"{self.method} {self.name}"


def candidate_endpoints(ctx: Context, opts: Options, dump: dict) -> list[Endpoint]:
    """--endpoint paths as given; by default a migrated list view (a route without parameters) and a
    migrated detail view by integer id, with paths from the loaded data (parity's request builder)."""
    if opts.endpoints:
        return [Endpoint(p, [p], explicit=True) for p in opts.endpoints]
    routes = migrated_routes(ctx.tree)
    queries = ctx.generated.emitted.queries.get("postgresql", [])
    requests = [r for r in build_requests(routes, queries, dump) if r["method"] == "GET"]
    by_route: dict[str, list[str]] = {}
    for r in requests:
        by_route.setdefault(r["route"], []).append(r["path"])
    picked = []
    for rt in routes:
        if rt.django in by_route and "(?P<" not in rt.regex:
            picked.append(Endpoint(rt.django, by_route[rt.django]))
            break
    for rt in routes:
        if rt.django in by_route and re.search(r"\(\?P<\w+>\[0-9\]\+\)", rt.regex):
            picked.append(Endpoint(rt.django, by_route[rt.django]))
            break
    if not picked:
        raise CannotRun("no migrated read endpoint to load (generate --target all migrates views; or give --endpoint)")
    return picked + write_candidates(build_requests(routes, queries, dump))


def write_candidates(requests: list[dict]) -> list[Endpoint]:
    """Migrated writes with a valid JSON body (the first body parity sends for a route), one per route, in the
    URLconf's order: check_endpoints keeps the first that answers 2xx on both stacks twice in a row (a write
    that can be repeated under load, like a restock)."""
    out, seen = [], set()
    for r in requests:
        if r["method"] in ("POST", "PUT", "PATCH") and isinstance(r.get("body"), dict) and r["route"] not in seen:
            seen.add(r["route"])
            out.append(Endpoint(r["route"], [r["path"]], method=r["method"], body=json.dumps(r["body"]).encode()))
    return out


def check_endpoints(stacks: list[Stack], endpoints: list[Endpoint]) -> list[Endpoint]:
    """Start each stack once (not measured) and keep the paths both answer 200 (a write: the same 2xx, twice,
    and only the first such write); a --endpoint path that does not is an error."""
    status: dict[tuple, dict[str, int]] = {}
    for st in stacks:
        st.start("/healthz" if st.name == "go" else "/", ok=None)
        try:
            for e in endpoints:
                for p in e.paths:
                    codes = {fetch(st.base, e.method, p, body=e.body)[0] for _ in range(1 if e.method == "GET" else 2)}
                    status.setdefault((e.method, p), {})[st.name] = codes.pop() if len(codes) == 1 else 0
        finally:
            st.stop()
    kept = []

    def good(e: Endpoint, p: str) -> bool:
        codes = set(status[(e.method, p)].values())
        return codes == {200} or (e.method != "GET" and len(codes) == 1 and 200 <= next(iter(codes)) < 300)

    for e in endpoints:
        bad = [f"{p} (django {status[(e.method, p)]['django']}, go {status[(e.method, p)]['go']})" for p in e.paths
               if not good(e, p)]
        if bad and e.explicit:
            raise CannotRun("--endpoint must answer 200 on both stacks: " + ", ".join(bad))
        paths = [p for p in e.paths if good(e, p)]
        if paths and (e.method == "GET" or not any(k.method != "GET" for k in kept)):
            kept.append(Endpoint(e.name, paths, e.explicit, e.method, e.body))
    if not kept:
        raise CannotRun("no endpoint answers 200 on both stacks: " + ", ".join(f"{p} {s}" for (_, p), s in status.items()))
    return kept


def floor_sql(ctx: Context, endpoint: Endpoint) -> str:
    """The floor's statement: the rows of the table the endpoint's first query reads (up to 20), so that
    the floor's backend loads the same table's catalog entries as Go's first request does."""
    queries = {q.name: q for q in ctx.generated.emitted.queries.get("postgresql", [])}
    tables = {f"{m.app_label}.{m.name}": m.db_table for m in ctx.generated.project.models}
    for rt in migrated_routes(ctx.tree):
        if rt.django == endpoint.name:
            for name in rt.queries:
                table = tables.get(getattr(queries.get(name), "model", ""))
                if table:
                    return f'SELECT * FROM "{table}" LIMIT 20'
    return "SELECT 1"
