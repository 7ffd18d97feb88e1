"""How each stack runs, on the same database and the same connection budget.

- Django: gunicorn, ``workers = cores``, the ``gthread`` worker (keep-alive; the sync worker closes every
  connection), ``--preload`` (the application is imported once in the master and shared copy-on-write by
  the workers: what production configurations do, and the smaller PSS for Django), access log off,
  ``DEBUG = False`` and persistent database connections (``CONN_MAX_AGE = None``) through a settings
  module layered on the parity settings shim. Django holds one connection per thread, so its budget is
  ``workers * threads`` (threads: enough for ``max(4, cores)`` connections, pgx's default pool size).
- Go: the generated server built as a team serving PostgreSQL only deploys it (``go build -tags nosqlite
  ./http``: no SQLite driver in the binary), ``LOG_LEVEL=error`` (no line per request, as gunicorn without
  an access log). GORM and the sqlc queries share one pgx pool (``models.OpenPool``) of
  ``DB_MAX_OPEN_CONNS`` connections, set to Django's budget: the same number of connections on both sides.

The connections each stack really holds are counted in ``pg_stat_activity`` after the load and reported.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

from ..parity.checks_http import _build_server, _free_port, _settings_shim
from ..parity.runner import _env
from .procs import Stack

BENCH_SETTINGS = "migrator_bench_settings"
SERVER_TAGS = "nosqlite"  # the bench serves PostgreSQL: the SQLite driver is left out of the server


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
    info = {"server": "generated net/http service (go build -tags nosqlite ./http)", "gomaxprocs": os.cpu_count(),
            "db_connections_max": budget, "pool": f"one pgx pool shared by GORM and sqlc, {budget} connections",
            "build_tags": SERVER_TAGS}
    return Stack("go", [str(binary)], Path(ctx.tree), env, port, ctx.tmp("go.log"), info=info)


def _gunicorn_version() -> str:
    try:
        from importlib.metadata import version

        return version("gunicorn")
    except Exception:  # noqa: BLE001 - only for the report
        return "?"
