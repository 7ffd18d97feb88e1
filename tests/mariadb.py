"""A private MariaDB server for tests: ``from mariadb import mariadb_server, mysql_db  # noqa: F401``.

``mariadb_server`` (session scope) runs ``mariadb-install-db`` into a temporary directory and starts
``mariadbd --no-defaults`` on a free 127.0.0.1 port with ``--skip-grant-tables`` (any user, no password),
and stops it when the session ends. ``mysql_db`` (function scope) creates a fresh database and drops it
afterwards, returning its ``mysql://`` URL. Every wait is bounded. ``python tests/mariadb.py DIR`` starts
one in the foreground for a shell (.ci/run and docs/mysql.md use it); it prints the URL, and SIGTERM or
SIGINT stops the server, removes DIR and exits (``main``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from pg import free_port  # one free-port finder for both private servers (tests/pg.py)

# A scratch server: nothing in it outlives the run, so no durability. Parity copies a database per write (each table
# a CREATE TABLE and an INSERT ... SELECT: about 25 tables on the sample) and drops it after; one tablespace file
# per table, its flushes and the doublewrite buffer made a copy and its drop about twice as slow (10 copies of 25
# tables: 21.9, 22.9, 20.3 s with the defaults, 12.7, 12.5, 10.3 s with these, interleaved, load average 14 to 16).
# What SQL sees is the same (PostgreSQL's test server runs with fsync=off likewise: tests/pg.py).
SCRATCH_FLAGS = ("--innodb-file-per-table=0", "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0")
SKIP_REASON = "MariaDB not installed (apt-get install -y mariadb-server); .ci/run installs it"


@dataclass
class MariaDBServer:
    datadir: Path
    port: int
    proc: subprocess.Popen
    host: str = "127.0.0.1"

    def url(self, dbname: str = "mysql") -> str:
        return f"mysql://root@{self.host}:{self.port}/{dbname}"

    def _admin(self):
        import pymysql

        return pymysql.connect(host=self.host, port=self.port, user="root", autocommit=True, connect_timeout=10)

    def create_db(self, name: str) -> str:
        with self._admin() as conn, conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        return self.url(name)

    def drop_db(self, name: str) -> None:
        with self._admin() as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def binaries() -> tuple[str, str] | None:
    install, server = shutil.which("mariadb-install-db"), shutil.which("mariadbd") or (
        "/usr/sbin/mariadbd" if os.path.exists("/usr/sbin/mariadbd") else None)
    return (install, server) if install and server else None


def start(base: Path, timeout: float = 60) -> MariaDBServer:
    """A MariaDB server on a free port, its data under ``base``; raises RuntimeError when it does not start."""
    found = binaries()
    if not found:
        raise RuntimeError(SKIP_REASON)
    install, server = found
    datadir, sock = base / "data", base / "mysqld.sock"
    user = ["--user=root"] if os.geteuid() == 0 else []
    subprocess.run([install, "--no-defaults", f"--datadir={datadir}", "--auth-root-authentication-method=normal",
                    "--skip-test-db", *user], check=True, capture_output=True, timeout=120)  # killed if interrupted
    port = free_port()
    log = open(base / "server.log", "w")
    proc = subprocess.Popen([server, "--no-defaults", f"--datadir={datadir}", f"--socket={sock}", f"--port={port}",
                             "--bind-address=127.0.0.1", "--skip-grant-tables", "--skip-name-resolve",
                             "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M", *SCRATCH_FLAGS,
                             f"--pid-file={base / 'mysqld.pid'}", *user],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    srv = MariaDBServer(datadir=datadir, port=port, proc=proc)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                srv._admin().close()
                return srv
            except Exception as exc:  # noqa: BLE001 - not up yet
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = (base / "server.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"mariadbd did not start ({exc}): {tail}") from exc
                time.sleep(0.3)
    except BaseException:  # not up, or interrupted (main's SIGTERM handler): the server must not outlive us
        if proc.poll() is None:
            srv.stop()
        raise


try:
    import pytest

    @pytest.fixture(scope="session")
    def mariadb_server():
        if not binaries():
            pytest.skip(SKIP_REASON)
        base = Path(tempfile.mkdtemp(prefix="migrator-mariadb-"))
        srv = start(base)
        yield srv
        srv.stop()
        shutil.rmtree(base, ignore_errors=True)

    @pytest.fixture()
    def mysql_db(mariadb_server):
        name = f"t_{uuid.uuid4().hex[:10]}"
        url = mariadb_server.create_db(name)
        yield url
        mariadb_server.drop_db(name)
except ImportError:  # used from .ci/run without pytest
    pass


class _Stop(BaseException):
    """Raised by the SIGTERM / SIGINT handler of ``main`` to unwind whatever wait is running."""


def _raise_stop(signum, _frame):
    raise _Stop(signum)


def main(argv: list[str]) -> int:
    """``tests/mariadb.py [DIR [DBNAME]]``: the server in the foreground until SIGTERM or SIGINT.

    DIR (absent, or an empty directory; a fresh temporary one when omitted) is the server's and is removed on
    exit. A requested stop that completes exits 0; a server that exits by itself, or fails to start, exits 1
    with its log's tail on stderr; a DIR holding files exits 2 and touches nothing.
    """
    import signal

    base = Path(argv[0]) if argv else Path(tempfile.mkdtemp(prefix="migrator-mariadb-"))
    if base.exists() and (not base.is_dir() or any(base.iterdir())):
        print(f"tests/mariadb.py: {base}: not an empty directory (it is removed on exit)", file=sys.stderr)
        return 2
    # The handlers come before start(): a stop asked for during start-up still unwinds through start()'s
    # cleanup and the finally below (the server runs in its own session and would outlive us otherwise).
    previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    srv = None
    try:
        base.mkdir(parents=True, exist_ok=True)
        srv = start(base)
        print(srv.url(argv[1] if len(argv) > 1 else "parity"), flush=True)
        code = srv.proc.wait()
        tail = (base / "server.log").read_text(errors="replace")[-2000:]
        print(f"tests/mariadb.py: mariadbd exited by itself (status {code}):\n{tail}", file=sys.stderr)
        return 1
    except _Stop:
        return 0
    except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
        print(f"tests/mariadb.py: {exc}", file=sys.stderr)
        return 1
    finally:
        for sig in previous:  # a second signal must not cut the cleanup short
            signal.signal(sig, signal.SIG_IGN)
        if srv is not None and srv.proc.poll() is None:
            srv.stop()
        shutil.rmtree(base, ignore_errors=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
