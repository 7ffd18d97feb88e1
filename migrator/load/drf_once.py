"""The DRF loader's JSON read once per ``generate`` / ``analyze --http``, in the session's Django process."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..ir import Project


def drf_read(project: Project, session=None):
    """A callable returning the DRF loader's JSON (None when it could not be read), or None when the project does
    not install DRF. Both its users wait on this one read: the DRF sites derived at load (load.drf_sites) and the
    view translator's DRF handlers. In a session the process that loaded the project reads it (a request to the
    running Django: no boot of its own; it once booted Django a second time, synchronously after the load, and the
    handlers' read was a cache hit of that); without one, a Django process of its own reads it."""
    if not any(a.name == "rest_framework" for a in project.apps):
        return None
    box: dict = {}

    def wait():
        if "json" not in box:
            worker = session.worker if session is not None else None
            sent = getattr(session, "drf_reply", None)
            if sent is not None:
                session.drf_reply = None  # asked by load_project once the registry was read (Session(drf=True))
            box["json"] = (_in_worker(worker, sent) if worker is not None and worker.proc.poll() is None
                           else _read_drf(Path(project.root), project.settings_module))
        return box["json"]
    return wait


def _in_worker(worker, sent: Optional[str] = None) -> Optional[dict]:
    reply = worker.receive(sent or worker.send(drf=True))
    if reply.get("stalled"):  # bounded by MIGRATOR_LOAD_TIMEOUT; a process that overran is ended
        worker.kill()
        return None
    return reply.get("drf")  # absent when collecting failed (the reply's WORKER_FAILED): no DRF facts, as before


def _read_drf(root: Path, settings: str) -> Optional[dict]:
    import subprocess

    from .drf_read import read

    try:
        return read(root, settings)
    except (RuntimeError, subprocess.TimeoutExpired, ValueError):  # as load.drf_sites.read_drf: no DRF facts
        return None
