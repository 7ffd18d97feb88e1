"""The Django process of the load stage (``python -m migrator.load.worker``): started, asked, waited on (every
wait bounded) and ended with everything it started. load.Session and load_registry use it."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional


def load_timeout() -> float:
    """Seconds Django may take to boot (or answer a request other than compile): MIGRATOR_LOAD_TIMEOUT,
    default 600. A project whose settings or ready() wait on a network that never answers ends there."""
    try:
        value = float(os.environ.get("MIGRATOR_LOAD_TIMEOUT", "") or 600)
    except ValueError:
        value = 600.0
    return value if value > 0 else 600.0


def _crash(code: str, message: str) -> dict:
    return {"fatal": True, "diagnostics": [{"code": code, "message": message, "file": "", "line": 0, "column": 0,
                                            "severity": "error", "hint": ""}]}


class Worker:
    """A Django process (``worker``): its first result (registry, schema, routes), then, when it serves,
    requests answered by the same process: Django boots once per run, not once per step. Every wait on it
    is bounded; a process that overruns is killed with everything it started (its own process group)."""

    def __init__(self, root: Path, settings: str, exclude: list[str], schema: bool, env: Optional[dict],
                 routes: bool = False, compile_file: Optional[str] = None, serve: bool = False):
        self.args = (root, settings, list(exclude), env)
        self._tmp = tempfile.TemporaryDirectory()
        self._n = 0
        self.out = os.path.join(self._tmp.name, "result.json")
        cmd = [sys.executable, "-m", "migrator.load.worker", str(root), "--settings", settings, "--out", self.out]
        for app in exclude:
            cmd += ["--exclude-app", app]
        if schema:
            cmd.append("--schema")
        if compile_file:
            cmd += ["--compile", compile_file]
        if routes:
            cmd.append("--routes")
        pkg_parent = str(Path(__file__).resolve().parents[2])
        run_env = dict(os.environ if env is None else env)
        run_env["PYTHONPATH"] = os.pathsep.join(p for p in (pkg_parent, run_env.get("PYTHONPATH", "")) if p)
        # the project's own output goes to a file: a pipe nobody reads while we wait could fill and block it
        self._log = open(os.path.join(self._tmp.name, "output.log"), "w+", encoding="utf-8", errors="replace")
        self._reply = None
        fds: tuple[int, ...] = ()
        if serve:
            read_end, write_end = os.pipe()
            cmd += ["--serve", str(write_end)]
            fds = (write_end,)
        self.proc = subprocess.Popen(cmd, cwd=root, env=run_env, stdin=subprocess.PIPE if serve else subprocess.DEVNULL,
                                     stdout=self._log, stderr=subprocess.STDOUT, text=True, pass_fds=fds,
                                     start_new_session=True)
        if serve:
            os.close(write_end)
            self._reply = os.fdopen(read_end, encoding="utf-8")

    def first(self, while_waiting: Optional[Callable[[], None]] = None) -> dict:
        if while_waiting is not None:  # the other core parses sources while Django boots
            while_waiting()
        if self._wait_reply(time.monotonic() + load_timeout()) == "stalled":
            self.kill()
            return _crash("LOADER_TIMEOUT", f"Django did not finish loading the project within {load_timeout():g} s "
                          f"(MIGRATOR_LOAD_TIMEOUT): {self.tail()}")
        return self._read(self.out)

    def _wait_reply(self, deadline: float, progress: Optional[Callable[[], object]] = None,
                    stall: float = 0.0) -> str:
        """Wait for the next reply line (or the end of a non-serving process): "reply", "ended" (the process
        is gone without a reply) or "stalled" (``deadline`` passed; with ``progress``, a deadline pushed
        ``stall`` seconds on each time its value changes)."""
        seen = progress() if progress else None
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return "stalled"
            if self._reply is None:
                try:
                    self.proc.wait(timeout=min(left, 0.5))
                    return "ended"
                except subprocess.TimeoutExpired:
                    pass
            else:
                ready, _, _ = select.select([self._reply], [], [], min(left, 0.5))
                if ready:
                    return "reply" if self._reply.readline() else "ended"
            if progress is not None:
                now = progress()
                if now != seen:
                    seen, deadline = now, time.monotonic() + stall

    def send(self, **request) -> str:
        """Start a request; ``receive`` with the returned name waits for its result."""
        self._n += 1
        out = os.path.join(self._tmp.name, f"reply-{self._n}.json")
        if self._reply is not None and self.proc.poll() is None:
            try:
                self.proc.stdin.write(json.dumps({**request, "out": out}) + "\n")
                self.proc.stdin.flush()
            except OSError:  # the process is gone: _read says so
                pass
        return out

    def receive(self, out: str, progress: Optional[Callable[[], object]] = None, stall: float = 0.0) -> dict:
        """The result of a request; with ``progress``, a request that makes none for ``stall`` seconds
        ends as ``{"stalled": True}`` (the caller kills the process), else after MIGRATOR_LOAD_TIMEOUT."""
        if self._reply is not None and self.proc.poll() is None:
            bound = stall if progress is not None else load_timeout()
            if self._wait_reply(time.monotonic() + bound, progress, stall) == "stalled":
                return {"stalled": True}
        return self._read(out)

    def tail(self, lines: int = 3) -> str:
        self._log.flush()
        self._log.seek(0)
        return " | ".join(self._log.read().strip().splitlines()[-lines:])

    def _read(self, path: str) -> dict:
        if not os.path.exists(path):
            if self._reply is None or self.proc.poll() is not None:
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.kill()
            return _crash("LOADER_CRASH", "the Django loader process died: " + self.tail())
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)

    @property
    def tmp(self) -> str:
        return self._tmp.name

    def kill(self) -> None:
        """End the process and whatever it started (a forked dialect, a project's helper process)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()

    def _await_recording(self, bound: float = 120.0) -> None:
        """The compile cache records the sites compiled in a process forked after the reply (load.compile_cache),
        detached from the worker's group: nothing to wait for, unless MIGRATOR_COMPILE_CACHE=wait, where it stays
        in the group that the kill below ends; then wait for it, at most ``bound`` seconds (killed, it stores
        nothing)."""
        from .compile_cache import waited
        from .worker import RECORDING

        if not waited():
            return

        marker = os.path.join(self._tmp.name, RECORDING)
        deadline = time.monotonic() + bound
        while os.path.exists(marker) and time.monotonic() < deadline:
            time.sleep(0.02)

    def close(self) -> None:
        """A serving process has answered everything asked of it: it is killed at once rather than let exit
        (its interpreter's teardown of Django and the registry took ~0.5 s of every run); it holds no state
        worth a clean exit (offline connections, in-memory SQLite, files in our temporary folder)."""
        if self.proc.stdin:
            try:
                self.proc.stdin.close()
            except OSError:  # a broken pipe: the process is gone
                pass
        self._await_recording()
        if self._reply is not None:
            self._reply.close()
        else:
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        self.kill()  # also what it left behind in its group
        self._log.close()
        self._tmp.cleanup()
