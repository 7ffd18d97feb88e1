"""The one tagged-value encoding (migrator.codec), fast tier: each kind's form, the options parity's Django side
uses, and the decoder that the loader's and parity's readers share."""

from __future__ import annotations

import datetime
import decimal
import uuid

import pytest

from migrator.codec import decode, encode

PARIS = datetime.timezone(datetime.timedelta(hours=2))


@pytest.mark.parametrize("value, options, expected", [
    (decimal.Decimal("12.50"), {}, {"decimal": "12.50"}),
    (datetime.datetime(2024, 5, 1, 12, 0, tzinfo=PARIS), {}, {"datetime": "2024-05-01T12:00:00+02:00"}),
    (datetime.datetime(2024, 5, 1, 12, 0, tzinfo=PARIS), {"utc": True}, {"datetime": "2024-05-01T10:00:00+00:00"}),
    (datetime.date(2024, 5, 1), {}, {"date": "2024-05-01"}),
    (uuid.UUID(int=1), {}, {"uuid": "00000000-0000-0000-0000-000000000001"}),
    (datetime.timedelta(seconds=1, microseconds=5), {}, {"duration": 1_000_005}),
    (datetime.timedelta(days=1), {"duration": lambda td: f"{td.days}D"}, {"duration": "1D"}),
    (b"\x00\xff", {"binary": True}, {"binary": "AP8="}),
    (b"\x00\xff", {}, None), ("text", {}, None), (3, {}, None), ({"decimal": "1"}, {}, None),
])
def test_encode(value, options, expected):
    assert encode(value, **options) == expected


def test_decode_takes_only_the_tags_asked_for():
    assert decode({"decimal": "1.5"}) == ("decimal", "1.5")
    assert decode({"json": {"a": 1}}, ("decimal",)) is None
    assert decode({"decimal": "1", "x": 2}) is None and decode("decimal") is None and decode({"name": "x"}) is None
