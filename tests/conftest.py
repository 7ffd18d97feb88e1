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
