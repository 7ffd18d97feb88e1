"""Fast table tests of what dal's ViewMixin.dispatch and todo's TaskAutocomplete prelude read (a view of a few lines
read by handlers.ViewReader over test_handlers_member's tiny project, and the exact Go): ``raise PermissionDenied``
(Django's default 403 page), ``request.method`` known per method read, ``.upper()`` of a known text,
``getattr(request, request.method)``, ``HttpResponseNotAllowed(methods)``; and a prelude dispatch run before
View.options (handlers_cbv)."""

from __future__ import annotations

import pytest

from migrator.translate.handlers_values import NotRecognised
from test_handlers_member import _reader


def _read(line3: str, method: str = "GET"):
    reader = _reader(line3)
    reader.method = method
    reader.route["functions"]["shop.views.mine"]["names"].update({
        "PermissionDenied": {"kind": "exception", "ref": "django.core.exceptions.PermissionDenied"},
        "BadRequest": {"kind": "exception", "ref": "django.core.exceptions.BadRequest"},
        "HttpResponseNotAllowed": {"kind": "external", "ref": "django.http.response.HttpResponseNotAllowed"}})
    return reader.read()


def test_permission_denied_answers_djangos_default_403_page():
    out = _read("    if note.id > 3:\n        raise PermissionDenied\n    return JsonResponse({})\n")
    assert "if note.ID > 3 {\nreturn http.StatusForbidden, Page(djauth.PermissionDeniedPage), nil\n}" in "\n".join(out)
    with pytest.raises(NotRecognised, match="raises BadRequest: Django answers 400 with its own error page"):
        _read("    if note.id > 3:\n        raise BadRequest\n    return JsonResponse({})\n")


@pytest.mark.parametrize("method, answer", [
    ("GET", 'return 200, MineResponse{Q: q}, nil'),  # request.GET.get("q", "")
    ("HEAD", 'return 405, Headed{Header: [][2]string{{"Allow", "GET, POST"}}, Body: NoBody}, nil'),
])
def test_dals_dispatch_reads_the_method_it_is_read_for(method, answer):
    out = _read('    if request.method.upper() not in ["GET", "POST"]:\n'
                '        return HttpResponseNotAllowed(["GET", "POST"])\n'
                '    q = getattr(request, request.method).get("q", "")\n'
                '    return JsonResponse({"q": q})\n', method)
    assert out[-1] == answer
    assert "405" not in "\n".join(out[:-1])  # the test is decided here: no Go branch on the method


def test_case_mapping_of_a_text_known_at_run_time_only_is_refused():
    with pytest.raises(NotRecognised, match=r"upper\(\) of a text known at run time only"):
        _read('    return JsonResponse({"q": request.GET.get("q", "").upper()})\n')


def test_a_prelude_runs_before_view_options():
    from migrator.translate.handlers_cbv import options_group, reads_options

    handlers = {"OPTIONS": {"owner": "django.views.generic.base.View", "django": True, "name": "options"}}
    raw = {"cbv": {"handlers": handlers, "allow": ["GET", "OPTIONS"], "preludes": ["v.V.dispatch"]}}
    plain = {"cbv": {**raw["cbv"], "preludes": []}}
    assert reads_options(raw) and not reads_options(plain)  # Django runs the prelude for OPTIONS too
    assert options_group(plain)["stmts"] == ['return 200, Headed{Header: [][2]string{{"Allow", "GET, OPTIONS"}}, '
                                             'Body: NoBody}, nil']
