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


def test_the_manifest_declaration_is_read_per_view():
    from migrator.parity.stamps import declared

    assert declared({"lending.views.return_loan": ["lending.Loan.returned_at", "lending.Book.touched"],
                     "lending.views.renew": []}) == {
        "lending.views.return_loan": {"lending.Loan": {"returned_at"}, "lending.Book": {"touched"}}}


LOANS = {"lending.Loan": [{"id": 1, "due_at": "2026-11-20T10:00:00+00:00", "returned_at": None}]}
RETURN, RENEW = "lending.views.return_loan", "lending.views.renew_loan"
CLOCK = {RETURN: {"lending.Loan": {"returned_at"}}}  # the manifest's clock_fields: return_loan's only


def _run_writes(monkeypatch, writes: dict, requests: list[dict]):
    """checks_http.run_writes with fake servers: ``writes[(side, view)](row)`` is what that side's handler does to
    the loaded loan, at the time of its request; no process starts."""
    import copy
    from contextlib import contextmanager
    from types import SimpleNamespace as N

    from migrator.parity import checks_http
    from migrator.parity.stamps import now

    tables = {}

    @contextmanager
    def servers(ctx, server, url, name, sides, forks=None):
        yield N(django=("django", url), go=("go", url))

    def send(base, r):
        side, url = base
        tables[url] = copy.deepcopy(LOANS)
        writes.get((side, r["view"]), lambda row, t: None)(tables[url]["lending.Loan"][0], now().isoformat())
        return 200, "application/json", b"{}"

    class Scratch:
        copy = staticmethod(lambda src, name: name)
        drop = staticmethod(lambda url: None)

    ctx = N(scratch=Scratch(), query_runs={}, url="loaded",
            django_batch=lambda jobs: [tables.get(j["database"], LOANS) for j in jobs])
    monkeypatch.setattr(checks_http, "Servers", servers)
    monkeypatch.setattr(checks_http, "send", send)
    monkeypatch.setattr(checks_http, "django_forks", lambda ctx, url: N(close=lambda: None))
    return checks_http.run_writes(ctx, None, requests, clock=CLOCK)


def test_only_the_fields_a_view_declares_are_judged_by_the_window(monkeypatch):
    """tests/projects/library's return_loan writes ``returned_at=timezone.now()`` (its manifest entry declares
    lending.Loan.returned_at): each side's own clock passes. A Go handler that also writes its clock into due_at,
    which Django's view leaves alone, fails; and so does one writing its clock where Django's renew_loan writes the
    instant the request gave (a client's clock: inside the window too, so every DateTimeField judged by the window,
    the rule before this declaration, passed it)."""
    def returned(row, t):
        row["returned_at"] = t

    def returned_and_due(row, t):
        row.update(returned_at=t, due_at=t)

    def due(row, t):
        row["due_at"] = t
    asked = [{"method": "POST", "path": "/api/loans/1/return/", "view": RETURN, "route": "r/"}]
    renew = [{"method": "POST", "path": "/api/loans/1/renew/", "view": RENEW, "route": "n/"}]
    library = _run_writes(monkeypatch, {("django", RETURN): returned, ("go", RETURN): returned}, asked)
    assert [c.status for c in library] == ["passed"]
    mutant = _run_writes(monkeypatch, {("django", RETURN): returned, ("go", RETURN): returned_and_due}, asked)
    assert [c.status for c in mutant] == ["failed"] and "due_at" in mutant[0].detail
    given = _run_writes(monkeypatch, {("django", RENEW): due, ("go", RENEW): due}, renew)
    assert [c.status for c in given] == ["failed"] and "due_at" in given[0].detail
    untouched = _run_writes(monkeypatch, {("django", RETURN): returned, ("go", RETURN): lambda row, t: None}, asked)
    assert [c.status for c in untouched] == ["failed"]  # the vice versa: Go leaves returned_at unset


def test_what_the_rule_hides_any_instant_inside_the_window_in_a_declared_field():
    """The leniency, shown: in a declared field any value inside the side's window passes, not only the clock read
    where Django reads it (a Go handler writing the instant its request began, or another stamp of the same request,
    into returned_at is not told apart); an undeclared field with the same two values is compared exactly."""
    fields = CLOCK[RETURN]
    django = {"lending.Loan": [{"id": 1, "returned_at": "2026-12-01T08:00:01.900000+00:00",
                                "due_at": "2026-12-01T08:00:01.900000+00:00"}]}
    go = {"lending.Loan": [{"id": 1, "returned_at": "2026-12-01T08:00:00+00:00", "due_at": "2026-12-01T08:00:00+00:00"}]}
    after_dj, after_go = stamped(django, fields, START, END), stamped(go, fields, START, END)
    assert after_dj["lending.Loan"][0]["returned_at"] == after_go["lending.Loan"][0]["returned_at"] == STAMPED
    assert after_dj["lending.Loan"][0]["due_at"] != after_go["lending.Loan"][0]["due_at"]
