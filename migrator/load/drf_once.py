"""The DRF loader's JSON read once per ``generate`` / ``analyze --http``, its Django boot beside the loader's."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..ir import Project
from ..parallel import started


class DRFRead:
    """The DRF loader's JSON (load.drf_read), read ONCE per run in its own Django process and waited on by both its
    users: the DRF sites derived at load (load.drf_sites) and the view translator's DRF handlers. When the settings
    name ``rest_framework`` the read starts before the load stage, so its Django boot runs beside the loader's
    (it once ran after the load, a boot on the critical path, and the handlers' read was a cache hit of it)."""

    def __init__(self, root: Path, settings: Optional[str], wanted: bool = True):
        from . import find_settings

        self.settings = settings or find_settings(root)[0]
        self._wait = (started(_read_drf, root, self.settings)
                      if wanted and self.settings and _settings_name_drf(root, self.settings) else None)

    def waiter(self, project: Project):
        """A callable returning the JSON (None when it could not be read), or None when DRF is not installed."""
        if not any(a.name == "rest_framework" for a in project.apps):
            return None
        if self._wait is None or self.settings != project.settings_module:
            self.close()
            self.settings = project.settings_module
            self._wait = started(_read_drf, Path(project.root), project.settings_module)
        return self._wait

    def close(self) -> None:
        """Wait for a read still running (bounded by MIGRATOR_LOAD_TIMEOUT): no process is left behind."""
        if self._wait is not None:
            self._wait()


def _read_drf(root: Path, settings: str) -> Optional[dict]:
    import subprocess

    from .drf_read import read

    try:
        return read(root, settings)
    except (RuntimeError, subprocess.TimeoutExpired, ValueError):  # as load.drf_sites.read_drf: no DRF facts
        return None


def _settings_name_drf(root: Path, settings: str) -> bool:
    """Whether the settings module, or a module of its package, mentions ``rest_framework`` (a guess made before
    Django loads: a wrong "no" only starts the read after the load stage, a wrong "yes" reads for nothing)."""
    base = root.joinpath(*settings.split("."))
    files = [*base.parent.glob("*.py"), *(base.glob("*.py") if base.is_dir() else ())]
    return any("rest_framework" in f.read_text(encoding="utf-8", errors="replace") for f in files if f.is_file())
