"""Failures first met on the corpus of real apps (bench/corpus), each on a minimal project:
tests/projects/corpus_regressions/."""

from __future__ import annotations

import pytest

from conftest import REPO, go, run_cli

PROJECT = REPO / "tests" / "projects" / "corpus_regressions"


def test_foreign_key_subclass_is_a_foreign_key():
    from migrator.analyze import analyze

    a = analyze(PROJECT)
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
