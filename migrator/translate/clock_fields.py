"""The fields a migrated view writes from the clock: its declaration for parity's request window.

Two servers never read the clock at the same instant, so parity's http check judges a value a view writes from
the clock by the side's own request window (parity.stamps). Only the fields this module finds are so judged, per
view: every other value of the rows a write leaves behind is compared exactly (a Go handler that writes the clock
into a field Django leaves alone, or the reverse, is a difference).

A field is written from the clock by a view when one of the write statements the view runs (its INSERT / UPDATE
queries, read from the statement's parameters, where the loader recorded the source argument of each) binds it

- ``timezone.now()`` / ``datetime.now()`` / ``datetime.datetime.now()`` written in the call
  (``update(returned_at=timezone.now())``), or
- a value Django computes at save time (a column the call does not name) of an ``auto_now`` / ``auto_now_add``
  field or of a field whose default is the clock (``default=timezone.now``).

Entries are ``"app_label.Model.field"``, sorted. A clock value reached otherwise (a GORM save() port, a value
copied through a variable whose source the loader did not record) is not found: parity then compares it exactly and
the write fails, which shows the gap instead of hiding it.
"""

from __future__ import annotations

CLOCK_SOURCES = {"timezone.now()", "datetime.now()", "datetime.datetime.now()", "django.utils.timezone.now()"}
CLOCK_DEFAULTS = {"django.utils.timezone.now", "datetime.datetime.now"}
_DATES = {"DateTimeField", "DateField"}


def _field(project, label: str, name: str):
    model = next((m for m in project.models if m.label == label), None)
    return None if model is None else next((f for f in model.fields if name in (f.name, f.attname)), None)


def _clock_param(p, f) -> bool:
    if f is None or f.internal_type not in _DATES:
        return False
    source = p.source.strip()
    if source in CLOCK_SOURCES:
        return True
    computed = source.startswith("<")  # "<created_at: computed by Django at save time>"
    return computed and (f.auto_now or f.auto_now_add or (f.default.kind == "callable"
                                                           and f.default.callable in CLOCK_DEFAULTS))


def clock_fields(names, queries: dict, project) -> list[str]:
    """``names``: the queries a view runs; ``queries``: name -> Query. The view's clock fields (module docstring)."""
    out = set()
    for name in names:
        q = queries.get(name)
        if q is None or q.sql.lstrip().split(None, 1)[0].upper() not in ("INSERT", "UPDATE"):
            continue
        for p in q.params:
            label, _, fname = p.field.rpartition(".") if p.field.count(".") >= 2 else (q.model, "", p.field)
            f = _field(project, label, fname)
            if _clock_param(p, f):
                out.add(f"{label}.{f.name}")
    return sorted(out)
