"""The one value of a write the http check cannot compare as it is: what ``auto_now`` / ``auto_now_add`` stamps
is the clock at the request, which two servers never read at the same instant (and so is a datetime a view
writes from ``timezone.now()``: every DateTimeField is judged so). A declared rule, no mask: in the
rows each side holds after its request, a stamp of such a field inside that side's own request window (its
start and end, read around the request) is replaced by the same marker on both sides; a stamp outside the
window (a row the request did not write, a wrong clock, a field left unset) keeps its value and is compared
exactly. A date field (``DateField(auto_now=...)``) is judged by the window's dates."""

from __future__ import annotations

import datetime

STAMPED = "<stamped during the request>"


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _clock(f) -> bool:
    """A field a request may stamp from the clock: auto_now / auto_now_add, or any datetime (a view's
    ``update(returned_at=timezone.now())``: Django and Go each read their own clock)."""
    return f.auto_now or f.auto_now_add or f.internal_type == "DateTimeField"


def auto_fields(project) -> dict[str, set[str]]:
    """model label -> the names of its fields a request may stamp from the clock (_clock)."""
    return {m.label: {f.name for f in m.fields if _clock(f)} for m in project.models if any(_clock(f) for f in m.fields)}


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
    """``dump`` (label -> rows) with each auto field's value inside [start, end] replaced by STAMPED."""
    out = {}
    for label, rows in dump.items():
        names = fields.get(label)
        out[label] = rows if not names or not isinstance(rows, list) else [
            {k: (STAMPED if k in names and _inside(v, start, end) else v) for k, v in row.items()}
            if isinstance(row, dict) else row for row in rows]
    return out
