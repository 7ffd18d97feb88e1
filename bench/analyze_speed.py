"""How long `migrate analyze` takes on synthetic projects of 10, 100 and 1000 models.

Each size is generated once (bench/synthetic.py: one QuerySet site per model), then analyze runs as
a user runs it (a fresh `python -m migrator analyze DIR --format json` process) --repeat times,
interleaved across sizes; the median is reported. For scale, Django's own `makemigrations
--dry-run` on the same projects is timed the same way.

    python bench/analyze_speed.py                 # prints a table, writes bench/results/analyze_speed.json
    python bench/analyze_speed.py --update-docs   # also rewrites the table in docs/performance.md
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
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import make_project  # noqa: E402

BEGIN, END = "<!-- analyze-speed:begin -->", "<!-- analyze-speed:end -->"


def timed(cmd: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def run(sizes: list[int], repeat: int) -> dict:
    results: dict[int, dict[str, list[float]]] = {n: {"analyze": [], "makemigrations": []} for n in sizes}
    sites: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        projects = {n: make_project(Path(tmp) / f"p{n}", n) for n in sizes}
        for n, root in projects.items():  # warm the file cache and check the result once
            out = subprocess.run([sys.executable, "-m", "migrator", "analyze", str(root), "--format", "json"],
                                 capture_output=True, text=True, check=True).stdout
            data = json.loads(out)
            sites[n] = data["summary"]["querysets"]["total"]
            assert data["summary"]["models"]["project"] == n, data["summary"]["models"]
        for _ in range(repeat):
            for n, root in projects.items():
                results[n]["analyze"].append(timed(
                    [sys.executable, "-m", "migrator", "analyze", str(root), "--format", "json", "--output", os.devnull],
                    REPO))
                results[n]["makemigrations"].append(timed(
                    [sys.executable, "manage.py", "makemigrations", "--dry-run"], root))
    rows = []
    for n in sizes:
        a = statistics.median(results[n]["analyze"])
        mk = statistics.median(results[n]["makemigrations"])
        rows.append({"models": n, "sites": sites[n], "analyze_s": round(a, 3), "makemigrations_s": round(mk, 3),
                     "ms_per_model": round(1000 * a / n, 2), "runs": repeat})
    return {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
                       f"{platform.python_version()}", "rows": rows}


def markdown(res: dict) -> str:
    lines = [f"Machine: {res['machine']}. Median of {res['rows'][0]['runs']} interleaved runs, each a fresh process.",
             "", "| models | QuerySet sites | analyze (s) | ms per model | Django makemigrations --dry-run (s) |",
             "|---:|---:|---:|---:|---:|"]
    for r in res["rows"]:
        lines.append(f"| {r['models']} | {r['sites']} | {r['analyze_s']:.2f} | {r['ms_per_model']:.1f} | "
                     f"{r['makemigrations_s']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--update-docs", action="store_true")
    a = p.parse_args()
    res = run(a.sizes, a.repeat)
    out = HERE / "results" / "analyze_speed.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n")
    text = markdown(res)
    print(text)
    if a.update_docs:
        doc = REPO / "docs" / "performance.md"
        body = doc.read_text()
        start, end = body.index(BEGIN) + len(BEGIN), body.index(END)
        doc.write_text(body[:start] + "\n" + text + "\n" + body[end:])


if __name__ == "__main__":
    main()
