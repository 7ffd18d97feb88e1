"""A project's own view decorators become djauth guards (load.decorators reads each wrapper layer of a view,
translate.guards renders it): fast tables on in-memory layers, the loader's reading of each shape in
tests/projects/guards_views, and (slow) the built Go server answering as Django for anonymous, signed-in, staff,
superuser and deactivated users."""

from __future__ import annotations

import contextlib
import functools
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import django_side, go, run_cli
from test_auth_views import _free_port, _go_get, stop_server, wait_healthy  # the same client of the Go server
from migrator.translate.auth_views import HOLE, NotAuth
from migrator.translate.guards import go_test, layer_go, layers_guard, result_of, steps_go, unguarded

sys.path.insert(0, str(Path(__file__).parent / "auth"))
from harness import DELETED, database, oracle  # noqa: E402

PROJECT = Path(__file__).parent / "projects" / "guards_views"
AUTH = "django/contrib/auth/decorators.py:user_passes_test.<locals>.decorator.<locals>._view_wrapper"


@pytest.mark.parametrize("test, go_expr", [
    ("u.is_authenticated", "u.IsAuthenticated"),
    ("(u.is_authenticated) and (u.is_active) and (u.is_staff)", "(u.IsAuthenticated && u.IsActive && u.IsStaff)"),
    ("not (u.is_superuser) or False", "(!(u.IsSuperuser) || false)"),
    ("header('x-requested-with') == 'XMLHttpRequest'", 'r.Header.Get("x-requested-with") == "XMLHttpRequest"'),
])
def test_a_test_becomes_go(test, go_expr):
    assert go_test(test) == go_expr


@pytest.mark.parametrize("test", ["u.email", "u.has_perm('a.b')", "header('x') != 'y'", "request.user"])
def test_a_test_djauth_does_not_run_is_refused(test):
    with pytest.raises(NotAuth, match="DECORATOR_TEST"):
        go_test(test)


def _layer(kind, **kw):
    return {"wrapper": "w.py:deco", "kind": kind, **kw}


@pytest.mark.parametrize("layer, wrap", [
    (_layer("test", test="u.is_authenticated", login_url=None, field="next"), "a.LoginRequired(\x00)"),
    (_layer("test", test="u.is_staff", login_url=None, field="next"),
     "a.UserPassesTest(func(_ *http.Request, u *djauth.User) bool { return u.IsStaff }, \x00)"),
    (_layer("test", test="u.is_staff", login_url="/in/", field=None),
     'a.UserPassesTestTo(func(_ *http.Request, u *djauth.User) bool { return u.IsStaff }, "/in/", "", \x00)'),
    (_layer("permission", perms=["a.b"], raise_exception=True, login_url=None, field="next"),
     'a.PermissionRequired([]string{"a.b"}, true, \x00)'),
    (_layer("steps", steps=[{"view": True}]), HOLE),  # a check a setting turned off
    (_layer("methods"), None), (_layer("other"), None),
    (_layer("headers", headers="never_cache"), "djauth.NeverCache(\x00)"),  # its headers on every answer
])
def test_a_layer_becomes_a_go_wrapper(layer, wrap):
    assert layer_go(layer) == wrap


def test_a_decision_tree_becomes_one_go_wrapper():
    steps = [{"if": "not (u.is_authenticated)", "then": [{"answer": {"status": 401, "headers": [
        ["Content-Type", "application/json"]], "body": '{"e": 1}'}}], "else": []},
             {"if": "not (u.is_superuser)", "then": [{"forbidden": True}], "else": [{"view": True}]}]
    assert steps_go(steps) == "\n".join([
        "func(next http.HandlerFunc) http.HandlerFunc {",
        "\treturn func(w http.ResponseWriter, r *http.Request) {",
        "\t\tu := djauth.UserOf(r)",
        "\t\tif !(u.IsAuthenticated) {",
        '\t\t\tdjauth.Answer(w, 401, []string{"Content-Type", "application/json"}, "{\\"e\\": 1}")',
        "\t\t\treturn",
        "\t\t}",
        "\t\tif !(u.IsSuperuser) {",
        "\t\t\tdjauth.Forbidden(w)",
        "\t\t\treturn",
        "\t\t} else {",
        "\t\t\tnext(w, r)",
        "\t\t\treturn",
        "\t\t}",
        "\t}",
        "}(\x00)"])
    login = [{"if": "not (u.is_authenticated)", "then": [{"login": {"url": None, "field": "next"}}], "else": []},
             {"view": True}]
    assert 'a.RedirectToLogin(w, r, "", "next")' in steps_go(login) and steps_go(login).count("return") == 2


def test_layers_compose_outermost_first_and_refuse_what_django_answers_before():
    login = _layer("test", test="u.is_authenticated", login_url=None, field="next")
    perm = _layer("permission", perms=["a.b"], raise_exception=False, login_url=None, field="next")
    guard = layers_guard([login, _layer("transparent"), perm, _layer("methods")])
    assert guard.wrap == 'a.LoginRequired(a.PermissionRequired([]string{"a.b"}, false, h))'
    assert layers_guard([_layer("methods"), _layer("other")]) is None
    post_only = _layer("methods", steps=[{"if": "not (method_in(['POST']))", "then": [{"answer": {
        "status": 405, "headers": [["Allow", "POST"]], "body": ""}}], "else": []}, {"view": True}])
    wrap = layers_guard([post_only, login]).wrap  # require_POST above a guard: its 405 first, as in Django
    assert wrap.startswith("func(next") and wrap.endswith("}(a.LoginRequired(h))") and "u :=" not in wrap
    assert 'if !((r.Method == "POST")) {\n\t\t\tdjauth.Answer(w, 405, []string{"Allow", "POST"}, "")' in wrap
    assert layers_guard([login, post_only]).wrap == "a.LoginRequired(h)"  # below: the route's own method check
    passing = _layer("steps", steps=[{"view": True}])  # accounted for (the route strips it), nothing to run
    assert layers_guard([_layer("methods"), passing]).wrap == "h"
    result = _layer("result", status=200)  # json_view: the view reader answers with the view's dict
    assert layers_guard([login, result]).wrap == "a.LoginRequired(h)" and layers_guard([result]) is None
    with pytest.raises(NotAuth, match="DECORATOR_ORDER: w.py:deco answers JsonResponse"):
        layers_guard([result, login])  # above a guard, Django would serialise the guard's redirect
    assert unguarded([login, result, _layer("other")]) == ["w.py:deco"] and result_of([login, result]) == {"status": 200}
    # never_cache outermost: the login redirect of the guard it wraps gets its headers too, as in Django
    assert layers_guard([_layer("headers", headers="never_cache"), login]).wrap == "djauth.NeverCache(a.LoginRequired(h))"
    for refused, code in (([_layer("methods"), login], "DECORATOR_ORDER"),  # require_GET's 405 first
                          ([_layer("other"), login], "DECORATOR_ORDER"),
                          ([_layer("unread", code="DECORATOR_RESULT", message="m")], "DECORATOR_RESULT"),
                          ([{**perm, "login_url": "/x/"}], "DECORATOR_LOGIN_URL")):
        with pytest.raises(NotAuth, match=code):
            layers_guard(refused)


def test_dispatch_decorators_read_by_the_loader_become_guards():
    """load.cbv gives each ``method_decorator(..., name="dispatch")``'s layers (load.decorators.decorator_layers)."""
    from migrator.translate.auth_views import dispatch_decorators

    steps = _layer("steps", steps=[{"if": "u.is_authenticated", "then": [{"view": True}], "else": []},
                                   {"forbidden": True}])
    # csrf_exempt's layers, as the loader reads them, are "other": it is still transparent (the route is exempt)
    raw = {"cbv": {"dispatch_decorators": ["never_cache_m", "auth_required_m", "csrf_exempt"],
                   "dispatch_layers": [[_layer("other")], [steps], [_layer("other")]]}}
    guards, others = dispatch_decorators(raw)
    assert others == ["never_cache_m"] and len(guards) == 1 and guards[0].endswith("}(\x00)")
    raw["cbv"]["dispatch_layers"][0] = [_layer("headers", headers="never_cache")]  # as the loader reads it now
    guards, others = dispatch_decorators(raw)
    assert others == [] and guards[0] == "djauth.NeverCache(\x00)" and guards[1].endswith("}(\x00)")
    raw["cbv"]["dispatch_layers"][1] = [_layer("unread", code="DECORATOR_CALL", message="m")]
    with pytest.raises(NotAuth, match="DECORATOR_CALL"):
        dispatch_decorators(raw)


def _routes():
    from migrator.load import load_project, load_routes

    routes, diags = load_routes(load_project(PROJECT, scan=False))
    assert not diags
    return {r["view"].rsplit(".", 1)[1]: r for r in routes}


@pytest.mark.slow
def test_each_decorator_shape_is_read_from_the_running_project():
    """The loader's layers (load.decorators) for each view of tests/projects/guards_views, exactly."""
    routes = _routes()

    def kinds(view):
        return [(layer["kind"], layer.get("test") or layer.get("code") or "") for layer in routes[view]["wrappers"]]

    assert kinds("staff_board") == [("test", "((u.is_authenticated) and (u.is_active)) and (u.is_staff)")]
    member = routes["member_board"]["wrappers"][0]
    assert (member["login_url"], member["field"]) == ("/login/", "back")  # a URL name, reversed
    assert kinds("role_board") == [("test", "u.is_authenticated"), ("test", "u.is_staff"), ("steps", "")]
    assert routes["calendar"]["wrappers"][0]["steps"] == [{"view": True}]  # the setting is off
    superuser = routes["superuser_board"]["wrappers"][0]["steps"]
    assert superuser[0]["then"] == [{"answer": {"status": 302, "body": "", "headers": [
        ["Content-Type", "text/html; charset=utf-8"], ["Location", "/login/"]]}}]
    assert superuser[1:] == [{"if": "not (u.is_superuser)", "then": [{"forbidden": True}], "else": []},
                             {"view": True}]
    assert routes["unread"]["wrappers"][0]["steps"][1]["answer"]["status"] == 401  # its own response class
    assert routes["hidden"]["wrappers"][0]["steps"][0]["then"][0]["answer"]["status"] == 404
    assert kinds("wrapped") == [("result", "")] and routes["wrapped"]["wrappers"][0]["status"] == 200
    assert kinds("wrapped_count") == [("test", "u.is_authenticated"), ("result", "")]  # json_view below the guard
    assert routes["nyt_count"]["wrappers"][1] == {"wrapper": "desk/decorators.py:nyt_json_view.<locals>.wrapper",
                                                  "kind": "result", "status": 200, "encoder": "json",
                                                  "status_kwarg": "status"}
    assert kinds("owned") == [("unread", "DECORATOR_QUERY")]
    assert kinds("vote") == [("methods", ""), ("test", "u.is_authenticated")]
    assert [layer["kind"] for layer in routes["fresh"]["wrappers"]] == ["headers", "steps"]
    assert routes["fresh"]["wrappers"][0]["headers"] == "never_cache"
    fresh = routes["FreshCountView"]["cbv"]  # postman's AjaxMixin: never_cache_m, auth_required_m on dispatch
    assert fresh["dispatch_decorators"] == ["never_cache", "auth_required"]
    assert [[layer["kind"] for layer in layers] for layers in fresh["dispatch_layers"]] == [["headers"], ["steps"]]


@pytest.mark.slow
def test_a_decorator_expression_is_read_for_class_based_views():
    """decorator_layers (the API load.cbv calls for method_decorator(..., name="dispatch")): a name, a factory
    called with literal arguments, method_decorator's adapted decorator, and an expression it does not run."""
    import json

    code = ("import json, django; django.setup()\n"
            "from django.utils.decorators import method_decorator\n"
            "from migrator.load.decorators import decorator_layers\n"
            "import desk.decorators as d\n"
            "ns = dict(vars(d), auth_m=method_decorator(d.auth_required))\n"
            "import os\n"
            "print(json.dumps([decorator_layers(t, ns, os.path.relpath) for t in ('auth_m', 'role_required(staff=True)', "
            "'superuser_required', 'staff_member_required', 'role_required(staff=STAFF)', 'login_required', 'nyt_json_view')]))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "guardproj.settings",
                               "PYTHONPATH": f"{PROJECT}:{Path(__file__).parent.parent}"})
    assert proc.returncode == 0, proc.stderr
    auth_m, role, superuser, staff, dynamic, login, nyt = json.loads(proc.stdout)
    assert nyt == [{"wrapper": "desk/decorators.py:nyt_json_view.<locals>.wrapper", "kind": "result", "status": 200,
                    "encoder": "json", "status_kwarg": "status"}]  # data2jsonresponse(data, **kwargs), read
    assert [layer["wrapper"] for layer in auth_m] == ["desk/decorators.py:auth_required.<locals>.wrapper"]
    assert auth_m[0]["steps"][1]["answer"]["status"] == 401
    assert [step["if"] for step in role[0]["steps"][:2]] == ["not (u.is_authenticated)", "(not (u.is_staff))"]
    assert superuser[0]["kind"] == "steps" and staff[0]["kind"] == "test"
    assert dynamic[0]["code"] == "DECORATOR_EXPRESSION"  # a name as argument: not run
    assert login[0].pop("wrapper").endswith("site-packages/" + AUTH)  # the caller's rel names files (display_path)
    assert login == [{"kind": "test", "test": "u.is_authenticated", "login_url": None, "field": "next"}]


XHR = {"X-Requested-With": "XMLHttpRequest"}
EXPECTED = {  # (path, user, ajax?) -> the status Django answers (pinned; everything else compared with Django)
    ("/staff/", None, False): 302, ("/staff/", "plain", False): 302, ("/staff/", "staffer", False): 200,
    ("/staff/", "quitter", False): 302, ("/staff/", "boss", False): 302,
    ("/member/?x=1", None, False): 302, ("/member/", "plain", False): 200, ("/member/", "quitter", False): 302,
    ("/unread/", None, False): 401, ("/unread/", "plain", False): 200, ("/unread/", "quitter", False): 401,
    ("/superuser/", None, False): 302, ("/superuser/", "plain", False): 403, ("/superuser/", "staffer", False): 403,
    ("/superuser/", "boss", False): 200, ("/superuser/", "quitter", False): 302,
    ("/hidden/", None, False): 404, ("/hidden/", "plain", False): 200,
    ("/calendar/", None, False): 200,
    ("/role/", None, False): 302, ("/role/", "plain", False): 302, ("/role/", "staffer", False): 200,
    ("/role/", "quitter", False): 302,
    ("/ajax/", None, False): 302, ("/ajax/", None, True): 403, ("/ajax/", "plain", True): 200,
    ("/ajax/", "plain", False): 200, ("/ajax/", "quitter", True): 403,
    ("/vote/", None, False): 405, ("/vote/", "plain", False): 405,  # require_POST above login_required: 405 first
    ("/fresh/", None, False): 401, ("/fresh/", "plain", False): 200, ("/fresh/", "quitter", False): 401,
    ("/fresh-count/", None, False): 401, ("/fresh-count/", "plain", False): 200,  # postman's AjaxUnreadCountView
    ("/wrapped/", None, False): 200,  # json_view: the view's dict is the answer
    ("/wrapped-count/", None, False): 302, ("/wrapped-count/", "plain", False): 200,
    ("/wrapped-count/?done=1", "plain", False): 200,
    ("/nyt-count/", None, True): 403, ("/nyt-count/", "plain", True): 200, ("/nyt-count/", None, False): 302,
    # django-nyt's mark_read routes: no id_lte (TypeError below the guard: 500), an unnamed group, two named ones
    ("/nyt-mark/", None, True): 403, ("/nyt-mark/", "plain", True): 500, ("/nyt-mark/", None, False): 302,
    ("/nyt-mark/7/", "plain", True): 200, ("/nyt-mark/7/", None, True): 403, ("/nyt-mark/x/", "plain", True): 404,
    ("/nyt-mark/7/3/", "plain", True): 200, ("/nyt-mark/7/0/", "plain", False): 200,
}
# Django's own HTML error pages, not the view's: its 500 (the view called without id_lte), the 404 of a path no
# route matches (Go's router answers its JSON 404)
DJANGO_ERROR_PAGES = ("/nyt-mark/", "/nyt-mark/x/")
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def _go_cache_headers(base: str, path: str, cookie) -> tuple:
    """The Go server's status and Cache-Control for a GET; its Expires must be an HTTP date within a minute."""
    import email.utils
    import time
    import urllib.error
    import urllib.request

    req = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})
    try:
        resp = urllib.request.urlopen(req, timeout=10)
    except urllib.error.HTTPError as exc:
        resp = exc
    expires = email.utils.parsedate_to_datetime(resp.headers["Expires"]).timestamp()
    assert abs(expires - time.time()) < 60 and resp.headers["Expires"].endswith(" GMT"), resp.headers["Expires"]
    return resp.status, resp.headers.get("Cache-Control", "")


@contextlib.contextmanager
def _guards_stack(request, tmp_path, tmp_path_factory, *generate_args: str):
    """The guards project's Go server (generated with ``generate_args``, built) and Django's oracle on one SQLite
    database, both with SECRET_KEY_FALLBACKS: (the oracle, the database, the server's base URL); both stopped after."""
    tree = tmp_path / "go"
    proc = run_cli("generate", str(PROJECT), "--out", str(tree), *generate_args)
    assert proc.returncode == 0, proc.stderr
    go("build", "-o", str(tree / "server"), "./http", cwd=tree)
    db = database(request, tmp_path_factory, "sqlite", "guards")
    django_side(PROJECT, "guardproj.settings", db, "migrate")
    dj = oracle(PROJECT, "guardproj.settings", db, fast=True)
    port = _free_port()
    server = subprocess.Popen([str(tree / "server")], env={
        "DATABASE_URL": db, "PORT": str(port), "HOST": "127.0.0.1", "PATH": "/usr/bin:/bin", "LOG_LEVEL": "error",
        "SECRET_KEY": "guards-views-test", "SECRET_KEY_FALLBACKS": OLD_KEY},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server)
        yield dj, db, base
    finally:
        stop_server(server)
        dj.close()


@pytest.mark.slow
def test_guarded_views_answer_as_django(request, tmp_path, tmp_path_factory):
    with _guards_stack(request, tmp_path, tmp_path_factory) as (dj, db, base):
        for name, args in (("plain", {}), ("staffer", {"is_staff": True}), ("boss", {"is_superuser": True}),
                           ("quitter", {"is_staff": True})):
            dj.ask("create_user", username=name, password="pw", **args)
        cookies = {None: None, **{n: dj.ask("login", username=n, password="pw")["cookie"]
                                  for n in ("plain", "staffer", "boss", "quitter")}}
        dj.ask("grant", username="quitter", is_active=False)  # a session of a user deactivated since: anonymous
        for (path, user, ajax), status in EXPECTED.items():
            headers = XHR if ajax else {}
            want = dj.ask("send", method="GET", path=path, headers=headers,
                          cookies={"sessionid": cookies[user]} if user else {})
            assert want["status"] == status, (path, user, ajax, want)
            got = _go_get(base, path, cookies[user], headers=headers)
            if path in DJANGO_ERROR_PAGES and status != 200:  # the status is what a client relies on (parity's rule)
                got, want = got["status"], want["status"]
            assert got == want, (path, user, ajax)
            if path == "/nyt-mark/7/3/":  # the update ran: tickets 3 and 4 (shared, id in [3, 7])
                assert want["json"] == {"success": True, "marked": 2}
            if path.startswith("/fresh"):  # never_cache: its headers on the view's answer and on the guard's 401
                jar = {"sessionid": cookies[user]} if user else {}
                assert dj.ask("cache_headers", path=path, cookies=jar) == {
                    "status": status, "cache_control": NEVER_CACHE, "expires": True}
                assert _go_cache_headers(base, path, cookies[user]) == (status, NEVER_CACHE)
        _naturaltime_answers_as_django(dj, base, db)
        _cycled_session_on_a_500(dj, base)
        token = "abcdefghijklmnopqrstuvwxyzABCDEF"  # a CSRF secret and its unmasked token: the POST reaches the guards
        for user, status in ((None, 302), ("plain", 200)):  # /vote/ migrated: require_POST passed, then the login
            jar = {"csrftoken": token, **({"sessionid": cookies[user]} if user else {})}
            want = dj.ask("send", method="POST", path="/vote/", cookies=jar, headers={"X-CSRFToken": token})
            assert want["status"] == status, (user, want)
            assert _go_get(base, "/vote/", None, method="POST", cookies=jar, headers={"X-CSRFToken": token}) == want


OLD_KEY = "guards-views-old-key"  # SECRET_KEY_FALLBACKS of both sides


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["fiber", "gin"])
def test_session_answers_on_fiber_and_gin(framework, request, tmp_path, tmp_path_factory):
    """What SessionMiddleware writes, on the frameworks whose views answer on their own writer (djauth.Finish,
    after the view: the status it answered, or Fiber's error status): a cycled session's cookie on a 200 and not
    on a 500, Vary: Cookie, an unknown session's cookie deleted, as Django (net/http: the test above)."""
    with _guards_stack(request, tmp_path, tmp_path_factory, "--framework", framework) as (dj, db, base):
        dj.ask("create_user", username="plain", password="pw")
        _cycled_session_on_a_500(dj, base)
        unknown = {"sessionid": "q" * 32}  # no such session: the guard's 403, the cookie deleted
        want = dj.ask("send", method="GET", path="/nyt-count/", headers=XHR, cookies=unknown)
        assert want["status"] == 403 and want["set_cookie"] == DELETED and want["vary"] == "Cookie", want
        assert _go_get(base, "/nyt-count/", "q" * 32, headers=XHR) == want


def _cycled_session_on_a_500(dj, base):
    """A session whose auth hash is a fallback key's, cycled by the guard (request.user) of a view answering 500
    (/nyt-mark/: the TypeError below the guard) and of one answering 200: on the 500 Django deletes the old session
    but sets no cookie (SessionMiddleware skips the save on a 5xx), on the 200 it sets the new one; Vary: Cookie on
    both. Go answers the same (before session 14 it set the cookie on the 500)."""
    fallbacks = {"SECRET_KEY_FALLBACKS": [OLD_KEY]}
    for path, status, new_cookie in (("/nyt-mark/", 500, False), ("/nyt-mark/7/", 200, True)):
        answers = []
        for side in ("django", "go"):
            old = dj.ask("login", username="plain", password="pw", settings={"SECRET_KEY": OLD_KEY})["cookie"]
            got = (dj.ask("send", method="GET", path=path, headers=XHR, cookies={"sessionid": old}, settings=fallbacks)
                   if side == "django" else _go_get(base, path, old, headers=XHR))
            assert dj.ask("session_user", cookie=old, settings=fallbacks) == {"id": None}, (path, side)  # deleted
            answers.append((got["status"], got["vary"], got["set_cookie"] is not None))
        assert answers[0] == answers[1] == (status, "Cookie", new_cookie), (path, answers)


# naturaltime's rows (django-nyt's `since`), by age. The rule that makes a clock's text comparable: Django and Go
# read their clocks a moment apart, so each age sits at least 30 seconds from its text's next unit (seconds-level
# texts, "now" and "N seconds ago", are not compared: no such margin exists for them).
NOTICE_AGES = {1: ((0, 5 * 60 + 30), "5\u00a0minutes ago"), 2: ((0, 90 * 60), "an hour ago"),
               3: ((3, 5 * 3600 + 30 * 60), "3\u00a0days, 5\u00a0hours ago"), 4: ((-1, 86400 - 150 * 60), "2\u00a0hours from now"),
               5: ((400, 30 * 60), None)}  # about 13 months: its text depends on the calendar, compared with Django's


def _naturaltime_answers_as_django(dj, base, db):
    import datetime as dt
    import sqlite3

    now = dt.datetime.now(dt.timezone.utc)
    rows = [(pk, (now - dt.timedelta(days=d, seconds=s)).strftime("%Y-%m-%d %H:%M:%S.%f"))
            for pk, ((d, s), _) in NOTICE_AGES.items()]
    with sqlite3.connect(db) as conn:
        conn.executemany("INSERT INTO desk_notice (id, created) VALUES (?, ?)", rows)
    for pk, (_, text) in NOTICE_AGES.items():
        want = dj.ask("send", method="GET", path=f"/notice/{pk}/", headers={}, cookies={})
        assert want["status"] == 200 and (text is None or want["json"]["since"] == text), want
        assert want["json"]["times"] == f"{pk} times"
        assert _go_get(base, f"/notice/{pk}/", None) == want, pk
    want = dj.ask("send", method="GET", path="/notice/99/", headers={}, cookies={})
    assert want["status"] == 404 and _go_get(base, "/notice/99/", None)["status"] == 404


def _nyt_json_view(f):
    @functools.wraps(f)
    def wrapper(request, *args, **kwargs):
        return f(request, *args, **kwargs)
    return wrapper


def _runs_at_once(f):
    print("decorating")  # a decorator doing more than defining its wrapper: never applied by the reader
    return f


def test_a_constant_lambda_and_a_decorator_applied_to_it_are_read_without_running_more():
    """django-nyt's ``json_view(lambda *a, **kw: {...})(request, status=403)``: the lambda is a constant, the
    decorator (only defining its wrapper) is applied to it as import would, and the wrapper is read as any."""
    import ast

    from migrator.load.decorators_calls import apply_decorator, constant_of
    from migrator.load.decorators_eval import Obj, Reader, Unread

    reader = Reader(_runs_at_once, None, {})
    const = reader.expr(ast.parse('lambda *a, **kw: {"error": "not logged in"}', mode="eval").body)
    assert isinstance(const, Obj) and constant_of(const.value) == {"error": "not logged in"}
    wrapper = apply_decorator(_nyt_json_view, [const], {})
    assert wrapper.value.__wrapped__ is const.value and constant_of(wrapper.value) is ...  # wraps copies no code
    assert apply_decorator(_runs_at_once, [const], {}) is None and apply_decorator(_nyt_json_view, [1], {}) is None
    with pytest.raises(Unread, match="lambda argument r"):  # its parameters are never read
        reader.expr(ast.parse("lambda r: r.user", mode="eval").body)


def _lambda_decorator():
    return lambda view: (lambda request, *args, **kwargs: view(request, *args, **kwargs))  # no functools.wraps


def test_a_decorator_not_read_is_named_without_its_address():
    """wiki's ``get_article`` factory returns a lambda: the reason names it by module and qualified name, so
    two runs write the same http/MIGRATION.md (its repr carried a memory address)."""
    from migrator.load.decorators import describe_decorator

    (layer,) = describe_decorator(_lambda_decorator())
    assert layer == {"wrapper": "test_auth_guards._lambda_decorator.<locals>.<lambda>", "kind": "unread",
                     "code": "DECORATOR_SHAPE", "message": "its wrapper does not lead to the view (__wrapped__)"}


def test_a_result_wrapper_answers_with_the_views_dict_when_json_dumps_would():
    """translate.guards_result: JsonResponse(result) takes any value the reader writes; json.dumps(result) only
    str, int, bool and None (Django raises TypeError on a date); a route whose URL kwarg sets the status is refused."""
    from types import SimpleNamespace

    from migrator.translate.guards_result import answer
    from migrator.translate.handlers_values import Const, GoValue, JSONObj, NotRecognised

    body = JSONObj({"success": Const(True), "open": GoValue("n", "int64"), "who": GoValue("u", "*string")})
    nyt = {"result": {"status": 200, "encoder": "json", "status_kwarg": "status"}}
    assert (answer(nyt, body).status, answer(nyt, body).body) == (200, body)
    dated = JSONObj({"since": GoValue("d", "djtypes.DateTime")})
    assert answer({"result": {"status": 201, "encoder": "django"}}, dated).status == 201
    with pytest.raises(NotRecognised, match="json.dumps of a value"):
        answer(nyt, dated)
    with pytest.raises(NotRecognised, match="URL kwarg status sets the status"):
        answer(dict(nyt, _params=[SimpleNamespace(name="status")]), body)
