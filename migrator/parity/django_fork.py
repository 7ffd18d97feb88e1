"""One booted Django that forks a fresh runserver per database: the http check's writes.

Each migrated write runs against its own copy of the database, on a Django server of its own (checks_http): started
as ``manage.py runserver`` that was one Django boot per write, 0.7 s of CPU on the sample, most of the check's time
(63 writes). Here runserver's start runs once, up to the point where it would serve (system checks, migration check,
the WSGI handler, the URLconf imported), against the database the copies are made from; then for each write the
process forks, and the child points the default connection at that write's copy and serves it with runserver's own
``run()``. The child is the process runserver would have been, in the state it had before its first request: no
request served, no connection open (runserver closes them before serving), its caches as the boot left them. Nothing
carries from one write to the next: each child serves one write and is stopped.

    python -m migrator.parity.django_fork          (cwd: the project's copy; DJANGO_SETTINGS_MODULE: the shim)

reads ``URL PORT LOG`` lines on stdin and answers each with the child's pid on stdout; it ends when stdin closes.
"""

from __future__ import annotations

import os
import signal
import sys
import time


def _serve(booted: dict, url: str, port: int, log: str) -> None:
    """The child: its output to ``log``, the default database at ``url``, then runserver's run() (never returns)."""
    from django.db import connections

    from migrator.parity.django_side import database_settings

    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for conn in connections.all(initialized_only=True):
        conn.close()
    connections["default"].settings_dict.update(database_settings(url))
    try:
        booted["run"]("127.0.0.1", port, booted["handler"], **booted["options"])
    finally:
        os._exit(1)


def main() -> int:
    from django.core.management import ManagementUtility
    from django.core.management.commands import runserver

    booted = {"run": runserver.run}

    def fork_loop(addr, port, handler, **options):  # runserver's run(): serve nothing here, fork per database
        booted.update(handler=handler, options=options)

    answers = os.fdopen(os.dup(1), "w")  # the pids; what Django prints (runserver's banner) goes to the log
    os.dup2(2, 1)
    sys.path.insert(0, os.getcwd())
    runserver.run = fork_loop  # what `manage.py runserver --noreload` does, up to its run()
    ManagementUtility(["manage.py", "runserver", "--noreload", "127.0.0.1:1"]).execute()
    runserver.run = booted["run"]
    if "handler" not in booted:
        print("runserver did not reach its server", file=sys.stderr)
        return 1
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    sys.stdout.flush()
    children = []
    for line in sys.stdin:
        url, port, log = line.rstrip("\n").split(" ", 2)
        pid = os.fork()
        if pid == 0:
            answers.close()
            _serve(booted, url, int(port), log)
        children.append(pid)
        print(pid, file=answers, flush=True)
    for pid in children:  # stopped by the check already; none outlives this process
        Child(pid).send_signal(signal.SIGTERM)
    return 0


class Child:
    """A forked server as http_servers.Servers handles its processes (a subprocess.Popen's poll/wait/kill)."""

    def __init__(self, pid: int):
        self.pid, self.returncode = pid, None

    def poll(self):
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
                with open(f"/proc/{self.pid}/stat", encoding="ascii") as fh:
                    if fh.read().rsplit(")", 1)[1].split()[0] == "Z":
                        self.returncode = -1
            except (ProcessLookupError, FileNotFoundError):
                self.returncode = -1
        return self.returncode

    def send_signal(self, sig) -> None:
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def wait(self, timeout: float | None = None):
        deadline = time.monotonic() + (timeout if timeout is not None else 1e9)
        while self.poll() is None:
            if time.monotonic() > deadline:
                import subprocess

                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout)
            time.sleep(0.05)
        return self.returncode


class Forks:
    """The booted Django of a check's writes (``main`` in its own process): ``start`` forks a server per database."""

    def __init__(self, cwd, env: dict, log, timeout: float):
        import subprocess

        self.log, self.timeout = log, timeout
        with open(log, "w") as fh:
            self.proc = subprocess.Popen([sys.executable, "-m", "migrator.parity.django_fork"], cwd=cwd, env=env,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=fh, text=True,
                                         start_new_session=True)

    def start(self, url: str, port: int, log) -> Child:
        """A runserver child serving ``url`` on ``port``; RuntimeError (with the boot's log) when there is none."""
        import select

        try:
            self.proc.stdin.write(f"{url} {port} {log}\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass
        ready, _, _ = select.select([self.proc.stdout], [], [], self.timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line.strip().isdigit():
            self.close()
            tail = "\n".join(open(self.log, errors="replace").read().strip().splitlines()[-15:])
            raise RuntimeError(f"Django's server did not start ({'no answer' if not ready else 'exited'}):\n{tail}")
        return Child(int(line))

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except Exception:  # noqa: BLE001 - stopped whatever happens
                self.proc.kill()
                self.proc.wait()


if __name__ == "__main__":
    sys.exit(main())
