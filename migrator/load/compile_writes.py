"""Writes whose arguments are rows, not values: ``bulk_update(objs, fields)``.

Django's bulk_update sends, per batch, ``UPDATE t SET f = CASE WHEN pk = %s THEN %s ... END WHERE pk IN (...)``:
one WHEN per row, so the statement's shape depends on how many rows the caller has. Rows never affect one
another (each row's values are chosen by its own key), so the same statement for a batch of one row, run once
per row inside one transaction, leaves the same rows as Django's batches. That one-row statement is what is
compiled here: the row is a stand-in whose primary key and each listed field is a runtime value (a sentinel,
or parity's real value), named after the field (``pk``, ``title``).

Only a literal field list is followed; ``fields=names`` computed at run time decides the columns at run time
(DYNAMIC_FIELD). The same function serves the compile (sentinels) and parity's replay (load.sentinels.Values),
so both name the values alike.
"""

from __future__ import annotations

import ast
from typing import Any

from .arguments import _param_name, parse_source
from .sentinels import NotTranslated


def _argument(call: dict, position: int, keyword: str) -> dict | None:
    positional = [a for a in call["args"] if not a["keyword"]]
    if position < len(positional):
        return positional[position]
    return next((a for a in call["args"] if a["keyword"] == keyword), None)


def bulk_update(interp: Any, qs: Any, call: dict) -> Any:
    """``qs.bulk_update(objs, fields[, batch_size])`` run for one stand-in row of ``objs``."""
    if any(a["keyword"] in ("*", "**") for a in call["args"]):
        raise NotTranslated("DYNAMIC_KWARGS", "bulk_update() with * or ** arguments: decided at run time")
    objs, fields = _argument(call, 0, "objs"), _argument(call, 1, "fields")
    if objs is None or fields is None:
        raise NotTranslated("COMPILE_FAILED", "bulk_update() needs objs and fields")
    names = _field_names(fields)
    model = qs.model
    opts = model._meta
    rows = _param_name(objs["source"], "")
    obj = model()
    obj.pk = interp.s.make("pk", f"{rows}[i].pk", opts.pk, "exact", False)
    for name in names:
        fld = opts.get_field(name)
        if not fld.concrete or fld.many_to_many or fld.primary_key:
            raise NotTranslated("COMPILE_FAILED", f"bulk_update() of `{name}`: not a concrete, non-key column")
        value = interp.s.make(fld.name, f"{rows}[i].{fld.attname}", fld, "exact", False)
        setattr(obj, fld.attname, value)
    return qs.bulk_update([obj], names)


def _field_names(arg: dict) -> list[str]:
    node = parse_source(arg["source"])
    if isinstance(node, (ast.List, ast.Tuple)) and node.elts and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return [e.value for e in node.elts]
    raise NotTranslated("DYNAMIC_FIELD", f"bulk_update(fields={arg['source'].strip()}): the columns written are "
                        "decided at run time")
