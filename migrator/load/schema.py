"""Django's own DDL for the project, per dialect, without a database server.

Run inside the loader's worker process after ``django.setup()`` (``worker.py --schema``).

For each dialect we build a backend ``DatabaseWrapper`` that never connects, open its schema
editor with ``collect_sql=True`` and call ``create_model`` once per managed, concrete model
(sorted by label). ``create_model`` also creates the auto-created many-to-many join tables, and
the editor appends its deferred SQL (PostgreSQL foreign keys, indexes, ...) when it exits. The
result is the statements ``manage.py migrate`` would leave behind on an empty database, with
Django's own names for constraints and indexes, but in time linear in the number of models:
the migration graph and ``ProjectState`` are never rendered.

One deliberate deviation from plain ``create_model``: auto-created many-to-many join tables get
the ``id`` type migrate gives them (``settings.DEFAULT_AUTO_FIELD``), not the one the live model
says (its app's ``default_auto_field``); see ``_through_pks_as_migrate_makes_them``.

What would otherwise touch a database, and how it is avoided:

* ``ensure_connection``/``connect`` are replaced on the wrapper instances by a function that
  raises, so any path that needs a live connection fails loudly instead of connecting.
* SQLite's schema editor turns foreign-key checking off on ``__enter__`` and runs
  ``PRAGMA foreign_key_check`` on ``__exit__``; both only matter when statements are executed,
  so they are no-ops on our wrapper.
* PostgreSQL features such as ``is_postgresql_15`` (which gates
  ``UniqueConstraint(nulls_distinct=...)``) read ``connection.pg_version``, a cached property
  that would ask the server. We pin it to PostgreSQL 15 (``PG_VERSION``), the server version CI
  runs. ``schema_editor.quote_value`` quotes with psycopg's ``sql.quote`` and the (absent)
  connection as context, which psycopg supports; ``ops.compose_sql`` (parameters merged into a
  statement, which Django does with a live cursor) is replaced by the same quoting.

The SQLite output is meant for plain SQLite: Django registers its own SQL functions
(``django_date_extract``, ``REGEXP``, ``MD5``, ...) on each connection it opens, and a statement
that called one would fail elsewhere. Any statement that does is preceded by a
``-- needs Django's SQLite function(s): ...`` comment line; the loader's projects have none.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Iterator

from ..dialects import NAMES as DIALECTS

# PostgreSQL server version the generated DDL targets (``connection.pg_version``).
PG_VERSION = 150000
# MySQL-family server the generated DDL targets: MariaDB 10.11 (Debian 12's, what CI runs). Django's DDL
# depends on it: UUIDField is a native ``uuid`` column on MariaDB >= 10.7 and ``char(32)`` on MySQL.
MYSQL_SERVER = {"version": "10.11.6-MariaDB", "sql_mode": "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,"
                "NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION", "default_storage_engine": "InnoDB",
                "sql_auto_is_null": False, "lower_case_table_names": 0, "has_zoneinfo_database": True}

_ENGINES = {
    "sqlite": ("django.db.backends.sqlite3", ":memory:"),
    "postgresql": ("django.db.backends.postgresql", "migrator_schema"),
    "mysql": ("django.db.backends.mysql", "migrator_schema"),
}


def mysql_driver() -> None:
    """Django's MySQL backend imports MySQLdb (mysqlclient, a C extension); PyMySQL stands in for it."""
    import importlib.util
    import sys

    if "MySQLdb" not in sys.modules and importlib.util.find_spec("MySQLdb") is None:
        import pymysql

        pymysql.install_as_MySQLdb()


class NoConnection(RuntimeError):
    """Raised if generating the schema tried to reach a database."""


def _settings_dict(engine: str, name: str) -> dict[str, Any]:
    # The keys ConnectionHandler.configure_settings fills in for every alias.
    return {
        "ENGINE": engine,
        "NAME": name,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "OPTIONS": {},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {"CHARSET": None, "COLLATION": None, "MIGRATE": True, "MIRROR": None, "NAME": None},
    }


def offline_connection(dialect: str):
    """A backend DatabaseWrapper for ``dialect`` that refuses to connect."""
    from importlib import import_module

    engine, name = _ENGINES[dialect]
    if dialect == "mysql":
        mysql_driver()
    backend = import_module(engine + ".base")
    conn = backend.DatabaseWrapper(_settings_dict(engine, name), alias=f"migrator_{dialect}")

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise NoConnection(f"generating the {dialect} schema tried to connect to a database")

    conn.ensure_connection = refuse
    conn.connect = refuse
    conn.get_new_connection = refuse
    if dialect == "sqlite":
        conn.disable_constraint_checking = lambda: True
        conn.enable_constraint_checking = lambda: None
        conn.check_constraints = lambda table_names=None: None
    elif dialect == "mysql":
        conn.__dict__["mysql_server_data"] = dict(MYSQL_SERVER)  # cached_property: set it, never asked
        # the editor asks each table's storage engine (no separate FK index on InnoDB): the server default,
        # with a cursor that is never used (any statement on it fails loudly)
        conn.cursor = lambda: None
        conn.introspection.get_storage_engine = lambda _cursor, _table: MYSQL_SERVER["default_storage_engine"]
    else:
        conn.__dict__["pg_version"] = PG_VERSION  # cached_property: set it, never computed
        conn.ops.compose_sql = _compose_sql_offline
    return conn


def _compose_sql_offline(query: str, params: Any) -> str:
    r"""``DatabaseOperations.compose_sql`` without a connection.

    The PostgreSQL schema editor merges parameters (e.g. a ``db_default`` value) client-side with
    ``ClientCursor(connection).mogrify``, which needs a live connection. psycopg's ``sql.quote``
    with no connection uses the same (global) dumpers; Django registers only loaders on its
    connections. The one visible difference: a string containing a backslash is written as
    ``E'a\\b'`` rather than ``'a\b'`` (same value, whatever standard_conforming_strings is).
    """
    from psycopg import sql as pgsql

    if params is None:
        return query
    if isinstance(params, dict):
        return query % {k: pgsql.quote(v) for k, v in params.items()}
    return query % tuple(pgsql.quote(v) for v in params)


def _models() -> list:
    from django.apps import apps

    return sorted(apps.get_models(), key=lambda m: m._meta.label)


@contextmanager
def _through_pks_as_migrate_makes_them(model) -> Iterator[None]:
    """Give ``model``'s auto-created M2M join tables the ``id`` type ``migrate`` gives them.

    A live model's join table gets its primary key class from its app's
    ``AppConfig.default_auto_field`` (``AuthConfig`` says AutoField). ``migrate`` instead builds
    join tables from migration state, whose app configs are stubs with no ``default_auto_field``
    of their own, so there the ``id`` is ``settings.DEFAULT_AUTO_FIELD``: e.g. with
    ``DEFAULT_AUTO_FIELD = BigAutoField``, ``auth_group_permissions.id`` is ``bigint`` on
    PostgreSQL although ``Group.permissions.through`` says ``integer`` (a known Django
    limitation: the migrations framework never tracks the pk of auto-created through tables).
    We follow migrate, switching the pk field's class for the duration of ``create_model`` only.
    """
    from django.conf import settings
    from django.db.models.fields import AutoFieldMixin
    from django.utils.module_loading import import_string

    target = import_string(settings.DEFAULT_AUTO_FIELD)
    swapped = []
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        pk = through._meta.pk
        if (through._meta.auto_created and pk.auto_created and isinstance(pk, AutoFieldMixin)
                and type(pk) is not target and issubclass(target, AutoFieldMixin)):
            swapped.append((pk, type(pk)))
            pk.__class__ = target
    try:
        yield
    finally:
        for pk, cls in swapped:
            pk.__class__ = cls


def collect_dialect(dialect: str) -> list[str]:
    """Django's CREATE statements for every managed model, for one dialect."""
    conn = offline_connection(dialect)
    out: list[str] = []
    with conn.schema_editor(collect_sql=True, atomic=False) as editor:
        for model in _models():
            opts = model._meta
            if opts.proxy:
                continue  # shares its concrete parent's table
            if not opts.managed:
                editor.collected_sql.append(f"-- unmanaged: {opts.db_table}")
                continue
            with _through_pks_as_migrate_makes_them(model):
                editor.create_model(model)
    # The editor has appended its deferred SQL on exit.
    for stmt in editor.collected_sql:
        stmt = str(stmt).strip()
        if not stmt.startswith("--") and not stmt.endswith(";"):
            stmt += ";"
        out.append(stmt)
    if dialect == "sqlite":
        out = _flag_sqlite_functions(out)
    return out


def collect_schema() -> dict[str, list[str]]:
    """For each dialect, Django's schema as a list of statements (and ``--`` comment lines)."""
    from django.apps import apps

    from ..parallel import in_parallel

    names = [d for d in DIALECTS if _driver_present(d)]
    results = in_parallel(collect_dialect, names, work=len(apps.get_models(include_auto_created=True)))
    return dict(zip(names, results))


def _driver_present(dialect: str) -> bool:
    """MySQL's schema needs PyMySQL or mysqlclient (pip install 'django-go-migrator[mysql]'); without one the
    other dialects are still written."""
    import importlib.util

    return dialect != "mysql" or any(importlib.util.find_spec(m) for m in ("MySQLdb", "pymysql"))


# --- SQLite functions that only exist on Django's connections ---------------------------------

_LITERALS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`[^`]*`|\[[^\]]*\]")


def django_sqlite_functions() -> set[str]:
    """Lower-cased names of the SQL functions Django adds to SQLite that plain SQLite lacks."""
    import sqlite3

    from django.db.backends.sqlite3 import _functions

    names: set[str] = set()
    plain = sqlite3.connect(":memory:")
    try:
        class Recorder:
            def create_function(self, name: str, *_a: Any, **_k: Any) -> None:
                names.add(name.lower())

            create_aggregate = create_function

            def execute(self, sql: str, *args: Any) -> Any:
                return plain.execute(sql, *args)

        _functions.register(Recorder())
        builtin = {r[0].lower() for r in plain.execute("SELECT name FROM pragma_function_list")}
    except sqlite3.Error:
        builtin = set()
    finally:
        plain.close()
    return names - builtin


def sqlite_functions_used(statement: str, functions: set[str] | None = None) -> list[str]:
    """The Django-only SQLite functions ``statement`` calls (outside literals and identifiers)."""
    if functions is None:
        functions = django_sqlite_functions()
    bare = _LITERALS.sub(" ", statement).lower()
    used = [f for f in sorted(functions) if re.search(rf"\b{re.escape(f)}\s*\(", bare)]
    if "regexp" in functions and re.search(r"\bregexp\b", bare) and "regexp" not in used:
        used.append("regexp")  # `x REGEXP y` calls regexp(y, x)
    return used


def _flag_sqlite_functions(statements: list[str]) -> list[str]:
    functions = django_sqlite_functions()
    out: list[str] = []
    for stmt in statements:
        used = [] if stmt.startswith("--") else sqlite_functions_used(stmt, functions)
        if used:
            out.append(f"-- needs Django's SQLite function(s): {', '.join(used)}")
        out.append(stmt)
    return out


__all__: list[str] = ["DIALECTS", "MYSQL_SERVER", "PG_VERSION", "NoConnection", "collect_dialect", "collect_schema",
                      "django_sqlite_functions", "offline_connection", "sqlite_functions_used"]
