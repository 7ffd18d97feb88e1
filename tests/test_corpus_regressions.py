"""Failures first met on the corpus of real apps (bench/corpus), each on a minimal project:
tests/projects/corpus_regressions/."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, go, run_cli

PROJECT = REPO / "tests" / "projects" / "corpus_regressions"


@pytest.fixture(scope="module")
def analysis():
    """`analyze` of the project, once for the module (two tests read it; each booted Django for it)."""
    from migrator.analyze import analyze

    return analyze(PROJECT)


@pytest.mark.slow
def test_foreign_key_subclass_is_a_foreign_key(analysis):
    a = analysis
    node = a.project.model("regress.Node")
    parent = next(f for f in node.fields if f.name == "parent")
    assert parent.internal_type == "ForeignKey" and parent.field_class == "regress.models.ParentKey"
    assert parent.relation is not None and parent.relation.target == "regress.Node"
    assert not [d for d in a.diagnostics if d.code == "UNKNOWN_FIELD_TYPE"]


@pytest.mark.slow
def test_date_field_with_datetime_default_builds(tmp_path):
    out = tmp_path / "gen"
    run_cli("generate", str(PROJECT), "--target", "gorm", "--out", str(out), check=True)
    text = (out / "gorm" / "models" / "regress.go").read_text()
    assert "m.Created = ptr(djtypes.Today())" in text and "m.Day = djtypes.Today()" in text
    # nil is None on a nullable column: the default is set by NewNode(), never over an explicit nil on save
    assert "m.Created == nil" not in text
    go("vet", "./...", cwd=out)
    go("build", "./...", cwd=out)
    go("test", "./djtypes", cwd=out)  # the helpers the generated code relies on, Today() included


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["nethttp", "fiber"])
def test_project_without_routes_or_sites_builds(tmp_path, framework):
    """generate exited 0 on a project with no URL routes, but http/routes.go declared an unused variable."""
    out = tmp_path / "gen"
    run_cli("generate", str(REPO / "tests" / "projects" / "sqlc_nosites"), "--framework", framework, "--out", str(out),
            check=True)
    go("vet", "./...", cwd=out)
    go("build", "./...", cwd=out)


@pytest.mark.slow
def test_views_django_answers_differently_stay_stubs(tmp_path):
    """django-todo: views under @login_required were migrated without the login check, and a raised
    PermissionDenied became a 500 where Django answers 403; a path parameter the body never reads made
    the handler fail go vet (declared and not used)."""
    out = tmp_path / "gen"
    run_cli("generate", str(PROJECT), "--out", str(out), check=True)
    rows = {line.split("|")[1].strip(" `"): line.split("|")[3:5]
            for line in (out / "http" / "MIGRATION.md").read_text().splitlines() if "`regress.views." in line}
    status = {view: cells[0].strip() for view, cells in rows.items()}
    # @login_required is now translated (docs/auth.md): the handler is served behind djauth's LoginRequired guard,
    # which answers an anonymous caller with Django's login redirect (tests/test_auth_views.py proves the answers)
    # a raised PermissionDenied is Django's default 403 page since session 13 (djauth.PermissionDeniedPage; its answer
    # compared with Django's by tests/test_cbv.py's http check on CardView), no longer a stub
    assert status == {"regress.views.my_nodes": "migrated", "regress.views.forbidden": "migrated",
                      "regress.views.ping": "migrated"}
    routes = (out / "http" / "routes.go").read_text()
    assert 'return a.LoginRequired(h) }, s.migrated("regress.views.my_nodes", ' in routes
    handlers = "".join(f.read_text() for f in (out / "http").glob("handlers*.go"))
    assert "PermissionDeniedPage" in handlers, "the forbidden view must answer Django's 403 page, never a 500"
    # the unread int path parameter is still checked (its 404), once, by migrated(): its name is on the route
    assert re.search(r's\.migrated\("regress\.views\.[a-z_]+", "[^"]+", (true|false), \[\]string\{"pk"\}', routes)
    go("vet", "./...", cwd=out)
    go("build", "./...", cwd=out)


@pytest.mark.slow
def test_optional_filter_over_a_nullable_join_is_not_translated(analysis):
    """The sample's user_collection: `if newsletter: users.filter(profile__newsletter=...)` became an optional
    filter that kept its INNER JOIN, so users without a profile were missing when no value was given."""
    sites = {(s.file, s.line): s for s in analysis.project.querysets}
    join = sites[("regress/services.py", 12)]
    assert (join.kind, join.reason) == ("dynamic", "CONDITIONAL_JOIN")
    assert (sites[("regress/services.py", 19)].kind, sites[("regress/services.py", 19)].reason) == (
        "conditional", "CONDITIONAL_FILTER")


@pytest.fixture(scope="module")
def sqlc_tree(tmp_path_factory):
    """`generate --target sqlc` of the project, once for the module: three tests read it (each generated the same
    tree into a folder of its own: a CLI generate, Django's boot and sqlc, each time); none writes into it."""
    out = tmp_path_factory.mktemp("regress") / "gen"
    run_cli("generate", str(PROJECT), "--target", "sqlc", "--out", str(out), check=True)
    return out


@pytest.mark.slow
def test_a_runtime_boolean_argument_becomes_a_parameter_and_plural_tables_build(sqlc_tree):
    """filter(active=<runtime bool>): Django writes `col` / `NOT col`; the query compares with a parameter."""
    out = sqlc_tree
    for dialect, pkg, typ in (("sqlite", "sqlitedb", "bool"), ("postgresql", "pgdb", "bool")):
        queries = (out / "sqlc" / "queries" / f"{dialect}.sql").read_text()
        assert '"regress_node"."active" = sqlc.arg(active)' in queries, (dialect, queries)
        code = next((out / "sqlc" / pkg).glob("*.sql.go")).read_text()
        assert re.search(rf"Active\s+{typ}\b", code) or re.search(rf"active {typ}\)", code), dialect
    assert "BOOL_PARAMETER" not in (out / "sqlc" / "UNTRANSLATED.md").read_text()
    # two tables that differ by a plural ending (django-celery-beat): one struct each, the tree builds
    models = (out / "sqlc" / "sqlitedb" / "models.go").read_text()
    assert "type RegressPeriodictask struct" in models and "type RegressPeriodictasks struct" in models
    go("vet", "./...", cwd=out)
    go("build", "./...", cwd=out)


@pytest.mark.slow
def test_two_runtime_values_never_share_a_parameter(sqlc_tree):
    """wiki: filter(subscription__notification_type=self.notification_type, subscription__settings__user=self.user)
    named both values `subscription`, so Go bound the user's id where the notification type belonged."""
    out = sqlc_tree
    for dialect in ("sqlite", "postgresql"):
        queries = (out / "sqlc" / "queries" / f"{dialect}.sql").read_text()
        block = queries.split("-- name: ChildrenOfNodeValues")[1].split("-- name:")[0]
        args = re.findall(r"sqlc\.arg\((\w+)\)", block)
        assert len(args) == 2 and len(set(args)) == 2, (dialect, block)


@pytest.mark.slow
def test_sqlite_lists_come_after_every_other_parameter(sqlc_tree):
    """sqlc expands sqlc.slice into one `?` per item but numbers the other parameters as if the list were one
    value: a parameter after the list bound a list item (the sample's ListOrders with two statuses)."""
    out = sqlc_tree
    queries = (out / "sqlc" / "queries" / "sqlite.sql").read_text()
    block = queries.split("-- name: NamedInNodeValues")[1].split("-- name:")[0]
    assert block.index("sqlc.arg(active)") < block.index("sqlc.slice(names)"), block
    # a LIMIT after the list: named first by an always-true condition, sqlc numbers it before the list (?1)
    block = queries.split("-- name: FirstNamedInNodeValues")[1].split("-- name:")[0]
    assert block.index("CAST(sqlc.arg(n) AS INTEGER) IS NULL OR 1 = 1") < block.index("sqlc.slice(names)"), block
    assert block.rstrip().endswith("LIMIT sqlc.arg(n);"), block
    assert "regress/services.py:41" not in (out / "sqlc" / "UNTRANSLATED.md").read_text()
    assert "FirstNamedIn" in (out / "sqlc" / "queries" / "postgresql.sql").read_text()  # = ANY(array): no such limit
    go("build", "./...", cwd=out)


@pytest.mark.slow
def test_hidden_reverse_relation_still_cascades():
    """auditlog: LogEntry.content_type (related_name='+') was missing from ContentType's reverse relations, so
    the generated DeleteContentType failed on a foreign key Django's delete() cascades over."""
    from migrator.emit import Options
    from migrator.emit.gorm import emit_gorm
    from migrator.translate.gorm import translate_models
    from migrator.load import load_project

    project = load_project(PROJECT, scan=False)
    node = project.model("regress.Node")
    assert ("", "regress.Mark", "node", "foreign_key") in node.reverse
    delete = emit_gorm(project, Options(module="regressgo", gorm=translate_models(project))).files["gorm/models/delete.go"].text
    body = delete.split("func deleteNode(")[1].split("\nfunc ")[0]
    assert 'tx.Table("regress_mark").Where("node_id IN ?", ids)' in body


@pytest.mark.slow
def test_parity_models_check_runs_over_image_fields():
    """django-machina: an image field's clean() opens the file, which generated data only names: one row's
    full_clean() raising stopped the whole models check ("could not run"). wiki's ImageRevision: an update that
    named an image made Django read its size from a file that is not there (width_field / height_field): Photo."""
    pytest.importorskip("PIL", reason="ImageField needs Pillow (installed with the corpus apps)")
    proc = run_cli("parity", str(REPO / "tests" / "projects" / "image_rows"), "--only", "models")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "COULD NOT RUN" not in proc.stdout


def test_parity_replay_names_two_values_of_one_lookup_as_compiled():
    """children_of(parent, owner): `parent.name` and `owner.name` both start their name from the lookup's
    `parent`; the compile names the second `parent2`, and parity's replay (load.sentinels.Values) must too:
    it gave `parent`'s value to both arguments, so Django found no row where Go (right) found one."""
    from migrator.load.sentinels import Sentinels, Values

    calls = [("parent", "parent.name"), ("parent", "owner.name"), ("parent", "parent.name")]
    compiled = Sentinels()
    for name, source in calls:
        compiled.make(name, source, None, "exact", False)
    assert [(s.name, s.source) for s in compiled.items] == [("parent", "parent.name"), ("parent2", "owner.name")]
    replay = Values({"parent": "name1", "parent2": "name0"})
    assert [replay.make(n, src, None, "exact", False) for n, src in calls] == ["name1", "name0", "name1"]
    assert replay.used == ["parent", "parent2", "parent"]


def test_parity_replay_takes_a_name_the_compile_bound_as_one_value(tmp_path, monkeypatch):
    """django-oauth-toolkit's clearcimdapplications: `prunable = locked - live`, then `filter(pk__in=prunable)`.
    The loader could not read the command's module (its package not imported), so the compile bound `prunable`
    as one value (sqlc.slice(prunable)); the Django side of parity followed the binding once its first case had
    imported the module, and every later case failed `KeyError: no value for ... (pk)`: the statement was never
    compared. A name whose value the replay is given is that value, whatever the process has imported."""
    import importlib

    from migrator.load.interpret import Interpreter
    from migrator.load.sentinels import Values

    pkg = tmp_path / "replaypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "cmd.py").write_text("from django.db.models import Q\n\n\ndef handle(batch, live):\n"
                                "    locked = Q(pk__in=batch)\n    prunable = locked | Q(pk__in=live)\n"
                                "    return prunable\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("replaypkg.cmd")  # imported, as in the Django process after its first case
    site = {"file": "replaypkg/cmd.py", "function": "handle", "line": 7, "model": "x.Y"}

    def held(values: dict):
        interp = Interpreter.__new__(Interpreter)
        interp.site, interp.s, interp._following, interp._annotations = site, Values(values), set(), {}
        return interp.held("prunable", None, "", False, {})

    assert held({"prunable": [1]}) is None  # a runtime value: the caller reads it from the values
    with pytest.raises(KeyError, match="batch"):  # no value under its name: the binding is followed (a Q)
        held({})


@pytest.mark.slow
def test_query_parity_passes_on_the_regressions_project():
    """Every translated query of the project agrees with Django, the keyword-named computed `date` included
    (django-todo: the write case passed a placeholder string for `date_value`, a parity harness bug), and
    children_of's two `parent`-named values each reach their own argument in Django's replay, and a multi-table
    child's get_or_create INSERT is compared alone on Django's side too (wiki's ArticleSubscription: save() first
    UPDATEd the parent row with a NULL `created`, IntegrityError, where Go's INSERT of the child succeeded)."""
    proc = run_cli("parity", str(PROJECT), "--only", "queries")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "AddCommentCommentCreate" not in proc.stdout  # not among the failures
