"""Parity on MariaDB has the same checks and case counts as on PostgreSQL (docs/mysql.md): two JUnit reports of
`migrate parity` compared case by case, the differences of behaviour between the backends declared below.

``python tests/parity_counts.py PG.xml MYSQL.xml`` prints the per-check counts side by side and exits 1 on any
difference not in ``DECLARED`` (and on a declared one that is gone); .ci/run runs it on its two sample reports.
A case is keyed by its check and name; a `queries` case by its query (its name up to the parameter set), so
the comparison is per query: how many parameter sets, and their statuses.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections import Counter

# (check, case key) -> (status on PostgreSQL, status on MariaDB): the backends behave differently there.
DECLARED = {
    # Review's created_at is written by the models check's update of a review (auto_now_add is not in an
    # update): PostgreSQL keeps the value both Django runs read back; MariaDB ... (see docs/mysql.md)
}


def statuses(junit: str) -> Counter:
    """(check, case key, status) -> how many cases, from a parity JUnit report."""
    out: Counter = Counter()
    for case in ET.parse(junit).getroot().iter("testcase"):
        check = case.get("classname", "").rsplit(".", 1)[-1]
        name = case.get("name", "")
        key = name.split(" ", 1)[0] if check == "queries" else name
        out[(check, key, _status(case))] += 1
    return out


def _status(case: ET.Element) -> str:
    if case.find("failure") is not None or case.find("error") is not None:
        return "failed"
    if case.find("skipped") is not None:
        return "skipped"
    text = (case.findtext("system-out") or "").split(":", 1)[0]
    return text if text in ("noise", "note") else "passed"


def per_check(counts: Counter) -> dict:
    """check -> status -> how many cases."""
    out: dict = {}
    for (check, _key, status), n in counts.items():
        out.setdefault(check, Counter())[status] += n
    return {c: dict(sorted(s.items())) for c, s in sorted(out.items())}


def differences(pg: Counter, my: Counter, declared: dict = DECLARED) -> list[str]:
    """Every (check, key) whose statuses differ between the two reports and is not declared, and every
    declared difference that did not show (a declaration must stay true)."""
    keys = {(c, k) for c, k, _s in pg} | {(c, k) for c, k, _s in my}
    out = []
    for check, key in sorted(keys):
        a = {s: n for (c, k, s), n in pg.items() if (c, k) == (check, key)}
        b = {s: n for (c, k, s), n in my.items() if (c, k) == (check, key)}
        expected = declared.get((check, key))
        if expected is not None:
            want_a, want_b = ({expected[0]: 1} if expected[0] else {}), ({expected[1]: 1} if expected[1] else {})
            if (a, b) != (want_a, want_b):
                out.append(f"{check} {key}: declared PostgreSQL {want_a} / MariaDB {want_b}, got {a} / {b}")
        elif a != b:
            out.append(f"{check} {key}: PostgreSQL {a}, MariaDB {b}")
    return out


def main(argv: list[str]) -> int:
    pg, my = statuses(argv[0]), statuses(argv[1])
    for check, s in per_check(pg).items():
        print(f"{check:<8} PostgreSQL {s}  MariaDB {per_check(my).get(check, {})}")
    diff = differences(pg, my)
    for line in diff:
        print("DIFFERENT", line)
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
