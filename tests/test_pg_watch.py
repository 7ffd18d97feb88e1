"""tests/pg.py: a PostgreSQL server started for tests is stopped even when the test process is killed
(SIGKILL runs no fixture teardown)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from pg import find_bindir

pytestmark = pytest.mark.slow

CHILD = """
import sys, time
sys.path.insert(0, {tests!r})
import pg
server = pg.start_server()
print(server.datadir, flush=True)
time.sleep(300)
"""


@pytest.mark.skipif(find_bindir() is None, reason="PostgreSQL binaries not installed")
def test_server_stops_when_the_test_process_is_killed():
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(tests=str(Path(__file__).parent))],
                             stdout=subprocess.PIPE, text=True)
    datadir = Path(child.stdout.readline().strip())
    assert (datadir / "postmaster.pid").exists()
    child.kill()
    child.wait(timeout=10)
    deadline = time.monotonic() + 60
    while datadir.parent.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not datadir.parent.exists(), f"{datadir.parent} outlived the killed test process"
    running = subprocess.run(["pgrep", "-f", f"postgres -D {datadir}"], capture_output=True, text=True)
    assert running.stdout == "", running.stdout
