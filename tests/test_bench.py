"""`migrate bench --quick` on the sample against a private PostgreSQL: the JSON report's structure, ratios
that are positive finite numbers, the Go benchmarks (GORM against sqlc) ran; plus the pieces alone."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import GOFLAGS
from migrator.bench import chart, loadgen, procs, summary

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_django_project"
needs_go = pytest.mark.skipif(shutil.which("go") is None, reason="no Go toolchain")


@pytest.mark.postgres
@pytest.mark.slow
@needs_go
def test_bench_quick(postgres_server, tmp_path):
    pytest.importorskip("gunicorn")
    out, md, tree = tmp_path / "bench.json", tmp_path / "bench.md", tmp_path / "tree"
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "migrator", "bench", str(SAMPLE), "--quick", "--generated", str(tree),
                           "--database", postgres_server.url("bench"), "--json", str(out), "--markdown", str(md)],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    elapsed = time.monotonic() - t0
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(out.read_text())
    assert set(result["ratios"]) == set(summary.GOALS)
    for name, value in result["ratios"].items():
        assert isinstance(value, (int, float)) and math.isfinite(value) and value > 0, (name, value)
    assert result["claims"] == {"cold_start": 4.8, "memory": 2.63}
    assert len(result["endpoints"]) >= 2 and all(e["paths"] for e in result["endpoints"])
    for stack in ("django", "go"):
        s = result[stack]
        assert s["cold_start_ms"] > 0 and s["pss_mib"] > 0 and s["db_connections"] >= 1
        for e in result["endpoints"]:
            sat = s["endpoints"][e["name"]]["saturation"]
            assert sat["rps"] > 0 and sat["errors"] == 0 and 0 < sat["p50_ms"] <= sat["p99_ms"]
            assert s["endpoints"][e["name"]]["equal_load"]["errors"] == 0
    assert result["config"]["django"]["workers"] == procs_cores()
    # one pool shared by GORM and sqlc, as many connections as Django's workers x threads, and no more held
    budget = result["config"]["django"]["db_connections_max"]
    assert result["config"]["go"]["db_connections_max"] == budget and result["config"]["go"]["build_tags"] == "nosqlite,nogorm"
    assert 1 <= result["go"]["db_connections"] <= budget
    assert result["tool"]["analyze_s"] > 0 and result["tool"]["generate_s"] > 0
    reads = result["gorm_vs_sqlc"]["reads"]  # the generated Go benchmarks ran on the loaded database
    assert reads and all(r["sqlc_us"] > 0 and r["gorm_us"] > 0 and r["ratio"] > 0 for r in reads)
    assert {g["name"] for g in result["goals"]} == set(summary.GOALS) | {"gorm_vs_sqlc"}
    assert result["judged"] is False and all(g["met"] is None for g in result["goals"])  # --quick judges nothing
    floor = result["floor"]  # measured in the same rounds: cold start, PSS, CPU per request, Go's start-up phases
    assert 0 < floor["cold_start_nodb_ms"] and 0 < floor["cold_start_ms"] and floor["pss_mib"] > 0
    assert floor["server_cpu_ms_per_request"] > 0 and result["ratios_at_floor"]["cold_start"] > 0
    assert [s for s, _ in floor["go_steps_ms"]][:2] == ["exec + Go runtime start", "package init"]
    assert result["go"]["pss_anon_mib"] > 0 and result["go"]["pss_file_mib"] > 0
    allocs = result["gorm_vs_sqlc"]["allocations"]  # per endpoint, through the server's handler chain
    assert len(allocs["endpoints"]) == len(result["endpoints"]) and all(a["allocs"] > allocs["httptest"]["allocs"]
                                                                          for a in allocs["endpoints"])
    text = md.read_text()
    assert "![ratios](bench.svg)" in text and "| goal | measured | the floor reaches |" in text
    assert "no goal is judged" in text and "step by step" in text
    svg = (tmp_path / "bench.svg").read_text()
    assert svg.startswith("<svg") and "published: 4.8x" in svg and "published: 2.63x" in svg
    assert "Go vs Django" in proc.stdout
    print(f"\nmigrate bench --quick: {elapsed:.1f} s; ratios {result['ratios']}")
    check_tree_kept(tree)


def check_tree_kept(tree: Path) -> None:
    """--generated: the tree stays, is reused when current; built with -tags nosqlite it refuses SQLite; with
    nogorm as well, GORM is not linked."""
    from migrator.bench.runner import Options, tool_cost

    assert (tree / "gorm" / "models" / "db_nosqlite.go").is_file()
    _, tool = tool_cost(Options(root=SAMPLE, generated=tree), tree)
    assert tool["generate_mode"] == "check (tree current, reused)"  # go.mod is tidy: go build leaves it alone
    _, tool = tool_cost(Options(root=SAMPLE, generated=tree), tree)
    assert tool["generate_mode"] == "check (tree current, reused)"
    env = {**os.environ, "GOFLAGS": GOFLAGS}  # -trimpath: the packages bench built come from the cache
    vet = subprocess.run(["go", "vet", "-tags", "nosqlite", "./..."], cwd=tree, env=env, capture_output=True, text=True)
    assert vet.returncode == 0, vet.stderr
    # sslmode=prefer against a server without TLS: one connection, as libpq (dbpool/pool_test.go, a fake server)
    pool = subprocess.run(["go", "test", "-count=1", "./dbpool"], cwd=tree, env=env, capture_output=True, text=True, timeout=300)
    assert pool.returncode == 0, pool.stdout + pool.stderr
    binary = tree.parent / "server-pg"
    subprocess.run(["go", "build", "-tags", "nosqlite", "-o", str(binary), "./http"], cwd=tree, env=env, check=True)
    listed = subprocess.run(["go", "version", "-m", str(binary)], capture_output=True, text=True).stdout
    assert "sqlite" not in listed.replace("-tags=nosqlite", "")
    run = subprocess.run([str(binary)], env={"DATABASE_URL": str(tree.parent / "x.sqlite3"), "PORT": "0"},
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 1 and "nosqlite" in run.stdout
    lean = tree.parent / "server-lean"
    subprocess.run(["go", "build", "-tags", "nosqlite,nogorm", "-o", str(lean), "./http"], cwd=tree, env=env, check=True)
    listed = subprocess.run(["go", "version", "-m", str(lean)], capture_output=True, text=True).stdout
    assert "gorm.io" not in listed and "jackc/pgx" in listed


def procs_cores() -> int:
    from migrator.bench.stacks import cores

    return cores()


@pytest.mark.slow
@pytest.mark.postgres
def test_bench_needs_postgresql(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "migrator", "bench", str(SAMPLE), "--quick"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "PostgreSQL" in proc.stderr


@pytest.mark.slow
@needs_go
def test_loadgen_closed_and_open_loop(tmp_path):
    """The load generator against a tiny local server: counts, percentiles, the offered rate."""
    import http.server
    import threading

    class Quiet(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            body = b'{"ok": true}' if self.path == "/ok" else b"{}"
            self.send_response(200 if self.path == "/ok" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        binary = loadgen.build()
        closed = loadgen.run(binary, [base + "/ok"], 0.5, 2)
        assert closed["mode"] == "closed" and closed["requests"] > 10 and closed["errors"] == 0
        assert closed["non_2xx"] == 0 and 0 < closed["p50_ms"] <= closed["p99_ms"] <= closed["max_ms"]
        opened = loadgen.run(binary, [base + "/ok"], 1.0, 4, rate=100)
        assert opened["mode"] == "open" and 80 <= opened["requests"] <= 101 and opened["unsent"] == 0
        bad = loadgen.run(binary, [base + "/missing"], 0.3, 1)
        assert bad["non_2xx"] == bad["requests"] > 0 and "404" in bad["first_error"]
    finally:
        server.shutdown()


@pytest.mark.slow
def test_pss_and_cpu_of_a_process_tree():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        time.sleep(0.2)
        pids = procs.tree_pids(os.getpid())
        assert os.getpid() in pids and child.pid in pids
        assert procs.pss_kib([child.pid]) > 1000  # a Python interpreter is megabytes
        assert procs.pss_kib(pids) > procs.pss_kib([child.pid])
        assert procs.cpu_seconds([os.getpid()]) > 0
    finally:
        child.kill()
        child.wait()


def test_summary_ratios_goals_and_chart():
    def run(stack, cold, pss, rps, p99):
        sat = {"rps": rps, "p50_ms": 1.0, "p99_ms": 2.0, "errors": 0, "non_2xx": 0, "requests": int(rps * 2),
               "seconds": 2.0, "server_cpu_s": 1.0, "db_cpu_s": 0.5, "cpu_s": 0.5}
        eq = {"rate": 50.0, "rps": 50.0, "p50_ms": 1.0, "p99_ms": p99, "errors": 0, "non_2xx": 0, "unsent": 0}
        parts = {"Pss": pss, "Pss_Anon": pss // 2, "Pss_File": pss // 2}
        return {"round": 0, "stack": stack, "cold_start_s": cold, "pss_kib": pss, "pss_after_load_kib": pss,
                "pss_parts_kib": parts, "pss_after_load_parts_kib": parts,
                "db_connections": 4, "endpoints": {"a/": {"saturation": sat, "equal_load": eq}}}

    meta = {"machine": {"cores": 2, "arch": "x86_64", "python": "3"}, "endpoints": [{"name": "a/", "paths": ["/a/"]}]}
    gobench = {"reads": [{"read": "R", "sqlc_us": 50.0, "gorm_us": 70.0, "ratio": 1.4, "sqlc_allocs": 10,
                          "gorm_allocs": 80, "sqlc_bytes": 1, "gorm_bytes": 2}]}
    go = run("go", 0.02, 10240, 400.0, 3.0)
    go["endpoints"]["a/"]["saturation"]["server_cpu_s"] = 0.4  # 0.5 ms per request: 10x less than Django (5 ms)
    floor = run("floor", 0.01, 8192, 800.0, 1.0)
    floor["endpoints"]["a/"]["saturation"]["server_cpu_s"] = 0.4  # 0.25 ms per request
    runs = [run("django", 1.0, 102400, 100.0, 9.0), go, floor, {"round": 0, "stack": "floor_nodb", "cold_start_s": 0.005},
            {"round": 0, "stack": "go_phases", "phases_ms": {"main": 5.0, "package_init": 1.0, "listening": 5.5,
                                                             "pool_opened": 6.0, "serving": 8.0, "connected": 12.0,
                                                             "first_200": 15.0}}]
    result = summary.summarise(meta, runs, gobench)
    assert result["ratios"] == {"cold_start": 50.0, "memory": 10.0, "memory_after_load": 10.0, "cpu_per_request": 10.0,
                                "throughput": 4.0, "p99_equal_load": 3.0}
    met = {g["name"]: g["met"] for g in result["goals"]}
    assert met == {"cold_start": True, "memory": True, "memory_after_load": True, "cpu_per_request": False,
                   "throughput": True, "p99_equal_load": True, "gorm_vs_sqlc": False}
    assert result["ratios_at_floor"] == {"cold_start": 100.0, "memory": 12.5, "memory_after_load": 12.5,
                                         "cpu_per_request": 20.0}
    assert result["floor"]["go_steps_ms"] == [
        ("exec + Go runtime start", 4.0), ("package init", 1.0), ("config + listen", 0.5),
        ("pool open (no connection)", 0.5), ("routes + server set-up", 2.0),
        ("first connection (beside the set-up, from pool open)", 6.0),
        ("first request: first statement + answer (after set-up and connection)", 3.0)]
    assert any("GORM R" in n for n in result["where_the_time_goes"])
    assert summary.summarise({**meta, "config": {"quick": True}}, runs, gobench)["goals"][0]["met"] is None
    svg = chart.svg(result)
    assert svg.count("<rect") == 1 + 2 + 6  # background, two claims, six measured bars
    assert "measured: 50x" in svg and "goal 30x" in svg


def test_cold_starts_run_compared_builds_in_the_same_rounds(monkeypatch, tmp_path):
    """bench/coldstart.py --compare: another Go build starts in every round, on the probe, split into phases."""
    from migrator.bench import runner, stacks

    started = []

    class Fake:
        def __init__(self, name):
            self.name = name

        def start(self, probe):
            started.append((self.name, probe))
            return 0.01

        def stop(self):
            pass

    monkeypatch.setattr(runner, "go_phases", lambda st, probe: {"main": 1.0, "who": st.name, "probe": probe})
    names = ["django", "go", "before", "floor", "floor_nodb"]
    runs = runner.cold_starts([Fake(n) for n in names], "/p", 2, lambda m: None)
    assert started[:5] == [("django", "/p"), ("go", "/p"), ("before", "/p"), ("floor", "/"), ("floor_nodb", "/")]
    assert [n for n, _ in started[5:]] == names[::-1]  # the second round in the other order
    phases = [(r["stack"], r["phases_ms"]["who"]) for r in runs if "phases_ms" in r]
    assert phases == [("go_phases", "go"), ("before_phases", "before")] * 2
    binary = tmp_path / "server-before"
    binary.write_bytes(b"x" * 7)
    go = procs.Stack("go", ["server"], tmp_path, {"PORT": "1", "DATABASE_URL": "u"}, 1, tmp_path / "go.log")
    v = stacks.go_variant(go, "before", binary)
    assert v.argv == [str(binary)] and v.env["DATABASE_URL"] == "u" and v.env["PORT"] == str(v.port) != "1"
    assert v.log == tmp_path / "before.log" and v.info["binary_bytes"] == 7


def test_cpu_rounds_load_every_build_in_the_same_rounds(monkeypatch, tmp_path):
    """bench/cpu_per_request.py: each stack loaded per endpoint in every round (the order reversed every other
    round), the floor on its own statement; CPU per request = the server's CPU seconds over the requests served."""
    from migrator.bench import sidebyside
    from migrator.bench.endpoints import Endpoint

    cpu = iter(range(0, 1000, 2))  # each load run: 2 CPU seconds
    monkeypatch.setattr(sidebyside, "cpu_seconds", lambda pids: float(next(cpu)))
    monkeypatch.setattr(sidebyside, "pss_parts", lambda pids: {"Pss": 2048, "Pss_Anon": 1024, "Pss_File": 1024})
    loads = []

    def load(lg, urls, seconds, connections, method="GET", body=None):
        loads.append((urls[0].split(":")[-1], method))
        return {"rps": 1000.0, "requests": 4000}

    monkeypatch.setattr(sidebyside.loadgen, "run", load)

    class Fake(procs.Stack):
        def start(self, probe):
            return 0.01

        def stop(self):
            pass

        def pids(self):
            return [1]

    stacks = [Fake(n, [], tmp_path, {}, port, tmp_path / "x.log") for port, n in enumerate(["django", "go", "before", "floor"])]
    eps = [Endpoint("r/<int:id>/", ["/r/1/"]), Endpoint("w/", ["/w/"], method="POST", body=b"{}")]
    runs = sidebyside.cpu_rounds(stacks, eps, "/r/1/", tmp_path / "lg", 2, 4.0, 0.5, 16, lambda m: None)
    assert [(r["round"], r["stack"], r["endpoint"]) for r in runs][:7] == [
        (0, "django", "r/<int:id>/"), (0, "django", "POST w/"), (0, "go", "r/<int:id>/"), (0, "go", "POST w/"),
        (0, "before", "r/<int:id>/"), (0, "before", "POST w/"), (0, "floor", "floor")]
    assert [r["stack"] for r in runs[7:]] == ["floor", "before", "before", "go", "go", "django", "django"]
    assert all(r["cpu_ms_per_request"] == 0.5 and r["requests"] == 4000 for r in runs)  # 2 s / 4000
    assert ("0/w/", "POST") in loads and ("3/", "GET") in loads  # the write loaded as a POST; the floor on "/"
    med = sidebyside.medians(runs)
    assert med["POST w/"] == {"django": 0.5, "go": 0.5, "before": 0.5, "floor": 0.5}
    assert sidebyside.pss_medians(runs)["go"] == {"pss": 2.0, "anon": 1.0, "file": 1.0}
