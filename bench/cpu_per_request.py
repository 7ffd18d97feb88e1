"""Server CPU per request of the generated Go service, side by side with builds of it from before a change.

    .venv/bin/python bench/cpu_per_request.py sample_django_project --database postgresql://postgres@127.0.0.1:5432/bench \\
        -n 5 --compare before=/tmp/server-before --pprof /tmp/profiles

The same set-up as `migrate bench` (a scratch database Django migrated and loaded, the server built with
`-tags nosqlite,nogorm -trimpath -ldflags='-s -w'`, the bench's endpoints: the reads and the write), then N
rounds, the order reversed every other round: Django, Go, each `--compare` build, the floor (one
connection, one statement). Per stack and endpoint one saturation run; the server's CPU seconds over the
requests served; medians. The load moves on a shared machine: judge a change by the ratio measured in
the same rounds (migrator/bench/sidebyside.py). `--pprof DIR` adds a build with net/http/pprof on a side
listener and saves its CPU and allocation profiles per endpoint (`go tool pprof -top DIR/<endpoint>.cpu.pb.gz`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from migrator.bench.runner import Options, run  # noqa: E402
from migrator.parity.runner import CannotRun  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project")
    ap.add_argument("--database", required=True, help="postgresql:// URL (a scratch database is created there)")
    ap.add_argument("-n", "--rounds", type=int, default=3)
    ap.add_argument("-d", "--duration", type=float, default=5.0, help="seconds per saturation run")
    ap.add_argument("--generated", type=Path, help="the Go tree to use (kept), as migrate bench --generated")
    ap.add_argument("--compare", action="append", default=[], metavar="NAME=BINARY",
                    help="another build of the Go server (e.g. before a change) loaded in the same rounds")
    ap.add_argument("--pprof", type=Path, metavar="DIR", help="profile a build of the server under the load here")
    ap.add_argument("--json", type=Path, help="write the runs and medians here")
    args = ap.parse_args()
    compare = tuple((name, Path(binary)) for name, _, binary in (c.partition("=") for c in args.compare))
    try:
        result = run(Options(root=Path(args.project), database=args.database, generated=args.generated,
                             duration=args.duration, cpu_only=args.rounds, compare=compare,
                             profile_dir=args.pprof.resolve() if args.pprof else None),
                     progress=lambda m: print(f"... {m}", file=sys.stderr))
    except CannotRun as exc:
        print(exc, file=sys.stderr)
        return 2
    m = result["machine"]
    print(f"{args.rounds} rounds of {args.duration} s; {m.get('cores')} cores, load average {m.get('load_average')}")
    for label, by in result["medians_ms"].items():
        print(f"{label}: server CPU per request (ms), medians")
        for stack, ms in by.items():
            vs = f"   Django / this: {by['django'] / ms:6.2f}x" if "django" in by and stack != "django" else ""
            print(f"  {stack:10s} {ms:8.4f}{vs}")
    print("PSS after the loads (MiB), medians: total (anonymous + file-backed)")
    for stack, p in result["pss_after_load_mib"].items():
        print(f"  {stack:10s} {p['pss']:7.2f} ({p['anon']:.2f} + {p['file']:.2f})")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
