"""The tool check's answers kept between runs (``$MIGRATOR_CACHE_DIR/tools/``, see migrator.cache).

Before Django starts, a command asks ``sqlc version`` (a process: 0.1 s of wall at load) and a package's version
from its metadata (a scan of sys.path's distributions: 0.015 to 0.03 s). Both answers only change when what decides
them changes, so each is kept under a key made of exactly that:

- a binary's answer: its resolved path, size, modification time and inode, and the arguments asked (a touched,
  rebuilt or swapped binary is a different key);
- a package's version: the Python executable, the file the package imports from, and its ``.dist-info`` folder's
  path and modification time (an upgrade renames the folder, a reinstall rewrites it).

An empty answer (the probe failed or timed out) is never kept; an entry that cannot be read is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Callable, Optional

from . import cache


def binary_key(binary: str, *args: str) -> Optional[tuple]:
    """What decides ``binary args``'s output, or None when the binary cannot be stat'ed (then nothing is kept)."""
    real = os.path.realpath(binary)
    try:
        st = os.stat(real)
    except OSError:
        return None
    return ("binary", real, st.st_size, st.st_mtime_ns, st.st_ino, *args)


def _dist_info(origin: str, name: str) -> Optional[str]:
    """The ``name-*.dist-info`` folder beside the package ``origin`` imports from (site-packages), or None."""
    package = Path(origin).parent
    site = package.parent if package.name == name else package
    wanted = re.sub(r"[-_.]+", "_", name).lower()
    try:
        entries = sorted(os.listdir(site))
    except OSError:
        return None
    for entry in entries:
        stem, dot, ext = entry.rpartition(".")
        if ext == "dist-info" and re.sub(r"[-_.]+", "_", stem.rsplit("-", 1)[0]).lower() == wanted:
            return str(site / entry)
    return None


def package_key(name: str, origin: str) -> Optional[tuple]:
    """What decides the installed version of package ``name`` imported from ``origin``, or None when its
    ``.dist-info`` folder is not beside it (an editable or unusual install: asked every time)."""
    info = _dist_info(origin, name)
    if info is None:
        return None
    try:
        mtime = os.stat(info).st_mtime_ns
    except OSError:
        return None
    return ("package", sys.executable, origin, info, mtime, name)


def _file(key: tuple) -> Optional[Path]:
    folder = cache.cache_dir("tools")
    if folder is None:
        return None
    return folder / (hashlib.sha256(json.dumps(list(key)).encode()).hexdigest()[:32] + ".json")


def remembered(key: Optional[tuple], ask: Callable[[], str]) -> str:
    """The answer kept under ``key``, else ``ask()``'s (kept when not empty). ``key`` None: ask, keep nothing."""
    path = _file(key) if key is not None else None
    if path is None:
        return ask()
    try:
        entry = json.loads(path.read_text())
        if entry.get("key") == list(key):
            return entry["answer"]
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    answer = ask()
    if answer:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"key": list(key), "answer": answer}))
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache folder: the answer is still right, only asked again next time
    return answer
