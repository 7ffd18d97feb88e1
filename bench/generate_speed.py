"""How long analyse + generate takes on synthetic projects of 10, 100 and 1000 models.

Each run is a fresh process calling migrator.generate.generate(..., run_sqlc=False): everything the
tool does except running the sqlc binary and `go build` (which the issue excludes): loading the
project, scanning, Django's compile of every site, translation, emitting and gofmt of every file,
writing the tree. The median of --repeat interleaved runs is reported, with a breakdown by phase.

    python bench/generate_speed.py                  # prints a table, writes bench/results/generate_speed.json
    python bench/generate_speed.py --update-docs    # also rewrites the table in docs/performance.md
    python bench/generate_speed.py --baseline REV   # also times the code of a git revision, interleaved

Wall seconds and CPU seconds (this process and its children: the Django worker, its forks, gofmt).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import make_project  # noqa: E402

BEGIN, END = "<!-- generate-speed:begin -->", "<!-- generate-speed:end -->"

ONE_RUN = r"""
import json, resource, sys, time
from migrator.generate import generate
t = time.perf_counter()
r = generate(sys.argv[1], sys.argv[2], targets=("all",), run_sqlc=False)
total = time.perf_counter() - t
assert r.project is not None, [d.render() for d in r.diagnostics]
cpu = sum(x.ru_utime + x.ru_stime for x in (resource.getrusage(resource.RUSAGE_SELF),
                                            resource.getrusage(resource.RUSAGE_CHILDREN)))
print(json.dumps({"total": total, "cpu": cpu, "phases": r.timings, "files": len(r.emitted.files),
                  "queries": {d: len(q) for d, q in r.emitted.queries.items()}}))
"""


def _one(code: Path, root: Path, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code)}
    proc = subprocess.run([sys.executable, "-c", ONE_RUN, str(root), str(out)], cwd=code, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.splitlines()[-1])


def run(sizes: list[int], repeat: int, baseline: str = "") -> dict:
    results: dict[int, list[dict]] = {n: [] for n in sizes}
    before: dict[int, list[dict]] = {n: [] for n in sizes}
    with tempfile.TemporaryDirectory() as tmp:
        projects = {n: make_project(Path(tmp) / f"p{n}", n) for n in sizes}
        old = Path(tmp) / "baseline"
        if baseline:
            subprocess.run(["git", "worktree", "add", "--detach", str(old), baseline], cwd=REPO, check=True,
                           capture_output=True)
        try:
            for _ in range(repeat):
                for n, root in projects.items():
                    results[n].append(_one(REPO, root, Path(tmp) / f"out{n}"))
                    if baseline:
                        before[n].append(_one(old, root, Path(tmp) / f"old{n}"))
        finally:
            if baseline:
                subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=REPO, capture_output=True)
    rows = []
    for n in sizes:
        runs = results[n]
        phases = sorted({k for r in runs for k in r["phases"]})
        row = {"models": n, "seconds": round(statistics.median(r["total"] for r in runs), 3),
               "cpu": round(statistics.median(r["cpu"] for r in runs), 3),
               "phases": {k: round(statistics.median(r["phases"].get(k, 0) for r in runs), 3) for k in phases},
               "files": runs[0]["files"], "queries": runs[0]["queries"], "runs": repeat}
        if baseline:
            row["baseline"] = {"rev": baseline, "seconds": round(statistics.median(r["total"] for r in before[n]), 3),
                               "cpu": round(statistics.median(r.get("cpu", 0) for r in before[n]), 3)}
        rows.append(row)
    return {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "rows": rows}


def markdown(res: dict) -> str:
    phases = [k for k in PHASES if any(k in r["phases"] for r in res["rows"])]
    base = [r["baseline"] for r in res["rows"] if "baseline" in r]
    lines = [f"Machine: {res['machine']}. Median of {res['rows'][0]['runs']} interleaved runs, each a fresh process; "
             "sqlc and go build excluded. Wall seconds; CPU seconds of all processes."
             + (f" Baseline: the code at `{base[0]['rev']}`, timed in the same runs." if base else ""), "",
             "| models | analyse + generate (s) | CPU (s) | " + " | ".join(phases)
             + (" | baseline (s) | baseline CPU (s) | speed-up" if base else "") + " | files | queries (sqlite) |",
             "|---:|---:|---:|" + "---:|" * len(phases) + ("---:|---:|---:|" if base else "") + "---:|---:|"]
    for r in res["rows"]:
        extra = ""
        if "baseline" in r:
            b = r["baseline"]
            extra = f" | {b['seconds']:.2f} | {b['cpu']:.2f} | {b['seconds'] / r['seconds']:.1f}x"
        lines.append(f"| {r['models']} | {r['seconds']:.2f} | {r['cpu']:.2f} | "
                     + " | ".join(f"{r['phases'].get(p, 0):.2f}" for p in phases)
                     + extra + f" | {r['files']} | {r['queries'].get('sqlite', 0)} |")
    return "\n".join(lines)


# generate's phases in the order they run (emit:* per target; `compile` is the wait for Django's compile,
# which runs in the loader's process while the GORM models are translated and emitted; `translate` the sqlc
# queries, `sqlc` the sqlc step (its inputs only here: run_sqlc=False); `translate:http` the view planning)
PHASES = ("load", "translate:gorm", "emit:common", "emit:gorm", "compile", "translate", "sqlc", "translate:http",
          "emit:sqlc", "emit:http", "write")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--update-docs", action="store_true")
    p.add_argument("--baseline", default="", metavar="REV", help="also time this git revision, interleaved")
    a = p.parse_args()
    res = run(a.sizes, a.repeat, a.baseline)
    out = HERE / "results" / "generate_speed.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n")
    text = markdown(res)
    print(text)
    if a.update_docs:
        doc = REPO / "docs" / "performance.md"
        body = doc.read_text()
        if BEGIN not in body:
            body += ("\n## `migrate generate`\n\n```sh\n.venv/bin/python bench/generate_speed.py --update-docs\n```\n\n"
                     f"{BEGIN}\n{END}\n")
        start, end = body.index(BEGIN) + len(BEGIN), body.index(END)
        doc.write_text(body[:start] + "\n" + text + "\n" + body[end:])


if __name__ == "__main__":
    main()
