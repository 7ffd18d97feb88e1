"""`migrate bench`: the Django stack against the generated Go stack, side by side, on one PostgreSQL.

A run: time the tool itself (analyse + generate into a temporary tree), migrate and load a scratch
database with Django (parity's steps), build the Go server and the load generator, start each stack once
to check the endpoints answer 200 on both (not measured), then ``repeat`` rounds, the stacks alternating
first and second, one at a time on the machine. Per round and stack: start it (cold start), warm up,
read its PSS, then per endpoint a saturation run (closed loop) and a run at an equal offered load (open
loop at half of Django's saturation throughput measured in the first round), with the CPU the server,
its PostgreSQL backends and the load generator used; stop it. Then GORM against sqlc as Go benchmarks
on the same database. ``summary.summarise`` turns the rounds into medians and ratios.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from ..dialects import for_url
from ..parity.context import go_build_env
from ..parity.runner import CannotRun, Context, project_fixtures
from ..parity.scratch import Scratch, Unavailable
from ..toolchain import needed, require
from . import loadgen, sidebyside
from .procs import Stack, cpu_seconds, pss_kib, pss_parts
from .stacks import build_floor, cores, django_stack, floor_stack, go_stack, go_variant, server_build
from .coldstart import go_phases
from .endpoints import Endpoint, candidate_endpoints, check_endpoints, floor_sql
from .gobench import allocations, go_benchmarks, start_allocs_build
from .summary import summarise


@dataclass
class Options:
    root: Path
    database: Optional[str] = None
    endpoints: tuple[str, ...] = ()
    duration: Optional[float] = None  # seconds per load run (default 10, quick 1.5)
    repeat: Optional[int] = None  # rounds (default 3, quick 1)
    quick: bool = False
    cold_start_only: int = 0  # rounds of cold starts only (bench/coldstart.py): no load, no Go benchmarks
    compare: tuple[tuple[str, Path], ...] = ()  # cold starts / CPU only: more Go binaries (name, path) in the same rounds
    cpu_only: int = 0  # rounds of CPU per request only (bench/cpu_per_request.py, sidebyside.py)
    profile_dir: Optional[Path] = None  # with cpu_only: a profiling build's CPU and allocation profiles go here
    settings: Optional[str] = None
    generated: Optional[Path] = None  # a tree to reuse when current, (re)generated otherwise; kept at the end
    connections: int = 16  # closed loop: connections at saturation
    open_connections: int = 64  # open loop: requests in flight at most

    @property
    def seconds(self) -> float:
        return self.duration or (1.5 if self.quick else 10.0)

    @property
    def rounds(self) -> int:
        return self.repeat or (1 if self.quick else 3)

    @property
    def warmup(self) -> float:
        return 0.5 if self.quick else 2.0


def run(opts: Options, progress: Callable[[str], None] = lambda msg: None) -> dict:
    """The whole benchmark; raises CannotRun (exit 2) when it cannot run."""
    started = time.monotonic()
    tools = require("bench", *needed("bench"))
    if tools:
        raise CannotRun("\n".join(d.render() for d in tools))
    dialect = for_url(opts.database) if "://" in (opts.database or "") else ""
    if dialect not in ("postgresql", "mysql"):
        raise CannotRun("migrate bench runs both stacks on PostgreSQL or MySQL/MariaDB: give --database "
                        "postgresql://user@host:port/name or mysql://... (a scratch database with a unique name is "
                        "created there and dropped at the end)")
    work = Path(tempfile.mkdtemp(prefix="migrator-bench-"))
    scratch, stacks = None, []
    try:
        try:
            scratch = Scratch(opts.database, work / "db")
        except Unavailable as exc:
            raise CannotRun(str(exc)) from exc
        progress("analyse + generate")
        tree = (opts.generated or work / "tree").resolve()
        generated, tool = tool_cost(opts, tree, dialect)
        ctx = Context(root=Path(opts.root).resolve(), settings=generated.project.settings_module,
                      dialect=dialect, tree=tree, work=work, bin=work / "bin", generated=generated,
                      scratch=scratch, progress=progress)
        phases = {"tool": tool["total_s"]}
        t = time.monotonic()
        progress("go build; loading the database")
        builds = start_builds(ctx)  # on the other core while Django loads the database
        ctx.url, dump = prepare_database(ctx)
        lg = loadgen.build()
        finish_builds(builds)
        phases["build_and_load"] = round(time.monotonic() - t, 1)
        t = time.monotonic()
        stacks = [django_stack(ctx, ctx.url), go_stack(ctx, ctx.url)]
        endpoints = check_endpoints(stacks, candidate_endpoints(ctx, opts, dump))
        sql = floor_sql(ctx, endpoints[0]) if ctx.dialect == "postgresql" else ""
        if sql:
            stacks += [floor_stack(ctx, ctx.url, sql), floor_stack(ctx, ctx.url, sql, db=False)]
        phases["endpoints"] = round(time.monotonic() - t, 1)
        t = time.monotonic()
        if opts.cold_start_only:
            stacks[2:2] = [go_variant(stacks[1], name, binary) for name, binary in opts.compare]
            return {"machine": machine(ctx.url), "probe": endpoints[0].paths[0], "floor_sql": sql,
                    "binary_bytes": {st.name: st.info.get("binary_bytes") for st in stacks[1:] if st.name != "floor_nodb"},
                    "runs": cold_starts(stacks, endpoints[0].paths[0], opts.cold_start_only, progress)}
        if opts.cpu_only:
            return cpu_only(opts, ctx, stacks[:3], endpoints, lg, progress)
        runs = measure(opts, stacks, endpoints, lg, ctx.url, progress)
        phases["measure"] = round(time.monotonic() - t, 1)
        t = time.monotonic()
        progress("go test -bench")
        gobench = go_benchmarks(ctx, opts.quick)
        gobench["allocations"] = allocations(ctx, [{"method": e.method, "paths": e.paths, "body": (e.body or b"").decode()}
                                                   for e in endpoints], opts.quick)
        phases["go_benchmarks"] = round(time.monotonic() - t, 1)
        meta = {"phases_s": phases, "project": str(ctx.root), "machine": machine(ctx.url), "tool": tool,
                "config": {"quick": opts.quick, "duration_s": opts.seconds, "repeat": opts.rounds,
                           "warmup_s": opts.warmup, "connections": opts.connections,
                           "open_loop_max_in_flight": opts.open_connections,
                           "django": stacks[0].info, "go": stacks[1].info,
                           "floor": stacks[2].info if len(stacks) > 2 else None},
                "endpoints": [{"name": e.label, "paths": e.paths, "method": e.method,
                               **({"body": e.body.decode()} if e.body else {})} for e in endpoints]}
        result = summarise(meta, runs, gobench)
        result["seconds"] = round(time.monotonic() - started, 1)
        return result
    finally:
        for st in stacks:
            st.stop()
        if scratch is not None:
            scratch.close()
        shutil.rmtree(work, ignore_errors=True)


def cpu_only(opts: Options, ctx: Context, stacks: list[Stack], endpoints: list[Endpoint], lg: Path,
             progress: Callable[[str], None]) -> dict:
    """Django, Go, the builds compared with it (and the profiling build), the floor: CPU per request only."""
    go = stacks[1]
    stacks[2:2] = [go_variant(go, name, binary) for name, binary in opts.compare]
    if opts.profile_dir is not None:
        stacks.append(sidebyside.pprof_variant(go, sidebyside.build_pprof_server(ctx.tree, ctx.work)))
    runs = sidebyside.cpu_rounds(stacks, endpoints, endpoints[0].paths[0], lg, opts.cpu_only, opts.seconds,
                                 opts.warmup, opts.connections, progress, opts.profile_dir)
    return {"machine": machine(ctx.url), "endpoints": [e.label for e in endpoints], "runs": runs,
            "binary_bytes": {st.name: st.info.get("binary_bytes") for st in stacks[1:]},
            "medians_ms": sidebyside.medians(runs), "pss_after_load_mib": sidebyside.pss_medians(runs)}


def tool_cost(opts: Options, tree: Path, dialect: str = "postgresql") -> tuple[object, dict]:
    """The tool's own cost on the project: analyse, then generate (every target) into ``tree``. An existing
    --generated tree is checked (``generate --check``: the same translation, nothing written) and reused
    when current, written again when stale."""
    from ..analyze import analyze
    from ..generate import generate

    reuse = tree.is_dir() and any(tree.iterdir())
    t0 = time.perf_counter()
    analysis = analyze(opts.root, opts.settings)
    t1 = time.perf_counter()
    dialects = {"dialects": ("sqlite", "postgresql", "mysql")} if dialect == "mysql" else {}  # --dialect mysql
    result = generate(opts.root, tree, targets=("all",), check=reuse, settings=opts.settings, **dialects)
    mode = "check (tree current, reused)" if reuse else "write"
    if reuse and result.project is not None and result.report.stale:
        result, mode = generate(opts.root, tree, targets=("all",), settings=opts.settings, **dialects), "write (tree was stale)"
    t2 = time.perf_counter()
    if result.project is None or result.exit_code != 0:
        raise CannotRun("generate failed: " + "; ".join(d.render() for d in result.diagnostics if d.severity == "error"))
    return result, {"analyze_s": round(t1 - t0, 3), "generate_s": round(t2 - t1, 3), "generate_mode": mode,
                    "total_s": round(t2 - t0, 3), "analyze_ok": bool(getattr(analysis, "ok", True))}


def prepare_database(ctx: Context) -> tuple[str, dict]:
    """A scratch database Django migrated and loaded (the project's fixtures, else generated rows), and its
    dump (values for the endpoints' paths); one Django process."""
    url = ctx.scratch.fresh("bench")
    fixtures = project_fixtures(ctx.root)
    load = (["loaddata", [str(f.resolve()) for f in fixtures]] if fixtures else ["generate", ["0", "50"]])
    jobs = [{"database": url, "command": "migrate", "args": []},
            {"database": url, "command": load[0], "args": load[1]},
            {"database": url, "command": "dump", "args": []}]
    try:
        return url, ctx.django_batch(jobs)[-1]
    except RuntimeError as exc:
        raise CannotRun(f"Django could not prepare the database: {exc}") from exc


_GO_BUILDS = {"server": ["-o", "{bin}/server", "./http"],  # after server_build(dialect)
              "bench.test": ["go", "test", "-c", "-o", "{bin}/bench.test", "./bench"]}


def start_builds(ctx: Context) -> list[tuple[str, subprocess.Popen]]:
    """The Go server (http_servers._build_server finds it in ctx.bin), the benchmark test binary, the floor
    and the allocation test binary."""
    ctx.bin.mkdir(parents=True, exist_ok=True)
    env = go_build_env()  # -trimpath: the tree's packages come from Go's build cache whatever the folder
    jobs = [(name, server_build(ctx.dialect) + argv if name == "server" else argv, ctx.tree)
            for name, argv in _GO_BUILDS.items() if name != "bench.test" or (ctx.tree / "bench").is_dir()]
    if ctx.dialect == "postgresql":  # the floor and the allocation benchmark run on pgx
        jobs.append(("floor", build_floor(ctx), ctx.work / "floor"))
        jobs += start_allocs_build(ctx)
    return [(name, subprocess.Popen([a.format(bin=ctx.bin) for a in argv], cwd=cwd, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True)) for name, argv, cwd in jobs]


def finish_builds(builds: list[tuple[str, subprocess.Popen]]) -> None:
    for name, proc in builds:
        try:
            output, _ = proc.communicate(timeout=900)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise CannotRun(f"go build of {name} did not finish within 900 s") from None
        if proc.returncode != 0:
            raise CannotRun(f"go build of {name} failed:\n{output.strip()[-2000:]}")


def db_backends(url: str) -> list[int]:
    """pids of the client backends connected to the database (other than this query's); on MySQL/MariaDB the
    server's threads serving them (their OS thread ids: /proc reads a thread's CPU time as a process's)."""
    import psycopg
    from urllib.parse import urlparse

    if for_url(url) == "mysql":
        from ..parity.introspect_mysql import client_threads

        return client_threads(url)
    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                            "AND backend_type = 'client backend'", (urlparse(url).path.lstrip("/"),)).fetchall()
    return [r[0] for r in rows]


def measure(opts: Options, stacks: list[Stack], endpoints: list[Endpoint], lg: Path, url: str,
            progress: Callable[[str], None]) -> list[dict]:
    """``stacks``: Django, Go, then the floor's two (with and without a database). Per round, the first two
    alternating: cold start, PSS, the loads; the floor: cold start, PSS and one saturation run (its CPU
    per request); then Go's cold start once more, split into phases (coldstart.go_phases)."""
    rates: dict[str, float] = {}  # half of Django's saturation throughput, from the first round
    runs = []
    probe = endpoints[0].paths[0]
    django, go, floor, nodb = (stacks + [None, None])[:4]  # no floor on MySQL/MariaDB (it runs on pgx)
    for i in range(opts.rounds):
        for st in [s for s in ([django, go, floor] if i % 2 == 0 else [floor, go, django]) if s is not None]:
            progress(f"round {i + 1}/{opts.rounds}: {st.name}")
            eps = [Endpoint("floor", ["/"])] if st is floor else endpoints
            runs.append({"round": i, **measure_stack(opts, st, eps, probe if st is not floor else "/", lg, url, rates)})
        if nodb is not None:
            runs.append({"round": i, "stack": "floor_nodb", "cold_start_s": round(nodb.start("/"), 4)})
            nodb.stop()
        runs.append({"round": i, "stack": "go_phases", "phases_ms": go_phases(go, probe)})
    return runs


def cold_starts(stacks: list[Stack], probe: str, rounds: int, progress: Callable[[str], None]) -> list[dict]:
    """Cold starts only, each stack in turn, the order alternating: Django, Go (and the Go binaries compared
    with it), the floor with and without a database; then each Go server's start-up split into phases."""
    runs = []
    servers = [st for st in stacks if st.name not in ("floor", "floor_nodb")]
    for i in range(rounds):
        progress(f"cold starts, round {i + 1}/{rounds}")
        for st in (stacks if i % 2 == 0 else stacks[::-1]):
            try:
                runs.append({"round": i, "stack": st.name, "cold_start_s": round(st.start(probe if st in servers else "/"), 4)})
            finally:
                st.stop()
        for st in servers[1:]:
            runs.append({"round": i, "stack": "go_phases" if st.name == "go" else f"{st.name}_phases",
                         "phases_ms": go_phases(st, probe)})
    return runs


def measure_stack(opts: Options, st: Stack, endpoints: list[Endpoint], probe: str, lg: Path, url: str,
                  rates: dict[str, float]) -> dict:
    rec: dict = {"stack": st.name, "endpoints": {}}
    try:
        rec["cold_start_s"] = round(st.start(probe), 4)
        loadgen.run(lg, [st.base + p for e in endpoints if e.method == "GET" for p in e.paths], opts.warmup,
                    opts.connections)
        parts = pss_parts(st.pids())
        rec["pss_kib"], rec["pss_parts_kib"] = parts["Pss"], parts
        backends = db_backends(url)
        for e in endpoints:
            urls = [st.base + p for p in e.paths]
            pids = st.pids()
            c0, d0 = cpu_seconds(pids), cpu_seconds(backends)
            sat = loadgen.run(lg, urls, opts.seconds, opts.connections, method=e.method, body=e.body)
            sat["server_cpu_s"] = round(cpu_seconds(pids) - c0, 3)
            sat["db_cpu_s"] = round(cpu_seconds(backends) - d0, 3)
            rec["endpoints"][e.label] = {"saturation": sat}
            if st.name == "floor":
                continue
            if st.name == "django" and e.label not in rates:
                rates[e.label] = max(sat["rps"] / 2, 1.0)
            rec["endpoints"][e.label]["equal_load"] = loadgen.run(lg, urls, opts.seconds, opts.open_connections,
                                                                  rate=rates[e.label], method=e.method, body=e.body)
        parts = pss_parts(st.pids())
        rec["pss_after_load_kib"], rec["pss_after_load_parts_kib"] = parts["Pss"], parts
        rec["db_connections"] = len(db_backends(url))
    finally:
        st.stop()
    return rec


def machine(url: str) -> dict:
    out = {"arch": platform.machine(), "cores": cores(), "python": platform.python_version(), "system": platform.system()}
    try:
        out["cpu"] = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                          if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        out["go"] = subprocess.run(["go", "env", "GOVERSION"], capture_output=True, text=True,
                                   timeout=60).stdout.strip()
        if for_url(url) == "mysql":
            from ..parity.introspect_mysql import server_version

            out["mysql"] = server_version(url)
        else:
            import psycopg

            with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
                out["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
        out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except Exception:  # noqa: BLE001 - only for the report
        pass
    return out
