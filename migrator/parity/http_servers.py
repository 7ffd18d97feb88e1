"""The http check's servers: Django's runserver (or a fork of one Django boot, django_fork) and the tree's Go server on
free loopback ports, against one database each, waited for with a bounded timeout and always stopped; the Go server
built once per run (``go build ./http``). checks_http and the benchmark (bench.stacks) start them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .context import STEP_TIMEOUT, CannotRun, Context, go_build_env
from .ports import owns_port

READY_TIMEOUT = 60.0  # seconds a server gets to answer its first request
PORT_TRIES = 3  # a free port another process takes first: start again on new ports (ports.py)


class PortTaken(CannotRun):
    """The port picked for a server answered, but not from the server's process (ports.owns_port)."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings_shim(ctx: Context, url: str, name: str) -> Path:
    """A settings module importing the project's settings and replacing DATABASES with the scratch database
    (what django_side.setup does in-process): runserver is a separate process and projects have no common
    convention (DATABASE_URL, SQLITE_PATH, ...) for choosing their database. Loopback hosts are allowed so a
    DEBUG=False project answers 127.0.0.1."""
    folder = ctx.tmp(f"settings-{name}")
    folder.mkdir(exist_ok=True)  # a server started again on new ports (PortTaken) writes it again
    (folder / "migrator_parity_settings.py").write_text(
        f"from {ctx.settings} import *  # noqa: F401,F403\n"
        f"from {ctx.settings} import DATABASES as _PROJECT_DATABASES\n"
        "from migrator.parity.django_side import scratch_database as _scratch_database\n"
        "from migrator.parity.sandbox import sandbox_settings as _sandbox_settings\n\n"
        f"DATABASES = {{'default': _scratch_database(dict(_PROJECT_DATABASES.get('default', {{}})), {url!r})}}\n"
        "globals().update(_sandbox_settings(globals()))  # parity writes only in its work directory\n"
        "try:\n"
        "    ALLOWED_HOSTS = [*ALLOWED_HOSTS, '127.0.0.1', 'localhost']  # noqa: F405\n"
        "except NameError:\n"
        "    ALLOWED_HOSTS = ['127.0.0.1', 'localhost']\n", encoding="utf-8")
    return folder


class Servers:
    """Django's runserver and the Go server on one database, on free loopback ports; stopped on exit."""

    def __init__(self, ctx: Context, server_bin: Path, url: str, name: str, sides: tuple[str, ...] = ("django", "go"),
                 forks=None):
        self.ctx, self.server_bin, self.url, self.name, self.sides = ctx, server_bin, url, name, sides
        self.forks = forks  # django_fork.Forks: Django's server forked from one boot (the writes), not a runserver
        self.secret = ctx.query_runs.get("http_secret", "")  # Django's SECRET_KEY: Go reads its sessions
        self.auth_env = ctx.query_runs.get("http_auth_env", {})  # the project's cookie names... (parity.auth_env.go_auth_env)
        self.procs: list[tuple[str, subprocess.Popen, Path]] = []

    def _start(self, what: str, argv: list[str], cwd: Path, env: dict) -> subprocess.Popen:
        log = self.ctx.tmp(f"{what}-{self.name}.log")
        with open(log, "w") as fh:
            proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        self.procs.append((what, proc, log))
        return proc

    def _wait(self, what: str, base: str, probe: str, proc: subprocess.Popen, log: Path) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        port = int(base.rpartition(":")[2])
        while True:
            try:
                with urllib.request.urlopen(base + probe, timeout=2):
                    answered = True
            except urllib.error.HTTPError:
                answered = True  # it answers
            except (urllib.error.URLError, OSError):
                answered = False
            if answered and owns_port(proc.pid, port) is not False:  # ours, not a process that took the port
                return
            if answered and proc.poll() is not None:
                raise PortTaken(f"port {port} answered by another process; the {what} server exited {proc.returncode}")
            if proc.poll() is not None or time.monotonic() > deadline:
                why = f"exited {proc.returncode}" if proc.poll() is not None else f"no answer in {READY_TIMEOUT:.0f}s"
                tail = "\n".join(log.read_text(errors="replace").strip().splitlines()[-15:])
                raise CannotRun(f"the {what} server did not start ({why}):\n{tail}")
            time.sleep(0.2)

    def __enter__(self):
        for attempt in range(PORT_TRIES):
            try:
                return self._enter()
            except PortTaken:
                if attempt == PORT_TRIES - 1:
                    raise
        return self

    def _enter(self):
        try:
            dport, gport = _free_port(), _free_port()
            shim = _settings_shim(self.ctx, self.url, self.name)
            env = self.ctx.django_env()
            env["PYTHONPATH"] = os.pathsep.join([str(shim), str(self.ctx.django_root), env.get("PYTHONPATH", "")])
            env["DJANGO_SETTINGS_MODULE"] = "migrator_parity_settings"
            self.django, self.go = f"http://127.0.0.1:{dport}", f"http://127.0.0.1:{gport}"
            if "django" in self.sides and self.forks is not None:
                log = self.ctx.tmp(f"Django-{self.name}.log")
                try:
                    django = self.forks.start(self.url, dport, log)
                except RuntimeError as exc:
                    raise CannotRun(str(exc)) from exc
                self.procs.append(("Django", django, log))
            elif "django" in self.sides:
                django = self._start("Django", [sys.executable, "manage.py", "runserver", "--noreload",
                                                f"127.0.0.1:{dport}"], self.ctx.django_root, env)
            if "go" in self.sides:
                go_env = {"DATABASE_URL": self.url, "PORT": str(gport), "HOST": "127.0.0.1", "LOG_LEVEL": "error",
                          "PATH": os.environ.get("PATH", "/usr/bin:/bin"), **self.auth_env,
                          **({"SECRET_KEY": self.secret} if self.secret else {})}
                go = self._start("Go", [str(self.server_bin)], self.ctx.tree, go_env)
                self._wait("Go", self.go, "/healthz", go, self.procs[-1][2])
            if "django" in self.sides:
                self._wait("Django", self.django, "/", django, self.procs[0][2])
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for _, p, _ in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for _, p, _ in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs = []

    def __exit__(self, *exc):
        self.stop()


def _build_server(ctx: Context) -> Path:
    out = ctx.bin / "server"
    if out.exists():
        return out
    ctx.progress("go build ./http")
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        proc = subprocess.run(["go", "build", "-o", str(out), "./http"], cwd=ctx.tree,
                              env=go_build_env(), capture_output=True, text=True,
                              timeout=STEP_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise CannotRun(f"go build ./http did not finish within {STEP_TIMEOUT:g} s in {ctx.tree}") from None
    if proc.returncode != 0:
        raise CannotRun(f"go build ./http failed in {ctx.tree}:\n{proc.stderr.strip()[-2000:]}")
    return out
