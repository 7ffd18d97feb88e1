"""ProductReviewsView.post migrated (issue 14: every sample view using request.user): Django and the generated
Go server, each on its own copy of the loaded database, get the same sequence of review posts, anonymous and
signed in with the session Django issued; every answer is compared exactly (keys, order, JSON types: a body's
``true`` rating is echoed ``true``, ``1.0`` as ``1.0``) and the review table after each write."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE, django_side
from migrator.parity.http import compare_answers, fetch, request_body
from tests.test_http_parity import _free_port, _wait, trees  # noqa: F401 (trees: the fixture)

sys.path.insert(0, str(Path(__file__).parent / "auth"))
from harness import oracle  # noqa: E402

SECRET = "django-insecure-shopapi-dev-key-3f9a1c7e5b2d4086a1e9c7b5d3f10246"  # the sample's SECRET_KEY
COLUMNS = "id, product_id, user_id, rating, title, body, deleted_at"


def review_posts(pid: int, other: int, inactive: int) -> list[dict]:
    """(request, signed in?) in order: later requests see what earlier ones wrote."""
    path = f"/api/catalog/products/{pid}/reviews/"
    anon = [
        {"body": {"rating": 5, "title": "Great", "body": "x"}},
        {"body": {"rating": True, "title": "Bool"}},  # True in (1, ..., 5): stored 1, echoed true
        {"raw": '{"rating": 1.0, "title": 5, "body": 7}'},  # 1.0 == 1; str(5) stored, 5 echoed
        {"raw": '{"rating": 1E0, "title": [1, "a"], "body": false}'},  # str(): "[1, 'a']", "False"
        {"body": {"rating": 4, "title": {"k": 1.50}}},  # "{'k': 1.5}"
        {"body": {"rating": "1", "title": "t"}},  # "1" != 1: 400
        {"body": {"rating": 6, "title": "t"}},
        {"body": {"rating": None, "title": "t"}},
        {"body": {"rating": 2.5, "title": "t"}},
        {"body": {"title": "t"}},  # rating None: 400
        {"body": {"rating": 3}},  # title required
        {"body": {"rating": 3, "title": ""}},
        {"body": {"rating": 3, "title": 0}},
        {"raw": "{bad"}, {"raw": "[1]"}, {"raw": ""},  # not JSON, not an object, empty: `or b"{}"`
    ]
    out = [dict(r, method="POST", path=path, user=False) for r in anon]
    out += [
        {"method": "POST", "path": "/api/catalog/products/987654/reviews/", "body": {"rating": 5, "title": "t"}, "user": False},
        {"method": "POST", "path": f"/api/catalog/products/{inactive}/reviews/", "body": {"rating": 5, "title": "t"}, "user": True},
        {"method": "POST", "path": path, "body": {"rating": 4, "title": "Mine"}, "user": True},  # user_id set
        {"method": "POST", "path": path, "body": {"rating": 2, "title": "Again"}, "user": True},  # already reviewed: 400
        {"method": "POST", "path": path, "body": {"rating": 2, "title": "Anon again"}, "user": False},  # no check for None
        {"method": "POST", "path": f"/api/catalog/products/{other}/reviews/", "body": {"rating": 1, "title": "Other"}, "user": True},
        {"method": "GET", "path": path, "user": True},  # the reviews written, as the GET lists them
        # last: Django fails at the INSERT (NOT NULL), which takes a PostgreSQL sequence number; Go refuses before it
        {"method": "POST", "path": path, "body": {"rating": 3, "title": "t", "body": None}, "user": False},
    ]
    return out


STATUSES = [201, 201, 201, 201, 201, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 404, 404, 201, 400, 201,
            201, 200, 500]


def _rows(url: str) -> list[tuple]:
    sql = f"SELECT {COLUMNS} FROM catalog_review ORDER BY id"
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as conn:
            return [tuple(r) for r in conn.execute(sql).fetchall()]
    import sqlite3

    with sqlite3.connect(url) as conn:
        return conn.execute(sql).fetchall()


class _Pair:
    """Django (runserver) on one database, the Go server on another, both with the sample's SECRET_KEY."""

    def __init__(self, tree: Path, dj_url: str, go_url: str):
        self.tree, self.urls, self.procs = tree, (dj_url, go_url), []

    def __enter__(self):
        from tests.test_http_parity import os

        dport, gport = _free_port(), _free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH", "DJANGO_DEBUG")}
        dj_url, go_url = self.urls
        env.update({"DATABASE_URL": dj_url} if dj_url.startswith("postgres") else {"SQLITE_PATH": dj_url})
        django = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{dport}"],
                                  cwd=SAMPLE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        server = subprocess.Popen([str(self.tree / "bin" / "server")], env={
            "DATABASE_URL": go_url, "PORT": str(gport), "HOST": "127.0.0.1", "PATH": "/usr/bin:/bin",
            "LOG_LEVEL": "error", "SECRET_KEY": SECRET}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.procs = [django, server]
        self.django, self.go = f"http://127.0.0.1:{dport}", f"http://127.0.0.1:{gport}"
        _wait(self.go + "/healthz", server, "the Go server")
        _wait(self.django + "/api/catalog/tags/", django, "Django")
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def _session(url: str) -> str:
    """A user signed in through Django on the database at ``url``: the Cookie header of its session."""
    dj = oracle(SAMPLE, "shopapi.settings", url, fast=True)
    try:
        dj.ask("create_user", username="reviewer", password="pw")
        return "sessionid=" + dj.ask("login", username="reviewer", password="pw")["cookie"]
    finally:
        dj.close()


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["nethttp", "fiber", "gin"])
def test_review_posts_answer_and_write_what_django_does(trees, loaded_db, framework):  # noqa: F811
    dialect, url, copy = loaded_db
    tree, _ = trees(framework)
    dump = django_side(SAMPLE, "shopapi.settings", url, "dump")
    active = [p["id"] for p in dump["catalog.Product"] if p["is_active"]]
    inactive = next(p["id"] for p in dump["catalog.Product"] if not p["is_active"])
    requests = review_posts(active[0], active[1], inactive)
    dj_url, go_url = copy(f"rvdj{framework}"), copy(f"rvgo{framework}")
    cookies = {"django": _session(dj_url), "go": _session(go_url)}  # the same user id on both copies
    answers, diffs = [], []
    with _Pair(tree, dj_url, go_url) as s:
        for i, r in enumerate(requests):
            got = {side: fetch(base, r["method"], r["path"], body=request_body(r), cookie=cookies[side] if r["user"] else "")
                   for side, base in (("django", s.django), ("go", s.go))}
            answers.append(got["django"][0])
            if r["method"] == "GET":  # created_at is each side's clock: the rest compared exactly
                listed = [json.loads(got[side][2]) for side in ("django", "go")]
                for answer in listed:
                    assert all(row.pop("created_at") for row in answer["results"])
                assert listed[0] == listed[1] and json.dumps(listed[0]) == json.dumps(listed[1]), listed
                continue
            diffs += compare_answers(r["method"], r["path"], got["django"], got["go"], strict=got["django"][0] != 500)
            if r["method"] == "POST" and i < len(requests) - 1:  # each write leaves the same rows
                assert _rows(go_url) == _rows(dj_url), (dialect, framework, r)
    assert answers == STATUSES, answers
    assert not diffs, f"{dialect}/{framework}: " + "\n".join(map(str, diffs))
    mine = [row for row in _rows(dj_url) if row[4] in ("Mine", "Other")]
    assert len(mine) == 2 and all(row[2] is not None for row in mine), mine  # the signed-in posts carry the user
    texts = {row[4]: (row[3], row[5]) for row in _rows(go_url)}
    assert texts["5"] == (1, "7") and texts["[1, 'a']"] == (1, "False") and texts["Bool"] == (1, "")
    # the failed last write: both tables as they were (the ids after it would differ on PostgreSQL: see above)
    assert [row[1:] for row in _rows(go_url)] == [row[1:] for row in _rows(dj_url)]
