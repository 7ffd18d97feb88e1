"""Work done once per suite, not once per pytest-xdist worker: ``once(tmp_path_factory, name, compute)``.

Each xdist worker is a session of its own, so a session fixture runs once per worker that asks for it. For a run
two groups on different workers need (the sample's parity on PostgreSQL: test_parity_cmd judges it, test_mysql
compares MariaDB's case counts with it), the first worker to ask computes it under a lock in the run's shared
temporary folder (``getbasetemp().parent``: this run's, common to its workers, never another run's) and writes the
result as JSON; a worker asking meanwhile waits on the lock, then reads it. The files are named by xdist's id of the
run as well (``PYTEST_XDIST_TESTRUNUID``): a ``--basetemp`` given again keeps the folder, never an older result. A worker that dies while computing
releases the lock with its process and leaves no result: the next one to ask computes it. Without xdist, compute()
runs in the session as any session fixture's body.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Callable


def once(tmp_path_factory, name: str, compute: Callable[[], object]):
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return json.loads(json.dumps(compute()))  # the same JSON value as a worker reading it would get
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    return once_in(tmp_path_factory.getbasetemp().parent, f"{name}-{run}", compute)


def once_in(shared: Path, name: str, compute: Callable[[], object]):
    """compute()'s JSON value, computed by the first caller holding ``shared/name.lock``, read by every other."""
    result = shared / f"{name}.json"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # blocks while another worker computes; released on close or death
        if not result.is_file():
            text = json.dumps(compute())
            (shared / f"{name}.json.tmp").write_text(text)
            (shared / f"{name}.json.tmp").replace(result)  # whole or absent: a reader never sees half of it
        return json.loads(result.read_text())
