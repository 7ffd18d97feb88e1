"""parity.stamps: an auto_now stamp is judged by the side's own request window, and only there."""

from __future__ import annotations

import datetime

from migrator.parity.stamps import STAMPED, stamped

UTC = datetime.timezone.utc
START = datetime.datetime(2026, 12, 1, 8, 0, 0, tzinfo=UTC)
END = START + datetime.timedelta(seconds=2)
FIELDS = {"catalog.Review": {"created_at", "updated_on"}}


def test_a_stamp_inside_the_window_is_marked_and_nothing_else():
    dump = {"catalog.Review": [
        {"id": 1, "created_at": "2026-12-01T08:00:01.250000Z", "title": "2026-12-01T08:00:01.250000Z",
         "updated_on": "2026-12-01"},
        {"id": 2, "created_at": "2026-12-01T07:59:59.999999Z", "updated_on": "2026-11-30"},  # before the request
        {"id": 3, "created_at": "2026-12-01T08:00:02.000001Z", "updated_on": None},  # after it
        {"id": 4, "created_at": "2026-12-01T08:00:01", "updated_on": "not a date"},  # naive: not judged so
    ], "catalog.Tag": [{"id": 1, "created_at": "2026-12-01T08:00:01Z"}]}
    assert stamped(dump, FIELDS, START, END) == {"catalog.Review": [
        {"id": 1, "created_at": STAMPED, "title": "2026-12-01T08:00:01.250000Z", "updated_on": STAMPED},
        {"id": 2, "created_at": "2026-12-01T07:59:59.999999Z", "updated_on": "2026-11-30"},
        {"id": 3, "created_at": "2026-12-01T08:00:02.000001Z", "updated_on": None},
        {"id": 4, "created_at": "2026-12-01T08:00:01", "updated_on": "not a date"},
    ], "catalog.Tag": [{"id": 1, "created_at": "2026-12-01T08:00:01Z"}]}


def test_two_sides_stamped_in_their_own_windows_compare_equal_and_a_wrong_stamp_does_not():
    later = (START + datetime.timedelta(seconds=5), END + datetime.timedelta(seconds=5))
    django = stamped({"catalog.Review": [{"id": 1, "created_at": "2026-12-01T08:00:01Z"}]}, FIELDS, START, END)
    go = stamped({"catalog.Review": [{"id": 1, "created_at": "2026-12-01T08:00:06Z"}]}, FIELDS, *later)
    assert django == go
    stale = stamped({"catalog.Review": [{"id": 1, "created_at": "2026-12-01T08:00:01Z"}]}, FIELDS, *later)
    assert stale != django  # a Go write that kept an old stamp is still a difference


def test_a_datetime_a_view_writes_from_the_clock_is_judged_by_the_window():
    """tests/projects/library's return_loan (`update(returned_at=timezone.now())`, migrated since session 12) failed
    the http check on returned_at: each side read its own clock. Every DateTimeField is judged by the request
    window now; a DateField only when auto_now/auto_now_add (a plain date equal to today is ordinary data)."""
    from types import SimpleNamespace as N

    from migrator.parity.stamps import auto_fields

    def f(name, internal, auto=False):
        return N(name=name, internal_type=internal, auto_now=auto, auto_now_add=False)

    project = N(models=[N(label="lending.Loan", fields=[f("returned_at", "DateTimeField"), f("due", "DateField"),
                                                         f("title", "CharField")]),
                        N(label="lending.Book", fields=[f("title", "CharField"), f("touched", "DateField", True)]),
                        N(label="lending.Member", fields=[f("name", "CharField")])])
    assert auto_fields(project) == {"lending.Loan": {"returned_at"}, "lending.Book": {"touched"}}
