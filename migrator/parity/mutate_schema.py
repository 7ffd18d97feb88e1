"""Systematic mutants of the generated schema file (schema/<dialect>.sql), judged by the `schema` check.

Per column of every CREATE TABLE: NOT NULL <-> NULL, its type swapped with the next column's of another
type, an inline UNIQUE, CHECK (...) or REFERENCES ... dropped; per table constraint `CONSTRAINT ... UNIQUE`
dropped; per CREATE INDEX: the statement dropped, UNIQUE removed; per ALTER TABLE ... ADD CONSTRAINT (a
PostgreSQL foreign key): the statement dropped. Primary-key columns keep their type and nullability (the
file would not execute: that says nothing about the check). Each mutant's `original` is its whole statement,
so it occurs once in the file. Pure text in, text out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TABLE = re.compile(r'^CREATE TABLE "(\w+)" \((.*)\);$', re.S)
_INDEX = re.compile(r'^CREATE (UNIQUE )?INDEX .*? ON "(\w+)"', re.S)
_ALTER = re.compile(r'^ALTER TABLE "(\w+)" ADD CONSTRAINT ', re.S)
_COLUMN = re.compile(r'^"(\w+)" (.+?)(?= NOT NULL| NULL| PRIMARY| UNIQUE| DEFAULT| CHECK| REFERENCES|$)', re.S)
_CHECK = re.compile(r" CHECK \(")
_REFERENCES = re.compile(r' REFERENCES "\w+" \("\w+"\)(?: DEFERRABLE INITIALLY DEFERRED)?')


@dataclass(frozen=True)
class SchemaMutant:
    table: str
    kind: str  # nullability | column-type | unique | check | foreign-key | index
    what: str
    original: str
    mutated: str


def _split(body: str) -> list[str]:
    """The comma-separated items of a CREATE TABLE body, at parenthesis depth 0."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(body):
        depth += c == "("
        depth -= c == ")"
        if c == "," and depth == 0:
            parts.append(body[start:i].strip())
            start = i + 1
    return parts + [body[start:].strip()]


def _check_span(item: str) -> tuple[int, int] | None:
    m = _CHECK.search(item)
    if not m:
        return None
    depth, i = 1, m.end()
    while depth and i < len(item):
        depth += {"(": 1, ")": -1}.get(item[i], 0)
        i += 1
    return m.start(), i


def _table_mutants(stmt: str, table: str, body: str) -> list[SchemaMutant]:
    items = _split(body)
    out = []

    def with_item(k: int, new: str | None) -> str:
        rest = [new if j == k and new is not None else x for j, x in enumerate(items) if j != k or new is not None]
        return f'CREATE TABLE "{table}" ({", ".join(rest)});'

    columns = [(k, _COLUMN.match(x)) for k, x in enumerate(items)]
    columns = [(k, m) for k, m in columns if m]
    for n, (k, m) in enumerate(columns):
        item, name, type_ = items[k], m.group(1), m.group(2)
        if "PRIMARY KEY" in item:
            continue
        if " NOT NULL" in item:
            out.append(SchemaMutant(table, "nullability", f"{table}.{name}: NOT NULL -> NULL", stmt,
                                    with_item(k, item.replace(" NOT NULL", " NULL", 1))))
        elif " NULL" in item:
            out.append(SchemaMutant(table, "nullability", f"{table}.{name}: NULL -> NOT NULL", stmt,
                                    with_item(k, item.replace(" NULL", " NOT NULL", 1))))
        other = next((m2.group(2) for _k2, m2 in columns[n + 1:] if m2.group(2) != type_
                      and "PRIMARY KEY" not in items[_k2]), None)
        if other:
            out.append(SchemaMutant(table, "column-type", f"{table}.{name}: type {type_} -> {other}", stmt,
                                    with_item(k, f'"{name}" {other}' + item[m.end():])))
        if " UNIQUE" in item:
            out.append(SchemaMutant(table, "unique", f"{table}.{name}: UNIQUE dropped", stmt,
                                    with_item(k, item.replace(" UNIQUE", "", 1))))
        span = _check_span(item)
        if span:
            out.append(SchemaMutant(table, "check", f"{table}.{name}: CHECK dropped", stmt,
                                    with_item(k, item[:span[0]] + item[span[1]:])))
        ref = _REFERENCES.search(item)
        if ref:
            out.append(SchemaMutant(table, "foreign-key", f"{table}.{name}: REFERENCES dropped", stmt,
                                    with_item(k, item[:ref.start()] + item[ref.end():])))
    for k, item in enumerate(items):
        if item.startswith("CONSTRAINT ") and " UNIQUE (" in item:
            out.append(SchemaMutant(table, "unique", f"{table}: {item.split()[1]} dropped", stmt, with_item(k, None)))
    return out


def mutants(text: str) -> list[SchemaMutant]:
    """Every mutant of a schema file, in file order."""
    out: list[SchemaMutant] = []
    for raw in re.split(r";\n", text):
        stmt = raw.strip()
        if not stmt or stmt.startswith("--") and "\n" not in stmt:
            continue
        stmt = "\n".join(line for line in stmt.splitlines() if not line.startswith("--")).strip()
        if not stmt:
            continue
        stmt += ";"
        if (m := _TABLE.match(stmt)):
            out += _table_mutants(stmt, m.group(1), m.group(2))
        elif (m := _INDEX.match(stmt)):
            out.append(SchemaMutant(m.group(2), "index", f"{m.group(2)}: `{stmt[:90]}` dropped", stmt, ""))
            if m.group(1):
                out.append(SchemaMutant(m.group(2), "index", f"{m.group(2)}: UNIQUE removed from `{stmt[:80]}`",
                                        stmt, stmt.replace("CREATE UNIQUE INDEX", "CREATE INDEX", 1)))
        elif (m := _ALTER.match(stmt)):
            out.append(SchemaMutant(m.group(1), "foreign-key", f"{m.group(1)}: `{stmt[:90]}` dropped", stmt, ""))
    return [m for m in out if m.original != m.mutated and text.count(m.original) == 1]


def hint(kind: str, what: str) -> str:
    return (f"the schema check compares this ({what}) with the database Django's migrations build; a survivor "
            "means the introspection does not look at it")
