"""The sqlc step per query, with the real sqlc: a run that finds some queries cached assembles the same bytes as a
cold run, and these are the bytes sqlc writes for the queries as one file (no Django, no Go build)."""

from __future__ import annotations

import pytest

from migrator.sqlcstep import runner
from migrator.sqlcstep.perquery import run_package

pytestmark = pytest.mark.slow  # every test here starts Django, sqlc, Go or the CLI (tests/conftest.py)

SCHEMA = ("CREATE TABLE shop_item (id integer NOT NULL PRIMARY KEY, name text NOT NULL, price text NULL, "
          "made date NULL);\n")
YAML = """version: "2"
sql:
  - engine: {engine}
    schema: schema.sql
    queries: {queries}
    gen:
      go:
        package: db
        out: sqlc/db
        emit_json_tags: true
"""
P = {"sqlite": "?", "postgresql": "$1"}


def queries(engine: str, edited: bool = False) -> list[tuple[str, str]]:
    p = P[engine]
    out = [("ItemByID", f"-- name: ItemByID :one\n-- a.py:3 item: Item.objects.get\nSELECT * FROM shop_item WHERE id = {p};\n"),
           ("ItemNames", f"-- name: ItemNames :many\nSELECT name FROM shop_item WHERE name LIKE {p} ORDER BY name;\n"),
           ("CountItems", "-- name: CountItems :one\nSELECT COUNT(*) FROM shop_item;\n"),
           ("TouchItem", f"-- name: TouchItem :exec\nUPDATE shop_item SET made = {p} WHERE id = {p.replace('1', '2')};\n")]
    if edited:  # one view edited: one query changes, one goes, one comes
        out[1] = ("ItemNames", out[1][1].replace("ORDER BY name", "ORDER BY name DESC"))
        out[2] = ("AddItem", f"-- name: AddItem :exec\nINSERT INTO shop_item (id, name) VALUES ({p}, {p.replace('1', '2')});\n")
    return out


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def test_incremental_equals_cold_equals_one_sqlc_file(engine, tmp_path, monkeypatch):
    base = {"sqlc.yaml": YAML.format(engine=engine, queries=f"sqlc/queries/{engine}"), "schema.sql": SCHEMA}
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cold"))
    cold = run_package(engine, "db", base, queries(engine), "-- name: X :exec\nSELECT 1;\n")
    assert cold.ran and not cold.error and not cold.rejected
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "warm"))
    run_package(engine, "db", base, queries(engine, edited=True), "")
    warm = run_package(engine, "db", base, queries(engine), "")
    assert warm.ran and warm.files == cold.files  # byte for byte
    assert not run_package(engine, "db", base, queries(engine), "").ran  # nothing new: sqlc does not start

    one_file = {"sqlc.yaml": YAML.format(engine=engine, queries=f"sqlc/queries/{engine}.sql"), "schema.sql": SCHEMA,
                f"sqlc/queries/{engine}.sql": "\n".join(text for _, text in queries(engine))}
    whole, _ = runner.generate(runner.sqlc_binary(), one_file)
    assert not whole.error and whole.files == cold.files
