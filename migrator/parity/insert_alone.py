"""The INSERT of a get_or_create / update_or_create / bulk_create, compared as a write of its own (the `queries`
check; issue 18: every write query must succeed at least once per run).

Before, no case ran these statements: a get_or_create's INSERT is statement 2/2 of a sequence, and a
bulk_create's only case was skipped (Django cannot run the list comprehension that builds its objects, and
every column's value is "computed by Django at save time", so each column was masked anyway). A mutant of
them (two columns of the INSERT swapped) was `not compared`.

The statement alone is what Django runs for one object: get_or_create's create path is
``self.create(**params)`` (lookup and defaults: ``obj.save(force_insert=True)``), bulk_create's INSERT is
``bulk_create([obj])`` for each object. So each such INSERT becomes a write whose every column takes a value
from the data (write_sets: values no row holds where the column is unique, foreign keys on existing rows), the
Go query given those values and Django writing one object with the same field values
(django_eval.insert_row); the rows afterwards are compared like any write's. Only a column Django computes
whatever the object holds (auto_now / auto_now_add) keeps its computed value and is masked. What the site adds
around the statement (which lookup finds nothing first, the defaults a call passes) is the sequence's SELECT
case and the http check's business, not this one's.
"""

from __future__ import annotations

import dataclasses
import re

from ..translate.sqlc_model import Query

ALONE = ("get_or_create", "update_or_create", "bulk_create")
GET_FOR_MODEL = "get_for_model"  # ContentType's get_or_create
KINDS = {"AutoField": "int", "BigAutoField": "int", "SmallAutoField": "int", "IntegerField": "int",
         "BigIntegerField": "int", "SmallIntegerField": "int", "PositiveIntegerField": "int",
         "PositiveSmallIntegerField": "int", "PositiveBigIntegerField": "int", "BooleanField": "bool",
         "DecimalField": "decimal", "FloatField": "float", "DateField": "date", "DateTimeField": "datetime",
         "UUIDField": "uuid", "DurationField": "duration", "JSONField": "json"}  # the rest: text (load.sentinels)
_INSERT = re.compile(r'\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+[`"](\w+)[`"]\s*\(([^)]*)\)\s*VALUES\s*\((.*?)\)'
                     r'\s*(?:RETURNING|ON\b|;|$)', re.I | re.S)


@dataclasses.dataclass
class InsertAlone(Query):
    method: str = "create"  # how Django writes the one object: create (save(force_insert=True)) | bulk_create
    fields: dict = dataclasses.field(default_factory=dict)  # sentinel -> field name of the written model


def _terminal(site) -> str:
    if site is None or not site.chain:
        return ""
    if site.chain[0].method == GET_FOR_MODEL:
        return "get_or_create"
    return site.chain[-1].method


def alone_inserts(queries, sites: dict, models) -> list[InsertAlone]:
    """The INSERTs of get_or_create / update_or_create / bulk_create sites, each as a write of its own; an INSERT
    whose columns and values do not pair up one to one (or name a column of no model) is left as it was."""
    by_column = {(m.db_table, f.column): (m, f) for m in models if m.kind == "concrete" for f in m.fields if f.column}
    out = []
    for q in queries:
        method = _terminal(sites.get(q.site))
        if method not in ALONE or not q.sql.lstrip().upper().startswith("INSERT"):
            continue
        alone = _alone(q, method, by_column, models)
        if alone is not None:
            out.append(alone)
    return out


def _alone(q, method: str, by_column: dict, models) -> InsertAlone | None:
    m = _INSERT.match(q.sql)
    if not m:
        return None
    table, columns = m.group(1), re.findall(r'[`"](\w+)[`"]', m.group(2))
    args = re.findall(r"sqlc\.n?arg\((\w+)\)", m.group(3))
    by_name = {p.name: p for p in q.params}
    if len(columns) != len(args) or set(args) != set(by_name) or any((table, c) not in by_column for c in columns):
        return None
    params, fields, label = [], {}, by_column[(table, columns[0])][0].label if columns else q.model
    for column, arg in zip(columns, args):
        model, f = by_column[(table, column)]
        p = by_name[arg]
        fields[p.sentinel] = f.name
        if f.auto_now or f.auto_now_add:  # Django sets it whatever the object holds: computed, masked
            params.append(p)
        elif p.source.startswith("<") or p.field != f"{model.label}.{f.name}":
            params.append(dataclasses.replace(p, source=column, kind=field_kind(f, models),
                                              field=f"{model.label}.{f.name}",
                                              transform="json" if f.internal_type == "JSONField" else p.transform))
        else:
            params.append(p)
    base = {k.name: getattr(q, k.name) for k in dataclasses.fields(Query)}
    return InsertAlone(**{**base, "params": params, "part": "", "model": label}, method="bulk_create" if method == "bulk_create"
                       else "create", fields=fields)


def field_kind(f, models) -> str:
    """A parameter's value family (load.sentinels._kind) from the field it fills: a foreign key's is its target's."""
    if f.relation is not None and f.relation.kind != "many_to_many":
        target = next((t for m in models if m.label == f.relation.target for t in m.fields
                       if t.name == f.relation.target_field or t.attname == f.relation.target_field), None)
        return field_kind(target, models) if target is not None and target.relation is None else "int"
    return KINDS.get(f.internal_type, "str")


def django_case(q: InsertAlone, values: dict) -> dict:
    """django_eval.insert_row's case: the model, how it writes, each field's value (computed ones left out)."""
    computed = {p.sentinel for p in q.params if p.source.startswith("<")}
    return {"insert": {"model": q.model, "method": q.method,
                       "fields": {q.fields[s]: v for s, v in values.items() if s in q.fields and s not in computed}},
            "values": {}, "kinds": {}}
