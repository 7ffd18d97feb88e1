"""Parity's data never asks for a value its column's integer type cannot hold (parity.ranges, a declared rule).

celery_beat (PostgreSQL): IntervalSchedule.every filled to 2147483647 gave the boundary value 2147483648; Django
compared it and found nothing, the Go query could not receive it in its int32 parameter, and the case failed
as a difference of the translation. wiki: ArticleForObject.object_id, the same.
"""

from __future__ import annotations

import pytest

from migrator.parity.ranges import within_columns
from migrator.parity.values import param_sets
from migrator.translate.sqlc_model import Param, Query


def query(*fields: str) -> Query:
    return Query(name="Q", site="s", function="f", model="beat.Interval", dialect="postgresql", command="many",
                 sql="SELECT 1", params=[Param(name=f"p{i}", source="s", kind="int", field=f, sentinel=f"s{i}")
                                         for i, f in enumerate(fields)])


TYPES = {"beat.Interval.every": "IntegerField", "beat.Interval.object_id": "PositiveIntegerField",
         "beat.Interval.rank": "SmallIntegerField", "beat.Interval.big": "BigIntegerField",
         "beat.Interval.id": "BigAutoField", "beat.Interval.name": "CharField"}


def test_the_step_past_an_integer_columns_limit_is_not_a_case():
    dump = {"beat.Interval": [{"every": 2147483647, "id": 1}, {"every": 1, "id": 2}]}
    values = [s["s0"] for s in param_sets(query("beat.Interval.every"), dump, TYPES)]
    assert 2147483647 in values and 2147483646 in values  # the limit itself, and below it, are still tried
    assert 2147483648 not in values
    assert 0 in values  # the step below the smallest value (1 - 1)
    # without the field's type the rule does not apply (the old behaviour: the step is tried)
    assert 2147483648 in [s["s0"] for s in param_sets(query("beat.Interval.every"), dump, {})]


@pytest.mark.parametrize("field,value,kept", [
    ("beat.Interval.every", 2147483648, False),
    ("beat.Interval.every", -2147483649, False),
    ("beat.Interval.every", -2147483648, True),
    ("beat.Interval.object_id", 2147483648, False),
    ("beat.Interval.object_id", -1, True),  # signed storage: Go holds it, both sides find nothing
    ("beat.Interval.rank", 32768, False),
    ("beat.Interval.rank", 32767, True),
    ("beat.Interval.big", 2147483648, True),
    ("beat.Interval.id", 2 ** 63, False),
    ("beat.Interval.every", None, True),  # an absent optional filter
    ("beat.Interval.every", [1, 2147483648], False),  # an __in list: every item must fit
])
def test_within_columns(field, value, kept):
    sets = [{"s0": value}]
    assert within_columns(sets, query(field), TYPES) == (sets if kept else [])


def test_other_parameters_are_not_limited():
    q = query("beat.Interval.name")
    q.params[0].kind = "str"
    assert within_columns([{"s0": 2 ** 40}], q, TYPES) == [{"s0": 2 ** 40}]
    assert within_columns([{"s0": 2 ** 40}], query(""), TYPES) == [{"s0": 2 ** 40}]


def test_a_time_zone_parameter_that_matches_nothing_is_a_valid_zone():
    """celery_beat: "no such value ✓ 100%_x" for a TimeZoneField made Django raise ValidationError before any
    query, while the Go query found no row; the value matching nothing is now a valid zone no row holds."""
    from migrator.parity.ranges import field_type
    from migrator.parity.values import NO_MATCH

    tz = field_type("CharField", "timezone_field.fields.TimeZoneField")
    assert tz == "TimeZoneField" and field_type("CharField", "django.db.models.CharField") == "CharField"
    q = query("beat.Crontab.timezone")
    q.params[0].kind = "str"
    dump = {"beat.Crontab": [{"timezone": "UTC", "id": 1}]}
    sets = param_sets(q, dump, {"beat.Crontab.timezone": tz})
    assert [s["s0"] for s in sets[:2]] == ["UTC", "Antarctica/Troll"]
    dump = {"beat.Crontab": [{"timezone": "Antarctica/Troll", "id": 1}]}
    assert param_sets(q, dump, {"beat.Crontab.timezone": tz})[1]["s0"] == "Pacific/Chatham"
    # any other text field keeps the text no row holds
    assert param_sets(q, dump, {"beat.Crontab.timezone": "CharField"})[1]["s0"] == NO_MATCH["str"]
