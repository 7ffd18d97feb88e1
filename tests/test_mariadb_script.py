"""``python tests/mariadb.py DIR``, the foreground MariaDB .ci/run starts for the corpus step and stops with
``kill`` (SIGTERM): a stop signal ends the server, removes DIR and exits at once, never a hang."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import mariadb
from mariadb import SKIP_REASON, binaries

SCRIPT = Path(__file__).with_name("mariadb.py")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.skipif(not binaries(), reason=SKIP_REASON)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stop_signal_stops_server_removes_dir_and_exits(tmp_path, sig):
    base = tmp_path / "mdb"
    proc = subprocess.Popen([sys.executable, str(SCRIPT), str(base), "px"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()  # bounded: start() gives up after 120 s + 60 s and exits 1
        assert url.startswith("mysql://root@127.0.0.1:") and url.endswith("/px"), proc.stderr.read()
        server_pid = int((base / "mysqld.pid").read_text())
        assert _alive(server_pid)
        began = time.monotonic()
        proc.send_signal(sig)
        code = proc.wait(timeout=25)  # the old handler waited 30 s + 10 s on a lock its own wait() held
        assert code == 0, proc.stderr.read()
        assert time.monotonic() - began < 25
        assert not _alive(server_pid), "mariadbd outlived the script"
        assert not base.exists(), "DIR left behind"
        assert "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def _processes_using(path: Path) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(path) in cmdline and entry.name != str(os.getpid()):
            found.append(cmdline)
    return found


@pytest.mark.slow
@pytest.mark.skipif(not binaries(), reason=SKIP_REASON)
def test_sigterm_during_start_up_leaves_nothing_behind(tmp_path):
    """The old script got SIGTERM's default action before its handler was set: Python died, and mariadbd (its
    own session) or mariadb-install-db ran on with the directory."""
    base = tmp_path / "mdb"
    proc = subprocess.Popen([sys.executable, str(SCRIPT), str(base)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (base / "data").exists() and time.monotonic() < deadline:  # mariadb-install-db at work
            time.sleep(0.05)
        assert (base / "data").exists(), proc.stderr.read()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=25) == 0, proc.stderr.read()
        assert proc.stdout.read() == ""  # stopped before it was up: no URL
        time.sleep(0.5)  # a child killed by the script is reaped by it; nothing may still run on the directory
        assert _processes_using(base) == []
        assert not base.exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.skipif(not binaries(), reason=SKIP_REASON)
def test_a_server_that_dies_by_itself_exits_1_with_its_log(tmp_path):
    """The old script returned from proc.wait() and exited 0 when mariadbd died under it."""
    base = tmp_path / "mdb"
    proc = subprocess.Popen([sys.executable, str(SCRIPT), str(base)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().startswith("mysql://"), proc.stderr.read()
        os.kill(int((base / "mysqld.pid").read_text()), signal.SIGKILL)
        assert proc.wait(timeout=25) == 1
        err = proc.stderr.read()
        assert "mariadbd exited by itself (status -9)" in err and "Traceback" not in err
        assert not base.exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_refuses_a_directory_holding_files(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine")  # DIR is removed on exit: one holding files is not taken
    assert mariadb.main([str(tmp_path)]) == 2
    assert "not an empty directory" in capsys.readouterr().err
    assert (tmp_path / "keep.txt").read_text() == "mine"
