"""DRF writes (translate/drf_writes): a ModelViewSet's create / update / partial_update / destroy against DRF.

The oracle is DRF itself: Django's runserver and the generated Go server start from two copies of one
SQLite database and receive the same sequence of requests (valid writes, each kind of validation error,
bodies that are not JSON or not an object, 404s); every answer is compared exactly (status, keys, their
order, JSON types, values) and, after each request, the note table of both databases.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import REPO, go
from migrator.parity.http import compare_answers, fetch

PROJECT = REPO / "tests" / "projects" / "drf_api"
SEED = r"""
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from shop.models import Note
Note.objects.create(title="first", body="b", priority=2, stars=3)
Note.objects.create(title="second", stars=5, done=True)
Note.objects.create(title="third", stars=1)
"""

N = "/api/notes/"
REQUESTS = [
    ("POST", N, {"title": "a note", "body": "text", "priority": 3, "stars": 4, "done": True}),
    ("POST", N, {"title": "  trimmed  ", "stars": "2"}),  # defaults for body, priority, done; "2" is an integer
    ("POST", N, {}),  # title and stars required, in the serializer's order
    ("POST", N, {"title": "x" * 21, "stars": 0, "priority": 9, "done": "maybe"}),  # every field wrong at once
    ("POST", N, {"title": "   ", "stars": 6}),  # blank, max_value
    ("POST", N, {"title": 7, "stars": 3.0, "priority": "2", "done": "yes"}),  # DRF's coercions
    ("POST", N, {"title": [1], "stars": "x", "priority": True, "done": 2}),
    ("POST", N, {"title": None, "stars": None, "priority": 2.5, "done": None}),
    ("POST", N, {"title": "ok", "stars": " 5 ", "priority": "1", "done": 0, "id": 99, "unknown": 1}),
    ("POST", N, {"title": "ok", "stars": "1_0"}),
    ("POST", N, {"title": "ok", "stars": True}),
    ("POST", N, {"title": "x" * 20, "stars": 1}), ("POST", N, {"title": "a\u0000b", "stars": 1}),
    ("POST", N, {"title": {"a": 1}, "stars": [2], "priority": [1]}),
    ("POST", N, "not json"), ("POST", N, "[]"), ("POST", N, '"text"'), ("POST", N, "3"), ("POST", N, "{} x"),
    ("POST", N, "  nope"), ("POST", N, "null"), ("POST", N, ""),
    ("POST", "/api/notes.json/", {"title": "suffix", "stars": 2}),
    ("PUT", N + "1/", {"title": "put", "stars": 2}),  # the others keep their values
    ("PUT", N + "1/", {"title": "put"}),  # stars required on a full update
    ("PATCH", N + "2/", {"done": "false"}),
    ("PATCH", N + "2/", {}),
    ("PATCH", N + "2/", {"stars": 9, "title": ""}),
    ("PATCH", N + "2/", "not json"),
    ("PUT", N + "999/", {"title": "x", "stars": 1}), ("PATCH", N + "abc/", {"title": "x"}),
    ("PATCH", N + "999/", "not json"),  # get_object before the body is read: 404
    ("DELETE", N + "3/", None), ("DELETE", N + "3/", None), ("DELETE", N + "x/", None),
    ("GET", N, None), ("GET", N + "1/", None), ("GET", N + "2.json", None),
]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def _rows(db) -> list:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT id, title, body, priority, stars, done FROM shop_note ORDER BY id").fetchall()


def _send(base: str, method: str, path: str, body) -> tuple:
    raw = None if body is None else (body if isinstance(body, str) else json.dumps(body)).encode()
    if raw is None and method in ("POST", "PUT", "PATCH"):
        raw = b""
    return fetch(base, method, path, body=raw)


@pytest.mark.slow
def test_drf_writes_equal_drf(tmp_path):
    out = tmp_path / "gen"
    proc = subprocess.run([sys.executable, "-m", "migrator", "generate", str(PROJECT), "--out", str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "http: migrated shop.views.NoteViewSet," in proc.stdout
    go("build", "-o", str(tmp_path / "server"), "./http", cwd=out)
    (tmp_path / "writes_settings.py").write_text(
        "from api.settings import *  # noqa\n"
        f"DATABASES = {{'default': {{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(tmp_path / 'dj.db')!r}}}}}\n"
        "ALLOWED_HOSTS = ['localhost']\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(PROJECT)]),
               DJANGO_SETTINGS_MODULE="writes_settings")
    seed = subprocess.run([sys.executable, "-c", SEED], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300)
    assert seed.returncode == 0, seed.stderr
    shutil.copy(tmp_path / "dj.db", tmp_path / "go.db")
    dport, gport = _free_port(), _free_port()
    procs = [subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{dport}"], cwd=PROJECT,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True),
             subprocess.Popen([str(tmp_path / "server")], env={"DATABASE_URL": f"sqlite://{tmp_path / 'go.db'}",
                                                              "PORT": str(gport), "HOST": "127.0.0.1", "LOG_LEVEL": "error"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    django, gosrv = f"http://127.0.0.1:{dport}", f"http://127.0.0.1:{gport}"
    try:
        _wait(django + "/api/", procs[0])
        _wait(gosrv + "/healthz", procs[1])
        failures = []
        for method, path, body in REQUESTS:
            d, g = _send(django, method, path, body), _send(gosrv, method, path, body)
            diffs = compare_answers(method, path, d, g, strict=True)
            if diffs:
                failures.append(f"{method} {path} {body!r}: django {d[0]} {d[2][:300]!r} != go {g[0]} {g[2][:300]!r}")
            if _rows(tmp_path / "dj.db") != _rows(tmp_path / "go.db"):
                failures.append(f"{method} {path} {body!r}: the note table differs afterwards")
                break
        assert failures == []
        assert len(_rows(tmp_path / "go.db")) == 3 + 6 - 1  # the seeds, the valid creates, one destroy
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=10)
