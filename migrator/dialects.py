"""The registry of target databases: what each dialect is called by sqlglot and sqlc, where its sqlc package
and typed schema go. The CLI's ``--dialect`` choices, generate's default and the sqlc step read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    name: str  # Django's vendor name and ours (--dialect)
    sqlglot: str  # sqlglot's dialect name (translate.sqlc parses and writes with it)
    sqlc_package: str  # the Go package sqlc writes (sqlc/<package>)
    sqlc_schema: str  # the schema file sqlc reads, relative to the tree
    default: bool = True  # generated when --dialect is not given
    go_driver: str = ""  # the GORM driver package (gorm.io/driver/...)
    schemes: tuple[str, ...] = ()  # URL schemes of --database that select it (parity, bench)


DIALECTS: dict[str, Dialect] = {
    "sqlite": Dialect("sqlite", sqlglot="sqlite", sqlc_package="sqlitedb", sqlc_schema="sqlc/schema/sqlite.sql",
                      go_driver="github.com/glebarez/sqlite"),
    "postgresql": Dialect("postgresql", sqlglot="postgres", sqlc_package="pgdb", sqlc_schema="schema/postgresql.sql",
                          go_driver="gorm.io/driver/postgres", schemes=("postgres", "postgresql")),
    # MySQL 8 / MariaDB 10.6+: asked for with --dialect mysql (docs/mysql.md); not in the default output
    "mysql": Dialect("mysql", sqlglot="mysql", sqlc_package="mysqldb", sqlc_schema="sqlc/schema/mysql.sql", default=False,
                     go_driver="gorm.io/driver/mysql", schemes=("mysql", "mariadb")),
}
NAMES: tuple[str, ...] = tuple(DIALECTS)  # every dialect, in the order generate runs them
DEFAULT: tuple[str, ...] = tuple(d for d in NAMES if DIALECTS[d].default)  # generate's default


def for_url(url: str | None) -> str:
    """The dialect a ``--database`` URL selects: sqlite without one."""
    scheme = (url or "").split("://", 1)[0].lower() if url and "://" in url else ""
    for d in DIALECTS.values():
        if scheme in d.schemes:
            return d.name
    return "sqlite"
