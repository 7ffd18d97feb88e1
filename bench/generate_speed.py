"""How long analyse + generate takes on synthetic projects of 10, 100 and 1000 models.

Each run is a fresh process calling migrator.generate.generate(..., run_sqlc=False): everything the
tool does except running the sqlc binary and `go build` (which the issue excludes): loading the
project, scanning, Django's compile of every site, translation, emitting and gofmt of every file,
writing the tree. The median of --repeat interleaved runs is reported, with a breakdown by phase.

    python bench/generate_speed.py                  # prints a table, writes bench/results/generate_speed.json
    python bench/generate_speed.py --update-docs    # also rewrites the table in docs/performance.md
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
import json, sys, time
from migrator.generate import generate
t = time.perf_counter()
r = generate(sys.argv[1], sys.argv[2], targets=("all",), run_sqlc=False)
total = time.perf_counter() - t
assert r.project is not None, [d.render() for d in r.diagnostics]
print(json.dumps({"total": total, "phases": r.timings, "files": len(r.emitted.files),
                  "queries": {d: len(q) for d, q in r.emitted.queries.items()}}))
"""


def run(sizes: list[int], repeat: int) -> dict:
    results: dict[int, list[dict]] = {n: [] for n in sizes}
    with tempfile.TemporaryDirectory() as tmp:
        projects = {n: make_project(Path(tmp) / f"p{n}", n) for n in sizes}
        for _ in range(repeat):
            for n, root in projects.items():
                out = Path(tmp) / f"out{n}"
                proc = subprocess.run([sys.executable, "-c", ONE_RUN, str(root), str(out)], cwd=REPO,
                                      capture_output=True, text=True)
                if proc.returncode != 0:
                    raise SystemExit(proc.stderr)
                results[n].append(json.loads(proc.stdout.splitlines()[-1]))
    rows = []
    for n in sizes:
        runs = results[n]
        phases = sorted({k for r in runs for k in r["phases"]})
        rows.append({"models": n, "seconds": round(statistics.median(r["total"] for r in runs), 3),
                     "phases": {k: round(statistics.median(r["phases"].get(k, 0) for r in runs), 3) for k in phases},
                     "files": runs[0]["files"], "queries": runs[0]["queries"], "runs": repeat})
    return {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "rows": rows}


def markdown(res: dict) -> str:
    phases = sorted({k for r in res["rows"] for k in r["phases"]})
    lines = [f"Machine: {res['machine']}. Median of {res['rows'][0]['runs']} interleaved runs, each a fresh process; "
             "sqlc and go build excluded.", "",
             "| models | analyse + generate (s) | " + " | ".join(phases) + " | files | queries (sqlite) |",
             "|---:|---:|" + "---:|" * len(phases) + "---:|---:|"]
    for r in res["rows"]:
        lines.append(f"| {r['models']} | {r['seconds']:.2f} | " + " | ".join(f"{r['phases'][p]:.2f}" for p in phases)
                     + f" | {r['files']} | {r['queries'].get('sqlite', 0)} |")
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--update-docs", action="store_true")
    a = p.parse_args()
    res = run(a.sizes, a.repeat)
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
