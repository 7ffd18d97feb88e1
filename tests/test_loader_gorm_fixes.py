"""Model graphs seen on real projects (issue 11): each a tiny project under tests/projects/."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, go, run_cli

PROJECTS = REPO / "tests" / "projects"


def _codes(diags, code):
    return [d for d in diags if d.code == code]


# ---------------------------------------------------------------- 1. a model the loader cannot read


def test_abstract_base_outside_installed_apps_and_a_broken_model():
    """taggit's TagBase with taggit not installed (app_label None) used to crash the whole registry read;
    a model whose reading raises is now a diagnostic at its class, and the others are analysed."""
    from migrator.analyze import analyze

    a = analyze(PROJECTS / "tagbase_outside")
    assert a.project is not None, [d.render() for d in a.diagnostics]
    labels = {m.label for m in a.project.models if m.kind != "abstract"}
    assert {"tags.MyTag", "tags.Note"} <= labels and "tags.Broken" not in labels
    tag = next(m for m in a.project.models if m.label == "tags.MyTag")
    assert {"name", "slug", "weight"} <= {f.name for f in tag.fields}
    assert any(m.kind == "abstract" and m.name == "TagBase" and m.app_label == "taggit" for m in a.project.models)
    [d] = _codes(a.diagnostics, "MODEL_READ_FAILED")
    assert (d.file, d.line) == ("tags/models.py", 22) and "tags.models.Broken" in d.message
    assert "RuntimeError" in d.detail and "get_internal_type" in d.detail


def test_verbose_shows_the_traceback_only_when_asked():
    root = str(PROJECTS / "tagbase_outside")
    quiet = run_cli("analyze", root, "--format", "json")
    loud = run_cli("analyze", root, "--format", "json", "--verbose")
    assert quiet.returncode == loud.returncode == 0
    assert "MODEL_READ_FAILED" in quiet.stderr and "Traceback" not in quiet.stderr
    assert "Traceback" in loud.stderr and "this field cannot say its type" in loud.stderr
