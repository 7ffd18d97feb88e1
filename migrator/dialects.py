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


DIALECTS: dict[str, Dialect] = {
    "sqlite": Dialect("sqlite", sqlglot="sqlite", sqlc_package="sqlitedb", sqlc_schema="sqlc/schema/sqlite.sql"),
    "postgresql": Dialect("postgresql", sqlglot="postgres", sqlc_package="pgdb", sqlc_schema="schema/postgresql.sql"),
}
NAMES: tuple[str, ...] = tuple(DIALECTS)  # every dialect, in the order generate runs them
