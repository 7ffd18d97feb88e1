"""The compilers' execute_sql intercepted: what Django would send, recorded, nothing sent (load.compile and
load.compile_prefetch both capture through it)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.db.models.sql import compiler as sql_compiler

from .sentinels import NotTranslated


@dataclass
class Capture:
    sql: str
    params: tuple
    kind: str  # select | insert | update | delete
    rows: str = ""  # "many": a select whose every row counts whatever the call's terminal (a prefetch query)
    extra_select: bool = False  # Django selects more columns than each row returns (see load.compile)
    columns: int = 0  # with extra_select: how many leading columns each row keeps (Django's col_count)


@contextlib.contextmanager
def capture(conn, out: list[Capture]):
    """Intercept the compilers' execute_sql: record (sql, params), send nothing, return plausible results."""
    saved = {}

    def patch(cls, kind):
        original = cls.execute_sql
        saved[cls] = original

        def execute_sql(self, *args, **kwargs):
            if kind == "insert":  # Django asks for RETURNING of the primary key when it can
                self.returning_fields = args[0] if args else kwargs.get("returning_fields")
            sql, params = self.as_sql() if kind != "insert" else self.as_sql()[0]
            out.append(Capture(sql=sql, params=tuple(params), kind=kind,
                               extra_select=bool(getattr(self, "has_extra_select", False)),
                               columns=(getattr(self, "col_count", 0) or 0) if getattr(self, "has_extra_select", False) else 0))
            result_type = args[0] if args else kwargs.get("result_type", sql_compiler.MULTI)
            if kind == "select":
                if result_type == sql_compiler.SINGLE:
                    return None
                if result_type == sql_compiler.CURSOR:
                    raise NotTranslated("UNSUPPORTED_TERMINAL", "a raw cursor result")
                return iter([])
            if kind == "insert":
                return [(73_999_999,)]
            if kind in ("update", "delete"):
                return 0 if result_type != sql_compiler.CURSOR else None
            return None
        cls.execute_sql = execute_sql

    patch(sql_compiler.SQLCompiler, "select")
    patch(sql_compiler.SQLInsertCompiler, "insert")
    patch(sql_compiler.SQLUpdateCompiler, "update")
    patch(sql_compiler.SQLDeleteCompiler, "delete")
    patch(sql_compiler.SQLAggregateCompiler, "select")
    try:
        yield
    finally:
        for cls, original in saved.items():
            cls.execute_sql = original


