"""sqlc started before its queries (sqlcstep/prestart.py) writes what a run started afterwards writes."""

from __future__ import annotations

import time

import pytest

from migrator.sqlcstep import prestart, runner

CONFIG = """version: "2"
sql:
  - engine: postgresql
    schema: sqlc/schema/postgresql.sql
    queries: sqlc/queries/postgresql
    gen:
      go:
        package: pgdb
        out: sqlc/pgdb
        sql_package: pgx/v5
"""
BASE = {"sqlc.yaml": CONFIG,
        "sqlc/schema/postgresql.sql": "CREATE TABLE shop_item (id bigserial PRIMARY KEY, name text NOT NULL);\n"}
GOOD = "-- name: ItemByID :one\nSELECT id, name FROM shop_item WHERE id = $1;\n"


def test_the_gate_follows_the_schema_or_nothing_is_prestarted():
    assert prestart.gated(CONFIG, "sqlc/schema/postgresql.sql") == CONFIG.replace(
        "    schema: sqlc/schema/postgresql.sql\n",
        f"    schema: [sqlc/schema/postgresql.sql, {prestart.GATE}]\n")
    assert prestart.gated(CONFIG, "schema/other.sql") is None
    assert prestart.gated(CONFIG + CONFIG.split("sql:\n")[1], "sqlc/schema/postgresql.sql") is None  # two lines


def _warm() -> prestart.Warm:
    config = prestart.gated(CONFIG, "sqlc/schema/postgresql.sql")
    return prestart.Warm(runner.sqlc_binary(), dict(BASE), config, "sqlc/queries/postgresql")


@pytest.mark.slow
def test_a_prestarted_run_equals_a_run_started_afterwards():
    """The Go files byte for byte (the gate is an empty schema file); a rejected query is named by its file, as
    the step maps errors to queries (one case: each sqlc start costs seconds on a loaded machine)."""
    files = {**BASE, "sqlc/queries/postgresql/00000.sql": GOOD}
    warm = _warm()
    try:
        time.sleep(0.2)
        assert warm.proc.poll() is None  # waiting at the gate, not finished without its queries
        got = warm.finish(files)
    finally:
        warm.close()
    expected = runner.generate(runner.sqlc_binary(), files)
    assert got is not None and got[1] is True
    assert got == expected
    assert sorted(got[0].files) == ["sqlc/pgdb/00000.sql.go", "sqlc/pgdb/db.go", "sqlc/pgdb/models.go"]


@pytest.mark.slow
def test_another_schema_is_not_answered_by_the_prestarted_sqlc():
    warm = _warm()
    proc = warm.proc
    try:
        other = {**BASE, "sqlc/schema/postgresql.sql": BASE["sqlc/schema/postgresql.sql"].replace("name", "title"),
                 "sqlc/queries/postgresql/00000.sql": GOOD}
        assert warm.finish(other) is None
        assert proc.poll() is not None  # killed, not left waiting at the gate
    finally:
        warm.close()


def test_sqlc_is_prestarted_only_when_it_will_likely_run(tmp_path, monkeypatch):
    """No cache entry for this sqlc.yaml and schema, or a file with sites changed since the entry was last used:
    started; nothing changed: not started (it would only burn a core)."""
    import os

    from migrator.sqlcstep.perquery import package_key

    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cache"))
    views = tmp_path / "views.py"
    views.write_text("x = 1\n")
    assert prestart.likely_needed(BASE, (str(views),))  # no entry yet
    entry = tmp_path / "cache" / "sqlc" / f"package-{package_key(BASE)}.json"
    entry.parent.mkdir(parents=True)
    entry.write_text("{}")
    os.utime(views, (1_000_000, 1_000_000))
    assert not prestart.likely_needed(BASE, (str(views),))
    assert prestart.likely_needed({**BASE, "sqlc.yaml": CONFIG + "# other\n"}, (str(views),))  # another entry
    assert prestart.likely_needed(BASE, (str(tmp_path / "gone.py"),))
    os.utime(views, None)  # edited now
    assert prestart.likely_needed(BASE, (str(views),))
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", "off")
    os.utime(views, (1_000_000, 1_000_000))
    assert prestart.likely_needed(BASE, (str(views),))


def test_sqlc_starts_early_on_the_last_runs_schema_and_is_used_only_on_the_same(tmp_path, monkeypatch):
    """prestart.Early: the base a run used is remembered per project root; the next run starts sqlc on it before the
    project is loaded when a file with sites changed since, and that sqlc is used only if the base is the same text
    (another schema: killed, and the step starts its own). The sqlc process is a stand-in here (fast tier)."""
    import os

    from migrator.dialects import DIALECTS
    from migrator.sqlcstep.perquery import package_key

    schema = DIALECTS["postgresql"].sqlc_schema  # where generate's sqlc.yaml reads it (the gate follows it)
    base = {"sqlc.yaml": CONFIG.replace("sqlc/schema/postgresql.sql", schema),
            schema: BASE["sqlc/schema/postgresql.sql"]}
    started: list = []

    class FakeWarm:
        def __init__(self, binary, base, config, queries):
            self.base, self.closed = base, False
            started.append(self)

        def close(self):
            self.closed = True
    monkeypatch.setattr(prestart, "Warm", FakeWarm)
    monkeypatch.setattr(runner, "sqlc_binary", lambda: "sqlc")
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cache"))
    views = tmp_path / "views.py"
    views.write_text("x = 1\n")
    root = str(tmp_path / "project")
    with prestart.Early(root, ("sqlite", "postgresql")) as early:
        early.start()  # a first run: nothing remembered
        assert started == [] and early.take("postgresql", base, (str(views),)) is None
    entry = tmp_path / "cache" / "sqlc" / f"package-{package_key(base)}.json"
    entry.write_text("{}")  # the run's sqlc step used the entry
    os.utime(views, (1_000_000, 1_000_000))
    with prestart.Early(root, ("sqlite", "postgresql")) as early:
        early.start()  # nothing changed since: not started
        assert started == [] and early.take("postgresql", base, (str(views),)) is None
    os.utime(views, None)  # a view edited
    with prestart.Early(str(tmp_path / "other"), ("postgresql",)) as early:
        early.start()  # another project: nothing remembered for it
        assert started == []
    with prestart.Early(root, ("sqlite", "postgresql")) as early:
        early.start()
        assert [w.base for w in started] == [base]  # PostgreSQL only: SQLite's engine starts fast
        assert early.take("postgresql", dict(base), (str(views),)) is started[0] and not started[0].closed
    other = {**base, schema: base[schema].replace("name", "title")}
    with prestart.Early(root, ("postgresql",)) as early:
        early.start()
        assert early.take("postgresql", other, (str(views),)) is None and started[1].closed  # a model changed
    with prestart.Early(root, ("postgresql",)) as early:
        early.start()  # the changed base is what is remembered now
        assert started[2].base == other
    entry.write_text("{}")
    os.utime(views, (1_000_000, 1_000_000))
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", "off")
    with prestart.Early(root, ("postgresql",)) as early:
        early.start()  # no cache, no memo: the step decides as before
        assert len(started) == 3


def _eager_imports(module: str, root) -> set[str]:
    """The migrator modules (and the first part of any other) that importing ``module`` runs: its package's
    ``__init__`` and its own module-level imports, transitively; imports inside functions and ``if TYPE_CHECKING``
    are not run then. Static (the files are parsed), so the test process's own imports do not hide one."""
    import ast

    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(2, len(parts))]  # the packages above run first
        if name in seen or not name.startswith("migrator"):
            seen.add(name.split(".")[0] if not name.startswith("migrator") else name)
            continue
        seen.add(name)
        path = root.joinpath(*parts[1:])
        package = path.is_dir()
        path = path / "__init__.py" if package else path.with_suffix(".py")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        here = name if package else name.rpartition(".")[0]
        for node in tree.body:  # module level only
            if isinstance(node, ast.Import):
                todo += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
                base = here.split(".")[:len(here.split(".")) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                todo.append(target)
                todo += [f"{target}.{a.name}" for a in node.names
                         if root.joinpath(*target.split(".")[1:], a.name).is_dir()
                         or root.joinpath(*target.split(".")[1:], a.name + ".py").is_file()]
    return seen


def test_importing_the_prestart_does_not_import_the_translate_stage():
    """generate starts sqlc (Early) as Django's boot starts; importing prestart must not pull in sqlglot and the
    translate stage first (0.1 to 0.2 s of CPU before sqlc starts: they are imported while Django boots)."""
    from pathlib import Path

    import migrator

    root = Path(migrator.__file__).parent
    reached = _eager_imports("migrator.sqlcstep.prestart", root)
    assert "migrator.sqlcstep.runner" in reached and "migrator.sqlcstep" in reached  # the walk follows the package
    assert sorted(m for m in reached if m == "sqlglot" or m.startswith("migrator.translate")) == []
    assert "sqlglot" in _eager_imports("migrator.sqlcstep.inputs", root)  # and would see it
