"""The file of rows parity's data generator adds for the queries (django_side generate reads it): each literal
bound of a query (boundary.literal_bounds), the rows around a LIMIT and a get() (boundary_rows), the rows that tie
on an ordered read's first key or on an aggregate of a joined table (tie_rows), the rows that pass a read's literal
conditions (match_rows), the rows on a date range's bounds that pass its other conditions (range_rows)."""

from __future__ import annotations

import json
from pathlib import Path

from ..equivalence import keys
from .boundary import literal_bounds
from .boundary_rows import EMPTY, LIMITS, exists_rows, get_rows, limit_rows
from .free_targets import FREE, inserted_models
from .match_rows import match_rows
from .range_rows import range_rows
from .tie_rows import aggregate_ties, tie_rows


def bounds_file(ctx, second: bool = False) -> "Path":
    """The literal bounds of the context's queries as a JSON file, for django_side generate; `second`: for the
    database of generated rows only, which also turns round the rows an `.exists()` finds (exists_rows)."""
    columns = {(m.db_table, f.column): f"{m.label}.{f.name}" for m in ctx.project.models for f in m.fields
               if f.column and not f.relation and m.kind != "proxy"}  # a proxy's rows are its concrete model's
    sql = [q.sql for qs in ctx.generated.emitted.queries.values() for q in qs]
    many = [q.sql for qs in ctx.generated.emitted.queries.values() for q in qs if q.command == "many"]
    path = ctx.tmp("bounds-second.json" if second else "bounds.json")
    tables = {m.db_table: m.label for m in ctx.project.models if m.kind == "concrete"}
    _pks, unique, together = keys(ctx.project)
    gets = [q.sql for qs in ctx.generated.emitted.queries.values() for q in qs if q.command == "one"]
    limits = limit_rows(many, tables, columns) + get_rows(gets, tables, columns, unique, together)
    limits += tie_rows(many, tables, columns) + aggregate_ties(many, tables, columns)
    limits += [s for s in match_rows(sql, tables, columns) if s not in limits]
    types = {(m.db_table, f.column): f.internal_type for m in ctx.project.models for f in m.fields if f.column}
    limits += [s for s in range_rows(sql, tables, columns, types) if s not in limits]
    inserted = inserted_models(q for qs in ctx.generated.emitted.queries.values() for q in qs)
    path.write_text(json.dumps({**literal_bounds(sql, columns), LIMITS: limits, FREE: inserted,
                                **({EMPTY: exists_rows(sql, columns)} if second else {})}))
    return path
