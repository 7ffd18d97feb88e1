"""Views behind @login_required, @permission_required and @user_passes_test, migrated with djauth guards:
the generated Go server and Django answer the same (status, Location, JSON) for anonymous, signed-in,
permission-less, staff and deactivated users, with the sessions Django issued (Go-issued sessions are
accepted by Django: tests/test_auth.py)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import SAMPLE, django_side, go

sys.path.insert(0, str(Path(__file__).parent / "auth"))
from harness import cookie_shape, database, oracle  # noqa: E402

SECRET = "django-insecure-shopapi-dev-key-3f9a1c7e5b2d4086a1e9c7b5d3f10246"  # the sample's SECRET_KEY


def test_guards_read_from_decorators():
    from migrator.translate.auth_views import NotAuth, read_guard

    dec = ["django/contrib/auth/decorators.py:user_passes_test.<locals>.decorator.<locals>._view_wrapper"]
    cases = {
        "@login_required\ndef v(r): pass": "a.LoginRequired(h)",
        "@login_required()\n@require_GET\ndef v(r): pass": "a.LoginRequired(h)",
        '@permission_required("a.b")\ndef v(r): pass': 'a.PermissionRequired([]string{"a.b"}, false, h)',
        '@permission_required(("a.b", "c.d"), raise_exception=True)\ndef v(r): pass':
            'a.PermissionRequired([]string{"a.b", "c.d"}, true, h)',
        "@user_passes_test(lambda u: u.is_staff or not u.is_active)\ndef v(r): pass":
            "a.UserPassesTest(func(_ *http.Request, u *djauth.User) bool { return (u.IsStaff || !(u.IsActive)) }, h)",
    }
    for source, wrap in cases.items():
        assert read_guard(source, dec).wrap == wrap, source
    two = "@login_required\n@permission_required('a.b', raise_exception=True)\ndef v(r): pass"
    assert read_guard(two, dec * 2).wrap == 'a.LoginRequired(a.PermissionRequired([]string{"a.b"}, true, h))'
    assert read_guard("def v(r): pass", []) is None
    for refused in ('@login_required(login_url="/x/")\ndef v(r): pass',  # a login URL of its own
                    "@require_GET\n@login_required\ndef v(r): pass",  # Django's 405 before the login redirect
                    "@user_passes_test(lambda u: u.email.endswith('@x'))\ndef v(r): pass",
                    "@user_passes_test(is_editor)\ndef v(r): pass",
                    "@permission_required(PERM)\ndef v(r): pass",
                    "def v(r): pass"):  # the loader saw a wrapper the source does not show
        with pytest.raises(NotAuth):
            read_guard(refused, dec)


def test_routes_run_csrf_before_the_decorators():
    from migrator.translate.auth_views import route_guards

    dec = ["django/contrib/auth/decorators.py:user_passes_test.<locals>.decorator.<locals>._view_wrapper"]
    wrapper = "func(a *djauth.Auth, h http.HandlerFunc) http.HandlerFunc {{ return {} }}"
    routes = [{"view": "a", "python": "@login_required\ndef a(r): pass", "decorators": dec, "csrf": "protect"},
              {"view": "b", "python": "def b(r): pass", "decorators": [], "csrf": "protect"},
              {"view": "c", "python": "def c(r): pass", "decorators": [], "csrf": "exempt"},
              {"view": "d", "python": "@login_required\ndef d(r): pass", "decorators": dec, "csrf": "off"}]
    assert route_guards(routes, "fiber") == route_guards(routes, "nethttp") == {
        "a": wrapper.format("a.CSRFRequired(a.LoginRequired(h))"), "b": wrapper.format("a.CSRFRequired(h)"),
        "d": wrapper.format("a.LoginRequired(h)")}
    assert route_guards(routes, None) == {}


def test_access_mixins_of_class_based_views():
    from migrator.translate.auth_views import NotAuth, read_mixins

    def found(mixins, perms=None, raise_exception=False, custom=()):
        return {"mixins": mixins, "permission_required": perms, "raise_exception": raise_exception, "custom": custom}

    assert read_mixins(None) is None
    assert read_mixins(found(["LoginRequiredMixin"])).wrap == "a.LoginRequiredMixin(false, h)"
    assert read_mixins(found(["LoginRequiredMixin", "PermissionRequiredMixin"], ["a.b"], True)).wrap == \
        'a.LoginRequiredMixin(true, a.PermissionRequiredMixin([]string{"a.b"}, true, h))'
    for refused in (found(["UserPassesTestMixin"]), found(["PermissionRequiredMixin"]),  # no permission_required
                    found(["LoginRequiredMixin"], custom=["login_url"]),
                    found(["LoginRequiredMixin"], raise_exception=None)):  # not a literal bool
        with pytest.raises(NotAuth):
            read_mixins(refused)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, server) -> None:
    """Until the Go server answers /healthz (30 s, or its exit, fail the test)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return
        except (urllib.error.URLError, OSError):
            assert server.poll() is None and time.monotonic() < deadline, "the Go server did not start"
            time.sleep(0.2)


def stop_server(server) -> None:
    """SIGTERM to the Go server, then SIGKILL if it has not exited within 10 s."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _go_get(base: str, path: str, cookie: str | None, method: str = "GET", cookies: dict | None = None,
            headers: dict | None = None) -> dict:
    import json

    req = urllib.request.Request(base + path, method=method, headers=headers or {})
    jar = dict(cookies or {}, **({"sessionid": cookie} if cookie else {}))
    if jar:
        req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in jar.items()))
    try:
        resp = urllib.request.build_opener(_NoRedirect).open(req, timeout=10)
    except urllib.error.HTTPError as exc:
        resp = exc
    body = resp.read()
    is_json = resp.headers.get("Content-Type", "").startswith("application/json")
    session = [c for c in resp.headers.get_all("Set-Cookie") or [] if c.startswith("sessionid=")]
    return {"status": resp.status, "location": resp.headers.get("Location", "") or "",
            "json": json.loads(body) if is_json else None, "type": resp.headers.get("Content-Type", ""),
            "text": "" if is_json else body.decode(), "vary": resp.headers.get("Vary"),
            "set_cookie": cookie_shape(session[-1]) if session else None}


@pytest.fixture(scope="module", params=["nethttp", "fiber", "gin"])
def server_bin(request, sample_trees):
    """The sample's Go server, per framework: djauth's guards run on net/http, on Gin's own request and writer,
    and, through fiber's adaptor, on Fiber."""
    tree = sample_trees(request.param).out
    go("build", "-o", str(tree / "bin" / "authserver"), "./http", cwd=tree)
    return tree / "bin" / "authserver"


@pytest.mark.slow
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_guarded_views_answer_as_django(server_bin, dialect, request, tmp_path_factory):
    if dialect == "postgresql" and request.node.callspec.params["server_bin"] != "nethttp":
        # the dialect is the store's (shared by both frameworks), the framework the routing's (shared by both
        # dialects): Fiber on PostgreSQL adds nothing that nethttp on PostgreSQL and Fiber on SQLite do not check
        pytest.skip("Fiber and Gin are compared on SQLite; PostgreSQL on nethttp")
    guarded_views_answer_as_django(server_bin, database(request, tmp_path_factory, dialect, "views"))


def guarded_views_answer_as_django(server_bin: Path, db: str) -> None:
    """The Go server at server_bin and Django on db (a fresh database: migrated here) answer the same for
    anonymous, signed-in, permission-less, staff and deactivated users; test_mysql runs it on MariaDB."""
    django_side(SAMPLE, "shopapi.settings", db, "migrate")
    dj = oracle(SAMPLE, "shopapi.settings", db, fast=True)
    port = _free_port()
    server = subprocess.Popen([str(server_bin)], env={"DATABASE_URL": db, "PORT": str(port), "HOST": "127.0.0.1",
                                                      "PATH": "/usr/bin:/bin", "LOG_LEVEL": "error",
                                                      "SECRET_KEY": SECRET, **ROTATED_ENV},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server)
        ids = {name: dj.ask("create_user", username=name, password="pw", **args)["id"] for name, args in (
            ("plain", {}), ("staffer", {"is_staff": True}), ("moderator", {}), ("quitter", {"is_staff": True}))}
        dj.ask("grant", username="moderator", perms=["accounts.change_profile"])
        cookies = {None: None, **{name: dj.ask("login", username=name, password="pw")["cookie"] for name in ids}}
        dj.ask("grant", username="quitter", is_active=False)  # a session of a user deactivated since: anonymous
        dj.ask("user_data", username="plain", orders=["pending", "shipped", "paid", "paid"],  # request.user.orders
               placed=["shipped", "paid"])
        uid = ids["plain"]
        expected = {  # (path, user) -> status Django answers (pinned; Location and JSON compared below)
            (f"/api/accounts/profiles/{uid}/card/", None): 302, (f"/api/accounts/profiles/{uid}/card/", "plain"): 200,
            (f"/api/accounts/profiles/{uid}/card/", "quitter"): 302,
            ("/api/accounts/profiles/987654/card/", "plain"): 404,
            (f"/api/accounts/profiles/{uid}/review/", None): 403, (f"/api/accounts/profiles/{uid}/review/", "plain"): 403,
            (f"/api/accounts/profiles/{uid}/review/", "moderator"): 200,
            ("/api/accounts/staff/?page=2", None): 302, ("/api/accounts/staff/", "plain"): 302,
            ("/api/accounts/staff/", "staffer"): 200, ("/api/accounts/staff/", "quitter"): 302,
            # request.user in the view's body (translate/handlers_user.py): 401 JSON when anonymous
            ("/api/accounts/me/", None): 401, ("/api/accounts/me/", "plain"): 200, ("/api/accounts/me/", "staffer"): 200,
            ("/api/accounts/me/", "quitter"): 401,
            # my_orders: a helper answering 401 or None, then one query per path of user_orders' if/elif
            ("/api/orders/mine/", None): 401, ("/api/orders/mine/", "plain"): 200, ("/api/orders/mine/", "staffer"): 200,
            ("/api/orders/mine/?status=open", "plain"): 200, ("/api/orders/mine/?status=draft", "plain"): 200,
            ("/api/orders/mine/?status=paid", "plain"): 200, ("/api/orders/mine/?status=", "plain"): 200,
            ("/api/orders/mine/?status=nope", "plain"): 200, ("/api/orders/mine/", "quitter"): 401,
        }
        for (path, user), status in expected.items():
            want = dj.ask("get", path=path, cookie=cookies[user])
            assert want["status"] == status, (path, user, want)
            got = _go_get(base, path, cookies[user])
            if status == 404:  # Django's HTML 404 page: the status is what a client relies on
                want["json"] = got["json"] = want["text"] = got["text"] = want["type"] = got["type"] = None
            assert got == want, (path, user)
        assert dj.ask("get", path="/api/accounts/me/", cookie=cookies["plain"])["json"]["open_orders"] == 3
        mine = {s: len(dj.ask("get", path=f"/api/orders/mine/?status={s}", cookie=cookies["plain"])["json"]["results"])
                for s in ("", "open", "draft", "paid", "nope")}
        assert mine == {"": 4, "open": 3, "draft": 1, "paid": 2, "nope": 0}, mine  # each path's rows differ
        # get_or_create(user=request.user) creating the profile: Go's row is Django's but for its new id
        created = {}
        for side in ("go", "django"):
            dj.ask("user_data", username="staffer", delete_profile=True)
            created[side] = (_go_get(base, "/api/accounts/me/", cookies["staffer"]) if side == "go"
                             else dj.ask("get", path="/api/accounts/me/", cookie=cookies["staffer"]))
        assert created["go"]["status"] == created["django"]["status"] == 200
        new_ids = {side: c["json"].pop("id") for side, c in created.items()}
        assert created["go"] == created["django"] and new_ids["go"] != new_ids["django"], (created, new_ids)
        _csrf_answers_as_django(dj, base, uid, cookies["plain"])
        _fallback_session_is_cycled(dj, base)
        # a password changed in Django since the login: the session's auth hash no longer matches, both stacks
        # answer as for an anonymous user (me: 401 JSON; the login-guarded card: the redirect to LOGIN_URL)
        before = _go_get(base, "/api/accounts/me/", cookies["plain"])
        dj.ask("set_password", username="plain", password="changed-pw")
        for path in ("/api/accounts/me/", f"/api/accounts/profiles/{uid}/card/"):
            want = dj.ask("get", path=path, cookie=cookies["plain"])
            assert want["status"] in (401, 302) and _go_get(base, path, cookies["plain"]) == want, path
        assert before["status"] == 200  # the same cookie was accepted before the change
    finally:
        stop_server(server)
        dj.close()


OLD_SECRET = "a rotated, old key"  # in SECRET_KEY_FALLBACKS as the parity check passes it (a JSON array: a comma)
ROTATED_ENV = {"SECRET_KEY_FALLBACKS": '["' + OLD_SECRET + '"]'}


def _fallback_session_is_cycled(dj, base: str) -> None:
    """A session from before a SECRET_KEY rotation, read by a view's body (me: request.user after the route's
    guard has written nothing, the late cookie on Fiber): accepted, and cycled as Django's get_user does: the
    answer sets a new session cookie that Django reads without any fallback, and the old session is gone."""
    old = dj.ask("login", username="staffer", password="pw", settings={"SECRET_KEY": OLD_SECRET})["cookie"]
    req = urllib.request.Request(base + "/api/accounts/me/", headers={"Cookie": f"sessionid={old}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        set_cookie = [c for c in resp.headers.get_all("Set-Cookie") or [] if c.startswith("sessionid=")]
    assert resp.status == 200 and len(set_cookie) == 1, set_cookie
    new = set_cookie[0].split(";")[0].split("=", 1)[1]
    assert new not in ("", old) and dj.ask("get", path="/api/accounts/me/", cookie=new)["status"] == 200
    assert dj.ask("get", path="/api/accounts/me/", cookie=old, settings={"SECRET_KEY": OLD_SECRET})["status"] == 401


SECRET32 = "abcdefghijklmnopqrstuvwxyzABCDEF"  # a CSRF secret (the cookie) and its unmasked token


def _csrf_answers_as_django(dj, base: str, uid: int, session: str) -> None:
    """CsrfViewMiddleware on the generated routes: an unsafe request to a view that is not csrf_exempt gets
    Django's 403 page (per reason) before the view's decorators and its method check; with the token it
    reaches them (the login redirect, require_GET's 405); a csrf_exempt view is not checked."""
    me, card = "/api/accounts/me/", f"/api/accounts/profiles/{uid}/card/"
    token = {"csrftoken": SECRET32}
    cases = [  # (method, path, session?, cookies, headers, status Django answers: pinned)
        ("POST", me, False, {}, {}, 403),  # no CSRF cookie
        ("POST", me, True, token, {}, 403),  # no token
        ("POST", me, True, token, {"X-CSRFToken": "z" * 32}, 403),  # a wrong token
        ("DELETE", card, False, token, {"X-CSRFToken": SECRET32[:-1] + "!"}, 403),  # a malformed one
        ("POST", me, True, token, {"X-CSRFToken": SECRET32, "Origin": "http://evil.example"}, 403),
        ("POST", card, False, token, {"X-CSRFToken": SECRET32}, 302),  # passed: @login_required redirects
        ("PUT", me, True, token, {"X-CSRFToken": SECRET32}, 405),  # passed: require_GET
        ("POST", "/api/catalog/products/987654/restock/", False, {}, {}, 400),  # csrf_exempt: the view answers
        # a path the <int:> converter refuses: Django's resolver answers 404 before CsrfViewMiddleware.process_view
        ("POST", "/api/accounts/profiles/abc/card/", False, {}, {}, 404),
        ("DELETE", "/api/accounts/profiles/-1/review/", True, token, {}, 404),
    ]
    for method, path, signed_in, jar, headers, status in cases:
        cookies = dict(jar, **({"sessionid": session} if signed_in else {}))
        want = dj.ask("send", method=method, path=path, cookies=cookies, headers=headers)
        assert want["status"] == status, (method, path, headers, want)
        got = _go_get(base, path, None, method=method, cookies=cookies, headers=headers)
        if status in (404, 405):  # Django's bodies there are its own (an HTML page, nothing)
            for side in (want, got):
                side.update(json=None, text=None, type=None)
        assert got == want, (method, path, headers)
