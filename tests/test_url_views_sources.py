"""load.url_views._resolve: a function of a ``--source`` tree is the project's code, followed by the view reader,
even when the tree is an installed package in site-packages (the corpus apps: todo's TaskAutocomplete.dispatch
calls todo.utils.user_can_read_task); any other installed function stays external."""

from __future__ import annotations

import importlib.util
import os

import django  # noqa: F401 (url_views' _resolve imports django.db.models)

from migrator.load.sources import ENV
from migrator.load.url_views import _resolve


def _function_in(tmp_path, monkeypatch):
    tree = tmp_path / "site-packages" / "app"
    tree.mkdir(parents=True)
    (tree / "utils.py").write_text("def can_read(task, user):\n    return True\n")
    spec = importlib.util.spec_from_file_location("app_utils_for_test", tree / "utils.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tree, module.can_read


def test_a_function_of_a_source_tree_in_site_packages_is_the_projects(tmp_path, monkeypatch):
    tree, fn = _function_in(tmp_path, monkeypatch)
    root = str(tmp_path / "project")
    monkeypatch.delenv(ENV, raising=False)
    assert _resolve(root, fn)["kind"] == "external"  # installed, not named as a source: not followed
    monkeypatch.setenv(ENV, f"{tree}={tree.parent}")
    assert _resolve(root, fn) == {"kind": "function", "ref": "app_utils_for_test.can_read"}
    monkeypatch.setenv(ENV, os.pathsep.join([f"{tmp_path / 'other'}={tmp_path}"]))
    assert _resolve(root, fn)["kind"] == "external"
