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
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .http import compare_answers, send
from .http_forms import form_requests, signed_form
from .ports import owns_port
from .stamps import declared, now, stamped
from .context import STEP_TIMEOUT, CannotRun, Case, Context, go_build_env, register
from .values import table_difference

READY_TIMEOUT = 60.0  # seconds a server gets to answer its first request
PORT_TRIES = 3  # a free port another process takes first: start again on new ports (ports.py)


class PortTaken(CannotRun):
    """The port picked for a server answered, but not from the server's process (ports.owns_port)."""
MISSING_INT = "987654"
MISSING_STR = "no-such-value"
WRAPS_INT32 = str(2**32 + 1)  # an int32 cast reads row 1; PostgreSQL's and MySQL's integer column cannot hold it
MISSING_UUID = "00000000-0000-4000-8000-000000000000"  # a uuid converter takes only this shape

_GROUP = re.compile(r"\(\?P<(\w+)>")


@dataclass
class MigratedRoute:
    view: str
    django: str
    methods: tuple[str, ...]
    regex: str
    queries: tuple[str, ...]
    migrated_methods: tuple[str, ...] | None  # None: every method the route accepts
    body_keys: dict  # JSON body key -> the type the view tests ("int", "str"...) or "any"
    query_keys: tuple[str, ...]
    strict: bool = False  # the JSON compared exactly: keys, their order, types and values (a DRF view)
    signed_in: bool = False  # behind a login guard: its values and query keys are asked signed in too
    form_keys: tuple[str, ...] = ()  # request.POST keys the view reads (a form body: parity.http_forms)
    clock_fields: tuple[str, ...] = ()  # "app.Model.field" its writes stamp from the clock (parity.stamps)

    @property
    def get_only(self) -> bool:
        return self.migrated_methods is not None and not (set(self.migrated_methods) - {"GET", "HEAD"})

    def migrated(self, method: str) -> bool:
        return self.migrated_methods is None or method in self.migrated_methods


def migrated_routes(tree: Path) -> list[MigratedRoute]:
    """The migrated views' routes, from the tree's JSON manifest (write.PRODUCED, its ``http`` section)."""
    from ..write import read_produced

    out = []  # in Django's URLconf order
    for v in read_produced(tree).get("http", {}).get("views", []):
        if v["status"] != "migrated":
            continue
        only = tuple(v["methods"]) if v.get("stubbed_methods") else None  # None: every method the route accepts
        for r in v["routes"]:
            out.append((r["index"], MigratedRoute(view=v["view"], django=r["django"], methods=tuple(r["methods"]), regex=r["regex"],
                                     queries=tuple(v["queries"]), migrated_methods=only,
                                     body_keys=dict(v.get("body_keys", {})), query_keys=tuple(v.get("query_keys", ())),
                                     strict=bool(v.get("strict")), signed_in=bool(v.get("signed_in")),
                                     form_keys=tuple(v.get("form_keys", ())),
                                     clock_fields=tuple(v.get("clock_fields", ())))))
    return [r for _, r in sorted(out, key=lambda x: x[0])]


def _group_patterns(regex: str) -> dict[str, str]:
    """name -> the sub-pattern of each named group (balanced parentheses)."""
    out = {}
    for m in _GROUP.finditer(regex):
        depth, i = 1, m.end()
        while i < len(regex) and depth:
            if regex[i] == "\\":
                i += 2
                continue
            depth += {"(": 1, ")": -1}.get(regex[i], 0)
            i += 1
        out[m.group(1)] = regex[m.end():i - 1]
    return out


def _field_values(dump: dict, target: str, year: bool) -> list:
    """Values of "app.Model.field" in the dump (a relation's id; the year of a date when asked)."""
    label, _, name = target.rpartition(".")
    rows = dump.get(label) or []
    if rows and name not in rows[0] and name == "id":
        name = next(iter(rows[0]))  # the primary key is the first dumped field
    out = []
    for row in rows:
        v = row.get(name)
        if v is None or isinstance(v, (list, dict)):
            continue
        if year:
            v = str(v)[:4]
        if v not in out:
            out.append(v)
    return out


def _param_values(name: str, query_params: dict, dump: dict, models: tuple = ()) -> list:
    """Values for one path parameter: from the query parameter it is bound to, else a field with its name
    (``pk``: the primary key of the route's query's model, as a DRF detail route looks it up)."""
    if name == "pk" and models and _field_values(dump, f"{models[0]}.id", False):
        return _field_values(dump, f"{models[0]}.id", False)
    qp = query_params.get(name)
    if qp is not None and qp.field:
        found = _field_values(dump, qp.field, qp.kind == "year" or bool(qp.transform.startswith("year")))
        if found:
            return found
    bare = name[:-3] if name.endswith("_id") else name
    for label in sorted(dump):
        rows = dump[label]
        if rows and (bare in rows[0] or name in rows[0]):
            found = _field_values(dump, f"{label}.{bare if bare in rows[0] else name}", name == "year")
            if found:
                return found
    return []


MAX_VALUES = 8


def build_requests(routes: list[MigratedRoute], queries: list, dump: dict, signed_in: dict | None = None) -> list[dict]:
    """GET requests for every migrated route (up to eight values from the data and one matching nothing), the
    same GETs of the first and the missing value signed in as each user of `signed_in` (django_side sessions:
    a superuser, a staff member, an ordinary user), and the write requests of routes whose other methods are
    migrated too."""
    cookies = [(x["who"], f"{signed_in['cookie']}={x['key']}") for x in (signed_in or {}).get("sessions", [])]
    by_name = {q.name: q for q in queries}
    reqs, seen = [], set()

    def add(method: str, path: str, route: MigratedRoute, body: dict | None = None) -> None:
        key = (method, path, json.dumps(body, sort_keys=True))
        if key not in seen:
            seen.add(key)
            reqs.append({"method": method, "path": path, "view": route.view, "route": route.django, **(body or {}),
                         **({"strict": True} if route.strict else {})})

    for rt in routes:
        groups = _group_patterns(rt.regex)
        qparams = {}
        for qn in rt.queries:
            for p in getattr(by_name.get(qn), "params", []):
                for key in (p.source, p.sentinel, p.name):
                    qparams.setdefault(key, p)
        values, missing = {}, {}
        for g, pattern in groups.items():
            models = tuple(by_name[qn].model for qn in rt.queries if qn in by_name)
            ok = [str(v) for v in _param_values(g, qparams, dump, models) if re.fullmatch(pattern, str(v))]
            if rt.strict and g == "format":
                # DRF's JSON renderer (".json": the API root's format converter)
                ok = ["json" if re.fullmatch(pattern, "json") else ".json"]
            values[g] = ok[:MAX_VALUES]  # every row's value (up to 8): inactive / filtered-out objects too
            numeric = bool(values[g]) and all(v.isdigit() for v in values[g])
            missing[g] = next((m for m in ((MISSING_INT, MISSING_STR) if numeric else (MISSING_STR, MISSING_INT))
                               + ("1999", MISSING_UUID) if re.fullmatch(pattern, m)), None)

        def path(vals: dict) -> str:
            p = rt.regex
            for g, pattern in groups.items():
                p = p.replace(f"(?P<{g}>{pattern})", urllib.parse.quote(vals[g], safe="@"), 1)
            return p.lstrip("^").rstrip("$").replace("\\", "")

        n = max([len(v) for v in values.values()] + [1])
        for i in range(n):
            if all(values[g] for g in groups):
                add("GET", path({g: values[g][i % len(values[g])] for g in groups}), rt)
        if groups and all(missing.values()):
            for vals in (missing, _beyond_int32(missing)) if MISSING_INT in missing.values() else (missing,):
                add("GET", path(vals), rt)
        for who, cookie in cookies if rt.migrated("GET") else ():  # a login_required view, a view of request.user
            for vals in ([{g: values[g][0] for g in groups}] if all(values[g] for g in groups) else []) + (
                    [missing] if groups and all(missing.values()) else []):
                add("GET", path(vals), rt, {"cookie": cookie, "as": who})
        if rt.signed_in and cookies and rt.migrated("GET") and all(values[g] for g in groups):
            _signed_in(add, rt, cookies, [path({g: values[g][i % len(values[g])] for g in groups}) for i in range(n)])
        if rt.strict and set(groups) == {"pk"} and values["pk"]:
            add("GET", path({"pk": MISSING_STR}), rt)  # a lookup Django's int() refuses: DRF's bare 404
        if all(values[g] for g in groups) and rt.migrated("GET"):
            first = path({g: values[g][0] for g in groups})
            for key in rt.query_keys:  # the view reads request.GET[key]: good, bad and edge values
                for v in QUERY_VALUES:
                    add("GET", f"{first}?{urllib.parse.urlencode({key: v})}", rt)
        writes = [m for m in rt.methods if m not in ("GET", "HEAD", "OPTIONS") and rt.migrated(m)]
        if not writes or not all(values[g] for g in groups):
            continue
        combos = [{g: values[g][0] for g in groups}] + _linked(groups, qparams, dump)
        if groups and all(missing.values()):
            combos.append(missing)
        bodies = _bodies(rt.body_keys, dump) if not rt.form_keys else form_requests(list(rt.form_keys), {
            k: "datetime" if getattr(qparams.get(k), "kind", "") == "datetime" else next(
                iter(_param_values(k, qparams, dump)), "") for k in rt.form_keys})
        for m in writes:
            for n, combo in enumerate(combos):
                for body in (bodies if n == 0 else bodies[:1]):
                    add(m, path(combo), rt, body)
            # the first values and the valid body, as each user; not again through a DRF format suffix (`.json`): the
            # same view and handler as the route without it, whose signed-in writes are sent
            for signed in signed_writes(signed_in) if not (rt.strict and "format" in groups) else ():
                first = bodies[0] or {}
                add(m, path(combos[0]), rt, signed_form(first, signed) if "form" in first else {**first, **signed})
    return reqs


def _signed_in(add, rt: MigratedRoute, cookies: list, paths: list[str]) -> None:
    """A login-guarded route (anonymous requests only reach its guard): every value, and the query keys it reads,
    asked as the ordinary user (else the first session), so the code past the guard is compared on them too."""
    who, cookie = next((c for c in cookies if c[0] == "user"), cookies[0])
    for p in paths[1:]:
        add("GET", p, rt, {"cookie": cookie, "as": who})
    for key in rt.query_keys:
        for v in QUERY_VALUES:
            add("GET", f"{paths[0]}?{urllib.parse.urlencode({key: v})}", rt, {"cookie": cookie, "as": who})


def csrf_refused(answer: tuple) -> bool:
    """Whether Django's answer is CsrfViewMiddleware's 403 page or DRF's SessionAuthentication CSRF refusal."""
    return answer[0] == 403 and (b"CSRF verification failed" in answer[2] or b'"CSRF Failed: ' in answer[2])


def signed_writes(signed_in: dict | None) -> list[dict]:
    """What a write sends signed in as each user of `signed_in` (django_side sessions), as a browser sends it: the
    session cookie, and Django's CSRF token (the secret in the CSRF cookie unless the session holds it, the masked
    token in the CSRF header: django_side.csrf_token). A csrf_exempt view ignores the token, as Django does."""
    csrf = (signed_in or {}).get("csrf") or {}
    jar = f"; {csrf['cookie']}={csrf['secret']}" if csrf.get("cookie") else ""
    headers = {"headers": {csrf["header"]: csrf["token"]}} if csrf.get("token") else {}
    return [{"cookie": f"{signed_in['cookie']}={x['key']}{jar}", "as": x["who"], **headers}
            for x in (signed_in or {}).get("sessions", [])]


def _beyond_int32(missing: dict) -> dict:
    """The missing path values with each number beyond 32 bits: no row (Django's 404), never row 1 read through an
    int32 cast nor the 500 of a narrowing's error."""
    return {g: WRAPS_INT32 if v == MISSING_INT else v for g, v in missing.items()}


# query-string values for a key the view reads: a number, text int() refuses, empty, spaces and a sign
# (int() accepts them), underscores, out of the usual ranges
QUERY_VALUES = ("3", "abc", "", " 7 ", "+2", "1_0", "0", "-1", "999")


def _bodies(keys: dict, dump: dict) -> list:
    """Request bodies for a write: a valid one first (values of the types the view tests), then an
    empty object, text that is not JSON, each key with a value of the wrong type, a negative number."""
    if not keys:
        return [None]

    def sample(key: str, kind: str):
        if kind.startswith("choices:"):  # `x in (…)` of constants: the first option (translate.handlers_input)
            return json.loads(kind[len("choices:"):])[0]
        if kind == "int":
            return 3
        if kind == "float":
            return 2.5
        for label in sorted(dump):
            rows = dump[label]
            if rows and key in rows[0] and isinstance(rows[0][key], str):
                return rows[0][key]
        return "parity"

    valid = {k: sample(k, v) for k, v in keys.items()}
    out = [{"body": valid}, {"body": {}}, {"raw": "not json"}, {"raw": "[]"}, {"body": {**valid, "unknown_key": 1}}]
    for k, kind in keys.items():
        others = {x: v for x, v in valid.items() if x != k}
        numeric = kind in ("int", "float") or isinstance(valid[k], (int, float))
        out.append({"body": {**valid, k: "x" if numeric else 7}})
        out.append({"body": {**valid, k: None}})
        out.append({"body": {**others, k.upper(): valid[k]}})  # dict keys are case-sensitive (Go's json is not)
        # a repeated key: the last one counts (json.loads), the first has the wrong type
        out.append({"raw": json.dumps(others)[:-1] + (", " if others else "")
                    + f'{json.dumps(k)}: "x", {json.dumps(k)}: {json.dumps(valid[k])}}}'})
        if kind == "int" or type(valid[k]) is int:
            # isinstance(3.0, int) is False; true is an int in Python (the sample's restock binds it into
            # F("stock") + %s: SQLite adds 1, PostgreSQL refuses integer + boolean, a 500 on both sides)
            out += [{"body": {**valid, k: -1}}, {"body": {**valid, k: 3.0}}, {"body": {**valid, k: True}}]
    return out


def _linked(groups: dict, qparams: dict, dump: dict) -> list[dict]:
    """Parameter values that belong together: for two parameters bound to two models' fields, pairs where
    the first model's row links to the second's through a many-to-many list (a product and one of its tags)."""
    if len(groups) != 2:
        return []
    (a, _), (b, _) = groups.items()
    pa, pb = qparams.get(a), qparams.get(b)
    if pa is None or pb is None or not pa.field or not pb.field:
        return []
    la, _, fa = pa.field.rpartition(".")
    lb, _, fb = pb.field.rpartition(".")
    rows_b = {row.get("id", next(iter(row.values()))): row for row in dump.get(lb) or []}
    out = []
    for row in dump.get(la) or []:
        for value in row.values():
            if isinstance(value, list) and value and all(v in rows_b for v in value):
                out.append({a: str(row.get(fa, row.get("id"))), b: str(rows_b[value[0]].get(fb))})
                break
        if len(out) >= 2:
            break
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings_shim(ctx: Context, url: str, name: str) -> Path:
    """A settings module importing the project's settings and replacing DATABASES with the scratch database
    (what django_side.setup does in-process): runserver is a separate process and projects have no common
    convention (DATABASE_URL, SQLITE_PATH, ...) for choosing their database. Loopback hosts are allowed so a
    DEBUG=False project answers 127.0.0.1."""
    folder = ctx.tmp(f"settings-{name}")
    folder.mkdir(exist_ok=True)  # a server started again on new ports (PortTaken) writes it again
    (folder / "migrator_parity_settings.py").write_text(
        f"from {ctx.settings} import *  # noqa: F401,F403\n"
        f"from {ctx.settings} import DATABASES as _PROJECT_DATABASES\n"
        "from migrator.parity.django_side import scratch_database as _scratch_database\n"
        "from migrator.parity.sandbox import sandbox_settings as _sandbox_settings\n\n"
        f"DATABASES = {{'default': _scratch_database(dict(_PROJECT_DATABASES.get('default', {{}})), {url!r})}}\n"
        "globals().update(_sandbox_settings(globals()))  # parity writes only in its work directory\n"
        "try:\n"
        "    ALLOWED_HOSTS = [*ALLOWED_HOSTS, '127.0.0.1', 'localhost']  # noqa: F405\n"
        "except NameError:\n"
        "    ALLOWED_HOSTS = ['127.0.0.1', 'localhost']\n", encoding="utf-8")
    return folder


class Servers:
    """Django's runserver and the Go server on one database, on free loopback ports; stopped on exit."""

    def __init__(self, ctx: Context, server_bin: Path, url: str, name: str, sides: tuple[str, ...] = ("django", "go"),
                 forks=None):
        self.ctx, self.server_bin, self.url, self.name, self.sides = ctx, server_bin, url, name, sides
        self.forks = forks  # django_fork.Forks: Django's server forked from one boot (the writes), not a runserver
        self.secret = ctx.query_runs.get("http_secret", "")  # Django's SECRET_KEY: Go reads its sessions
        self.auth_env = ctx.query_runs.get("http_auth_env", {})  # the project's cookie names... (django_side.go_auth_env)
        self.procs: list[tuple[str, subprocess.Popen, Path]] = []

    def _start(self, what: str, argv: list[str], cwd: Path, env: dict) -> subprocess.Popen:
        log = self.ctx.tmp(f"{what}-{self.name}.log")
        with open(log, "w") as fh:
            proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        self.procs.append((what, proc, log))
        return proc

    def _wait(self, what: str, base: str, probe: str, proc: subprocess.Popen, log: Path) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        port = int(base.rpartition(":")[2])
        while True:
            try:
                with urllib.request.urlopen(base + probe, timeout=2):
                    answered = True
            except urllib.error.HTTPError:
                answered = True  # it answers
            except (urllib.error.URLError, OSError):
                answered = False
            if answered and owns_port(proc.pid, port) is not False:  # ours, not a process that took the port
                return
            if answered and proc.poll() is not None:
                raise PortTaken(f"port {port} answered by another process; the {what} server exited {proc.returncode}")
            if proc.poll() is not None or time.monotonic() > deadline:
                why = f"exited {proc.returncode}" if proc.poll() is not None else f"no answer in {READY_TIMEOUT:.0f}s"
                tail = "\n".join(log.read_text(errors="replace").strip().splitlines()[-15:])
                raise CannotRun(f"the {what} server did not start ({why}):\n{tail}")
            time.sleep(0.2)

    def __enter__(self):
        for attempt in range(PORT_TRIES):
            try:
                return self._enter()
            except PortTaken:
                if attempt == PORT_TRIES - 1:
                    raise
        return self

    def _enter(self):
        try:
            dport, gport = _free_port(), _free_port()
            shim = _settings_shim(self.ctx, self.url, self.name)
            env = self.ctx.django_env()
            env["PYTHONPATH"] = os.pathsep.join([str(shim), str(self.ctx.django_root), env.get("PYTHONPATH", "")])
            env["DJANGO_SETTINGS_MODULE"] = "migrator_parity_settings"
            self.django, self.go = f"http://127.0.0.1:{dport}", f"http://127.0.0.1:{gport}"
            if "django" in self.sides and self.forks is not None:
                log = self.ctx.tmp(f"Django-{self.name}.log")
                try:
                    django = self.forks.start(self.url, dport, log)
                except RuntimeError as exc:
                    raise CannotRun(str(exc)) from exc
                self.procs.append(("Django", django, log))
            elif "django" in self.sides:
                django = self._start("Django", [sys.executable, "manage.py", "runserver", "--noreload",
                                                f"127.0.0.1:{dport}"], self.ctx.django_root, env)
            if "go" in self.sides:
                go_env = {"DATABASE_URL": self.url, "PORT": str(gport), "HOST": "127.0.0.1", "LOG_LEVEL": "error",
                          "PATH": os.environ.get("PATH", "/usr/bin:/bin"), **self.auth_env,
                          **({"SECRET_KEY": self.secret} if self.secret else {})}
                go = self._start("Go", [str(self.server_bin)], self.ctx.tree, go_env)
                self._wait("Go", self.go, "/healthz", go, self.procs[-1][2])
            if "django" in self.sides:
                self._wait("Django", self.django, "/", django, self.procs[0][2])
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for _, p, _ in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for _, p, _ in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs = []

    def __exit__(self, *exc):
        self.stop()


def _build_server(ctx: Context) -> Path:
    out = ctx.bin / "server"
    if out.exists():
        return out
    ctx.progress("go build ./http")
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        proc = subprocess.run(["go", "build", "-o", str(out), "./http"], cwd=ctx.tree,
                              env=go_build_env(), capture_output=True, text=True,
                              timeout=STEP_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise CannotRun(f"go build ./http did not finish within {STEP_TIMEOUT:g} s in {ctx.tree}") from None
    if proc.returncode != 0:
        raise CannotRun(f"go build ./http failed in {ctx.tree}:\n{proc.stderr.strip()[-2000:]}")
    return out


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
