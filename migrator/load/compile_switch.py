"""The compile cache's switch and its folder's housekeeping (load.compile_cache): whether it is on, whether closing
waits for its recording, whether a detached recording is storing now, and the pruning of old entries."""

from __future__ import annotations

import os

SWITCH = "MIGRATOR_COMPILE_CACHE"
RECORD_BOUND = 300  # seconds a detached recording may run (then it ends, storing nothing)
MAX_ENTRIES = 50_000  # about 75 MB: every site of a 1000-site project, 25 times over
RECORDER = "recording-"  # recording-<pid> in the cache folder while a detached recording runs


def enabled() -> bool:
    """On unless ``MIGRATOR_COMPILE_CACHE=off``. Until session 10 it was opt-in: its recording (a profiled second
    compile, forked) had to finish before the command ended, so a project's first run waited for it, and a run that
    did not wait stored nothing (docs/performance.md). It now outlives the command (``_record_later``)."""
    return os.environ.get(SWITCH, "on") != "off"


def waited() -> bool:
    """``MIGRATOR_COMPILE_CACHE=wait``: closing the session waits for the recording (bounded, Worker.close)."""
    return os.environ.get(SWITCH) == "wait"


def recording(folder: str) -> bool:
    """Whether a detached recording is storing into ``folder`` now (a benchmark waits for it between runs)."""
    for entry in os.scandir(folder) if os.path.isdir(folder) else ():
        if entry.name.startswith(RECORDER):
            try:
                os.kill(int(entry.name[len(RECORDER):]), 0)
                return True
            except (ValueError, ProcessLookupError):
                continue
            except PermissionError:
                return True
    return False


def prune(folder: str, keep: int = MAX_ENTRIES) -> None:
    """The ``keep`` newest entries stay (an entry no run can match again, after an upgrade, is only left unused)."""
    entries = []
    for sub in os.scandir(folder) if os.path.isdir(folder) else ():
        if sub.is_dir():
            entries += [(e.stat().st_mtime_ns, e.path) for e in os.scandir(sub.path) if e.name.endswith(".json")]
    if len(entries) > keep:
        for _mtime, path in sorted(entries)[: len(entries) - keep]:
            try:
                os.remove(path)
            except OSError:
                pass
