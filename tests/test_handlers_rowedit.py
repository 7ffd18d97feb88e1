"""Fast table tests of translate/handlers_rowedit: ``row.column += timedelta`` (django-scheduler's
``occurrence.end += delta``), a foreign key's unselected row passed to a helper unread (its permission callbacks'
``ob.event``), and the reason a loaded row's ``save()`` stays a stub with. No Django, no Go: PyShift is compared
with Python in tests/test_http_pyjson.py (slow)."""

from __future__ import annotations

import ast
import re
from types import SimpleNamespace as NS

import pytest

from migrator.translate.handlers_rowedit import Unread, aug_assign, save_row, unread_relation
from migrator.translate.handlers_values import GoValue, NotRecognised, Obj

FN = {"line": 10, "names": {}}
DT = NS(name="start")


def _row():
    return Obj("event", "cal.Event", {"start": ("event.Start", "djtypes.DateTime", DT),
                                      "title": ("event.Title", "string", None), "pk": ("event.ID", "int64", None),
                                      "id": ("event.ID", "int64", None)}, {})


def _reader(values):
    stmts, thrown, names = [], [], iter(["start", "start2"])
    return NS(stmts=stmts, thrown=thrown, var=lambda hint: next(names), expr=lambda node, env, fn: values[ast.unparse(node)],
              throw_if=lambda cond, ref, message=None: thrown.append((cond, ref, message.value)))


@pytest.mark.parametrize("source, op", [("event.start += delta", ""), ("event.start -= delta", "-")])
def test_a_datetime_column_shifted_by_a_timedelta(source, op):
    """The shifted value is a new variable (OverflowError where Python's datetime would raise); the name's row is a
    copy whose column reads it, the row bound before (another Go branch) keeps the old value."""
    reader = _reader({"delta": GoValue("delta", "djtypes.Duration")})
    before = _row()
    env = {"event": before}
    assert aug_assign(reader, ast.parse(source).body[0], env, FN) is True
    assert reader.stmts == [f"start, err := PyShift(event.Start, {op}delta)"]
    assert reader.thrown == [("err != nil", "builtins.OverflowError", "date value out of range")]
    assert env["event"].columns["start"] == ("start", "djtypes.DateTime", DT)
    assert before.columns["start"][0] == "event.Start"


@pytest.mark.parametrize("source, values, why", [
    ("event.title += suffix", {"suffix": GoValue("suffix", "string")}, "a string column shifted"),
    ("event.start += n", {"n": GoValue("n", "int64")}, "a djtypes.DateTime column shifted by a value that is not"),
    ("event.start *= 2", {}, "only `row.column += timedelta`"),
    ("event.other += delta", {}, "only `row.column += timedelta`"),
    ("total += delta", {}, "only `row.column += timedelta`"),
])
def test_other_augmented_assignments_stay_stubs(source, values, why):
    with pytest.raises(NotRecognised, match=re.escape(why)):
        aug_assign(_reader(values), ast.parse(source).body[0], {"event": _row()}, FN)


def test_not_an_augmented_assignment_is_left_to_the_reader():
    assert aug_assign(_reader({}), ast.parse("x = 1").body[0], {}, FN) is False


@pytest.mark.parametrize("source, null, kind, expect", [
    ("event.calendar", False, "foreign_key", Unread("cal.Event.calendar")),
    ("event.calendar", True, "foreign_key", None),  # None or a row: what the helper does with it matters
    ("event.calendar", False, "many_to_many", None),
    ("event.title", False, "foreign_key", None),  # a selected column: read as one
    ("other.calendar", False, "foreign_key", None),
    ("event", False, "foreign_key", None),
])
def test_an_unselected_foreign_key_row_passed_on_unread(source, null, kind, expect):
    fields = [NS(name="calendar", null=null, relation=NS(kind=kind)), NS(name="title", null=False, relation=None)]
    reader = NS(models={"cal.Event": NS(fields=fields)})
    env = {"event": _row(), "other": GoValue("other", "int64")}
    assert unread_relation(reader, ast.parse(source, mode="eval").body, env) == expect


def test_a_loaded_rows_save_without_its_derived_site_names_the_missing_query():
    """load/save_sites derives the UPDATE for a bare save() of a row assigned once from a .get(); elsewhere (no such
    site at the call) the view stays a stub saying so (tests/test_handlers_rowsave.py: the UPDATE read)."""
    node = ast.parse("event.save()", mode="eval").body
    reader, fn = NS(sites={}), {**FN, "file": "cal/views.py"}
    with pytest.raises(NotRecognised, match=r"event.save\(\) at line 10: Model.save\(\) of a loaded cal.Event row"):
        save_row(reader, node, {"event": _row()}, fn)
    assert save_row(reader, node, {"event": GoValue("event", "int64")}, fn) is None  # not a row: another reading
    assert save_row(reader, ast.parse("form.save()", mode="eval").body, {}, fn) is None
