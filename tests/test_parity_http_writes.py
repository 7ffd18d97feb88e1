"""The http check's writes (checks_http.run_writes): each write on two fresh copies, one per side, the answers
compared, then the tables of a passing write; the copies of up to WRITE_BATCH writes are dumped by one Django
process (one boot instead of two per write). Fakes stand in for the servers and Django: no process starts."""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from migrator.parity import checks_http


class FakeScratch:
    def __init__(self):
        self.live, self.made = set(), []

    def copy(self, src: str, name: str) -> str:
        self.live.add(name)
        self.made.append(name)
        return name

    def drop(self, url: str) -> None:
        self.live.discard(url)


class FakeCtx:
    """What run_writes asks of a Context; a database's dump is what the fake servers wrote into it."""

    def __init__(self, tables: dict):
        self.scratch, self.tables, self.batches, self.query_runs = FakeScratch(), tables, [], {}
        self.project = SimpleNamespace(models=[])
        self.url = "loaded"

    def django(self, database, command, *args):
        raise AssertionError("a dump of its own: every dump goes through django_batch")

    def django_batch(self, jobs):
        assert all(j["command"] == "dump" for j in jobs) and all(j["database"] in self.scratch.live for j in jobs)
        self.batches.append([j["database"] for j in jobs])
        return [self.tables.get(j["database"], {"app.T": [{"id": 1}]}) for j in jobs]


@pytest.fixture
def fake_servers(monkeypatch):
    """Servers that answer 200 {"ok": true}, except on Go for a path ending in /bad/; Go's write to a path
    ending in /rows/ leaves a second row (FakeCtx.tables)."""
    @contextmanager
    def servers(ctx, server, url, name, sides, forks=None):
        assert forks == "booted once" or "django" not in sides  # Django's side is forked from one boot
        yield SimpleNamespace(django=("django", url), go=("go", url))

    def send(base, r):
        side, url, path = *base, r["path"]
        if side == "go" and path.endswith("/rows/"):
            ctx_tables[url] = {"app.T": [{"id": 1}, {"id": 2}]}
        if path.endswith("/csrf/"):  # both refuse: Django's CSRF page
            return 403, "text/html", b"<p>CSRF verification failed. Request aborted.</p>"
        return 500 if side == "go" and path.endswith("/bad/") else 200, "application/json", b'{"ok": true}'
    ctx_tables: dict = {}
    monkeypatch.setattr(checks_http, "Servers", servers)
    monkeypatch.setattr(checks_http, "send", send)
    _Booted.closed = False
    monkeypatch.setattr(checks_http, "django_forks", lambda ctx, url: _Booted())
    return ctx_tables


class _Booted(str):
    """What checks_http.django_forks returns: the one Django boot every write's server is forked from."""
    closed = False

    def __new__(cls):
        return super().__new__(cls, "booted once")

    def close(self):
        type(self).closed = True


def _writes(*paths):
    return [{"method": "POST", "path": p, "view": "v", "route": "r/"} for p in paths]


def test_writes_are_dumped_in_batches_and_judged_one_by_one(fake_servers):
    ctx = FakeCtx(fake_servers)
    paths = [f"/w/{i}/" for i in range(checks_http.WRITE_BATCH)] + ["/w/bad/", "/w/rows/", "/w/last/"]
    cases = checks_http.run_writes(ctx, None, _writes(*paths))
    assert [c.status for c in cases] == ["passed"] * checks_http.WRITE_BATCH + ["failed", "failed", "passed"]
    assert "status" in cases[-3].detail  # the answers differ: its tables are not dumped
    assert cases[-2].detail == "database afterwards: app.T: 2 rows vs 1 rows"  # Go's copy, then Django's
    # one Django process per batch of writes; a write whose answers differ is not dumped
    n = checks_http.WRITE_BATCH
    assert [len(b) for b in ctx.batches] == [2 * n, 4]
    assert ctx.batches[1] == [f"http{n + 1}dj", f"http{n + 1}go", f"http{n + 2}dj", f"http{n + 2}go"]
    assert ctx.scratch.live == set() and len(ctx.scratch.made) == 2 * len(paths)  # every copy dropped
    assert [x["case"] for x in ctx.query_runs["http_writes"]] == cases  # the mutation run replays these
    assert _Booted.closed  # the booted Django ends with the writes


def test_every_copy_is_dropped_when_a_dump_fails(fake_servers):
    ctx = FakeCtx(fake_servers)

    def broken(jobs):
        raise RuntimeError("django_side batch failed")
    ctx.django_batch = broken
    with pytest.raises(RuntimeError):
        checks_http.run_writes(ctx, None, _writes("/a/", "/b/"))
    assert ctx.scratch.live == set() and len(ctx.scratch.made) == 4
    assert _Booted.closed


def test_a_signed_in_write_django_refuses_for_the_checks_csrf_token_fails(fake_servers):
    """Two CSRF refusals alike are a pass for an anonymous write (both stacks check the token), but a signed-in
    write carries the check's own token: refused, the view was never reached, and the case says so."""
    ctx = FakeCtx(fake_servers)
    signed = {"cookie": "sessionid=k; csrftoken=s", "as": "superuser", "headers": {"X-CSRFTOKEN": "t"}}
    cases = checks_http.run_writes(ctx, None, _writes("/w/csrf/") + [{**_writes("/w/csrf/")[0], **signed}])
    assert [c.status for c in cases] == ["passed", "failed"]
    assert cases[1].detail.startswith("Django refused the check's CSRF token") and cases[1].name.endswith("as superuser")
