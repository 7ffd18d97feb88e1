"""--source and test-code exclusion: apps outside the project directory are analysed like its own, test
code is not application code, and every path reported is machine-independent.

tests/projects/outside_src/ holds a project whose only app lives in ../src (a src/ layout) and whose
test code (tests.py, tests/, conftest.py) holds QuerySet calls of its own.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from migrator.load.registry_source import _inside
from migrator.load.sources import ENV, display_path, in_source_tree, is_test_file, resolve_sources, within

PROJECT = REPO / "tests" / "projects" / "outside_src" / "project"


@pytest.mark.parametrize("rel, expected", [
    ("tests.py", True), ("shop/tests.py", True), ("shop/tests/test_views.py", True), ("shop/tests/helpers.py", True),
    ("shop/test_models.py", True), ("shop/model_tests.py", True), ("conftest.py", True), ("src/conftest.py", True),
    ("shop/views.py", False), ("shop/testing.py", False), ("shop/latest.py", False), ("contest.py", False),
    ("shop/attestations/views.py", False),
])
def test_is_test_file(rel, expected):
    assert is_test_file(rel) is expected


def test_display_path_is_machine_independent(tmp_path):
    root = tmp_path / "proj"
    assert display_path(str(root), str(root / "shop" / "views.py")) == "shop/views.py"
    assert display_path(str(root), str(tmp_path / "src" / "shop" / "views.py"),
                        [str(tmp_path / "src")]) == "../src/shop/views.py"  # a --source tree beside the project
    assert display_path(str(root), "/opt/venv/lib/python3.11/site-packages/todo/views.py") == "todo/views.py"


def test_resolve_sources(tmp_path):
    trees, diags = resolve_sources(PROJECT, ["../src", "json", "../src", "no_such_package_here", "../nowhere"])
    assert [t.spec for t in trees] == ["../src", "json"]
    src, pkg = trees
    assert Path(src.path) == Path(src.base) == (PROJECT.parent / "src").resolve()  # a src/ tree is on sys.path itself
    assert Path(pkg.base) == Path(pkg.path).parent  # a package is imported from its parent
    assert [d.code for d in diags] == ["SOURCE_NOT_FOUND", "SOURCE_NOT_FOUND"]
    assert "no_such_package_here" in diags[0].message and "../nowhere" in diags[1].message


def _analyze(*args: str, cwd: Path = REPO) -> tuple[int, dict, str]:
    proc = run_cli("analyze", str(PROJECT if cwd == REPO else "."), "-f", "json", *args, cwd=cwd)
    data = json.loads(proc.stdout) if proc.stdout.strip() else {}
    return proc.returncode, data, proc.stdout + proc.stderr


def _sites(data: dict) -> list[tuple[str, int]]:
    return [(s["file"], s["line"]) for s in data["querysets"]]


def test_inside_a_tree_is_decided_by_path_components(monkeypatch):
    """One rule for "in the project" and "in a --source tree" (they differed: the registry counted an app whose
    directory is the tree itself, the URL reader did not; a file named ``..x`` was outside by its relpath)."""
    assert within("/a/b/..x.py", "/a/b") and within("/a/b/c.py", "/a/b/") and not within("/a/bc.py", "/a/b")
    assert not within("/a/b", "/a/b") and within("/a/b", "/a/b", itself=True) and within("/x", "/")
    assert _inside("/proj", "/proj/shop") and _inside("/proj", "/proj") and _inside("/proj", "/proj/..x.py")
    assert not _inside("/proj", "/project/shop") and not _inside("/proj", None)
    monkeypatch.setenv(ENV, "/site/nyt=")
    assert in_source_tree("/site/nyt") and in_source_tree("/site/nyt/views.py")
    assert not in_source_tree("/site/nytx/views.py") and not in_source_tree("") and not in_source_tree(None)


@pytest.mark.slow
def test_app_outside_the_project_needs_a_source():
    rc, data, out = _analyze()
    assert rc == 0, out  # as for any app that fails to import: reported, left out, the rest analysed
    assert "error[APP_IMPORT]: app 'shopapp' failed to load" in out and "--source" in out
    assert "Traceback" not in out
    assert not [m for m in data["models"] if m["app_label"] == "shopapp"]


@pytest.mark.slow
def test_source_directory_is_scanned_and_tests_are_left_out():
    rc, data, out = _analyze("--source", "../src")
    assert rc == 0, out
    assert _sites(data) == [("../src/shopapp/views.py", 8)]
    item = next(m for m in data["models"] if m["app_label"] == "shopapp")
    assert item["file"] == "../src/shopapp/models.py"
    assert list(data["summary"]["by_app"]) == ["shopapp"]  # an app of the project, not an external one
    assert data["summary"]["by_app"]["shopapp"]["querysets"] == 1
    assert str(REPO) not in json.dumps({k: v for k, v in data.items() if k != "project"})


@pytest.mark.slow
def test_views_and_sites_in_a_source_tree_name_the_same_file():
    """One namer for every stage: the URLconf's view and the scanner's site in ../src name one file (the
    URL reader used to name it relative to its sys.path entry, `shopapp/views.py`, so no view matched)."""
    rc, data, out = _analyze("--source", "../src", "--http")
    assert rc == 0, out
    (view,) = data["views"]
    assert view["source"] == "../src/shopapp/views.py:6"
    assert {s["file"] for s in data["querysets"]} == {"../src/shopapp/views.py"}


def test_display_path_sources_then_sys_path(tmp_path, monkeypatch):
    root, src, elsewhere = tmp_path / "proj", tmp_path / "src", tmp_path / "lib"
    monkeypatch.setattr("sys.path", [str(elsewhere)])
    assert display_path(str(root), str(src / "shop" / "views.py"), [str(src)]) == "../src/shop/views.py"
    assert display_path(str(root), str(elsewhere / "pkg" / "mod.py"), [str(src)]) == "pkg/mod.py"
    assert display_path(str(root), "/nowhere/at/all.py", []) == "all.py"



def test_display_path_names_a_dotted_name_at_the_root_as_under_it(tmp_path, monkeypatch):
    """``..x`` is a name, not the parent: a file or folder so named under the root is the root's (sources.within)."""
    root = tmp_path / "proj"
    monkeypatch.setattr("sys.path", [str(tmp_path)])
    assert display_path(str(root), str(root / "..x"), []) == "..x"
    assert display_path(str(root), str(root / "..shop" / "views.py"), []) == "..shop/views.py"
    assert display_path(str(root), str(tmp_path / "other" / "views.py"), []) == "other/views.py"  # truly outside

@pytest.mark.slow
def test_include_tests_opts_in():
    rc, data, out = _analyze("--source", "../src", "--include-tests")
    assert rc == 0, out
    assert _sites(data) == [("../src/conftest.py", 4), ("../src/shopapp/tests.py", 5),
                            ("../src/shopapp/tests/test_views.py", 5), ("../src/shopapp/views.py", 8)]


@pytest.mark.slow
def test_sources_from_migrator_yaml(tmp_path):
    base = tmp_path / "outside_src"
    shutil.copytree(PROJECT.parent, base, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    (base / "project" / "migrator.yaml").write_text("sources: [../src]\ninclude_tests: true\n")
    proc = run_cli("analyze", str(base / "project"), "-f", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["querysets"]) == 4
    (base / "project" / "migrator.yaml").write_text("sources: ../src\n")  # one tree may be a bare string
    data = json.loads(run_cli("analyze", str(base / "project"), "-f", "json", check=True).stdout)
    assert _sites(data) == [("../src/shopapp/views.py", 8)]
    (base / "project" / "migrator.yaml").write_text("sources: {a: 1}\n")
    proc = run_cli("analyze", str(base / "project"))
    assert "CONFIG_SHAPE" in proc.stderr + proc.stdout


@pytest.mark.slow
def test_generate_translates_the_source_tree(tmp_path):
    out = tmp_path / "gen"
    proc = run_cli("generate", str(PROJECT), "--source", "../src", "--target", "sqlc", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for dialect in ("sqlite", "postgresql"):
        queries = (out / "sqlc" / "queries" / f"{dialect}.sql").read_text()
        assert '"shopapp_item"' in queries
    text = "\n".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
    assert str(REPO) not in text and "/site-packages/" not in text
