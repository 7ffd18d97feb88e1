"""The sqlc step on its own (fast tier: no Django, no real sqlc, no Go build): results cached per query, each
sqlc error mapped to its query, the queries sqlc rejects left out with a located diagnostic, sqlc started only
for queries it has not seen."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from migrator import sqlcstep
from migrator.plan import GoMethod, GoPackage, GoStruct, Plan
from migrator.sqlcstep import runner
from migrator.sqlcstep.gopkg import parse_go_package


@dataclass
class Q:
    name: str
    site: str
    sql: str


class FakeInputs:
    """What the step asks of Inputs, without a project."""

    sites = {"a.py:1:1": {"file": "a.py", "line": 1}, "b.py:2:1": {"file": "b.py", "line": 2}}

    def package_base(self, dialect):
        return {"sqlc.yaml": "version: 2\n"}

    def query_file(self, q):
        return f"-- name: {q.name} :one\n{q.sql}\n"

    def written(self, per_dialect):
        return {f"sqlc/queries/{d}.sql": "".join(q.sql for q in qs) for d, qs in per_dialect.items()}


PER_QUERY_SQLC = """#!/bin/sh
if [ "$1" = version ]; then echo v1.31.1; exit 0; fi
echo run >> "{count}"
mkdir -p sqlc/pgdb
bad=0
for f in sqlc/queries/postgresql/*.sql; do
  n=$(basename "$f" .sql)
  if grep -q BROKEN "$f"; then echo "# package pgdb" >&2; echo "$f:2:8: syntax error at or near \"BROKEN\"" >&2; bad=1; fi
  name=$(sed -n 's/-- name: \\([A-Za-z]*\\).*/\\1/p' "$f")
  printf '// source: %s.sql\\n\\npackage pgdb\\n\\nimport (\\n\\t"context"\\n)\\n\\nconst q%s = 1\\n' "$n" "$name" > sqlc/pgdb/$n.sql.go
done
[ $bad = 1 ] && exit 1
printf 'package pgdb\\n' > sqlc/pgdb/db.go
"""


@pytest.fixture
def per_query_sqlc(tmp_path, monkeypatch):
    count = tmp_path / "runs"
    binary = tmp_path / "sqlc"
    binary.write_text(PER_QUERY_SQLC.format(count=count))
    binary.chmod(0o755)
    monkeypatch.setattr(runner, "sqlc_binary", lambda: str(binary))
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cache"))
    return lambda: len(count.read_text().splitlines()) if count.exists() else 0


def test_each_sqlc_error_goes_to_its_query_and_only_new_queries_run(per_query_sqlc, tmp_path):
    good, bad = Q("Good", "a.py:1:1", "SELECT 1;"), Q("Bad", "b.py:2:1", "BROKEN;")
    plan = Plan(dialects=("postgresql",), queries={"postgresql": [bad, good]}, skipped={"postgresql": []})
    result = sqlcstep.run_step(None, plan, FakeInputs())
    assert result.queries == {"postgresql": [good]}
    assert result.skipped == {"postgresql": [("b.py:2:1", "SQLC_REJECTED", "Bad: syntax error at or near BROKEN")]}
    assert [(d.code, d.file, d.line) for d in result.diagnostics] == [("SQLC_REJECTED", "b.py", 2)]
    assert not result.failed and sorted(result.files) == ["sqlc/pgdb/db.go", "sqlc/pgdb/postgresql.sql.go"]
    assert "// source: postgresql.sql" in result.files["sqlc/pgdb/postgresql.sql.go"]
    assert plan.queries["postgresql"] == [bad, good]  # the Plan is not edited
    assert per_query_sqlc() == 2  # one run, one more without the rejected query
    again = sqlcstep.run_step(None, plan, FakeInputs())  # nothing new: sqlc does not start, the rejection is cached
    assert (again.files, again.skipped, again.cached, per_query_sqlc()) == (result.files, result.skipped, 1, 2)
    added = Q("Added", "a.py:1:1", "SELECT 2;")
    plan.queries["postgresql"].append(added)
    third = sqlcstep.run_step(None, plan, FakeInputs())
    assert per_query_sqlc() == 3 and third.queries == {"postgresql": [good, added]}
    assert len(list((tmp_path / "cache" / "sqlc").glob("package-*.json"))) == 1
    text = third.files["sqlc/pgdb/postgresql.sql.go"]
    assert text.index("const qAdded") < text.index("const qGood")  # sorted by method name, as sqlc does


def test_a_failure_no_query_explains_is_sqlc_failed(monkeypatch):
    monkeypatch.setattr(runner, "generate", lambda binary, files: (runner.Run({}, "error parsing configuration"), True))
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", "off")
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


def test_the_cache_can_be_turned_off_and_a_missing_binary_is_not_cached(per_query_sqlc, tmp_path, monkeypatch):
    plan = Plan(dialects=("postgresql",), queries={"postgresql": [Q("Good", "a.py:1:1", "SELECT 1;")]},
                skipped={"postgresql": []})
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", "off")
    sqlcstep.run_step(None, plan, FakeInputs())
    assert (sqlcstep.run_step(None, plan, FakeInputs()).cached, per_query_sqlc()) == (0, 2)
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(runner, "sqlc_binary", lambda: str(tmp_path / "missing"))
    assert sqlcstep.run_step(None, plan, FakeInputs()).failed
    assert not list((tmp_path / "cache").rglob("*.json"))
