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
