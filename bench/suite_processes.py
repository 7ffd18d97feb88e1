"""Where the test suite's time goes, per test file and per kind of work (docs/performance.md, "The test suite's
wall time").

Run the tests with ``bench/suite_processes`` first on PYTHONPATH and ``MIGRATOR_PROC_LOG`` set: every Python
process of the run (pytest, its xdist workers, each ``migrate`` it starts, their Django processes) then logs each
child it reaps (argv, start, end, the test running) as one JSON line (``bench/suite_processes/sitecustomize.py``).
Then summarise that log with pytest's ``--durations=0`` output::

    MIGRATOR_PROC_LOG=/tmp/procs.jsonl PYTHONPATH=bench/suite_processes:. \\
        .venv/bin/python -m pytest -q -m slow --durations=0 tests/test_parity_cmd.py > /tmp/durations.txt
    .venv/bin/python bench/suite_processes.py /tmp/durations.txt /tmp/procs.jsonl

A process started by another counts in its parent's time too (a ``go build`` inside ``migrate parity``): the kinds
overlap, read each as "how long this kind of step took in total", not as shares of a sum.
"""

from __future__ import annotations

import collections
import json
import re
import sys


def durations(path: str) -> tuple[collections.Counter, collections.Counter]:
    """(test, phase) -> s and test file -> s, from pytest's --durations=0 lines."""
    per_test, per_file = collections.Counter(), collections.Counter()
    for line in open(path, errors="replace"):
        m = re.match(r"\s*([\d.]+)s (setup|call|teardown)\s+(\S+)", line)
        if m:
            node = m[3].split("@")[0]  # xdist's loadgroup appends @group
            per_test[(node, m[2])] += float(m[1])
            per_file[node.split("::")[0]] += float(m[1])
    return per_test, per_file


def kind(argv: list[str]) -> str:
    """The kind of work a process did, from its argv."""
    text = " ".join(argv)
    name = argv[0].rsplit("/", 1)[-1] if argv else ""
    if name == "runuser":  # tests/pg.py runs PostgreSQL's binaries as the postgres user
        return kind(argv[argv.index("--") + 1:] if "--" in argv else argv[1:])
    if name == "go" and len(argv) > 1:
        return "go " + argv[1]
    if name in ("initdb", "pg_ctl", "createdb"):
        return "postgresql: " + name
    if "mariadb" in name:
        return "mariadb: " + name
    if name == "sqlc":
        return "sqlc " + (argv[1] if len(argv) > 1 else "")
    if "migrator.load.worker" in text:
        return "django: the loader's process"
    if "migrator.parity.django_side" in text:
        return "django: parity's Django side"
    if "runserver" in text or "gunicorn" in text:
        return "django: a server"
    if "-m migrator" in text and "migrator" in argv[:-1]:
        return "migrate " + argv[argv.index("migrator") + 1]
    return name[:40]


def processes(path: str) -> tuple[collections.Counter, collections.Counter]:
    """kind -> total wall s, kind -> count."""
    wall, count = collections.Counter(), collections.Counter()
    for line in open(path):
        rec = json.loads(line)
        k = kind(rec["argv"])
        wall[k] += rec["t1"] - rec["t0"]
        count[k] += 1
    return wall, count


def main(argv: list[str]) -> int:
    per_test, per_file = durations(argv[0])
    print(f"tests: {sum(per_file.values()):.1f} s in {len(per_file)} files")
    for name, s in per_file.most_common():
        print(f"{s:8.1f}  {name}")
    print("\nslowest setup/call/teardown")
    for (node, phase), s in per_test.most_common(15):
        print(f"{s:8.1f}  {phase:8s} {node}")
    if len(argv) > 1:
        wall, count = processes(argv[1])
        print("\nper kind of work: total wall s, processes")
        for k, s in wall.most_common(30):
            print(f"{s:8.1f}  {count[k]:5d}  {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
