"""CPU per request of several Go builds side by side (bench/cpu_per_request.py): a change's effect on the
server's CPU measured in the same rounds as the build before it, Django and the floor, on a machine whose
load moves (only ratios measured in one run mean anything there).

Per round, the stacks in turn (the order reversed every other round): start, warm up, then per endpoint one
saturation run (closed loop) with the server's ``utime + stime`` read around it, divided by the requests
served; stop. ``--pprof DIR``: one more Go stack, the tree's server built with ``pprof/zz_migrator_pprof.go``
(net/http/pprof on a side listener), whose CPU profile and allocation profile are taken during each of its
saturation runs (``go tool pprof -top DIR/<endpoint>.cpu.pb.gz``).
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import threading
import urllib.request
from pathlib import Path
from typing import Callable, Optional

from ..parity.runner import CannotRun
from . import loadgen
from .endpoints import Endpoint
from .procs import Stack, cpu_seconds, pss_parts
from .stacks import SERVER_TAGS, _free_port, go_variant

PPROF_SOURCE = Path(__file__).resolve().parent / "pprof" / "zz_migrator_pprof.go"


def build_pprof_server(tree: Path, work: Path) -> Path:
    """The tree's server with the profiling hook, built in a copy of the tree (the tree is not touched)."""
    copy = work / "pprof-tree"
    shutil.copytree(tree, copy, ignore=shutil.ignore_patterns(".git"), dirs_exist_ok=True)
    shutil.copyfile(PPROF_SOURCE, copy / "http" / PPROF_SOURCE.name)
    out = work / "bin" / "server-pprof"
    proc = subprocess.run(["go", "build", "-tags", SERVER_TAGS, "-trimpath", "-o", str(out), "./http"], cwd=copy,
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise CannotRun(f"go build of the profiling server failed:\n{(proc.stdout + proc.stderr)[-2000:]}")
    return out


def pprof_variant(go: Stack, binary: Path) -> Stack:
    st = go_variant(go, "pprof", binary)
    st.env = {**st.env, "MIGRATOR_PPROF": f"127.0.0.1:{_free_port()}"}
    return st


def _slug(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_")


def _profiles(st: Stack, label: str, seconds: int, out: Path) -> list[threading.Thread]:
    """Fetch the CPU and the allocation profile of ``seconds`` from a pprof stack, in the background."""
    base = f"http://{st.env['MIGRATOR_PPROF']}/debug/pprof"

    def fetch(path: str, dest: Path) -> None:
        with urllib.request.urlopen(f"{base}/{path}?seconds={seconds}", timeout=seconds + 60) as resp:
            dest.write_bytes(resp.read())

    out.mkdir(parents=True, exist_ok=True)
    threads = [threading.Thread(target=fetch, args=(kind, out / f"{_slug(label)}.{name}.pb.gz"), daemon=True)
               for kind, name in (("profile", "cpu"), ("allocs", "allocs"))]
    for t in threads:
        t.start()
    return threads


def cpu_rounds(stacks: list[Stack], endpoints: list[Endpoint], probe: str, lg: Path, rounds: int, seconds: float,
               warmup: float, connections: int, progress: Callable[[str], None],
               profile_dir: Optional[Path] = None) -> list[dict]:
    """One record per round, stack and endpoint: requests served and the server's CPU seconds."""
    runs = []
    for i in range(rounds):
        for st in (stacks if i % 2 == 0 else stacks[::-1]):
            progress(f"round {i + 1}/{rounds}: {st.name}")
            floor = st.name == "floor"
            eps = [Endpoint("floor", ["/"])] if floor else endpoints
            try:
                st.start("/" if floor else probe)
                loadgen.run(lg, [st.base + p for e in eps if e.method == "GET" for p in e.paths], warmup, connections)
                for e in eps:
                    pids = st.pids()
                    fetches = (_profiles(st, e.label, max(1, int(seconds) - 1), profile_dir)
                               if profile_dir is not None and "MIGRATOR_PPROF" in st.env else [])
                    c0 = cpu_seconds(pids)
                    sat = loadgen.run(lg, [st.base + p for p in e.paths], seconds, connections,
                                      method=e.method, body=e.body)
                    cpu = cpu_seconds(pids) - c0
                    for t in fetches:
                        t.join(timeout=120)
                    served = sat.get("requests") or round(sat["rps"] * seconds)
                    runs.append({"round": i, "stack": st.name, "endpoint": e.label, "requests": served,
                                 "rps": sat["rps"], "server_cpu_s": round(cpu, 3),
                                 "cpu_ms_per_request": round(1000 * cpu / max(served, 1), 5)})
                runs[-1]["pss_after_load_kib"] = pss_parts(st.pids())  # what the collector's setting costs
            finally:
                st.stop()
    return runs


def pss_medians(runs: list[dict]) -> dict[str, dict[str, float]]:
    """Median PSS after each stack's loads (MiB): total, anonymous, file-backed."""
    out = {}
    for stack in dict.fromkeys(r["stack"] for r in runs):
        parts = [r["pss_after_load_kib"] for r in runs if r["stack"] == stack and "pss_after_load_kib" in r]
        if parts:
            out[stack] = {k: round(statistics.median(p[key] for p in parts) / 1024, 2)
                          for k, key in (("pss", "Pss"), ("anon", "Pss_Anon"), ("file", "Pss_File"))}
    return out


def medians(runs: list[dict]) -> dict[str, dict[str, float]]:
    """Median CPU per request (ms), by endpoint then stack; the floor under each endpoint."""
    out: dict[str, dict[str, float]] = {}
    labels = sorted({r["endpoint"] for r in runs if r["stack"] != "floor"})
    for label in labels:
        for stack in dict.fromkeys(r["stack"] for r in runs):
            vals = [r["cpu_ms_per_request"] for r in runs if r["stack"] == stack
                    and (r["endpoint"] == label or stack == "floor")]
            if vals:
                out.setdefault(label, {})[stack] = round(statistics.median(vals), 5)
    return out
