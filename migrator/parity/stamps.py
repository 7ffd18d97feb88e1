"""The one value of a write the http check cannot compare as it is: a value a view writes from the clock
(``timezone.now()``, ``auto_now`` / ``auto_now_add``, ``default=timezone.now``) is the clock at the request, which
two servers never read at the same instant. A declared rule, no mask, per view: the generated manifest names the
fields each migrated view's writes stamp from the clock (``clock_fields``, found by translate.clock_fields in the
view's code); in the rows each side holds after one of that view's requests, a value of such a field inside that
side's own request window (its start and end, read around the request) is replaced by the same marker on both
sides. Every other field is compared exactly, and so is a declared field's value outside the window (a row the
request did not write, a wrong clock, a field left unset): a Go handler that writes the clock into a field Django
leaves alone, or the reverse, is a difference. A date field is judged by the window's dates."""

from __future__ import annotations

import datetime

STAMPED = "<stamped during the request>"


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def declared(views: dict[str, list[str]]) -> dict[str, dict[str, set[str]]]:
    """view -> model label -> the fields its writes stamp from the clock, from the manifest's ``clock_fields``
    ("app_label.Model.field" per view)."""
    out: dict[str, dict[str, set[str]]] = {}
    for view, names in views.items():
        for name in names:
            label, _, field = name.rpartition(".")
            out.setdefault(view, {}).setdefault(label, set()).add(field)
    return out


def _inside(value, start: datetime.datetime, end: datetime.datetime) -> bool:
    if not isinstance(value, str):
        return False
    try:
        if len(value) == 10:  # a DateField: the request's dates (UTC, Django's timezone.now().date() under UTC)
            return start.date() <= datetime.date.fromisoformat(value) <= end.date()
        stamp = datetime.datetime.fromisoformat(value)
    except ValueError:
        return False
    return stamp.tzinfo is not None and start <= stamp <= end


def stamped(dump: dict, fields: dict[str, set[str]], start: datetime.datetime, end: datetime.datetime) -> dict:
    """``dump`` (label -> rows) with each declared field's value (``fields``: label -> names, one view's entry of
    ``declared``) inside [start, end] replaced by STAMPED."""
    out = {}
    for label, rows in dump.items():
        names = fields.get(label)
        out[label] = rows if not names or not isinstance(rows, list) else [
            {k: (STAMPED if k in names and _inside(v, start, end) else v) for k, v in row.items()}
            if isinstance(row, dict) else row for row in rows]
    return out
