"""How each stack runs, on the same database and the same connection budget.

- Django: gunicorn, ``workers = cores``, the ``gthread`` worker (keep-alive; the sync worker closes every
  connection), ``--preload`` (the application is imported once in the master and shared copy-on-write by
  the workers: what production configurations do, and the smaller PSS for Django), access log off,
  ``DEBUG = False`` and persistent database connections (``CONN_MAX_AGE = None``) through a settings
  module layered on the parity settings shim. Django holds one connection per thread, so its budget is
  ``workers * threads`` (threads: enough for ``max(4, cores)`` connections, pgx's default pool size).
- Go: the generated server built as a team serving PostgreSQL only, whose handlers do not write through
  GORM, deploys it (``go build -tags nosqlite,nogorm -trimpath -ldflags='-s -w' ./http``: no SQLite driver,
  no GORM, no symbol table in the binary), ``LOG_LEVEL=error`` (no line per request, as gunicorn without
  an access log). The sqlc queries run on one pgx pool (``dbpool.Open``) of ``DB_MAX_OPEN_CONNS``
  connections, set to Django's budget: the same number of connections on both sides.
- The floor (``floor/main.go``): the least a Go service does for a database-backed 200 on this machine,
  one pgx connection and one statement, no pool, router or ORM; built against the tree's go.mod (the same
  pgx). Its cold start, PSS and CPU per request are what the Go figures are judged against.

The connections each stack really holds are counted in ``pg_stat_activity`` after the load and reported.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

from ..parity.http_servers import _build_server, _free_port, _settings_shim
from ..parity.runner import _env
from .procs import Stack

BENCH_SETTINGS = "migrator_bench_settings"
SERVER_TAGS = "nosqlite,nogorm"  # the bench serves PostgreSQL through sqlc: no SQLite driver, no GORM


def server_tags(dialect: str) -> str:
    """On MySQL/MariaDB the server opens its database through GORM (db_mysql.go): only the SQLite driver is left out."""
    return SERVER_TAGS if dialect == "postgresql" else "nosqlite"


def server_build(dialect: str) -> list[str]:
    return ["go", "build", "-tags", server_tags(dialect), "-trimpath", "-ldflags=-s -w"]
FLOOR_SOURCE = Path(__file__).resolve().parent / "floor" / "main.go"


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def pgx_pool_size() -> int:
    """pgxpool's default MaxConns: max(4, runtime.NumCPU())."""
    return max(4, os.cpu_count() or 1)


def django_threads() -> int:
    return max(1, math.ceil(pgx_pool_size() / cores()))


def connection_budget() -> int:
    """Connections each stack may hold: Django's workers x threads, the Go server's DB_MAX_OPEN_CONNS."""
    return cores() * django_threads()


def django_stack(ctx, url: str) -> Stack:
    shim = _settings_shim(ctx, url, "bench")
    (shim / f"{BENCH_SETTINGS}.py").write_text(
        "from migrator_parity_settings import *  # noqa: F401,F403\n"
        "from migrator_parity_settings import DATABASES\n\n"
        "DEBUG = False\n"
        "DATABASES['default']['CONN_MAX_AGE'] = None  # persistent connections\n", encoding="utf-8")
    workers = cores()
    threads = django_threads()
    env = _env()
    env["PYTHONPATH"] = os.pathsep.join([str(shim), str(ctx.root), env.get("PYTHONPATH", "")])
    env["DJANGO_SETTINGS_MODULE"] = BENCH_SETTINGS
    port = _free_port()
    argv = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "gthread",
            "--threads", str(threads), "--preload", "--keep-alive", "75", "--bind", f"127.0.0.1:{port}",
            "--log-level", "warning", "django.core.servers.basehttp:get_internal_wsgi_application()"]
    info = {"server": f"gunicorn {_gunicorn_version()} (gthread, --preload)", "workers": workers,
            "threads": threads, "db_connections_max": workers * threads, "debug": False, "conn_max_age": None}
    return Stack("django", argv, Path(ctx.root), env, port, ctx.tmp("django.log"), info=info)


def go_stack(ctx, url: str) -> Stack:
    binary = _build_server(ctx)
    port = _free_port()
    budget = connection_budget()
    env = {"DATABASE_URL": url, "PORT": str(port), "HOST": "127.0.0.1", "LOG_LEVEL": "error",
           "DB_MAX_OPEN_CONNS": str(budget), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    tags = server_tags(ctx.dialect)
    info = {"server": f"generated net/http service (go build -tags {tags} -trimpath -ldflags='-s -w' ./http)",
            "gomaxprocs": os.cpu_count(), "db_connections_max": budget,
            "pool": f"one pgx pool for the sqlc queries and database/sql, {budget} connections",
            "build_tags": tags, "binary_bytes": binary.stat().st_size}
    return Stack("go", [str(binary)], Path(ctx.tree), env, port, ctx.tmp("go.log"), info=info)


def go_variant(go: Stack, name: str, binary: Path) -> Stack:
    """Another build of the Go server (another tree's, or before a change), run as the Go stack is."""
    port = _free_port()
    return Stack(name, [str(Path(binary).resolve())], go.cwd, {**go.env, "PORT": str(port)}, port,
                 go.log.with_name(f"{name}.log"), info={"binary_bytes": Path(binary).stat().st_size})


def build_floor(ctx) -> list[str]:
    """The floor's source next to a copy of the tree's go.mod and go.sum; the go build command to run there."""
    src = ctx.work / "floor"
    src.mkdir(parents=True, exist_ok=True)
    for name in ("go.mod", "go.sum"):
        (src / name).write_bytes((Path(ctx.tree) / name).read_bytes())
    (src / "main.go").write_bytes(FLOOR_SOURCE.read_bytes())
    return ["go", "build", "-trimpath", "-ldflags=-s -w", "-o", str(ctx.bin / "floor"), "."]


def floor_stack(ctx, url: str, sql: str, db: bool = True) -> Stack:
    """The floor as a stack: one connection and ``sql`` per request (db), or no database at all."""
    env = {"DATABASE_URL": url, "PORT": str(_free_port()), "HOST": "127.0.0.1", "FLOOR_SQL": sql,
           "FLOOR_MODE": "db" if db else "nodb", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    binary = ctx.bin / "floor"
    info = {"server": "floor/main.go: net/http, one pgx connection, one statement per request",
            "sql": sql, "binary_bytes": binary.stat().st_size}
    return Stack("floor" if db else "floor_nodb", [str(binary)], ctx.work, env, int(env["PORT"]),
                 ctx.tmp("floor.log"), info=info)


def _gunicorn_version() -> str:
    try:
        from importlib.metadata import version

        return version("gunicorn")
    except Exception:  # noqa: BLE001 - only for the report
        return "?"
