"""The `http` check: every migrated endpoint of the generated Go service answers what Django answers.

Both servers run against the scratch database Django migrated and loaded:

- Django: ``python manage.py runserver --noreload 127.0.0.1:PORT`` in the project directory, with a tiny
  settings shim as ``DJANGO_SETTINGS_MODULE`` (see ``_settings_shim``) that points ``DATABASES`` at the
  scratch database, so any project works whatever its own database convention (env vars or none);
- Go: the tree's server, built once with ``go build ./http`` (``GOFLAGS=-mod=mod -trimpath``), with
  ``DATABASE_URL``, ``PORT`` and ``HOST`` in its environment.

Which endpoints are migrated is read from the tree itself (so a mutated ``--no-generate`` tree is what
is checked): its JSON manifest (``migrator-manifest.json``, written by generate) names the migrated views,
their sqlc queries and their routes (Django's route, methods, the path regex with its named groups). Request values come from
the loaded data: a path parameter bound to a query parameter takes values of that parameter's field
(``catalog.Product.slug``; a year parameter the years of the date field), else of a field with the
parameter's name; plus a value that matches nothing (a 404). One case per request, compared with
``migrator.parity.http.compare_answers``. A migrated write (a method other than GET/HEAD that is not
answered 501) runs on two fresh copies of the database, one per side, and the tables are compared
afterwards. Servers listen on free loopback ports, readiness is waited for with a bounded timeout, and
they are always stopped; a server that does not come up raises CannotRun (exit 2).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from .context import CannotRun, Case, Context, register
from .http import compare_answers, send
from .http_requests import build_requests, csrf_refused, migrated_routes
from .http_servers import READY_TIMEOUT, Servers, _build_server, _settings_shim
from .stamps import declared, now, stamped
from .values import table_difference


def _case(r: dict, diffs: list) -> Case:
    name = f"{r['method']} {r['path']}" + (f" as {r['as']}" if r.get("as") else "")
    if "body" in r or "raw" in r or "form" in r:
        name += " " + (json.dumps(r["body"], sort_keys=True) if "body" in r else repr(r.get("raw", r.get("form"))))
    op = f"{r['view']} ({r['route']})"
    if not diffs:
        return Case(check="http", name=name, operation=op)
    detail = "\n".join(f"{d.where}: django {d.django!r} != go {d.go!r}" for d in diffs[:10])
    if len(diffs) > 10:
        detail += f"\n... {len(diffs) - 10} more"
    return Case(check="http", name=name, status="failed", detail=detail, operation=op)


@register("http")
def check_http(ctx: Context) -> list[Case]:
    routes = migrated_routes(ctx.tree)
    if not routes:
        return [Case(check="http", name="(no migrated endpoint)", status="skipped",
                     reason="the tree has no migrated http handler (generate --target all)")]
    if ctx.go_problem or shutil.which("go") is None:
        raise CannotRun(ctx.go_problem or "no Go toolchain: `go` is not on PATH (the http check builds ./http)")
    server = _build_server(ctx)
    dump = ctx.django(ctx.url, "dump")
    # the servers' database: a copy holding the signed-in sessions (the other checks' database stays as loaded)
    url = ctx.query_runs["http_url"] = ctx.scratch.copy(ctx.url, "httpread")
    signed_in = ctx.django(url, "sessions")
    ctx.query_runs["http_secret"] = signed_in.get("secret_key", "")
    ctx.query_runs["http_auth_env"] = signed_in.get("go_env", {})
    queries = [q for qs in getattr(ctx.generated.emitted, "queries", {}).values() for q in qs]
    requests = build_requests(routes, queries, dump, signed_in)
    reads = [r for r in requests if r["method"] in ("GET", "HEAD")]
    writes = [r for r in requests if r not in reads]
    cases = []
    runs = ctx.query_runs.setdefault("http", [])  # Django's answers, kept for the mutation run (Go only)
    with Servers(ctx, server, url, "read") as s:
        for r in reads:
            django, go = send(s.django, r), send(s.go, r)
            cases.append(_case(r, compare_answers(r["method"], r["path"], django, go, strict=r.get("strict", False))))
            runs.append({"request": r, "django": django, "passed": cases[-1].status == "passed"})
    cases += run_writes(ctx, server, writes, url, declared({rt.view: rt.clock_fields for rt in routes}))
    return cases


# writes whose databases one Django process dumps (django_side batch): each dump was a Django boot of its own, two
# per write (63 writes in the sample's check), most of the check's time; a batch holds 2 copies per write at once
WRITE_BATCH = 8


def run_writes(ctx: Context, server: Path, writes: list[dict], url: str = "", clock: dict | None = None) -> list[Case]:
    """Each write on two fresh copies of the database (`url`, else the loaded one), one per side: the answers,
    then every table (the copies of up to WRITE_BATCH writes dumped by one Django process). Django's server of
    each write is forked from one boot on `url` (django_fork: a runserver boot per write was most of the check).
    ``clock``: view -> label -> the fields its writes stamp from the clock (stamps.declared), judged by the window."""
    cases, clock = [], clock or {}
    if not writes:
        return cases
    url = url or ctx.url
    forks = django_forks(ctx, url)
    try:
        for first in range(0, len(writes), WRITE_BATCH):
            cases += _write_batch(ctx, server, writes[first:first + WRITE_BATCH], first, url, clock, forks)
    finally:
        forks.close()
    return cases


def django_forks(ctx: Context, url: str):
    """Django booted once as runserver boots, on `url` (the database each write's copy is made from)."""
    from .django_fork import Forks

    env = ctx.django_env()
    shim = _settings_shim(ctx, url, "writes")
    env["PYTHONPATH"] = os.pathsep.join([str(shim), str(ctx.django_root), env.get("PYTHONPATH", "")])
    env["DJANGO_SETTINGS_MODULE"] = "migrator_parity_settings"
    return Forks(ctx.django_root, env, ctx.tmp("Django-writes.log"), READY_TIMEOUT)


def _write_batch(ctx: Context, server: Path, writes: list[dict], first: int, url: str, clock, forks=None) -> list[Case]:
    cases, made, answered = [], [], []  # answered: (case, Django's copy and window, Go's copy and window)
    try:
        for i, r in enumerate(writes, first):  # each on fresh copies, one per side
            dj_url = ctx.scratch.copy(url, f"http{i}dj")
            made.append(dj_url)
            go_url = ctx.scratch.copy(url, f"http{i}go")
            made.append(go_url)
            with Servers(ctx, server, dj_url, f"w{i}dj", sides=("django",), forks=forks) as sd:
                dj_start = now()
                dj_answer = send(sd.django, r)
                dj_end = now()
            with Servers(ctx, server, go_url, f"w{i}go", sides=("go",)) as sg:
                go_start = now()
                go_answer = send(sg.go, r)
                go_end = now()
            case = _case(r, compare_answers(r["method"], r["path"], dj_answer, go_answer))
            if go_answer[0] == 501 and b'"not migrated"' in go_answer[2]:  # an input the port does not cover
                case.status, case.reason = "skipped", f"not covered by the Go port (501); Django answers {dj_answer[0]}"
            if r.get("headers") and csrf_refused(dj_answer):  # the check's own token: the write was never compared
                case.status, case.detail = "failed", f"Django refused the check's CSRF token: {dj_answer[2][:200]!r}"
            ctx.query_runs.setdefault("http_writes", []).append({"request": r, "django": dj_answer, "case": case})
            cases.append(case)
            if case.status == "passed":  # then the tables
                answered.append((case, clock.get(r["view"], {}), (dj_url, dj_start, dj_end), (go_url, go_start, go_end)))
        dumps = iter(ctx.django_batch([{"database": db, "command": "dump"}
                                       for _, _, dj, go in answered for db in (dj[0], go[0])]))
        for case, fields, (_, dj_start, dj_end), (_, go_start, go_end) in answered:
            after_dj = stamped(next(dumps), fields, dj_start, dj_end)  # parity.stamps: the view's declared fields
            after_go = stamped(next(dumps), fields, go_start, go_end)
            for label in sorted(set(after_dj) | set(after_go)):
                diff = table_difference(label, after_go.get(label), after_dj.get(label))
                if diff:
                    case.status, case.detail = "failed", f"database afterwards: {diff}"
                    break
    finally:
        for db in made:
            ctx.scratch.drop(db)
    return cases
