"""Equivalence proofs added in session 8 (issue 18), fast tier: a proof admits the equivalent mutant and
rejects the near case data can tell apart (migrator.equivalence)."""

from __future__ import annotations

import pytest

from migrator.parity.mutate_sql import mutants

PKS = frozenset({("catalog_review", "id"), ("catalog_product", "id")})
STATS = ('SELECT "catalog_review"."product_id", COUNT("catalog_review"."id") AS "n" FROM "catalog_review" '
         'INNER JOIN "catalog_product" ON ("catalog_review"."product_id" = "catalog_product"."id") '
         'WHERE "catalog_review"."deleted_at" IS NULL GROUP BY 1 HAVING COUNT("catalog_review"."id") >= 1 '
         'ORDER BY 2 DESC LIMIT 5')


def _bounds(sql):
    return {m.what.split(" at ")[0]: m.equivalent for m in mutants(sql, "many", {}, frozenset(), PKS)
            if m.kind == "bound"}


def test_a_group_always_counts_its_own_primary_key():
    found = _bounds(STATS)
    assert "every group holds at least one row" in found["bound 1 -> 0"]
    assert found["bound 1 -> 2"] == ""  # a group of one review tells `>= 2` apart


@pytest.mark.parametrize("sql", [
    # a LEFT OUTER JOIN's key is NULL on a group without reviews: COUNT is 0 there
    STATS.replace("INNER JOIN", "LEFT OUTER JOIN").replace('COUNT("catalog_review"."id") >=',
                                                           'COUNT("catalog_product"."id") >='),
    STATS.replace('COUNT("catalog_review"."id") >=', 'COUNT("catalog_review"."rating") >='),  # not a key: NULLs
    STATS.replace(" GROUP BY 1 HAVING", " AND (SELECT 1) = 1 GROUP BY 1 HAVING").replace(
        "GROUP BY 1 HAVING COUNT", "GROUP BY 1 HAVING SUM(1) > 0 AND COUNT").replace(">= 1", ">= 2"),
])
def test_the_proof_rejects_a_count_that_can_tell(sql):
    assert all(not why for why in _bounds(sql).values())


def test_an_or_holding_one_equals_one_is_true_with_or_without_its_other_alternatives():
    """SQLite survivor (sessions 9-10): `ListOrdersOrderValues` with `CAST(?1 AS INTEGER) IS NULL` dropped from
    `(CAST(?1 AS INTEGER) IS NULL OR CAST(?2 AS INTEGER) IS NULL OR 1 = 1)`: the OR is true for any data."""
    sql = ('SELECT "o"."id" FROM "o" WHERE (CAST(sqlc.arg(size) AS INTEGER) IS NULL OR CAST(sqlc.arg(off) AS '
           'INTEGER) IS NULL OR 1 = 1) AND ("o"."user_id" = sqlc.narg(u) OR sqlc.narg(u) IS NULL) '
           'ORDER BY 1 LIMIT sqlc.arg(size) OFFSET sqlc.arg(off)')
    found = {m.what: m.equivalent for m in mutants(sql, "many", {}, frozenset(), PKS) if m.kind == "dropped-condition"}
    for what in ("alternative dropped: `CAST(sqlc.arg(size) AS INTEGER) IS NULL`",
                 "alternative dropped: `CAST(sqlc.arg(off) AS INTEGER) IS NULL`"):
        assert "any data" in found[what], found
    assert next(v for k, v in found.items() if k.startswith("condition dropped: `(CAST")), found  # the whole OR
    # `1 = 1` itself, the other OR, and the other conjunct are not equivalent
    assert found["alternative dropped: `1 = 1`"] == ""
    assert found['alternative dropped: `"o"."user_id" = sqlc.narg(u)`'] == ""
    assert next(v for k, v in found.items() if k.startswith('condition dropped: `("o"')) == ""
    # an AND beside the `1 = 1` at the same level: not a plain OR of alternatives
    mixed = sql.replace("IS NULL OR 1 = 1", "IS NULL AND 1 = 1")
    assert all(not v for k, v in ((m.what, m.equivalent) for m in mutants(mixed, "many", {}, frozenset(), PKS)
                                  if m.kind == "dropped-condition") if "CAST(sqlc.arg(size)" in k)
