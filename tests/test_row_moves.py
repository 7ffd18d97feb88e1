"""tests/projects/row_moves (django-scheduler's api_move_or_resize_by_code reduced): Django and the generated Go
service post the same form bodies, each on its own copy of the database, on SQLite and PostgreSQL; the answers are
compared exactly and the event table after each write, every column (``updated_on``, auto_now, by its request
window: written by this request on both sides, or left alone on both).

``row.save()`` is the UPDATE of every column Django's Model.save() sends (load/save_sites, translate/
handlers_rowedit); ``api_move_open`` reaches it without signing in. The parity http check posts no integer for
``delta`` (its form values come from the data), so it never reached this write: these bodies do.
"""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
import subprocess
import sys
import urllib.parse

import pytest

from conftest import REPO, go, side_databases
from migrator.parity.http import compare_answers, fetch

PROJECT = REPO / "tests" / "projects" / "row_moves"
FORM = "application/x-www-form-urlencoded"
# id 1 moved, resized, moved back; an unknown id, text, None; delta not a number, beyond a datetime (OverflowError)
BODIES = [{"id": "1", "delta": "30"}, {"id": "1", "delta": "-45", "resize": "1"}, {"id": "2", "delta": "0"},
          {"id": "1", "delta": "1440", "resize": ""}, {"id": "2", "delta": "-30", "resize": "x"},
          {"id": "9", "delta": "5"}, {"id": "abc", "delta": "5"}, {"delta": "5"}, {"id": "1", "delta": "x"},
          {"id": "1", "delta": "5256000000"}, {"id": " 2 ", "delta": "+7"}]
# the event and its occurrences moved (F() + a timedelta), then a resize: `F(...) + 0` (the last: Go answers 501)
SHIFTS = [{"id": "1", "delta": "30"}, {"id": "2", "delta": "-90", "resize": ""}, {"id": "9", "delta": "5"},
          {"id": "1", "delta": "5256000000"}, {"id": "2", "delta": "15", "resize": "1"}]
ROWS = [(1, "2026-03-02 10:00:00", "2026-03-02 11:30:00.250000"), (2, "2026-03-03 09:15:00", "2026-03-03 09:45:00")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from migrator.generate import generate

    out = tmp_path_factory.mktemp("row-moves") / "tree"
    result = generate(PROJECT, out, targets=("all",))
    assert result.exit_code == 0, [d.render() for d in result.diagnostics]
    notes = " ".join(result.emitted.notes)
    assert "http (nethttp): 3 routes, 3 migrated, 0 stubbed" in notes, notes
    go("build", "-o", str(out / "bin" / "server"), "./http", cwd=out)
    return out / "bin" / "server"


def _env(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update({"DATABASE_URL": url} if url.startswith("postgres") else {"SQLITE_PATH": url})
    return env


SEED = """
from moves.models import Calendar, Event, Occurrence
import datetime
cal = Calendar.objects.create(slug="work")
for pk, start, end in {rows!r}:
    parse = lambda t: datetime.datetime.fromisoformat(t).replace(tzinfo=datetime.timezone.utc)
    Event.objects.create(id=pk, start=parse(start), end=parse(end), calendar=cal)
Event.objects.update(updated_on=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
Event.objects.filter(id=2).update(parent_id=1)
for pk, start, end in {rows!r}:
    for k in range(2):
        Occurrence.objects.create(event_id=pk, original_start=parse(start), original_end=parse(end))
"""

DUMP = """
import json
from moves.models import Event, Occurrence
print(json.dumps([[e.id, e.start.isoformat(), e.end.isoformat(), e.updated_on.isoformat(), e.calendar_id, e.parent_id]
                  for e in Event.objects.order_by("id")]
                 + [[o.id, o.original_start.isoformat(), o.original_end.isoformat(), "", o.event_id]
                    for o in Occurrence.objects.order_by("id")]))
"""


def _manage(url: str, *args: str, stdin: str = "") -> str:
    proc = subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, input=stdin, capture_output=True,
                          text=True, timeout=300, env=_env(url))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _databases(dialect, tmp_path, request) -> list[str]:
    urls = side_databases(request, tmp_path, dialect, "moves")
    for url in urls:
        _manage(url, "migrate", "-v0")
        _manage(url, "shell", "-c", SEED.format(rows=ROWS))
    return urls


def _sqlite_text(path: str) -> list:
    """The stored text itself on SQLite (Django's format: a space, six fraction digits unless zero)."""
    with sqlite3.connect(path) as c:
        return c.execute('SELECT id, start, "end", calendar_id FROM moves_event ORDER BY id').fetchall()


@pytest.mark.slow
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_row_saves_write_what_django_writes(server, dialect, tmp_path, request):
    from test_http_parity import Servers

    django_db, go_db = _databases(dialect, tmp_path, request)
    with Servers(PROJECT, server.parent.parent, django_db) as dj, Servers(PROJECT, server.parent.parent, go_db) as g:
        statuses = []
        last = [json.loads(_manage(url, "shell", "-c", DUMP).splitlines()[-1]) for url in (django_db, go_db)]
        for path, bodies in (("/api/move_open/", BODIES), ("/api/move_or_resize/", BODIES), ("/api/shift_occurrences/",
                                                                                             SHIFTS)):
            for form in bodies:
                body = urllib.parse.urlencode(form).encode()
                before = datetime.datetime.now(datetime.timezone.utc)
                d = fetch(dj.django, "POST", path, body=body, content_type=FORM)
                o = fetch(g.go, "POST", path, body=body, content_type=FORM)
                after = datetime.datetime.now(datetime.timezone.utc)
                if form.get("resize") and path == "/api/shift_occurrences/":  # F() + 0: Django's per dialect
                    assert (d[0], o[0]) == ((500 if dialect == "postgresql" else 200), 501), (form, d, o)
                    assert json.loads(o[2]) == {"error": "not migrated", "source": "moves/views.py:45",
                                                "view": "moves.views.api_shift_occurrences"}
                    continue  # the last body: Django wrote (SQLite) or failed after the event's save (PostgreSQL)
                diffs = compare_answers("POST", f"{path} {form}", d, o, strict=True)
                assert not diffs, "\n".join(map(str, diffs))
                statuses.append(d[0])
                rows = [json.loads(_manage(url, "shell", "-c", DUMP).splitlines()[-1]) for url in (django_db, go_db)]
                for k, (dr, orow) in enumerate(zip(*rows)):
                    assert dr[:3] + dr[4:] == orow[:3] + orow[4:], (path, form)
                    stamped = [bool(r[3]) and before <= datetime.datetime.fromisoformat(r[3]) <= after
                               for r in (dr, orow)]
                    kept = [r[3] == p[k][3] for r, p in zip((dr, orow), last)]  # not stamped: as it was
                    assert stamped[0] == stamped[1] and (stamped[0] or all(kept)), (path, form, dr, orow)
                last = rows
                if dialect == "sqlite":
                    assert _sqlite_text(django_db) == _sqlite_text(go_db), (path, form)
    # move_open: 5 writes, DoesNotExist x3 (9, abc, None), ValueError (x), OverflowError, " 2 "/"+7" as int() reads
    assert statuses[:len(BODIES)] == [200, 200, 200, 200, 200, 500, 500, 500, 500, 500, 200]
    # anonymous: the permission callback refuses after the same reads (PERMISSION DENIED, no write)
    assert statuses[len(BODIES):2 * len(BODIES)] == [200] * 5 + [500] * 5 + [200]
    assert statuses[2 * len(BODIES):] == [200, 200, 500, 500]


@pytest.mark.slow
def test_a_receiver_connected_without_a_sender_keeps_the_save_a_stub():
    """A post_save receiver connected without a sender (haystack's RealtimeSignalProcessor) runs for every model's
    save(): the loader records it on every model (load/registry._receivers skipped it before session 14, so the
    derived UPDATE would have been sent without it), and the view names it."""
    proc = subprocess.run([sys.executable, "-m", "migrator", "analyze", str(PROJECT), "--http", "-f", "json"],
                          cwd=REPO, capture_output=True, text=True, env={**os.environ, "ROW_MOVES_GLOBAL_RECEIVER": "1"})
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    rows = {v["view"]: (v["status"], v.get("reason") or "") for v in result["views"]}
    assert rows["moves.views.api_move_open"] == ("stub", "event.save() at line 41: Model.save() of a loaded moves.Event "
                                                         "row runs moves.models.reindex besides its UPDATE: not translated")
    hooks = {m["name"]: [h["name"] for h in m["hooks"] if h["kind"] == "signal"] for m in result["models"]}
    assert hooks["Event"] == hooks["Calendar"] == ["moves.models.reindex"]
