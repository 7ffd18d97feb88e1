"""Parity on MariaDB has the same checks and case counts as on PostgreSQL (docs/mysql.md): two JUnit reports of
`migrate parity` compared case by case, the differences of behaviour between the backends declared below.

``python tests/parity_counts.py PG.xml MYSQL.xml`` prints the per-check counts side by side and exits 1 on any
difference not in ``DECLARED`` (and on a declared one that is gone); .ci/run runs it on its two sample reports.
A case is keyed by its check and name; a `queries` case by its query (its name up to the parameter set), so
the comparison is per query: how many parameter sets, and their statuses.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter

# (check, case key) -> how many more passed cases MariaDB has: the backends compile the query differently.
# Django's `iexact` is `LIKE %s` on MySQL (the value escaped, the column's collation ignoring case) and
# `UPPER(col) = UPPER(%s)` on PostgreSQL: on MySQL the parameter is a LIKE pattern, so parity adds the two
# parameter sets that test a pattern (`""` and a prefix several rows share: parity/boundary.py) per such
# parameter and per set of the others (docs/mysql.md).
DECLARED = {
    ("queries", "ListOrdersOrderCount"): 4,  # email__iexact, beside the other optional filters
    ("queries", "ListOrdersOrderValues"): 4,
    ("queries", "OrdersByCustomerEmailOrderLineValues"): 2,  # email__iexact
    ("queries", "UserCollectionUserExists"): 2,  # username__iexact
}
# Cases that run on PostgreSQL only, because the tree generated with --dialect mysql reports them instead of
# translating them (its http/MIGRATION.md or sqlc/UNTRANSLATED.md gives the reason): (check, key pattern) -> why.
# A case of theirs on MariaDB means the query or view moved there too (remove it here); a pattern no PostgreSQL
# case matches any more is reported too.
MYSQL_ABSENT = {
    # ProductReviewsReviewOrderBy: sqlc types min_rating sql.NullInt16 on MySQL (the column's smallint), and
    # Python's int has values no int16 holds (Django compares them, MySQL answers no row): the view stays a stub
    ("http", r"^\w+ /api/catalog/products/[^/]+/reviews/"): "catalog.views.ProductReviewsView, a stub",
    # NewsletterOrdersOrderLineOrderBy: sqlc's MySQL engine makes a Params struct of sql.NullTime for `since`
    ("http", r"^\w+ /api/orders/reports/newsletter/"): "orders.views.newsletter_report, a stub",
    # ListOrdersOrderCount / ListOrdersOrderValues: `year_start` (a DateTimeField's __year bound) has no Go type both
    # packages share, and sqlc's MySQL engine types the optional `min_total` NOT NULL: OrderCollectionView's GET
    # stays a stub there (the list itself, not /api/orders/<id>/...)
    ("http", r"^\w+ /api/orders/(\?\S*)?( as \w+)?$"): "orders.views.OrderCollectionView (GET), a stub",
}
# noise (a value that differs between parity's two Django runs: a clock) is not compared by parity, and
# whether a timestamp differs between two runs is timing: it is printed, not compared here.
NOT_COMPARED = ("noise",)


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


def reported_on_mysql(check: str, key: str, absent: dict = MYSQL_ABSENT) -> bool:
    """Whether the case (check, key) is one the MySQL tree reports instead of translating (MYSQL_ABSENT)."""
    return any(c == check and re.match(r, key) for c, r in absent)


def differences(pg: Counter, my: Counter, declared: dict = DECLARED, absent: dict = MYSQL_ABSENT) -> list[str]:
    """Every (check, key) whose statuses differ between the two reports beyond what is declared, and every
    declared difference that did not show exactly (a declaration must stay true)."""
    keys = {(c, k) for c, k, _s in pg} | {(c, k) for c, k, _s in my} | set(declared)
    out = []
    for check, key in sorted(keys):
        a = {s: n for (c, k, s), n in pg.items() if (c, k) == (check, key) and s not in NOT_COMPARED}
        b = {s: n for (c, k, s), n in my.items() if (c, k) == (check, key) and s not in NOT_COMPARED}
        if reported_on_mysql(check, key, absent):
            if b or not a:
                out.append(f"{check} {key}: PostgreSQL {a}, MariaDB {b} (declared: reported in the MySQL tree)")
            continue
        extra = declared.get((check, key), 0)
        want = dict(a, passed=a.get("passed", 0) + extra) if extra else a
        if b != want:
            note = f" (declared: {extra} more passed on MariaDB)" if extra else ""
            out.append(f"{check} {key}: PostgreSQL {a}, MariaDB {b}{note}")
    out += [f"{c} {r}: no case on PostgreSQL (declared: {why} in the MySQL tree)" for (c, r), why in absent.items()
            if not any(c_ == c and re.match(r, k) for c_, k, _s in pg)]
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
