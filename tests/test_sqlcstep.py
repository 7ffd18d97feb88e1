"""The sqlc step on its own (fast tier: no Django, no real sqlc, no Go build): results cached by content, each
sqlc error mapped to its query, the queries sqlc rejects left out with a located diagnostic."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from migrator import sqlcstep
from migrator.plan import GoMethod, GoPackage, GoStruct, Plan
from migrator.sqlcstep import runner
from migrator.sqlcstep.gopkg import parse_go_package

FAKE_SQLC = """#!/bin/sh
if [ "$1" = version ]; then echo v1.31.1; exit 0; fi
echo run >> "{count}"
if grep -q BROKEN sqlc/queries/*.sql 2>/dev/null; then echo 'sqlc/queries/q.sql:1:1: syntax error' >&2; exit 1; fi
mkdir -p sqlc/pgdb && cat sqlc/queries/*.sql > sqlc/pgdb/q.go
"""


@pytest.fixture
def fake_sqlc(tmp_path, monkeypatch):
    """A stand-in sqlc that counts its runs and copies the queries into a .go file; a private cache."""
    count = tmp_path / "runs"
    binary = tmp_path / "sqlc"
    binary.write_text(FAKE_SQLC.format(count=count))
    binary.chmod(0o755)
    monkeypatch.setattr(runner, "sqlc_binary", lambda: str(binary))
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cache"))
    return lambda: len(count.read_text().splitlines()) if count.exists() else 0


def test_a_second_run_on_the_same_inputs_reads_the_cache(fake_sqlc):
    files = {"sqlc.yaml": "version: 2\n", "sqlc/queries/q.sql": "SELECT 1;\n"}
    first = runner.run_sqlc(files)
    assert (first.error, first.cached, fake_sqlc()) == ("", False, 1)
    assert list(first.files) == ["sqlc/pgdb/q.go"] and first.files["sqlc/pgdb/q.go"].endswith("SELECT 1;\n")
    again = runner.run_sqlc(dict(files))
    assert (again.files, again.cached, fake_sqlc()) == (first.files, True, 1)
    changed = runner.run_sqlc({**files, "sqlc/queries/q.sql": "SELECT 2;\n"})  # one character: sqlc runs
    assert (changed.cached, fake_sqlc()) == (False, 2)


def test_sqlc_errors_are_cached_a_missing_binary_is_not(fake_sqlc, tmp_path, monkeypatch):
    files = {"sqlc/queries/q.sql": "BROKEN\n"}
    assert runner.run_sqlc(files).error.startswith("sqlc/queries/q.sql:1:1: syntax error")
    assert (runner.run_sqlc(files).cached, fake_sqlc()) == (True, 1)
    entries = sorted((tmp_path / "cache" / "sqlc").glob("*.json"))
    assert len(entries) == 1
    monkeypatch.setattr(runner, "sqlc_binary", lambda: str(tmp_path / "missing"))
    assert "missing" in runner.run_sqlc({"x.sql": "SELECT 3;\n"}).error
    assert not runner.run_sqlc({"x.sql": "SELECT 3;\n"}).cached
    assert sorted((tmp_path / "cache" / "sqlc").glob("*.json")) == entries


def test_the_cache_can_be_turned_off(fake_sqlc, monkeypatch):
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", "off")
    files = {"sqlc/queries/q.sql": "SELECT 1;\n"}
    runner.run_sqlc(files)
    assert (runner.run_sqlc(files).cached, fake_sqlc()) == (False, 2)


@dataclass
class Q:
    name: str
    site: str
    sql: str


class FakeInputs:
    """What the step asks of Inputs, without a project: one file per dialect, or one per query."""

    sites = {"a.py:1:1": {"file": "a.py", "line": 1}, "b.py:2:1": {"file": "b.py", "line": 2}}

    def for_sqlc(self, dialect, queries):
        return {f"sqlc/queries/{dialect}.sql": "".join(q.sql for q in queries) or "SELECT 1;"}

    def one_per_query(self, dialect, queries):
        return {f"sqlc/queries/{dialect}/{i:05d}.sql": q.sql for i, q in enumerate(queries)}

    def written(self, per_dialect):
        return {f"sqlc/queries/{d}.sql": "".join(q.sql for q in qs) for d, qs in per_dialect.items()}


def test_each_sqlc_error_goes_to_its_query(monkeypatch):
    good, bad = Q("Good", "a.py:1:1", "SELECT 1;"), Q("Bad", "b.py:2:1", "BROKEN;")

    def fake_run(files):
        for rel, text in files.items():
            if "BROKEN" in text:
                return runner.Run({}, f"# package pgdb\n{rel}:1:8: syntax error at or near \"BROKEN\"\n")
        return runner.Run({"sqlc/pgdb/postgresql.sql.go": "package pgdb\n"}, "")

    monkeypatch.setattr(sqlcstep, "run_sqlc", fake_run)
    plan = Plan(dialects=("postgresql",), queries={"postgresql": [bad, good]}, skipped={"postgresql": []})
    result = sqlcstep.run_step(None, plan, FakeInputs())
    assert result.queries == {"postgresql": [good]}
    assert result.skipped == {"postgresql": [("b.py:2:1", "SQLC_REJECTED", 'Bad: syntax error at or near "BROKEN"')]}
    assert [(d.code, d.file, d.line) for d in result.diagnostics] == [("SQLC_REJECTED", "b.py", 2)]
    assert not result.failed and list(result.files) == ["sqlc/pgdb/postgresql.sql.go"]
    assert plan.queries["postgresql"] == [bad, good]  # the Plan is not edited


def test_a_failure_no_query_explains_is_sqlc_failed(monkeypatch):
    monkeypatch.setattr(sqlcstep, "run_sqlc", lambda files: runner.Run({}, "error parsing configuration"))
    plan = Plan(dialects=("sqlite", "postgresql"), queries={"sqlite": [], "postgresql": []},
                skipped={"sqlite": [], "postgresql": []})
    result = sqlcstep.run_step(None, plan, FakeInputs())
    assert [d.code for d in result.diagnostics] == ["SQLC_FAILED"] and result.failed and result.files == {}


GO = '''package pgdb

type ProductBySlugRow struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
}

func (q *Queries) ProductBySlug(ctx context.Context, slug string) (ProductBySlugRow, error) {
}

func (q *Queries) Touch(ctx context.Context, arg TouchParams) error {
}
'''


def test_package_signatures_are_typed_values_that_round_trip():
    pkg = parse_go_package(GO)
    assert pkg.methods == {"ProductBySlug": GoMethod(params=(("slug", "string"),), ret="ProductBySlugRow"),
                           "Touch": GoMethod(params=(("arg", "TouchParams"),), ret="")}
    assert pkg.structs == {"ProductBySlugRow": GoStruct(fields=(("ID", "int64", "id"), ("Slug", "string", "slug")))}
    assert GoPackage.from_json(pkg.to_json()) == pkg
