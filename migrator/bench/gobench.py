"""Go-side micro-measurements on the loaded database: GORM against sqlc per single-row read (the tree's
``bench/reads_test.go``), and the server's allocations per request (``allocs_test.go`` here, compiled into
the server's package in a copy of the tree: each endpoint through the server's whole handler chain,
``httptest``, no network)."""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
from pathlib import Path

from ..parity.runner import CannotRun, Context

_BENCH = re.compile(r"^Benchmark(\w+)/(sqlc|gorm)-\d+\s+(\d+)\s+([\d.]+) ns/op\s+(\d+) B/op\s+(\d+) allocs/op", re.M)


def go_benchmarks(ctx: Context, quick: bool) -> dict:
    """GORM against sqlc: the tree's bench/reads_test.go, on the loaded database."""
    if ctx.dialect == "mysql":
        return {"reads": [], "note": "PostgreSQL only: bench/reads_test.go runs GORM and sqlc on one pgx pool"}
    if not (ctx.bin / "bench.test").exists():
        return {"reads": [], "note": "the tree has no bench/ package (no single-row sqlc read with a GORM model)"}
    flags = ["-test.run", "^$", "-test.bench", ".", "-test.benchmem", "-test.benchtime", "1000x" if quick else "1s",
             "-test.count", "3" if quick else "5"]
    argv = ["go", "test", *(f.replace("test.", "", 1) for f in flags), "./bench"]  # what it amounts to, to reproduce
    env = {**os.environ, "BENCH_DATABASE_URL": ctx.url}
    proc = subprocess.run([str(ctx.bin / "bench.test"), *flags], cwd=ctx.tree / "bench", env=env,
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise CannotRun(f"go test -bench ./bench failed:\n{(proc.stdout + proc.stderr).strip()[-2000:]}")
    samples: dict[str, dict[str, list[tuple[float, int, int]]]] = {}
    for m in _BENCH.finditer(proc.stdout):
        samples.setdefault(m.group(1), {}).setdefault(m.group(2), []).append(
            (float(m.group(4)), int(m.group(5)), int(m.group(6))))
    reads = []
    for name, by in sorted(samples.items()):
        if "sqlc" not in by or "gorm" not in by:
            continue
        row = {"read": name, "command": " ".join(argv)}
        for impl in ("sqlc", "gorm"):
            row[f"{impl}_us"] = round(statistics.median(s[0] for s in by[impl]) / 1000, 2)
            row[f"{impl}_allocs"] = by[impl][0][2]
            row[f"{impl}_bytes"] = by[impl][0][1]
        row["ratio"] = round(row["gorm_us"] / row["sqlc_us"], 3)
        reads.append(row)
    return {"reads": reads, "samples": len(next(iter(samples.values()))["sqlc"]) if samples else 0}


ALLOCS_SOURCE = Path(__file__).resolve().parent / "allocs_test.go"
_ALLOCS = re.compile(r"^BenchmarkMigratorEndpoint/(\w+)-\d+\s+(\d+)\s+([\d.]+) ns/op\s+(\d+) B/op\s+(\d+) allocs/op", re.M)


def start_allocs_build(ctx: Context) -> list[tuple[str, list[str], Path]]:
    """The allocation benchmark compiled into a copy of the tree's server package (a net/http tree whose
    server opens without GORM: db_nogorm.go); none for other trees."""
    http_dir = Path(ctx.tree) / "http"
    if not (http_dir / "db_nogorm.go").exists() or "func Middleware(mux *http.ServeMux" not in _read(http_dir / "respond.go"):
        return []
    copy = ctx.work / "allocs-tree"
    shutil.copytree(ctx.tree, copy, ignore=shutil.ignore_patterns(".git"), dirs_exist_ok=True)
    shutil.copyfile(ALLOCS_SOURCE, copy / "http" / "zz_migrator_allocs_test.go")
    from .stacks import SERVER_TAGS

    return [("http.test", ["go", "test", "-c", "-tags", SERVER_TAGS, "-o", "{bin}/http.test", "./http"], copy)]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def allocations(ctx: Context, endpoints: list[dict], quick: bool) -> dict:
    """Per endpoint (in order): allocations, bytes and µs per request through the server's handler chain;
    ``httptest``: what the test's request and recorder allocate alone."""
    binary = ctx.bin / "http.test"
    if not binary.exists():
        return {"endpoints": [], "note": "not measured: the tree's server is not a net/http one that opens without GORM"}

    env = {**os.environ, "BENCH_DATABASE_URL": ctx.url, "BENCH_ENDPOINTS": json.dumps(endpoints)}
    flags = ["-test.run", "^$", "-test.bench", "MigratorEndpoint", "-test.benchmem",
             "-test.benchtime", "300x" if quick else "2000x", "-test.count", "1" if quick else "3"]
    proc = subprocess.run([str(binary), *flags], cwd=ctx.work / "allocs-tree" / "http", env=env,
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise CannotRun(f"the allocation benchmark failed:\n{(proc.stdout + proc.stderr).strip()[-2000:]}")
    by: dict[str, list[tuple[float, int, int]]] = {}
    for m in _ALLOCS.finditer(proc.stdout):
        by.setdefault(m.group(1), []).append((float(m.group(3)), int(m.group(4)), int(m.group(5))))

    def row(key: str) -> dict:
        s = by.get(key, [])
        return {"allocs": s[0][2], "bytes": s[0][1], "us": round(statistics.median(x[0] for x in s) / 1000, 2)} if s else {}

    return {"httptest": row("httptest"), "endpoints": [row(f"e{i}") for i in range(len(endpoints))]}
