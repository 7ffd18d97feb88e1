"""Where the migrator keeps what it can reuse between runs: ``$MIGRATOR_CACHE_DIR`` (default
``$XDG_CACHE_HOME/migrator``, else ``~/.cache/migrator``), one folder per kind (``sqlc/``: sqlc's results per
query; ``templates/``: the compiled templates; ``compile/``: Django's compile of each site, load.compile_cache;
``gofmt/``: gofmt's output per text; ``translate/``: sqlglot's translation of each compiled site,
translate.sqlc_cache; ``tools/``: the tool check's answers, toolmemo).
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


_CODE: list[str] = []


def code_signature() -> str:
    """The code that computes a cached value: every module of the migrator (path, size and modification time), the
    Python version and sqlglot's. An entry keyed by it is never read by other code (an upgrade, an edit of the
    migrator). Computed once per process."""
    if not _CODE:
        import hashlib
        import sys

        root = Path(__file__).resolve().parent
        h = hashlib.sha256(sys.version.encode())
        try:
            from importlib.metadata import version

            h.update(version("sqlglot").encode())
        except Exception:  # noqa: BLE001 - not installed as a distribution: the modules' stamps still key it
            pass
        for path in sorted(root.rglob("*.py")):
            st = path.stat()
            h.update(f"{path.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        _CODE.append(h.hexdigest())
    return _CODE[0]
