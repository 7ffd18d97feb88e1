"""The wheel ships the templates: build it, install it in a fresh venv, resolve a template there."""

from __future__ import annotations

import subprocess
import sys
import venv

import pytest

from conftest import REPO


@pytest.mark.slow
def test_wheel_ships_templates(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True, text=True)
    wheel = next(dist.glob("*.whl"))
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    py = env / "bin" / "python"
    # --no-deps: the check is about our own files; runtime dependencies are declared, not vendored
    subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True)
    code = ("import migrator.templating as t; p = t.template_path('common/go.mod.j2'); "
            "print(p); assert 'site-packages' in str(p), p; assert 'module {{ module }}' in p.read_text()")
    out = subprocess.run([str(py), "-c", code], cwd=tmp_path, check=True, capture_output=True, text=True)
    assert "site-packages/migrator/templates/common/go.mod.j2" in out.stdout
    meta = subprocess.run([str(py), "-m", "pip", "show", "django-go-migrator"], capture_output=True, text=True).stdout
    assert "Requires: django, jinja2, libcst, pyyaml, sqlglot, typer" in meta
    scripts = env / "bin" / "migrate"
    assert scripts.exists()
