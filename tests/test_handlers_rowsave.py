"""Fast table tests of django-scheduler's api_move_or_resize_by_code shape: ``row.save()`` of a row a function
loaded (load/save_sites finds it; translate/handlers_rowedit binds its UPDATE), and a dict a branch completes
(``response_data["status"] = "OK"`` under an ``if``), read per branch. tests/projects/row_moves is the whole
view, compared with Django by ``migrate parity`` (slow: tests/test_http_stub_reasons.py)."""

from __future__ import annotations

import ast

from test_handlers_units import _reader

from migrator.ir import Call, QuerySetSite
from migrator.load.save_sites import save_calls

BRANCHED = '''def item_detail(request, pk):
    data = {}
    data["state"] = "no"
    if pk > 3:
        data["state"] = "yes"
    return JsonResponse(data)
'''


def test_a_dict_completed_in_one_branch_is_not_the_other_branchs():
    """The bug: both branches shared one dict, so the path that skips ``data["state"] = "yes"`` answered "yes"."""
    assert _reader(BRANCHED).read() == [
        "if pk > 3 {",
        'return 200, ItemDetailResponse{State: "yes"}, nil',
        "} else {",
        'return 200, ItemDetailResponse{State: "no"}, nil',
        "}",
    ]


HELPER = '''def _state(pk):
    data = {}
    data["state"] = "PERMISSION DENIED"
    if pk > 3:
        data["state"] = "OK"
    return data
'''


def test_a_helper_returning_a_dict_each_path_completes_sets_one_variable_per_key():
    r = _reader('''def item_detail(request, pk):
    return JsonResponse(_state(pk))
''')
    names = r.route["functions"]["shop.views.item_detail"]["names"]
    names["_state"] = {"kind": "function", "ref": "shop.views._state"}
    r.route["functions"]["shop.views._state"] = {"source": HELPER, "names": names, "file": "shop/views.py", "line": 5}
    assert r.read() == [
        "var state string",
        "if pk > 3 {",
        'state = "OK"',
        "} else {",
        'state = "PERMISSION DENIED"',
        "}",
        "return 200, State{State: state}, nil",
    ]


def _site(line, col, method="get"):
    return QuerySetSite(id=f"m/views.py:{line}:{col}", file="m/views.py", line=line, column=col, function="f",
                        model="m.Event", root="Event.objects", chain=(Call(method, (), line, col),), kind="static")


SAVES = '''def f(id, other):
    event = Event.objects.get(id=id)
    event.save()
    event.save(update_fields=["end"])
    twice = Event.objects.get(id=id)
    twice = other
    twice.save()
    rows = Event.objects.filter(id=id)
    rows.save()
    other.save()
'''


def test_save_sites_are_bare_saves_of_a_name_assigned_once_from_a_get():
    func = ast.parse(SAVES).body[0]
    found = save_calls(func, [_site(2, 13), _site(5, 13), _site(8, 12, "filter")])
    # update_fields= is another UPDATE; a name bound twice or to a filter() (no row), or never loaded: none
    assert [(node.lineno, name, site.line) for node, name, site in found] == [(3, "event", 2)]


def test_an_assignment_reading_the_column_it_writes_is_a_shift():
    """django-scheduler's `event.end = event.end + delta` reads as `event.end += delta` (PyShift); another column
    on the right, another operator, or a name target is not one."""
    from migrator.translate.handlers_rowedit import _same_column_shift

    found = {src: _same_column_shift(ast.parse(src).body[0]) for src in (
        "event.end = event.end + delta", "event.end = event.end - delta", "event.end = event.start + delta",
        "event.end = event.end * delta", "end = event.end + delta", "event.end = delta + event.end")}
    assert [src for src, ok in found.items() if ok] == ["event.end = event.end + delta", "event.end = event.end - delta"]


def test_a_path_501_is_allowed_only_before_any_write_on_that_path():
    """handlers_paths._wrote: a write query called in a Go block still open at the mark is on the path; one in a
    closed block (the other branch of an earlier if) is not."""
    from types import SimpleNamespace as NS

    from migrator.translate.handlers_paths import _wrote

    reader = NS(all_queries=[NS(name="SaveOccurrence", sql="UPDATE x SET a = 1"), NS(name="GetEvent", sql="SELECT 1")],
                stmts=["if existed {", "n, err := s.Store.SaveOccurrence(ctx, p)", "} else {",
                       "event, err := s.Store.GetEvent(ctx, id)", "if !resize {"])
    assert _wrote(reader, len(reader.stmts)) is False  # the save is in the closed `if existed` block
    reader.stmts[3:3] = ["m, err := s.Store.SaveOccurrence(ctx, q)"]
    assert _wrote(reader, len(reader.stmts)) is True


def test_an_integer_where_the_query_wants_a_timedelta_is_that_paths_501():
    from types import SimpleNamespace as NS

    from migrator.translate.handlers_paths import NotCoveredPath, mismatch
    from migrator.translate.handlers_values import GoValue, NotRecognised

    found = mismatch(GoValue("0", "int64"), "djtypes.Duration", NS(name="dts"))
    assert type(found) is NotCoveredPath and str(found).startswith("dts: an integer where Django compiled")
    other = mismatch(GoValue("x", "string"), "int64", NS(name="n"))
    assert type(other) is NotRecognised and str(other) == "a string value for a int64 parameter"
