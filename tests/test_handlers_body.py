"""A migrated view's JSON request body (tests/projects/bool_operand): Django and the generated Go service
answer the same bodies alike on SQLite and PostgreSQL, each on its own copy of the database.

The reproduction: ``{"quantity": true}`` passes ``isinstance(data.get("quantity"), int)`` (bool is an int in
Python) and Django binds True as is inside ``F("stock") + value``: SQLite adds 1, PostgreSQL refuses
``integer + boolean`` and Django answers 500. The Go side answered 200 on both; it now answers as Django.
The other bodies pin what decoding into the view's struct (requestBody) must keep: exact-case keys,
the last of a repeated key, wrong types and missing keys left to the view's own tests.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, go, side_databases
from migrator.parity.http import compare_answers, fetch, request_body

PROJECT = REPO / "tests" / "projects" / "bool_operand"
BODIES = [
    {"body": {"quantity": 2}}, {"body": {"quantity": True}}, {"body": {"quantity": False}},
    {"body": {"quantity": 2.0}}, {"body": {"quantity": "2"}}, {"body": {"quantity": None}},
    {"body": {"QUANTITY": 2}}, {"body": {"quantity": 2, "unknown": [1]}}, {"body": {}},
    {"raw": '{"quantity": "x", "quantity": 1}'}, {"raw": "[1]"}, {"raw": "not json"}, {"raw": ""},
    {"raw": '{"quantity": 100000000000000000000000}'}, {"body": {"quantity": -1}},
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The project generated with every target and its Go service built, once."""
    from migrator.generate import generate

    out = tmp_path_factory.mktemp("bool-operand") / "tree"
    result = generate(PROJECT, out, targets=("all",))
    assert result.exit_code == 0, [d.render() for d in result.diagnostics]
    assert "stock.views.restock" in " ".join(result.emitted.notes)
    go("build", "-o", str(out / "bin" / "server"), "./http", cwd=out)
    return out / "bin" / "server"


def _databases(dialect, tmp_path, request) -> list[str]:
    """Two databases Django migrated (one item, stock 5): one for each side, as writes change them."""
    urls = side_databases(request, tmp_path, dialect, "bool")
    for url in urls:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT, check=True, timeout=300,
                       env={**_env(url), "PATH": os.environ["PATH"]})
    return urls


def _env(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update({"DATABASE_URL": url} if url.startswith("postgres") else {"SQLITE_PATH": url})
    return env


@pytest.mark.slow
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_json_bodies_answer_what_django_answers(server, dialect, tmp_path, request):
    from test_http_parity import Servers  # Django runserver and the Go server on free ports

    django_db, go_db = _databases(dialect, tmp_path, request)
    with Servers(PROJECT, server.parent.parent, django_db) as dj, Servers(PROJECT, server.parent.parent, go_db) as g:
        answers = []
        for r in BODIES:
            body = request_body(r)
            d, o = fetch(dj.django, "POST", "/items/1/restock/", body=body), fetch(g.go, "POST", "/items/1/restock/", body=body)
            answers.append((r, d[0], o[0]))
            diffs = compare_answers("POST", f"/items/1/restock/ {r}", d, o)
            assert not diffs, "\n".join(map(str, diffs))
    statuses = {str(r): (d, o) for r, d, o in answers}
    expected_true = 500 if dialect == "postgresql" else 200  # Django's own answer, which Go now gives
    assert statuses[str({"body": {"quantity": True}})] == (expected_true, expected_true)
    assert statuses[str({"body": {"QUANTITY": 2}})] == (400, 400)
    assert statuses[str({"raw": '{"quantity": "x", "quantity": 1}'})] == (200, 200)
