"""gofmt as a function: Go text in, formatted Go text out (a FormatError shows the text when it does not parse).

The one external program the emit stage uses, through this module only (emit itself starts no process:
tests/test_imports.py checks it). Bounded by a timeout like every external step.

gofmt's output is a function of its input and of the gofmt binary, so it is cached by content
(``$MIGRATOR_CACHE_DIR/gofmt/``, see migrator.cache): the key is the hash of the binary's key, the one the tool
check keeps its answers under (toolmemo.binary_key: resolved path, size, modification time, inode; a replaced
gofmt misses), and of the text. A generate after a small change formats only the files whose text changed; a
failure is never cached (it raises). Each run of gofmt is a process start of 5 to 30 ms on this machine, and a
generate formats about 40 files.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .cache import cache_dir

TIMEOUT = 60  # seconds for one file
KEEP = 4096  # cached outputs kept (the oldest are removed beyond that, once per process)


class FormatError(Exception):
    def __init__(self, path: str, text: str, message: str):
        numbered = "\n".join(f"{i:4d} {line}" for i, line in enumerate(text.splitlines(), 1))
        super().__init__(f"gofmt failed on {path}: {message}\n{numbered}")


@lru_cache(maxsize=1)
def gofmt_binary() -> str:
    from .toolchain import path

    return path("gofmt")


def gofmt(path: str, text: str) -> str:
    binary = gofmt_binary()
    entry = _entry(binary, text)
    if entry is not None:
        try:
            return entry.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    try:
        proc = subprocess.run([binary], input=text, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise FormatError(path, text, f"gofmt did not finish in {TIMEOUT} s") from None
    if proc.returncode != 0:
        raise FormatError(path, text, proc.stderr.strip())
    if entry is not None:
        _store(entry, proc.stdout)
    return proc.stdout


@lru_cache(maxsize=4)
def _binary_key(binary: str) -> Optional[bytes]:
    """The binary's key as the tool check keys it (toolmemo.binary_key: resolved path, size, mtime, inode)."""
    from .toolmemo import binary_key

    found = binary_key(binary)
    return json.dumps(list(found)).encode() if found else None


def _entry(binary: str, text: str) -> Optional[Path]:
    """Where gofmt's output for ``text`` is kept (None: no cache, or a binary that cannot be stat'ed)."""
    folder, key = cache_dir("gofmt"), _binary_key(binary)
    if folder is None or key is None:
        return None
    digest = hashlib.sha256(key + b"\0" + text.encode("utf-8", "surrogateescape")).hexdigest()
    return folder / f"{digest}.go"


_pruned: list[bool] = []


def _store(entry: Path, formatted: str) -> None:
    """Write one entry whole (a reader never sees half of it); a cache that cannot be written only costs time."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=entry.parent, delete=False, suffix=".tmp", encoding="utf-8") as f:
            f.write(formatted)
        os.replace(f.name, entry)
        if not _pruned:
            _pruned.append(True)
            entries = sorted(entry.parent.glob("*.go"), key=lambda p: p.stat().st_mtime)
            for old in entries[:-KEEP]:
                old.unlink(missing_ok=True)
    except OSError:
        pass
