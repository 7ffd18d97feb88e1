from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_django_project"
LIBRARY = REPO / "tests" / "projects" / "library"
GOLDEN = REPO / "tests" / "golden"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files and trees from the current output")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden") or os.environ.get("MIGRATOR_UPDATE_GOLDEN"))


@pytest.fixture(scope="session")
def sample_analysis():
    from migrator.analyze import analyze

    return analyze(SAMPLE)


@pytest.fixture(scope="session")
def library_analysis():
    from migrator.analyze import analyze

    return analyze(LIBRARY)


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A private copy of the sample project a test may break."""
    dst = tmp_path / "project"
    shutil.copytree(SAMPLE, dst, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3", "media"))
    return dst


def run_cli(*args: str, cwd: Path = REPO, check: bool = False) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "migrator", *args], cwd=cwd, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"migrate {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


from pg import pg_db, postgres_server  # noqa: E402,F401  (fixtures: a private PostgreSQL server)


def go(*args: str, cwd: Path, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(["go", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "GOFLAGS": "-mod=mod", **(env or {})})
    if check and proc.returncode != 0:
        raise AssertionError(f"go {' '.join(args)} failed in {cwd}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def django_side(root: Path, settings: str, database: str, *args: str):
    """Run the Django side of parity (migrator.parity.django_side) against a database; its JSON result."""
    import json

    proc = subprocess.run([sys.executable, "-m", "migrator.parity.django_side", str(root), "--settings", settings,
                           "--database", database, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"django_side {' '.join(args)} failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


@pytest.fixture(scope="session")
def sample_gorm(tmp_path_factory):
    """The sample's gorm target generated into a fresh tree, vetted, and gormcheck built."""
    from migrator.generate import generate

    out = tmp_path_factory.mktemp("gen") / "gorm"
    result = generate(SAMPLE, out, targets=("all",))
    assert result.exit_code == 0, [d.render() for d in result.diagnostics]
    go("vet", "./...", cwd=out)
    go("build", "-o", str(out / "bin" / "gormcheck"), "./gorm/cmd/gormcheck", cwd=out)
    return out
