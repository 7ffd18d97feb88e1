"""A private PostgreSQL server for tests: ``from pg import postgres_server, pg_db  # noqa: F401``.

``postgres_server`` (session scope) runs ``initdb`` + ``pg_ctl`` from the newest
/usr/lib/postgresql/*/bin into a temporary directory, on a free 127.0.0.1 port, with trust
authentication for the ``postgres`` role, and stops it when the session ends. ``pg_db`` (function
scope) creates a fresh database on it and drops it afterwards, returning its URL.

initdb refuses to run as root, so as root the cluster belongs to the ``postgres`` OS user
(the server binaries run through ``runuser -u postgres --``).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

SKIP_REASON = "PostgreSQL binaries not installed (apt-get install -y postgresql); .ci/run installs them"


def find_bindir() -> Path | None:
    """The newest /usr/lib/postgresql/<major>/bin that has initdb and pg_ctl."""
    found = []
    for d in glob.glob("/usr/lib/postgresql/*/bin"):
        major = Path(d).parent.name
        if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
            try:
                found.append((float(major), Path(d)))
            except ValueError:
                continue
    return max(found)[1] if found else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    bindir: Path
    datadir: Path
    port: int
    host: str = "127.0.0.1"
    user: str = "postgres"
    startup_seconds: float = 0.0

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{dbname}"

    def _admin(self):
        import psycopg

        return psycopg.connect(self.url("postgres"), autocommit=True)

    def create_db(self, name: str) -> str:
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_db(self, name: str) -> None:
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(_as_owner(cmd), capture_output=True, text=True, **kw)


def start_server() -> PostgresServer:
    bindir = find_bindir()
    if bindir is None:
        pytest.skip(SKIP_REASON)
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="migrator-pg-"))
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(tmp, pw.pw_uid, pw.pw_gid)
    datadir = tmp / "data"
    base = [str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", "postgres", "--encoding=UTF8"]
    proc = _run(base + ["--locale=C.UTF-8"])
    if proc.returncode != 0:
        shutil.rmtree(datadir, ignore_errors=True)
        proc = _run(base + ["--no-locale"])
    if proc.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise RuntimeError(f"initdb failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    port = free_port()
    opts = (f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off")
    proc = _run([str(bindir / "pg_ctl"), "-w", "-D", str(datadir), "-l", str(tmp / "server.log"),
                 "-o", opts, "start"], timeout=120)
    if proc.returncode != 0:
        log = (tmp / "server.log").read_text(errors="replace") if (tmp / "server.log").exists() else ""
        shutil.rmtree(tmp, ignore_errors=True)
        raise RuntimeError(f"pg_ctl start failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}\n{log}")
    _watch(os.getpid(), bindir, datadir)
    return PostgresServer(bindir=bindir, datadir=datadir, port=port,
                          startup_seconds=time.monotonic() - started)


def _watch(pid: int, bindir: Path, datadir: Path) -> None:
    """Stop the server when the test process is gone, however it ended: a pytest killed by a timeout
    or by SIGKILL runs no fixture teardown, and its server (with its port and temporary folder) used to
    outlive it. The watcher is its own session, so a signal to pytest's process group does not reach it
    before it has stopped the server; after a normal teardown it finds the folder gone and exits."""
    stop = " ".join(_as_owner([str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop"]))
    script = (f"while kill -0 {pid} 2>/dev/null; do sleep 1; done; "
              f"if [ -d {datadir} ]; then timeout 120 {stop} >/dev/null 2>&1; rm -rf {datadir.parent}; fi")
    subprocess.Popen(["sh", "-c", script], start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_server(server: PostgresServer) -> None:
    _run([str(server.bindir / "pg_ctl"), "-D", str(server.datadir), "-m", "fast", "-w", "stop"], timeout=120)
    shutil.rmtree(server.datadir.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    server = start_server()
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture
def pg_db(postgres_server):
    name = "t_" + uuid.uuid4().hex[:12]
    url = postgres_server.create_db(name)
    try:
        yield url
    finally:
        postgres_server.drop_db(name)
