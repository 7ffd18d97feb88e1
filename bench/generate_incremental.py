"""`migrate generate` cold, again with nothing changed, and again after editing one view: each run a fresh process,
one private sqlc cache (cold: empty). The project (or, with --package, the installed package holding the views)
is copied to a scratch folder first, so the edit never touches the original.

    .venv/bin/python bench/generate_incremental.py sample_django_project \\
        --edit 'catalog/views.py|"sort_order", "name"|"name", "sort_order"'
    .venv/bin/python bench/generate_incremental.py bench/corpus/helpdesk --package helpdesk \\
        --edit 'views/staff.py|OLD|NEW'
    ... --baseline REV --rounds 3      # also the code of a git revision, interleaved round by round; medians

Prints per run the wall seconds of the process, the CPU seconds of it and of the processes it waited for, and the
medians of some phases (``GenerateResult.timings``: ``compile``
is the wait for Django's compile), and whether the tree after the edit is byte-identical to a cold generate of the
edited project (--verify). PYTHONDONTWRITEBYTECODE is dropped from the runs' environment: a user's install keeps its
bytecode.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
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
CHILD = ("import json, sys; from migrator.generate import generate; r = generate(sys.argv[1], sys.argv[2]); "
         "print(json.dumps(r.timings))")
RUNS = ("cold", "nothing changed", "one view edited")
PHASES = ("load", "compile", "sqlc", "write")  # medians of GenerateResult.timings, seconds


def run(project: Path, out: Path, env: dict) -> dict:
    """One generate in a fresh process, run from the code's own folder (``python -c`` puts the working directory
    first on sys.path: from another checkout it would import that one's migrator)."""
    clock, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    code = env["PYTHONPATH"].split(os.pathsep)[0]
    done = subprocess.run([sys.executable, "-c", CHILD, str(project), str(out)], env=env, capture_output=True, text=True,
                          timeout=1800, cwd=code)
    wall, after = time.perf_counter() - clock, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    # CPU of the process and of every process it waited for (Django's, sqlc, gofmt; not a detached recording)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"wall": round(wall, 2), "cpu": round(cpu, 2), **json.loads(done.stdout.strip().splitlines()[-1])}


def tree_bytes(out: Path) -> dict[str, bytes]:
    """The generated files (scaffolds, written once and then the user's, left out)."""
    sys.path.insert(0, str(REPO))
    from migrator.write import MANIFEST, PRODUCED, read_manifest

    return {rel: (out / rel).read_bytes() for rel in sorted(read_manifest(out)) + [MANIFEST, PRODUCED]}


def copy_project(args, scratch: Path) -> tuple[Path, Path, list[str]]:
    """(the project to generate, the folder the edit applies to, extra sys.path entries)."""
    project = Path(args.project).resolve()
    if args.package:
        origin = Path(importlib.util.find_spec(args.package).origin).parent
        edited_root = scratch / "pkg" / args.package
        shutil.copytree(origin, edited_root, ignore=shutil.ignore_patterns("__pycache__"))
        return project, edited_root, [str(scratch / "pkg")]
    edited_root = scratch / project.name
    shutil.copytree(project, edited_root, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3", "media"))
    return edited_root, edited_root, []


def wait_for_recording(cache: Path, bound: float = 300) -> None:
    """A run's compile cache records after the command has ended (load.compile_cache, session 10 on): the next run
    is measured once it has stored what it recorded, as a user's next generate a while later finds it."""
    sys.path.insert(0, str(REPO))
    from migrator.load.compile_cache import recording  # the baseline's code records nothing detached: no wait

    deadline = time.monotonic() + bound
    while time.monotonic() < deadline and recording(str(cache / "compile")):
        time.sleep(0.1)


def three_runs(code: Path, args, scratch: Path) -> tuple[dict, Path, dict, Path]:
    """Cold, nothing changed, one view edited, with the migrator at ``code``: (rows, out, env, project)."""
    scratch.mkdir(parents=True)
    # the compile cache on (opt-in before session 10, where "on" also made closing wait for its recording; since then
    # on by default and recorded after the command, in the background: wait_for_recording below)
    env = {**os.environ, "MIGRATOR_CACHE_DIR": str(scratch / "cache"), "MIGRATOR_COMPILE_CACHE": "on"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's install keeps its bytecode (this machine's shell sets it)
    project, edited_root, paths = copy_project(args, scratch)
    env["PYTHONPATH"] = os.pathsep.join([str(code)] + paths + [env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    out = scratch / "tree"
    rows = {"cold": run(project, out, env)}
    wait_for_recording(scratch / "cache")
    rows["nothing changed"] = run(project, out, env)
    wait_for_recording(scratch / "cache")
    rel, old, new = args.edit.split("|")
    target = edited_root / rel
    text = target.read_text()
    if old not in text:
        raise SystemExit(f"{rel}: {old!r} not found")
    target.write_text(text.replace(old, new, 1))
    rows["one view edited"] = run(project, out, env)
    return rows, out, env, project


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("project")
    ap.add_argument("--package", help="the installed package holding the views (copied, put first on the path)")
    ap.add_argument("--edit", required=True, help="FILE|OLD|NEW, FILE relative to the copied project or package")
    ap.add_argument("--verify", action="store_true", help="compare the edited tree with a cold generate of it")
    ap.add_argument("--baseline", default="", metavar="REV", help="also time this git revision, interleaved")
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="gen-incr-"))
    codes = {"this tree": REPO}
    if args.baseline:  # the revision's files, not a worktree: nothing to clean up in the repository
        codes = {args.baseline: scratch / "baseline", **codes}
        codes[args.baseline].mkdir()
        archive = subprocess.run(["git", "archive", args.baseline], cwd=REPO, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(codes[args.baseline])], input=archive, check=True)
    results: dict = {name: {r: [] for r in RUNS} for name in codes}
    last = None
    for n in range(args.rounds):
        for i, (name, code) in enumerate(codes.items()):
            rows, out, env, project = three_runs(code, args, scratch / f"round{n}-{i}")
            for r in RUNS:
                results[name][r].append(rows[r])
            last = (out, env, project) if code == REPO else last
    for name in codes:
        for r in RUNS:
            walls = [x["wall"] for x in results[name][r]]
            phases = "  ".join(f"{p} {statistics.median([x.get(p) or 0 for x in results[name][r]]):5.2f}"
                               for p in PHASES)
            cpu = statistics.median(x["cpu"] for x in results[name][r])
            print(f"{name:12} {r:16} total {statistics.median(walls):6.2f} s  CPU {cpu:6.2f} s   {phases}"
                  f"   (runs: {', '.join(f'{w:.2f}' for w in walls)}; best {min(walls):.2f})")
    if args.verify:
        out, env, project = last
        env["MIGRATOR_CACHE_DIR"] = str(scratch / "cache-cold")
        run(project, scratch / "cold", env)
        same = tree_bytes(out) == tree_bytes(scratch / "cold")
        print("edited tree == cold tree of the edited project:", same)
        if not same:
            return 1
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
