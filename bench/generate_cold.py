"""A cold `generate` (empty private cache, the default environment) with the code of a git revision and with this
tree, interleaved round by round, the order alternating; wall and CPU seconds (the process and the processes it
waited for: not the compile cache's detached recording, which is waited for after each run and timed).

    .venv/bin/python bench/generate_cold.py sample_django_project --baseline main --rounds 3
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHILD = ("import sys; from migrator.generate import generate; r = generate(sys.argv[1], sys.argv[2]); "
         "sys.exit(r.exit_code)")


def one(code: Path, project: Path, scratch: Path) -> tuple[float, float, float]:
    """(wall, CPU, seconds the recording went on after the command)."""
    sys.path.insert(0, str(REPO))
    from migrator.load.compile_cache import recording

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "MIGRATOR_COMPILE_CACHE")}
    env.update(MIGRATOR_CACHE_DIR=str(scratch / "cache"), PYTHONPATH=str(code))
    before, clock = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, str(project), str(scratch / "out")], env=env, cwd=code,
                          capture_output=True, text=True, timeout=1800)
    wall, after = time.perf_counter() - clock, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr[-3000:])
    clock = time.perf_counter()
    while recording(str(scratch / "cache" / "compile")) and time.perf_counter() - clock < 300:
        time.sleep(0.1)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return round(wall, 2), round(cpu, 2), round(time.perf_counter() - clock, 2)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("project")
    ap.add_argument("--baseline", required=True, metavar="REV")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="gen-cold-"))
    codes = {args.baseline: scratch / "baseline", "this tree": REPO}
    codes[args.baseline].mkdir()
    archive = subprocess.run(["git", "archive", args.baseline], cwd=REPO, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(codes[args.baseline])], input=archive, check=True)
    rows: dict = {name: [] for name in codes}
    for n in range(args.rounds):
        for i, (name, code) in enumerate(list(codes.items())[::1 if n % 2 == 0 else -1]):
            rows[name].append(one(code, Path(args.project).resolve(), scratch / f"{n}-{i}"))
            print(n, name, rows[name][-1], f"load {os.getloadavg()[0]:.1f}", flush=True)
    for name, runs in rows.items():
        print(f"{name:12} cold: wall {statistics.median(r[0] for r in runs):6.2f} s  CPU "
              f"{statistics.median(r[1] for r in runs):6.2f} s  (wall, CPU, recording after: {runs})")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
