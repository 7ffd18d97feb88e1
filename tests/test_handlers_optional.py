"""Query text converted inside try/except and a QuerySet refined by optional filters (tests/projects/views_optional):
Django and the generated Go service answer the same query strings alike, on both dialects.

A view served by routes that call it with other arguments (``note_count``): the two that pass none answer its
defaults, as Django calls it (django-nyt's ``get_notifications`` on ``^json/get/$``), and the one passing
``minimum`` has its own handler core (nyt's ``^json/get/(?P<latest_id>[0-9]+)/$``).

The reproduction of what kept the sample's ProductReviewsView and newsletter_report stubs: ``int(x) if x else
None`` and ``date.fromisoformat(x) if x else None`` (a conditional of an integer and None; the conversions with
Python's own acceptance rules, their ValueError answered by the except clause), ``max(int(request.GET.get("page",
1)), 1)``, ``qs = ...; if x is not None: qs = qs.filter(...)`` (one query with ``sqlc.narg``) and a nullable
``select_related`` read as ``n.author.name if n.author else None``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, go

PROJECT = REPO / "tests" / "projects" / "views_optional"
QUERIES = ["", "?rating=3", "?rating=%203%20", "?rating=%2B4", "?rating=abc", "?rating=", "?rating=%D9%A3",
           "?rating=1_0", "?rating=-1", "?rating=x&since=bad", "?since=2024-03-01", "?since=20240301",
           "?since=2024-W10-1", "?since=2024W107", "?since=2024030100", "?since=2024-02-30", "?since=0000-01-01",
           "?since=2024-1-01", "?since=", "?since=%EF%BC%92024-01-01", "?rating=2&since=2024-02-15", "?page=0",
           "?page=7", "?page=1000", "?page=x", "?page=", "?page=%207", "?page=3&page=5", "?rating=5&rating=1"]


@pytest.fixture(scope="module", params=["nethttp"])  # the handler core is framework-free (the sample's parity
def server(request, tmp_path_factory):                # runs these shapes on Fiber and Gin: ProductReviewsView)
    """The project generated for one framework and its Go service built, once."""
    from migrator.generate import generate

    out = tmp_path_factory.mktemp(f"views-optional-{request.param}") / "tree"
    result = generate(PROJECT, out, targets=("all",), framework=request.param)
    assert result.exit_code == 0, [d.render() for d in result.diagnostics]
    # note_count: two routes, its defaults
    assert "http: migrated notes.views.note_count, notes.views.note_list" in result.emitted.notes
    go("build", "-o", str(out / "bin" / "server"), "./http", cwd=out)
    return out


def _database(dialect, tmp_path, request) -> str:
    """A database Django migrated (its 0002 migration writes the rows)."""
    if dialect == "sqlite":
        url = str(tmp_path / "notes.sqlite3")
    else:
        pg = request.getfixturevalue("postgres_server")
        name = f"views_optional_{os.getpid()}"
        url = pg.create_db(name)
        request.addfinalizer(lambda: pg.drop_db(name))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update({"DATABASE_URL": url} if url.startswith("postgres") else {"SQLITE_PATH": url})
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT, check=True, timeout=300, env=env)
    return url


@pytest.mark.slow
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_query_text_and_optional_filters_answer_what_django_answers(server, dialect, tmp_path, request):
    from migrator.parity.http import compare_endpoints, fetch
    from test_http_parity import Servers  # Django runserver and the Go server on free ports

    url = _database(dialect, tmp_path, request)
    with Servers(PROJECT, server, url) as s:
        paths = ["/notes/" + q for q in QUERIES] + ["/notes/count/", "/notes/count/all/", "/notes/count/0/",
                                                    "/notes/count/5/", "/notes/count/007/"]
        diffs = compare_endpoints(paths, s.django, s.go)
        answers = {}
        for q in ("", "?rating=5", "?rating=abc", "?since=2024-W10-1"):
            status, _, body = fetch(s.go, "GET", "/notes/" + q)
            answers[q] = (status, json.loads(body))
        counts = [fetch(s.go, "GET", p) for p in ("/notes/count/", "/notes/count/all/", "/notes/count/5/")]
    assert not diffs, f"{dialect}: " + "\n".join(map(str, diffs))
    # not vacuous: rows with and without an author, filters that keep fewer rows, Python's error text
    assert answers[""][0] == 200 and len(answers[""][1]["results"]) == 12
    assert {r["author"] for r in answers[""][1]["results"]} == {"Ann", "Bo", None}
    assert [r["rating"] for r in answers["?rating=5"][1]["results"]] == [5, 5]
    assert answers["?rating=abc"] == (400, {"error": "invalid literal for int() with base 10: 'abc'"})
    assert 0 < len(answers["?since=2024-W10-1"][1]["results"]) < 12
    # both routes of note_count answer its defaults (minimum=3 keeps some rows, rating=None is null)
    # and notes/count/<int:minimum>/ its own handler core, the path's value in place of the default
    assert [(st, json.loads(b)["rating"], json.loads(b)["minimum"]) for st, _, b in counts] == [
        (200, None, 3), (200, None, 3), (200, None, 5)]
    assert json.loads(counts[2][2])["count"] == 2 < json.loads(counts[0][2])["count"] < 12
