"""The Go load generator (``loadgen/main.go``, shipped in the package): built once per source version
into a cache directory, then run for each measurement. Python cannot saturate a Go server on two
cores; a Go client with keep-alive connections can come close (it shares the cores: see the report).
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
from pathlib import Path

from ..parity.runner import CannotRun

SOURCE = Path(__file__).resolve().parent / "loadgen" / "main.go"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "migrator" / "bench"


def build() -> Path:
    """The loadgen binary for this source (built with `go build` when missing)."""
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:12]
    out = cache_dir() / f"loadgen-{digest}"
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")
    env = {**os.environ, "GOFLAGS": "", "CGO_ENABLED": "0"}
    proc = subprocess.run(["go", "build", "-o", str(tmp), SOURCE.name], cwd=SOURCE.parent, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise CannotRun(f"go build of the load generator failed:\n{proc.stderr.strip()[-2000:]}")
    os.replace(tmp, out)
    return out


def run(binary: Path, urls: list[str], seconds: float, connections: int, rate: float = 0.0,
        warmup: float = 0.0, method: str = "GET", body: bytes | None = None) -> dict:
    """One load run: closed loop (rate 0) or open loop at ``rate`` requests/s. Adds ``cpu_s``: the CPU
    the load generator itself used (it shares the machine with the server and the database)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    argv = [str(binary), "-c", str(connections), "-d", f"{seconds}s", "-warmup", f"{warmup}s"]
    if rate > 0:
        argv += ["-rate", f"{rate:.3f}"]
    if method != "GET" or body is not None:
        argv += ["-method", method, "-body", (body or b"").decode()]
    proc = subprocess.run(argv + urls, capture_output=True, text=True, timeout=seconds + warmup + 120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise CannotRun(f"loadgen failed ({proc.returncode}): {proc.stderr.strip()[-1000:]}")
    out = json.loads(proc.stdout)
    out["cpu_s"] = round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 3)
    return out
