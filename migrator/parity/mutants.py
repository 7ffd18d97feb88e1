"""Seed mutants of the sample's generated tree: hand-written, kept next to the systematic ones that
`migrate parity --mutants N` derives (mutation.py), and run with them (`--mutants` includes every seed
whose text is in the tree).

Each mutant is one small textual change to one file of a generated tree (`original` must occur exactly
once in that file) and names the parity check that must catch it. None is ever replaced because it
survives: a survivor says what the data or the comparison misses (the five at the end survived once, and
now die because the data and the comparison got stronger).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SQLITE = "sqlc/sqlitedb/sqlite.sql.go"
POSTGRESQL = "sqlc/pgdb/postgresql.sql.go"


@dataclass(frozen=True)
class Mutant:
    name: str
    kind: str  # operator, dropped-condition, wrong-column, limit, null, timezone, json-key, on-delete
    path: str  # relative to the generated tree
    original: str
    mutated: str
    check: str  # the parity check (`--only`) that must fail
    dialect: str = ""  # "sqlite": changes code only a SQLite run executes (not run on PostgreSQL)

    def apply(self, tree: Path) -> None:
        """Apply the mutation to the copy `tree`; `original` must match exactly once."""
        f = tree / self.path
        text = f.read_text()
        n = text.count(self.original)
        assert n == 1, f"mutant {self.name}: {self.original!r} occurs {n} times in {self.path}"
        f.write_text(text.replace(self.original, self.mutated))


MUTANTS: list[Mutant] = [
    # operator flips
    Mutant("price-lt-to-gt", "operator", SQLITE,
           '"catalog_product"."price" < \'10\'', '"catalog_product"."price" > \'10\'', "queries"),
    Mutant("price-range-ge-to-lt", "operator", SQLITE,
           '"catalog_product"."price" >= \'10.00\'', '"catalog_product"."price" < \'10.00\'', "queries"),
    Mutant("loyalty-gt-to-lt", "operator", SQLITE,
           '"accounts_profile"."loyalty_points" > 0', '"accounts_profile"."loyalty_points" < 0', "queries"),
    Mutant("order-status-eq-to-ne", "operator", SQLITE,
           '"orders_order"."id" = ?1 AND "orders_order"."status" = \'pending\'',
           '"orders_order"."id" = ?1 AND "orders_order"."status" <> \'pending\'', "queries"),
    Mutant("stock-minus-to-plus", "operator", SQLITE,
           'SET "stock" = ("catalog_product"."stock" - ?1)', 'SET "stock" = ("catalog_product"."stock" + ?1)',
           "queries"),
    Mutant("placed-range-le-to-lt", "operator", SQLITE,
           'WHERE ("orders_order"."placed_at" >= ?1 AND "orders_order"."placed_at" <= ?2)',
           'WHERE ("orders_order"."placed_at" >= ?1 AND "orders_order"."placed_at" < ?1)', "queries"),
    # dropped WHERE conditions
    Mutant("drop-purge-inactive-product", "dropped-condition", SQLITE,
           'WHERE (NOT U0."deleted_at" IS NULL AND NOT U1."is_active"))',
           'WHERE (NOT U0."deleted_at" IS NULL))', "queries"),
    Mutant("drop-review-count-product", "dropped-condition", SQLITE,
           'COUNT(*) AS "__count" FROM "catalog_review" WHERE ("catalog_review"."deleted_at" IS NULL AND "catalog_review"."product_id" = ?1)',
           'COUNT(*) AS "__count" FROM "catalog_review" WHERE ("catalog_review"."deleted_at" IS NULL AND ?1 = ?1)',
           "queries"),
    Mutant("drop-coupon-id-in-update", "dropped-condition", SQLITE,
           'SET "times_used" = ("orders_coupon"."times_used" + 1) WHERE "orders_coupon"."id" = ?1',
           'SET "times_used" = ("orders_coupon"."times_used" + 1) WHERE ?1 = ?1', "queries"),
    # wrong column
    Mutant("select-email-is-username", "wrong-column", SQLITE,
           '"auth_user"."email" AS "email", (CAST', '"auth_user"."username" AS "email", (CAST', "queries"),
    Mutant("select-views-is-stock", "wrong-column", SQLITE,
           '"catalog_product"."views" AS "views" FROM', '"catalog_product"."stock" AS "views" FROM', "queries"),
    Mutant("select-related-name-slug-swapped", "wrong-column", SQLITE,  # a column select_related joined in
           '"catalog_digitalproduct"."max_downloads", "catalog_category"."id", "catalog_category"."created_at", '
           '"catalog_category"."updated_at", "catalog_category"."name", "catalog_category"."slug"',
           '"catalog_digitalproduct"."max_downloads", "catalog_category"."id", "catalog_category"."created_at", '
           '"catalog_category"."updated_at", "catalog_category"."slug", "catalog_category"."name"', "queries"),
    Mutant("gorm-column-name-is-slug", "wrong-column", "gorm/models/catalog.go",
           '`gorm:"column:name;type:varchar(200);size:200;not null" json:"name"`',
           '`gorm:"column:slug;type:varchar(200);size:200;not null" json:"name"`', "models"),
    Mutant("gorm-column-bio-is-website", "wrong-column", "gorm/models/accounts.go",
           '`gorm:"column:bio;type:text;not null" json:"bio"`',
           '`gorm:"column:website;type:text;not null" json:"bio"`', "models"),
    # off-by-one LIMIT / OFFSET
    Mutant("leaderboard-limit-10-to-11", "limit", SQLITE,
           '"accounts_profile"."user_id" ASC LIMIT 10', '"accounts_profile"."user_id" ASC LIMIT 11', "queries"),
    Mutant("review-stats-limit-5-to-4", "limit", SQLITE,
           'ORDER BY 3 DESC, 1 ASC LIMIT 5', 'ORDER BY 3 DESC, 1 ASC LIMIT 4', "queries"),
    Mutant("first-limit-1-to-0", "limit", SQLITE,
           'ORDER BY "orders_order"."placed_at" ASC LIMIT 1', 'ORDER BY "orders_order"."placed_at" ASC LIMIT 0',
           "queries"),
    Mutant("units-sold-limit-10-to-9", "limit", SQLITE,
           'GROUP BY 1, 2 ORDER BY 3 DESC, 1 ASC LIMIT 10', 'GROUP BY 1, 2 ORDER BY 3 DESC, 1 ASC LIMIT 9',
           "queries"),
    # NULL handling
    Mutant("not-null-to-null", "null", SQLITE,
           'WHERE NOT "orders_order"."placed_at" IS NULL GROUP BY 1',
           'WHERE "orders_order"."placed_at" IS NULL GROUP BY 1', "queries"),
    Mutant("drop-narg-is-null-or", "null", SQLITE,
           '("catalog_digitalproduct"."license_duration" <= ?1 OR ?1 IS NULL)',
           '("catalog_digitalproduct"."license_duration" <= ?1)', "queries"),
    Mutant("review-count-deleted-is-not-null", "null", SQLITE,
           'FROM "catalog_review" WHERE ("catalog_review"."deleted_at" IS NULL AND "catalog_review"."user_id" = ?1)',
           'FROM "catalog_review" WHERE ("catalog_review"."deleted_at" IS NOT NULL AND "catalog_review"."user_id" = ?1)',
           "queries"),
    # time zone shifts
    Mutant("sqlite-datetime-param-plus-1h", "timezone", "djtypes/datetimevalue.go",
           'u := t.UTC()\n\ts := u.Format("2006-01-02 15:04:05")',
           'u := t.UTC().Add(time.Hour)\n\ts := u.Format("2006-01-02 15:04:05")', "queries", "sqlite"),
    Mutant("gormcheck-datetime-plus-1h", "timezone", "gorm/cmd/gormcheck/main.go",
           'return x.UTC().Format("2006-01-02T15:04:05.000000Z")',
           'return x.UTC().Add(time.Hour).Format("2006-01-02T15:04:05.000000Z")', "models"),
    # wrong JSON keys
    Mutant("gorm-json-price-key", "json-key", "gorm/models/catalog.go",
           'json:"price"`', 'json:"prize"`', "models"),
    Mutant("gorm-json-coupon-description-key", "json-key", "gorm/models/orders.go",
           'json:"description"`', 'json:"descr"`', "models"),
    Mutant("sqlccheck-none-is-null-value", "json-key", "sqlc/cmd/sqlccheck/main.go",
           'return map[string]any{"none": true}', 'return map[string]any{"value": nil}', "queries"),
    Mutant("gorm-column-times-used-is-max-uses", "wrong-column", "gorm/models/orders.go",
           '`gorm:"column:times_used;type:integer;not null" json:"times_used"`',
           '`gorm:"column:max_uses;type:integer;not null" json:"times_used"`', "models"),
    # once called "equivalent on the fixture" and swapped out; restored: they die since parity requests
    # every slug and user (inactive ones too), LIMIT/OFFSET around the row count, and deletes a parent
    Mutant("drop-status-in-my-orders", "dropped-condition", SQLITE,
           '("orders_order"."user_id" = ?1 AND "orders_order"."status" IN (\'pending\', \'paid\'))',
           '("orders_order"."user_id" = ?1)', "queries"),
    Mutant("drop-is-active-product-by-slug", "dropped-condition", SQLITE,
           'WHERE ("catalog_product"."is_active" AND "catalog_product"."slug" = ?1) LIMIT 21',
           'WHERE ("catalog_product"."slug" = ?1) LIMIT 21', "queries"),
    Mutant("featured-limit-minus-1", "limit", SQLITE,
           'ORDER BY 4 DESC, 2 ASC LIMIT ?1\n', 'ORDER BY 4 DESC, 2 ASC LIMIT ?1 - 1\n', "queries"),
    Mutant("list-orders-offset-plus-1", "limit", POSTGRESQL,
           'LIMIT $9 OFFSET $8\n', 'LIMIT $9 OFFSET $8 + 1\n', "queries"),
    Mutant("category-parent-set-null-dropped", "on-delete", "gorm/models/delete.go",
           'if err := tx.Exec("UPDATE catalog_category SET parent_id = NULL WHERE parent_id IN ?", ids).Error; '
           'err != nil {', 'if err := tx.Exec("UPDATE catalog_category SET parent_id = parent_id WHERE parent_id IN ?", ids).Error; '
           'err != nil {',
           "models"),
]
