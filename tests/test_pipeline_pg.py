"""Pipelined statements on PostgreSQL answer and write what the same handler run one statement at a time does.

The sample's ``restock`` (an UPDATE, then a ``get()``) is pipelined (translate/pipeline.py, dbpool.Pipeline).
A copy of the generated tree whose ``pgStore.Pipeline`` runs its closure statement by statement is the
sequential reference: the same handler, the same statements, one round trip each. Both servers take the same
requests on their own copy of the loaded database, with one connection each (DB_MAX_OPEN_CONNS=1), and a
trigger that, on a restock of 777, breaks the session's search_path after the UPDATE: the UPDATE commits and the
``get()`` after it fails. A pipeline with one Sync for both statements would roll the UPDATE back there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess

import psycopg
import pytest

from conftest import go
from migrator.parity.http import fetch
from test_http_parity import _free_port, _wait

BREAK = """
CREATE FUNCTION pipeline_test_break() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.stock - OLD.stock = 777 THEN
    PERFORM set_config('search_path', 'pipeline_test_nowhere', false);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER pipeline_test_break AFTER UPDATE ON catalog_product FOR EACH ROW EXECUTE FUNCTION pipeline_test_break();
"""
SEQUENTIAL = re.compile(r"(func \(s pgStore\) Pipeline\(ctx context\.Context, run func\(Store\)\) \{\n).*?\n\}\n", re.S)


def _serve(tree, url: str, requests: list) -> list[tuple[int, bytes]]:
    """The answers to ``requests``: (path, JSON body) each, or SQL run on the database between two of them."""
    port = _free_port()
    proc = subprocess.Popen([str(tree / "bin" / "server")], env={
        "DATABASE_URL": url, "PORT": str(port), "HOST": "127.0.0.1", "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LOG_LEVEL": "error", "DB_MAX_OPEN_CONNS": "1"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait(f"http://127.0.0.1:{port}/healthz", proc, "the Go server")
        out = []
        for r in requests:
            if isinstance(r, str):
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(r)
                continue
            out.append(fetch(f"http://127.0.0.1:{port}", "POST", r[0], body=json.dumps(r[1]).encode())[::2])
        return out
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)


def _stock(url: str) -> dict[int, int]:
    with psycopg.connect(url) as conn:
        return dict(conn.execute("SELECT id, stock FROM catalog_product ORDER BY id").fetchall())


@pytest.mark.slow
@pytest.mark.parametrize("loaded_db", ["postgresql"], indirect=True)
def test_pipelined_restock_equals_sequential(sample_trees, loaded_db, tmp_path):
    tree = sample_trees("nethttp").build("server")
    handler = (tree / "http" / "handlers_migrated.go").read_text()
    assert "s.Store.Pipeline(ctx, func(st Store) {\n\t\tpiped.updated" in handler  # restock is pipelined
    sequential = tmp_path / "sequential"
    shutil.copytree(tree, sequential, ignore=shutil.ignore_patterns("bin"))
    store = sequential / "http" / "store.go"
    text = store.read_text()
    assert "dbpool.Pipeline(ctx, s.pool" in text
    store.write_text(SEQUENTIAL.sub(r"\1\trun(s)\n}\n", text, count=1) + "\nvar _ = dbpool.Pipeline\n")
    assert "dbpool.Pipeline(ctx, s.pool" not in store.read_text()
    go("build", "-o", str(sequential / "bin" / "server"), "./http", cwd=sequential)

    _, url, copy = loaded_db
    before = _stock(url)
    pid = min(before)
    restock = f"/api/catalog/products/{pid}/restock/"
    requests = [
        (restock, {"quantity": 5}),  # 200: both statements
        ("/api/catalog/products/987654/restock/", {"quantity": 1}),  # 404: the UPDATE matched nothing
        (restock, {"quantity": 2147483647}),  # 500: the UPDATE fails (integer out of range), the get() is not read
        "UPDATE catalog_product SET stock = stock + 1000",  # SQL between requests: the database moves on
        (restock, {"quantity": 2}),  # 200
        (restock, {"quantity": 777}),  # 500: the UPDATE commits, the get() fails (the trigger's search_path)
    ]
    answers, after = {}, {}
    for name, build in (("pipelined", tree), ("sequential", sequential)):
        db = copy(name)
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute(BREAK)
        answers[name] = _serve(build, db, requests)
        after[name] = _stock(db)
    assert [status for status, _ in answers["sequential"]] == [200, 404, 500, 200, 500], answers["sequential"]
    assert answers["pipelined"] == answers["sequential"]
    assert after["pipelined"] == after["sequential"]
    assert after["pipelined"][pid] == before[pid] + 5 + 1000 + 2 + 777  # the UPDATEs before a failing get() committed
    assert {k: v - 1000 for k, v in after["pipelined"].items() if k != pid} == {k: v for k, v in before.items() if k != pid}
