"""Where the migrator keeps what it can reuse between runs: ``$MIGRATOR_CACHE_DIR`` (default
``$XDG_CACHE_HOME/migrator``, else ``~/.cache/migrator``), one folder per kind (``sqlc/``: sqlc's results per
query; ``templates/``: the compiled templates; ``compile/``: Django's compile of each site, load.compile_cache).
``MIGRATOR_CACHE_DIR=off`` turns every cache off. Each entry is keyed by the content it was made from, so a stale
entry is never read, only left unused."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(kind: str) -> Path | None:
    """The folder of one kind of cache entry, or None when caching is off (it may not exist yet)."""
    configured = os.environ.get("MIGRATOR_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured) / kind
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "migrator" / kind
