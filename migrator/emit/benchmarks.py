"""GORM against sqlc on the same reads: ``bench/reads_test.go``, Go benchmarks ``migrate bench`` runs.

A read is benchmarked when its PostgreSQL sqlc query is a single-row read of one model's whole row by
one column (``SELECT <every column of T> FROM T WHERE T.c = sqlc.arg(x) LIMIT n``: what ``get(c=x)``
compiles to), so GORM's ``Where("T.c = ?", x).Take(&Model{})`` reads exactly the same row and columns.
One benchmark per (table, column), named after the first such query. Reads with joins, extra conditions
or fewer columns are left out: GORM would not run the same SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ir import Project
from . import Emitted, GenFile, Options
from .gofile import go_file

PATH = "bench/reads_test.go"
_READ = re.compile(r'^SELECT (?P<cols>"(?P<t>\w+)"\."\w+"(?:, "(?P=t)"\."\w+")*) FROM "(?P=t)" '
                   r'WHERE "(?P=t)"\."(?P<col>\w+)" = sqlc\.arg\((?P<arg>\w+)\) LIMIT \d+;?$')


@dataclass(frozen=True)
class Read:
    bench: str  # Go benchmark name
    query: str  # sqlc method
    struct: str  # GORM struct
    table: str
    column: str
    source: str  # the Django site's function, for the comment
    unscoped: bool  # the GORM struct has soft delete; the sqlc query reads every row


def _columns(project: Project, table: str) -> set[str]:
    concrete = {m.label for m in project.models if m.kind == "concrete"}
    for m in project.models:
        if m.db_table == table and m.kind == "concrete":
            return {f.column for f in m.fields if f.column and f.inherited_from not in concrete}
    return set()


def single_row_reads(project: Project, queries: list, structs: list) -> list[Read]:
    by_table = {s.table: s for s in structs}
    found: dict[tuple[str, str], Read] = {}
    for q in sorted(queries, key=lambda q: q.name):
        m = _READ.match(" ".join(q.sql.split()))
        if q.command != "one" or q.part or not m or len(q.params) != 1 or m.group("t") not in by_table:
            continue
        table, col = m.group("t"), m.group("col")
        cols = set(re.findall(r'\."(\w+)"', m.group("cols")))
        if cols != _columns(project, table) or (table, col) in found:
            continue
        s = by_table[table]
        found[(table, col)] = Read(bench=f"Benchmark{s.name}By{_go(col)}", query=q.name, struct=s.name, table=table,
                                   column=col, source=q.function, unscoped=bool(s.soft_delete))
    return sorted(found.values(), key=lambda r: r.bench)


def _go(column: str) -> str:
    return "".join("ID" if p == "id" else p.capitalize() for p in column.split("_"))


def emit_benchmarks(project: Project, options: Options, queries: list) -> Emitted:
    structs = options.gorm.structs
    reads = single_row_reads(project, queries, structs)
    out = Emitted()
    if reads:
        out.files[PATH] = GenFile(go_file(PATH, "bench/reads_test.go.j2", options.module,
                                                  extra_imports=("sync", "testing"), reads=reads))
        out.notes.append(f"bench: {len(reads)} single-row reads as GORM and sqlc Go benchmarks ({PATH})")
    return out
