"""Rows on a date range's bounds that meet the read's other conditions (migrator/parity/range_rows.py): the
sample's `ProductsLaunchedInProductValues` (`is_active AND launch_date BETWEEN ?1 AND ?2`) had no active product
on January 1, so the lower bound made exclusive survived the mutation run. Fast table tests, and the row the
generator builds from such a spec (datagen_values.shared_value)."""

from __future__ import annotations

import datetime

from migrator.parity.datagen_values import BASE, shared_value
from migrator.parity.range_rows import range_rows

PG = ('SELECT "p"."id", "p"."launch_date" FROM "p" WHERE ("p"."is_active" AND "p"."launch_date" BETWEEN '
      'sqlc.arg(year_start) AND sqlc.arg(year_end)) ORDER BY 2 ASC')
LITE = ('SELECT "p"."id" FROM "p" WHERE ("p"."is_active" AND ("p"."launch_date" >= sqlc.arg(year_start) AND '
        '"p"."launch_date" <= sqlc.arg(year_end))) ORDER BY 1 ASC')
TABLES = {"p": "shop.Product", "u": "auth.User"}
COLUMNS = {("p", c): f"shop.Product.{c}" for c in ("id", "is_active", "is_featured", "launch_date", "status",
                                                     "views", "made_at")}
TYPES = {("p", "is_active"): "BooleanField", ("p", "is_featured"): "BooleanField", ("p", "launch_date"): "DateField",
         ("p", "views"): "IntegerField", ("p", "made_at"): "DateTimeField", ("p", "status"): "CharField"}


def _specs(*fields_and_rows):
    return [{"model": "shop.Product", "rows": 1, "first": row, "set": dict(fields)}
            for fields, row in fields_and_rows]


def test_a_row_meeting_the_other_conditions_sits_on_each_bound_of_the_range():
    both = _specs(({"is_active": True, "launch_date": "<shared>"}, 3), ({"is_active": True, "launch_date": "<shared>"}, 4))
    assert range_rows([PG], TABLES, COLUMNS, TYPES) == both
    assert range_rows([LITE, PG], TABLES, COLUMNS, TYPES) == both  # one spec per shape, SQLite's >= / <= form too
    # a literal condition and a datetime column; a NOT one is not a condition to meet
    sql = PG.replace('"p"."is_active"', '"p"."status" = \'a\' AND NOT "p"."is_featured"').replace("launch_date", "made_at")
    assert range_rows([sql], TABLES, COLUMNS, TYPES) == _specs(({"status": "a", "made_at": "<shared>"}, 3),
                                                               ({"status": "a", "made_at": "<shared>"}, 4))


def test_no_row_without_another_condition_or_for_a_range_that_is_not_of_dates():
    assert range_rows([PG.replace('"p"."is_active" AND ', "")], TABLES, COLUMNS, TYPES) == []
    assert range_rows([PG.replace("launch_date", "views")], TABLES, COLUMNS, TYPES) == []
    assert range_rows([PG.replace('"p"."is_active"', '"p"."id" = sqlc.arg(pk)')], TABLES, COLUMNS, TYPES) == []
    # a condition on a column the model map lacks: no row could meet it
    assert range_rows([PG.replace('"p"."is_active"', '"p"."gone" = 1')], TABLES, COLUMNS, TYPES) == []
    # a SELECT of a table not a model's, a bare column that is no boolean, and a write
    assert range_rows([PG.replace('FROM "p"', 'FROM "q"')], TABLES, COLUMNS, TYPES) == []
    assert range_rows([PG.replace('"p"."is_active" AND', '"p"."views" AND')], TABLES, COLUMNS, TYPES) == []
    assert range_rows(["DELETE" + PG[6:]], TABLES, COLUMNS, TYPES) == []


def test_the_rows_take_the_last_and_the_first_day_of_a_year():
    from django.db import models

    f = models.DateField()
    f.set_attributes_from_name("launch_date")
    f.model = type("M", (), {"_meta": type("Meta", (), {"concrete_fields": [f]})})
    assert shared_value(f, None, 0, 3) == datetime.date(BASE.year, 12, 31)
    assert shared_value(f, None, 0, 4) == datetime.date(BASE.year + 1, 1, 1)
