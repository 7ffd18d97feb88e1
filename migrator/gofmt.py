"""gofmt as a function: Go text in, formatted Go text out (a FormatError shows the text when it does not parse).

The one external program the emit stage uses, through this module only (emit itself starts no process:
tests/test_imports.py checks it). Bounded by a timeout like every external step.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache

TIMEOUT = 60  # seconds for one file


class FormatError(Exception):
    def __init__(self, path: str, text: str, message: str):
        numbered = "\n".join(f"{i:4d} {line}" for i, line in enumerate(text.splitlines(), 1))
        super().__init__(f"gofmt failed on {path}: {message}\n{numbered}")


@lru_cache(maxsize=1)
def gofmt_binary() -> str:
    from .toolchain import path

    return path("gofmt")


def gofmt(path: str, text: str) -> str:
    try:
        proc = subprocess.run([gofmt_binary()], input=text, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise FormatError(path, text, f"gofmt did not finish in {TIMEOUT} s") from None
    if proc.returncode != 0:
        raise FormatError(path, text, proc.stderr.strip())
    return proc.stdout
