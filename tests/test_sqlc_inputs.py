"""sqlc's inputs stay valid (issue 11): parameters renamed on the syntax tree, SQL keywords and non-ASCII text
kept from sqlc's parsers, each query sqlc rejects left out with a located diagnostic, exit codes that tell
the truth, and `analyze --sqlc` counting what `generate` delivers."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, go, run_cli
from migrator.translate.sqlc import Untranslatable, translate

PROJECT = REPO / "tests" / "projects" / "sqlc_inputs"
NO_SITES = REPO / "tests" / "projects" / "sqlc_nosites"


def sentinel(name: str, value, kind: str = "int", *, optional: bool = False, is_list: bool = False) -> dict:
    return {"name": name, "source": name, "kind": kind, "value": value, "optional": optional, "is_list": is_list,
            "field": name}


def sql_of(sql: str, params: list, sentinels: list[dict], dialect: str = "sqlite") -> str:
    compiled = {"site": "s", "dialect": dialect, "command": "many", "result": "rows",
                "statements": [{"sql": sql, "params": params, "kind": "select"}], "sentinels": sentinels}
    site = {"chain": [{"method": "filter", "args": []}], "function": "f", "model": "shop.Item"}
    return translate(compiled, site, dialect).sql


ITEM = 'SELECT "shop_item"."id" FROM "shop_item" WHERE '


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
@pytest.mark.parametrize("where, params, sentinels, expected", [
    # `price` is a prefix of `price_unit`: renamed as text it gave sqlc.arg(price)_unit
    ('("shop_item"."price" = %s AND "shop_item"."price_unit" = %s)', [7301, "s7302"],
     [sentinel("price", 7301), sentinel("price_unit", "s7302", "str")],
     '("shop_item"."price" = sqlc.arg(price) AND "shop_item"."price_unit" = sqlc.arg(price_unit))'),
    ('("shop_item"."price_unit" = %s AND "shop_item"."price" = %s)', ["s7302", 7301],
     [sentinel("price_unit", "s7302", "str"), sentinel("price", 7301)],
     '("shop_item"."price_unit" = sqlc.arg(price_unit) AND "shop_item"."price" = sqlc.arg(price))'),
    # reserved words PostgreSQL's parser rejects in sqlc.arg(...), renamed the same way everywhere
    ('"shop_item"."primary" = %s', [7301], [sentinel("primary", 7301)],
     '"shop_item"."primary" = sqlc.arg(primary_value)'),
    # `order` becomes order_value: a real `order_value` argument then gets a number
    ('("shop_item"."order" = %s AND "shop_item"."price" = %s)', [7301, 7302],
     [sentinel("order", 7301), sentinel("order_value", 7302)],
     '("shop_item"."order" = sqlc.arg(order_value) AND "shop_item"."price" = sqlc.arg(order_value2))'),
])
def test_parameters_are_renamed_on_the_tree(dialect, where, params, sentinels, expected):
    assert sql_of(ITEM + where, params, sentinels, dialect) == ITEM + expected


def test_lists_and_optional_lists_keep_their_form():
    where = '"shop_item"."price" IN (%s) AND "shop_item"."price_unit" = %s'
    sentinels = [sentinel("price", [7301], is_list=True), sentinel("price_unit", "s7302", "str")]
    assert sql_of(ITEM + where, [7301, "s7302"], sentinels, "postgresql").endswith(
        '"shop_item"."price" = ANY(sqlc.arg(price)::bigint[]) AND "shop_item"."price_unit" = sqlc.arg(price_unit)')
    # on SQLite a list comes after every other parameter: sqlc numbers later ones as if the list were one value
    assert sql_of(ITEM + where, [7301, "s7302"], sentinels, "sqlite").endswith(
        '("shop_item"."price_unit" = sqlc.arg(price_unit) AND "shop_item"."price" IN (sqlc.slice(price)))')
    optional = [sentinel("price", [7301], is_list=True, optional=True)]
    assert sql_of(ITEM + '"shop_item"."price" IN (%s)', [7301], optional, "sqlite") == ITEM + (
        '(NOT CAST(sqlc.arg(price_present) AS BOOLEAN) OR "shop_item"."price" IN (sqlc.slice(price)))')


def test_non_ascii_literals_are_ascii_on_sqlite():
    where = '("shop_item"."name" = %s AND "shop_item"."price" = %s)'
    assert sql_of(ITEM + where, ["café", 7301], [sentinel("price", 7301)], "sqlite") == ITEM + (
        '("shop_item"."name" = CAST(X\'636166C3A9\' AS TEXT) AND "shop_item"."price" = sqlc.arg(price))')
    assert sql_of(ITEM + where, ["café", 7301], [sentinel("price", 7301)], "postgresql") == ITEM + (
        '("shop_item"."name" = \'café\' AND "shop_item"."price" = sqlc.arg(price))')
    with pytest.raises(Untranslatable) as exc:
        sql_of('SELECT "shop_item"."name" AS "unité" FROM "shop_item"', [], [], "sqlite")
    assert exc.value.code == "NON_ASCII"


def _queries(text: str) -> dict[str, str]:
    """Query name -> its SQL, from a generated sqlc query file."""
    return dict(re.findall(r"-- name: (\w+) :\w+\n(?:--.*\n)*(.*);", text))


def _go_consts(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"const \w+ = `-- name: (\w+) :\w+\n(.*?)\n`", text, re.S)}


@pytest.mark.slow
def test_every_site_translated_or_rejected_with_its_location(tmp_path):
    out = tmp_path / "out"
    proc = run_cli("generate", str(PROJECT), "--target", "sqlc", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "sqlc (sqlite): 10 of 12 static/conditional sites translated (10 queries)" in proc.stdout, proc.stdout
    assert "sqlc (postgresql): 11 of 12 static/conditional sites translated (11 queries)" in proc.stdout, proc.stdout
    for dialect in ("sqlite", "postgresql"):
        assert (f"shop/reports.py:9:1: warning[SQLC_REJECTED]: sqlc ({dialect}) rejected query "
                "SummaryPriceSummaryValues") in proc.stderr, proc.stderr
    report = (out / "sqlc" / "UNTRANSLATED.md").read_text()
    assert report.count("`shop/reports.py:9` | `summary` | `SQLC_REJECTED`") == 2
    assert report.count("`NON_ASCII`") == 1  # the accented alias, on SQLite only
    # what sqlc wrote is each query's own SQL, with its parameters (the non-ASCII mis-edit emptied them)
    for dialect, package, mark in (("sqlite", "sqlitedb", "?"), ("postgresql", "pgdb", "$")):
        written = _queries((out / "sqlc" / "queries" / f"{dialect}.sql").read_text())
        consts = _go_consts((out / "sqlc" / package / f"{dialect}.sql.go").read_text())
        assert sorted(written) == sorted(consts)
        for name, sql in written.items():
            assert consts[name].startswith("SELECT ") and consts[name].count(mark) == sql.count("sqlc.arg"), name
        assert "sqlc.arg(price)_unit" not in str(written)
        assert "sqlc.arg(primary_value)" in written["ByPrimaryItemValues"]
    go("build", "./...", cwd=out)
    go("vet", "./...", cwd=out)


@pytest.mark.slow
def test_a_project_without_sites_gets_a_tree_that_builds(tmp_path):
    out = tmp_path / "out"
    proc = run_cli("generate", str(NO_SITES), "--target", "sqlc", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SQLC_FAILED" not in proc.stderr and "error" not in proc.stderr, proc.stderr
    assert "sqlc (sqlite): 0 of 0 static/conditional sites translated" in proc.stdout
    assert (out / "sqlc" / "sqlitedb" / "models.go").exists() and (out / "sqlc" / "pgdb" / "db.go").exists()
    assert not (out / "sqlc" / "sqlitedb" / "sqlite.sql.go").exists()  # no stand-in query in the API
    go("build", "./...", cwd=out)


@pytest.mark.slow
def test_sqlc_failing_exits_2_with_a_diagnostic(tmp_path, monkeypatch):
    from migrator.sqlcstep import runner as emit_sqlc
    from migrator.generate import generate

    broken = tmp_path / "sqlc"
    broken.write_text("#!/bin/sh\necho 'error parsing configuration' >&2\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setattr(emit_sqlc, "sqlc_binary", lambda: str(broken))
    result = generate(NO_SITES, tmp_path / "out", ("sqlc",))
    assert [d.code for d in result.diagnostics if d.code.startswith("SQLC")] == ["SQLC_FAILED"]
    assert result.exit_code == 2
    assert not any(p.startswith("sqlc/sqlitedb/") for p in result.emitted.files)


@pytest.mark.slow
def test_analyze_sqlc_counts_what_generate_delivers():
    from migrator.analyze import analyze

    result = analyze(PROJECT, sqlc=True)
    sqlc = result.summary["sqlc"]
    assert (sqlc["sqlite"]["translated"], sqlc["postgresql"]["translated"]) == (10, 11)
    assert {u["reason"] for u in sqlc["postgresql"]["untranslated"]} == {"SQLC_REJECTED"}
    assert sum(d.code == "SQLC_REJECTED" for d in result.diagnostics) == 2
