"""Where the generated Go service's cold start goes, against Django and the floor, in rounds (no load).

    .venv/bin/python bench/coldstart.py sample_django_project --database postgresql://postgres@127.0.0.1:5432/bench -n 15

The same set-up as `migrate bench` (a scratch database Django migrated and loaded, the server built with
`-tags nosqlite,nogorm -trimpath -ldflags='-s -w'`, the floor of `migrator/bench/floor/main.go` built on
the tree's go.mod), then N rounds, the order alternating: Django (gunicorn), Go, the floor with one
connection and one statement, the floor without a database, and one more Go start with LOG_LEVEL=debug
and GODEBUG=inittrace=1 whose start-up log splits the time (migrator/bench/coldstart.py). Medians, in
milliseconds from just before the process is spawned to the first database-backed 200.

`--compare before=/tmp/server-before` starts another build of the Go server in the same rounds (the same
environment, its own start-up split): a change's effect measured side by side, on a machine whose load moves.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from migrator.bench.coldstart import PHASES, steps  # noqa: E402
from migrator.bench.runner import Options, run  # noqa: E402
from migrator.parity.runner import CannotRun  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project")
    ap.add_argument("--database", required=True, help="postgresql:// URL (a scratch database is created there)")
    ap.add_argument("-n", "--rounds", type=int, default=11)
    ap.add_argument("--generated", type=Path, help="the Go tree to use (kept), as migrate bench --generated")
    ap.add_argument("--json", type=Path, help="write the rounds and medians here")
    ap.add_argument("--compare", action="append", default=[], metavar="NAME=BINARY",
                    help="another build of the Go server (e.g. before a change) started in the same rounds, as Go is")
    args = ap.parse_args()
    compare = tuple((name, Path(binary)) for name, _, binary in (c.partition("=") for c in args.compare))
    try:
        result = run(Options(root=Path(args.project), database=args.database, generated=args.generated,
                             cold_start_only=args.rounds, compare=compare), progress=lambda m: print(f"... {m}", file=sys.stderr))
    except CannotRun as exc:
        print(exc, file=sys.stderr)
        return 2
    runs = result["runs"]
    names = ["django", "go", *(name for name, _ in compare), "floor", "floor_nodb"]
    med = {name: statistics.median(r["cold_start_s"] * 1000 for r in runs if r["stack"] == name) for name in names}
    result["medians_ms"], result["steps_ms"] = med, {}
    m = result["machine"]
    print(f"{args.rounds} rounds; {m.get('cores')} cores, load average {m.get('load_average')}; probe {result['probe']}")
    for name, ms in med.items():
        print(f"  {name:11s} {ms:8.2f} ms   Django / this: {med['django'] / ms:6.1f}x   this / floor: {ms / med['floor']:5.2f}")
    print(f"  binaries: {result['binary_bytes']}")
    for name in names[1:-2]:
        key = "go_phases" if name == "go" else f"{name}_phases"
        phases = [r["phases_ms"] for r in runs if r["stack"] == key and r["phases_ms"]]
        split = {k: statistics.median(p[k] for p in phases) for k in PHASES if phases and all(k in p for p in phases)}
        result["steps_ms"][name] = steps(split) if "main" in split else []
        print(f"{name}'s start-up, step by step (ms):")
        for step, ms in result["steps_ms"][name]:
            print(f"  {ms:7.2f}  {step}")
    result["go_steps_ms"] = result["steps_ms"]["go"]
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
