"""Where `migrate analyze` spends its time on a synthetic project (bench/synthetic.py), phase by phase.

Two fresh processes per run, like a user's:

- the Django side, as the loader worker runs it: django.setup(), read_registry(), to_dict + JSON;
- the whole analyze, as `python -m migrator analyze DIR --format json` runs it, with the parent's
  phases timed from the outside (wrapped functions): until the worker is started, the parse of the
  sources (done while the worker runs), waiting for the worker, from_dict, the scan, the report.

    python bench/analyze_phases.py -n 1000 --repeat 3     # medians: CPU seconds per phase, and wall clock
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

DJANGO_SIDE = r"""
import gc, json, os, sys, time
gc.disable()  # as the worker runs
root = sys.argv[1]
clock = time.process_time  # CPU seconds: what the phase costs, whatever else the machine runs
t0 = clock()
os.chdir(root); sys.path.insert(0, root); os.environ["DJANGO_SETTINGS_MODULE"] = "synth.settings"
import django
django.setup()
t1 = clock()
from migrator.ir import to_dict
from migrator.load.registry import read_registry
apps, models = read_registry(root)
t2 = clock()
text = json.dumps({"apps": [to_dict(a, compact=True) for a in apps], "models": [to_dict(m, compact=True) for m in models]},
                  separators=(",", ":"))
t3 = clock()
print(json.dumps({"django.setup": t1 - t0, "read_registry": t2 - t1, "to_dict+json": t3 - t2}))
"""

PARENT = r"""
import json, os, sys, time
t0 = time.perf_counter()
marks = {}
import migrator.load as L
from migrator.load import scanner
from migrator import analyze as A, report as R

def timed(owner, name, key):
    fn = getattr(owner, name)
    def wrapper(*a, **k):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*a, **k)
        finally:
            marks[key] = marks.get(key, 0.0) + time.perf_counter() - start
            marks[key + ".cpu"] = marks.get(key + ".cpu", 0.0) + time.process_time() - cpu
            marks.setdefault(key + "@start", start - t0)
    setattr(owner, name, wrapper)

timed(scanner, "parse_sources", "parse")
timed(scanner, "scan_parsed", "scan")
timed(L, "_worker", "worker")
timed(L, "from_dict", "from_dict")
timed(A, "summarize", "summarize")
timed(R, "render_json", "render_json")
a = A.analyze(sys.argv[1])
text = R.render_json(a)
with open(os.devnull, "w") as fh:
    fh.write(text)
marks["total"] = time.perf_counter() - t0
print(json.dumps(marks))
"""


def run_py(code: str, root: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", code, str(root)], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-n", type=int, default=1000, help="models in the synthetic project")
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    from synthetic import make_project

    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp) / f"p{a.n}", a.n)
        runs: dict[str, list[float]] = {}
        for _ in range(a.repeat):
            for code in (DJANGO_SIDE, PARENT):
                for k, v in run_py(code, root).items():
                    runs.setdefault(k, []).append(v)
    med = {k: statistics.median(v) for k, v in runs.items()}
    print(f"{a.n} models, median of {a.repeat} runs; CPU seconds of each phase, then the analyze process's wall clock")
    print("worker process (CPU):  " + "  ".join(f"{k} {med[k]:.2f}" for k in ("django.setup", "read_registry", "to_dict+json")))
    print("analyze process (CPU): " + "  ".join(f"{k} {med[k + '.cpu']:.2f}" for k in
                                               ("parse", "from_dict", "scan", "summarize", "render_json")))
    print(f"analyze process (wall): worker started at {med['worker@start']:.2f}; parse {med['parse']:.2f} while the "
          f"worker runs; worker done {med['worker']:.2f} after its start; then from_dict {med['from_dict']:.2f}, "
          f"scan {med['scan']:.2f}, summarize {med['summarize']:.2f}, render_json {med['render_json']:.2f}; "
          f"total {med['total']:.2f}")

if __name__ == "__main__":
    main()
