"""sqlc started before its queries are known, so its PostgreSQL engine's start-up leaves the critical path.

sqlc's PostgreSQL engine parses with libpg_query compiled to WebAssembly, and compiles that module (about 1 s of
CPU on this machine, several seconds of wall time on a loaded one) on its first parse, whatever the size of the
project: after editing one view it was most of a `generate`. What sqlc reads first (sqlc.yaml and the schema)
is known once the project is loaded, before Django has compiled the sites; so ``Prestart`` starts sqlc then, in a
folder of its own, on sqlc.yaml whose schema list ends with a named pipe (``GATE``). sqlc reads sqlc.yaml, parses
the schema (compiling its parser meanwhile) and blocks reading the pipe. When the sqlc step knows which queries
sqlc must see (perquery.py), it writes them into that folder and closes the pipe: sqlc reads an empty file, then
lists and reads the query folder, as a run started then would. The Go it writes is byte-identical (the pipe is an
empty schema file; tests/test_sqlc_prestart.py).

A prestarted run is used only when the step's sqlc.yaml and schema are the very text it was started with;
otherwise, or when nothing needs sqlc, it is killed. It is started only when sqlc will likely run: no cache entry
for this sqlc.yaml and schema yet, or a source file with QuerySet sites changed since that entry was last used
(``likely_needed``); a generate with nothing changed does not pay for it. A wrong guess costs time, never
output: the step starts sqlc itself when no prestarted one fits. (It ran at nice 10 at first: on a loaded
machine the step then waited for a starved process longer than a fresh sqlc took.)
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from typing import Optional

from . import runner

GATE = "migrator-gate.sql"
SLOW_START = ("postgresql",)  # engines whose start is worth hiding (SQLite and MySQL start in ~0.02 s of CPU)


class Warm:
    """One `sqlc generate` started on ``base`` (sqlc.yaml and the schema), waiting at the gate for its queries."""

    def __init__(self, binary: str, base: dict[str, str], config: str, queries: str):
        self.base = base
        self.folder = tempfile.mkdtemp(prefix="migrator-sqlc-")
        runner.write_files(self.folder, {**base, "sqlc.yaml": config})
        os.makedirs(os.path.join(self.folder, queries), exist_ok=True)  # filled before the gate opens
        self.gate = os.path.join(self.folder, GATE)
        os.mkfifo(self.gate)
        self.proc: Optional[subprocess.Popen] = subprocess.Popen(
            [binary, "generate"], cwd=self.folder, env=runner.env(self.folder), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)

    def finish(self, files: dict[str, str]) -> Optional[tuple[runner.Run, bool]]:
        """The run on ``files`` (``base`` and the query files), as ``runner.generate`` returns it; None when this
        process cannot give it (``files`` holds another base, or sqlc ended before the gate): run sqlc anew."""
        proc, self.proc = self.proc, None
        if proc is None or any(files.get(k) != v for k, v in self.base.items()):
            _kill(proc)
            return None
        runner.write_files(self.folder, {k: v for k, v in files.items() if k not in self.base})
        deadline = time.monotonic() + runner.TIMEOUT
        while True:  # open the pipe's writing end once sqlc reads it; closing it ends sqlc's read
            try:
                os.close(os.open(self.gate, os.O_WRONLY | os.O_NONBLOCK))
                break
            except OSError as exc:
                if exc.errno != errno.ENXIO or proc.poll() is not None or time.monotonic() > deadline:
                    _kill(proc)
                    return None
            time.sleep(0.005)
        try:
            stdout, stderr = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _kill(proc)
            return runner.Run({}, f"sqlc generate did not finish in {runner.TIMEOUT} s"), False
        return runner.collect(self.folder, proc.returncode, stdout, stderr), True

    def close(self) -> None:
        _kill(self.proc)
        self.proc = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _kill(proc: Optional[subprocess.Popen]) -> None:
    if proc is not None and proc.poll() is None:
        try:
            os.killpg(proc.pid, 9)
        except (ProcessLookupError, PermissionError):
            pass
    if proc is not None:
        proc.communicate()


def gated(config: str, schema_path: str) -> Optional[str]:
    """sqlc.yaml with the gate after the schema, or None when its schema line is not the expected one."""
    line = f"    schema: {schema_path}\n"
    if config.count(line) != 1:
        return None
    return config.replace(line, f"    schema: [{schema_path}, {GATE}]\n")


def likely_needed(base: dict[str, str], sources: tuple[str, ...]) -> bool:
    """Whether the step will likely run sqlc on ``base``: no cache entry (or no cache), or one of ``sources`` (the
    files holding QuerySet sites) modified after the entry was last used."""
    from .perquery import package_key

    folder = runner.cache_dir()
    if folder is None:
        return True
    try:
        used = (folder / f"package-{package_key(base)}.json").stat().st_mtime
    except OSError:
        return True
    for path in sources:
        try:
            if os.stat(path).st_mtime >= used:
                return True
        except OSError:
            return True
    return False


def _memo(root: str, dialect: str) -> Optional[str]:
    """Where the last generate of the project at ``root`` left sqlc's base for ``dialect`` and its site files."""
    folder = runner.cache_dir()
    if folder is None:
        return None
    return str(folder / f"last-{hashlib.sha256(f'{root}{chr(0)}{dialect}'.encode()).hexdigest()[:32]}.json")


class Early:
    """``with Early(root, dialects) as early:`` then ``early.start()`` before the project is loaded (while Django
    boots): sqlc started on the sqlc.yaml and schema the last generate of the project at ``root`` used, when a file
    that held QuerySet sites then has changed since (``likely_needed``). ``Prestart`` takes it when the project's
    base turns out to be the same text (the usual case after editing a view), kills it otherwise; either way it
    remembers the base for the next run. A guess, never an output: ``Warm.finish`` also compares the base."""

    def __init__(self, root: str, dialects: tuple[str, ...]):
        self.root, self.dialects = str(root), tuple(d for d in dialects if d in SLOW_START)
        self.warm: dict[str, Warm] = {}
        self.memos: dict[str, dict] = {}

    def start(self) -> None:
        from ..dialects import DIALECTS

        if not hasattr(os, "mkfifo"):
            return
        for d in self.dialects:
            path = _memo(self.root, d)
            try:
                with open(path or "", encoding="utf-8") as fh:
                    self.memos[d] = memo = json.load(fh)
                if not likely_needed(memo["base"], tuple(memo["sources"])):
                    continue
                config = gated(memo["base"]["sqlc.yaml"], DIALECTS[d].sqlc_schema)
                if config is not None:
                    self.warm[d] = Warm(runner.sqlc_binary(), memo["base"], config, f"sqlc/queries/{d}")
            except (OSError, ValueError, KeyError, TypeError, subprocess.SubprocessError):
                continue  # no memo (a first run), or sqlc cannot start: Prestart decides as before

    def take(self, dialect: str, base: dict[str, str], sources: tuple[str, ...]) -> Optional[Warm]:
        """The sqlc started early on ``base``, if any (else None, and any other is killed); ``base`` and ``sources``
        are remembered for the next run."""
        memo = {"base": base, "sources": list(sources)}
        path = _memo(self.root, dialect)
        if path is not None and self.memos.get(dialect) != memo:
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(path), delete=False, suffix=".tmp",
                                                 encoding="utf-8") as fh:
                    json.dump(memo, fh)
                os.replace(fh.name, path)
            except OSError:
                pass  # a memo that cannot be written only costs time
        warm = self.warm.pop(dialect, None)
        if warm is not None and warm.base != base:
            warm.close()
            return None
        return warm

    def __enter__(self) -> "Early":
        return self

    def __exit__(self, *exc) -> None:
        for w in self.warm.values():
            w.close()
        self.warm = {}


class Prestart:
    """``with Prestart(inputs, ...) as prestart:`` sqlc started per slow dialect of ``inputs``; ``prestart.warm``
    maps a dialect to its ``Warm``, and the sqlc step reuses ``prestart.inputs``; whatever is left unused is killed
    on exit. No ``Warm`` when the binary or a named pipe is not available (the step then starts sqlc itself).
    ``early``: sqlc started before the load (``Early``), used when it was started on the same base."""

    def __init__(self, inputs, dialects: tuple[str, ...], sources: tuple[str, ...] = (), early: Optional[Early] = None):
        from .inputs import SCHEMA_FOR_SQLC

        self.inputs = inputs
        self.warm: dict[str, Warm] = {}
        if not hasattr(os, "mkfifo"):
            return
        try:
            for d in dialects:
                if d not in SLOW_START:
                    continue
                base = inputs.package_base(d)
                taken = early.take(d, base, sources) if early is not None else None
                if taken is not None:
                    self.warm[d] = taken
                    continue
                if not likely_needed(base, sources):
                    continue
                config = gated(base["sqlc.yaml"], SCHEMA_FOR_SQLC[d])
                if config is not None:
                    self.warm[d] = Warm(runner.sqlc_binary(), base, config, f"sqlc/queries/{d}")
        except (OSError, subprocess.SubprocessError, LookupError):
            self.close()

    def __enter__(self) -> "Prestart":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for w in self.warm.values():
            w.close()
        self.warm = {}
