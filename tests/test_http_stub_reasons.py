"""Why a view stays a stub: the one construct that blocks it, named (fast tier: no Django, no sqlc).

The corpus apps' JSON views (docs/http.md, "JSON views of the corpus") are stubs for these reasons; a
reason must let the user see which line of the view, its route or its decorators to change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from migrator.translate.handlers_plan import _arguments, skip_reason
from migrator.translate.http import Handler, Param, Route


PK = (Param("pk", "int", "[0-9]+", "pk", "pk"),)


def _route(django: str, exact: bool = True, kind: str = "function", params=PK) -> Route:
    return Route(index=0, django=django, name="", view="app.views.v", kind=kind, app="app", file="app/views.py",
                 line=3, python="", methods=("GET",), branches=(), handler="V", mux_path="/" + django,
                 fiber_path="/" + django, path_regex="^/" + django, params=params,
                 exact=exact)


def _handler(*routes: Route, kind: str = "function") -> Handler:
    return Handler(name="V", view="app.views.v", app="app", kind=kind, file="app/views.py", line=3, python="",
                   routes=routes)


CSRF = "django/views/decorators/csrf.py:csrf_exempt.<locals>.wrapper_view"
GUARD = "schedule/utils.py:check_calendar_permissions.<locals>.decorator"
LOGIN = "django/contrib/auth/decorators.py:user_passes_test.<locals>.decorator.<locals>._view_wrapper"


@pytest.mark.parametrize("handler, raw, reason", [
    (_handler(_route("a/")), {"decorators": []}, ""),
    (_handler(_route("a/")), {"decorators": [CSRF]}, ""),  # csrf_exempt changes nothing the Go side answers
    (_handler(_route("a/")), None, "not among the URLconf's resolved routes"),
    (_handler(_route("a/"), kind="class"), {"python": "class V(View):\n    def get(self, r):\n"
                                                      "        return JsonResponse({})\n"},
     "a class-based view (it returns JSON): only function views and DRF views are read"),
    (_handler(_route("a/"), kind="class"), {"python": "class V(TemplateView): ..."},
     "a class-based view: only function views and DRF views are read"),
    (_handler(_route("a/"), kind="class"), {"python": "@api_view(['GET'])\ndef v(request):\n"
                                                      "    return JsonResponse({})\n"},
     "a DRF @api_view function (it returns JSON): the DRF step reads viewsets, not @api_view functions"),
    (Handler(name="R", view="rest_framework.routers.APIRootView", app="", kind="class", file="", line=0,
             python="", routes=(_route("api/"),)), {"python": "class APIRootView(views.APIView): ..."},
     "DRF's own APIRootView: the DRF step reads the project's viewsets"),
    # several routes that call the function view with the same arguments: one reading, one handler for all
    (_handler(_route("a/"), _route("b/")), {"decorators": []}, ""),
    (_handler(_route("a/", params=()), _route("b/", params=())), {"decorators": []}, ""),
    # routes that call it with other arguments (django-nyt's get_notifications: ^json/get/$ and
    # ^json/get/(?P<latest_id>\d+)/$): read once per set of arguments (migrate_views), nothing blocks it here
    (_handler(_route("a/", params=()), _route("a/<int:pk>/")), {"decorators": []}, ""),
    (_handler(_route("a/"), _route("b/", params=(Param("pk", "str", "[^/]+", "pk", "pk"),))), {"decorators": []}, ""),
    (_handler(_route("a/", kind="class"), _route("b/", kind="class"), kind="class"),
     {"python": "class V(View):\n    def get(self, r):\n        return JsonResponse({})\n"},
     "a class-based view (it returns JSON): only function views and DRF views are read"),
    # django-nyt's mark_read: ^json/mark-read/(\d+)/$ passes id_lte positionally (an unnamed group)
    (_handler(_route("m/", params=()), _route(r"^m/(\d+)/$", exact=False, params=()), _route("m/<int:pk>/")),
     {"decorators": []},
     r"route ^m/(\d+)/$ matches more than a ServeMux pattern (a regex without $, or regex syntax outside its named "
     "groups)"),
    (_handler(_route("a/"), _route("^b", exact=False)), {"decorators": []},
     "route ^b matches more than a ServeMux pattern (a regex without $, or regex syntax outside its named groups)"),
    (_handler(_route("^api/occurrences", exact=False)), {"decorators": [GUARD]},
     "route ^api/occurrences matches more than a ServeMux pattern (a regex without $, or regex syntax outside "
     f"its named groups); wrapped by {GUARD}: the decorator's behaviour is not translated"),
    (_handler(_route("a/")), {"decorators": [LOGIN, CSRF, GUARD]},
     f"wrapped by {LOGIN}, {GUARD}: the decorators' behaviour is not translated"),
    # as the source writes them, with the code each runs (require_POST is the route's methods, not a wrapper)
    (_handler(_route("a/")), {"decorators": [LOGIN, CSRF, GUARD], "python": (
        "@login_required\n@csrf_exempt\n@require_POST\n@check_calendar_permissions\ndef v(request): ...\n")},
     f"wrapped by @login_required ({LOGIN}), @check_calendar_permissions ({GUARD}): the decorators' behaviour "
     "is not translated"),
])
def test_the_blocking_construct_is_named(handler, raw, reason):
    assert skip_reason(handler, raw) == reason


def test_routes_are_read_once_per_set_of_arguments_they_pass():
    """The key migrate_views groups a view's routes by: routes passing the same arguments share one reading and one
    Go core; an unnamed group (passed positionally) is not "none"."""
    routes = [_route("a/", params=()), _route("^a/all/$", params=()), _route("a/<int:pk>/"),
              _route("b/<str:pk>/", params=(Param("pk", "str", "[^/]+", "pk", "pk"),)),
              _route(r"^a/(\d+)/$", exact=False, params=())]
    assert [_arguments(r) for r in routes] == ["none", "none", "pk=int", "pk=str", "1 positional (an unnamed group)"]


@pytest.mark.slow
def test_json_views_of_a_project_name_their_blocker():
    """tests/projects/json_stubs: the corpus's JSON view shapes, each stub with its reason, through
    `migrate analyze --http` as a user runs it; the plain function view beside them is migrated."""
    proc = run_cli("analyze", str(Path(__file__).parent / "projects" / "json_stubs"), "--http", "-f", "json")
    assert proc.returncode == 0, proc.stderr
    rows = {v["view"]: (v["status"], v.get("reason", "")) for v in json.loads(proc.stdout)["views"]}
    assert rows == {
        "feeds.views.count": ("migrated", ""),  # csrf_exempt changes nothing the Go side answers
        "feeds.views.guarded": ("stub", "wrapped by @check_permissions (feeds/views.py:check_permissions.<locals>."
                                        "decorator): the decorator's behaviour is not translated"),
        "feeds.views.occurrences": ("stub", "route ^api/occurrences matches more than a ServeMux pattern (a regex "
                                            "without $, or regex syntax outside its named groups)"),
        "feeds.views.UnreadView": ("migrated", ""),  # a View's get(), read as a function view (handlers_cbv)
        "feeds.views.listing": ("migrated", ""),  # two routes calling it with the same arguments: one handler
        "feeds.views.kwargs_view": ("stub", "unexpected signature: *args and **kwargs (the view's arguments must be "
                                            "the request and its path parameters)"),
        "feeds.views.LatestFeed": ("stub", "a callable instance of class LatestFeed: its __call__ is not read"),
        # read once per set of route arguments: pick/ reads, pick/<int:pk>/ does not, and only it is named; a path
        # value is never None (session 12), so that route reads past `if pk is None` to what stops it
        "feeds.views.pick": ("stub", "pick/<int:pk>/: attribute META"),
        # django-scheduler's api_select_create (session 12): request.POST, dateutil.parser.parse, a module constant
        # from the settings, Calendar.objects.get(slug=<None or text>), create() with the row it returned
        "feeds.views.select_create": ("migrated", ""),
        "feeds.views.select_echo": ("stub", "a dateutil datetime value in the response"),
    }


@pytest.mark.slow
def test_a_row_moved_by_a_form_and_saved_migrates():
    """tests/projects/row_moves: django-scheduler's api_move_or_resize_by_code reduced (timedelta(minutes=int(...)) of
    a posted value, bool(request.POST.get(k, False)), .get(id=<posted text>) of an AutoField, `row.start += delta`,
    the settings' permission callback given the row's unselected foreign key, then the row's save(): the UPDATE
    load/save_sites derives, session 14; before it the stub named `event.save() at line 27`). Compared with Django
    by tests/test_row_moves.py."""
    proc = run_cli("analyze", str(Path(__file__).parent / "projects" / "row_moves"), "--http", "-f", "json")
    assert proc.returncode == 0, proc.stderr
    rows = {v["view"]: (v["status"], v.get("reason") or "") for v in json.loads(proc.stdout)["views"]}
    assert rows == {"moves.views.api_move_or_resize_by_code": ("migrated", ""),
                    "moves.views.api_move_open": ("migrated", ""),
                    "moves.views.api_shift_occurrences": ("migrated", "")}
