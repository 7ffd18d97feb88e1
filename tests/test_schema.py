"""migrator.load.schema: Django's create_model DDL, generated offline, equals what migrate builds.

For each project and dialect: database A is built by ``manage.py migrate``, database B by executing
the worker's statements on an empty database; both are introspected the same way and compared.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from conftest import LIBRARY, REPO, SAMPLE

from migrator.parity.checks_schema import introspect_postgres, introspect_sqlite, table_diff  # as parity

PROJECTS = {
    "sample": (SAMPLE, "shopapi.settings"),
    "library": (LIBRARY, "config.settings.dev"),
}
DIALECTS = ("sqlite", "postgresql")
CLOSED_PG = "postgresql://x@127.0.0.1:1/none"  # nothing listens on port 1


def _env(**extra: str) -> dict[str, str]:
    drop = ("DATABASE_URL", "SQLITE_PATH", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(extra)
    return env


def run_worker(project: str, tmp: Path, **env: str) -> dict[str, list[str]]:
    root, settings = PROJECTS[project]
    out = tmp / f"worker-{project}-{len(list(tmp.iterdir()))}.json"
    proc = subprocess.run(
        [sys.executable, "-m", "migrator.load.worker", str(root), "--settings", settings,
         "--out", str(out), "--schema"],
        cwd=REPO, env=_env(**env), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text())
    assert not result["fatal"], result["diagnostics"]
    assert "schema" in result, result["diagnostics"]
    return result["schema"]


@lru_cache(maxsize=None)
def worker_schema(project: str) -> dict[str, list[str]]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return run_worker(project, Path(tmp))


def migrate(project: str, **env: str) -> None:
    root, settings = PROJECTS[project]
    proc = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "--settings", settings],
                          cwd=root, env=_env(**env), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"migrate failed:\n{proc.stdout}\n{proc.stderr}"


def executable(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.startswith("--")]


# --- introspection ---------------------------------------------------------------------------


def schema_diff(migrated: dict, created: dict) -> list[str]:
    """Every difference, one line each (empty when the schemas agree): `migrate parity`'s comparison."""
    return [d for table in sorted(set(migrated) | set(created))
            for d in table_diff(table, migrated.get(table), created.get(table))]


# --- tests -----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("project", sorted(PROJECTS))
def test_schema_matches_migrate(project, dialect, tmp_path, request):
    statements = worker_schema(project)[dialect]
    assert statements and all(s.endswith(";") or s.startswith("--") for s in statements)
    if dialect == "sqlite":
        a, b = tmp_path / "migrated.sqlite3", tmp_path / "created.sqlite3"
        migrate(project, SQLITE_PATH=str(a))
        db = sqlite3.connect(b)  # plain sqlite3: none of Django's custom SQL functions
        db.executescript("\n".join(statements))
        db.close()
        migrated, created = introspect_sqlite(a), introspect_sqlite(b)
    else:
        import psycopg

        server = request.getfixturevalue("postgres_server")
        names = [f"{project}_migrated", f"{project}_created"]
        for name in names:
            server.drop_db(name)
            server.create_db(name)
        try:
            migrate(project, DATABASE_URL=server.url(names[0]))
            with psycopg.connect(server.url(names[1])) as db:  # one transaction, committed on exit
                for stmt in executable(statements):
                    db.execute(stmt)
            migrated, created = introspect_postgres(server.url(names[0])), introspect_postgres(server.url(names[1]))
        finally:
            for name in names:
                server.drop_db(name)
    assert migrated, "migrate created no tables"
    diffs = schema_diff(migrated, created)
    assert not diffs, "\n".join(diffs)


@pytest.mark.slow
@pytest.mark.parametrize("project", sorted(PROJECTS))
def test_schema_is_deterministic_and_offline(project, tmp_path):
    first = worker_schema(project)
    # A second run, with another hash seed and the project's DATABASE_URL pointing at a port
    # nothing listens on: generating the DDL must not need (or try) a database server.
    again = run_worker(project, tmp_path, DATABASE_URL=CLOSED_PG, PYTHONHASHSEED="12345")
    assert again == first
    assert sorted(first) == sorted((*DIALECTS, "mysql"))  # MySQL's too: PyMySQL is in the [test] extra


@pytest.mark.slow
@pytest.mark.parametrize("project", sorted(PROJECTS))
def test_sqlite_schema_needs_no_django_functions(project):
    from migrator.load.schema import django_sqlite_functions, sqlite_functions_used

    functions = django_sqlite_functions()
    assert {"django_date_extract", "regexp", "md5"} <= functions
    for stmt in worker_schema(project)["sqlite"]:
        assert not stmt.startswith("-- needs"), stmt
        assert sqlite_functions_used(stmt, functions) == [], stmt


def test_sqlite_function_detection():
    from migrator.load.schema import sqlite_functions_used

    assert sqlite_functions_used('CREATE TABLE "t" ("x" text CHECK (MD5("x") <> \'\'));') == ["md5"]
    assert sqlite_functions_used('CREATE TABLE "t" ("x" text CHECK ("x" REGEXP \'^a\'));') == ["regexp"]
    assert sqlite_functions_used('CREATE TABLE "md5" ("regexp" text, "y" text DEFAULT \'md5(x)\');') == []
    assert sqlite_functions_used('CREATE TABLE "t" ("j" text CHECK (JSON_VALID("j")));') == []


@pytest.mark.slow
def test_unmanaged_and_proxy_models():
    # The sample project has a proxy model (FeaturedProduct): it gets no table of its own.
    sqlite = worker_schema("sample")["sqlite"]
    tables = [re.match(r'CREATE TABLE "([^"]+)"', s).group(1) for s in sqlite if s.startswith("CREATE TABLE")]
    assert len(tables) == len(set(tables))
    assert "catalog_featuredproduct" not in tables
    assert "payments" in tables and "lending_loan_records" not in tables  # db_table honoured
    assert "lending_loan_records" in [re.match(r'CREATE TABLE "([^"]+)"', s).group(1)
                                      for s in worker_schema("library")["sqlite"] if s.startswith("CREATE TABLE")]


@pytest.mark.slow
def test_unmanaged_model_is_a_comment(tmp_path):
    project = tmp_path / "proj"
    (project / "things").mkdir(parents=True)
    (project / "things" / "__init__.py").write_text("")
    (project / "things" / "models.py").write_text(
        "from django.db import models\n\n"
        "class Legacy(models.Model):\n"
        "    name = models.CharField(max_length=10)\n"
        "    class Meta:\n"
        "        managed = False\n"
        "        db_table = 'legacy_things'\n\n"
        "class Thing(models.Model):\n"
        "    legacy = models.ForeignKey(Legacy, on_delete=models.CASCADE)\n"
        "    class Meta:\n"
        "        db_table = 'my_things'\n")
    (project / "settings.py").write_text(
        "SECRET_KEY = 'x'\nINSTALLED_APPS = ['things']\n"
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}}\n"
        "DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'\n")
    out = tmp_path / "out.json"
    proc = subprocess.run([sys.executable, "-m", "migrator.load.worker", str(project), "--settings", "settings",
                           "--out", str(out), "--schema"], cwd=REPO, env=_env(), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    schema = json.loads(out.read_text())["schema"]
    for dialect in DIALECTS:
        stmts = schema[dialect]
        assert stmts[0] == "-- unmanaged: legacy_things"
        assert stmts[1].startswith('CREATE TABLE "my_things"')
        assert not any('CREATE TABLE "legacy_things"' in s for s in stmts)


def test_schema_sql_render():
    from migrator.translate.schema import schema_sql

    stmts = ["-- unmanaged: legacy", 'CREATE TABLE "a" ("id" integer);', 'CREATE TABLE "b" (\n  "id" integer\n);',
             'CREATE INDEX "i" ON "a" ("id");', 'CREATE INDEX "j" ON "b" ("id");']
    text = schema_sql(stmts, "sqlite")
    assert text == (
        "-- Code generated by migrator. DO NOT EDIT.\n"
        "-- Django's schema for sqlite, from its schema editor (what manage.py migrate creates)\n"
        "\n"
        "-- unmanaged: legacy\n"
        'CREATE TABLE "a" ("id" integer);\n'
        "\n"
        'CREATE TABLE "b" (\n  "id" integer\n);\n'
        "\n"
        'CREATE INDEX "i" ON "a" ("id");\n'
        'CREATE INDEX "j" ON "b" ("id");\n')
    assert schema_sql(stmts, "sqlite") == text
    assert schema_sql([], "postgresql").endswith("creates)\n")


@pytest.mark.slow
@pytest.mark.parametrize("dialect", DIALECTS)
def test_rendered_file_executes(dialect, tmp_path, request):
    from migrator.translate.schema import schema_sql

    text = schema_sql(worker_schema("sample")[dialect], dialect)
    if dialect == "sqlite":
        db = sqlite3.connect(tmp_path / "x.sqlite3")
        db.executescript(text)
        n = db.execute("SELECT count(*) FROM sqlite_master "
                       "WHERE type='table' AND name NOT LIKE 'sqlite_%'").fetchone()[0]
        db.close()
    else:
        import psycopg

        url = request.getfixturevalue("pg_db")
        with psycopg.connect(url) as db:
            db.execute(text)  # no parameters: the simple protocol runs the whole script
            n = db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
    assert n == sum(s.startswith("CREATE TABLE") for s in worker_schema("sample")[dialect])


@pytest.mark.slow
def test_comparison_notices_a_missing_index(tmp_path):
    # Guard against a comparison that compares nothing: drop one index and it must show.
    statements = worker_schema("library")["sqlite"]
    dropped = next(s for s in statements if s.startswith("CREATE INDEX"))
    a, b = tmp_path / "all.sqlite3", tmp_path / "fewer.sqlite3"
    for path, stmts in ((a, statements), (b, [s for s in statements if s != dropped])):
        db = sqlite3.connect(path)
        db.executescript("\n".join(stmts))
        db.close()
    diffs = schema_diff(introspect_sqlite(a), introspect_sqlite(b))
    assert len(diffs) == 1 and "only migrate has" in diffs[0], diffs
