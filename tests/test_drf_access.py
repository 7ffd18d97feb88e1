"""DRF's authentication and permission classes in the generated Go (translate/drf_access, djauth.DRFAuthenticate)
against DRF itself.

The fast tier: which classes keep a view a stub, and the drfjson.Auth literal the Go runs. The slow test: Django's
runserver and the generated Go servers (net/http and Fiber) on copies of one SQLite database (users, a group-less
permission, DRF tokens, sessions Django wrote), the same requests as anonymous, session (with and without the CSRF
token), Basic and Token users; every answer compared exactly, and the note table after each request.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from migrator.ir_drf import DRFView
from migrator.translate.drf_access import access_reasons, go_access, signed_readers

P, A = "rest_framework.permissions.", "rest_framework.authentication."
DEFAULT_AUTH = (A + "SessionAuthentication", A + "BasicAuthentication")


def V(**kw) -> DRFView:
    return DRFView("s.V", "ModelViewSet", model="shop.Note", **{"authentication_classes": DEFAULT_AUTH, **kw})


def test_access_reasons():
    assert access_reasons(V(permission_classes=(P + "IsAdminUser", P + "DjangoModelPermissions"))) == []
    assert access_reasons(V(permission_classes=(P + "IsAdminUser",)), wired=False) == [
        "permission_classes IsAdminUser (no djauth: django.contrib.auth is not installed)"]
    assert access_reasons(V(permission_classes=("shop.perms.IsOwner", P + "IsAuthenticated"))) == [
        "permission_classes IsOwner"]
    assert access_reasons(V(permission_classes=("",))) == ["permission_classes (a permission expression)"]
    token_first = V(authentication_classes=(A + "TokenAuthentication", A + "SessionAuthentication"))
    assert access_reasons(token_first) == []
    assert access_reasons(V(authentication_classes=token_first.authentication_classes,
                            permission_classes=(P + "IsAuthenticated",))) == []  # DRF's 401, WWW-Authenticate: Token
    assert access_reasons(V(authentication_classes=("x.JWTAuthentication",), throttle_classes=("x.AnonRateThrottle",))) \
        == ["authentication_classes JWTAuthentication", "throttle_classes AnonRateThrottle"]


def test_signed_readers_are_the_users_every_permission_class_lets_read():
    """parity's http check asks a DRF view's reads signed in as the first of these it has (a read refused
    anonymously compares only DRF's 403 otherwise); [] where an anonymous read passes or a class is unknown."""
    assert signed_readers(V(permission_classes=(P + "IsAdminUser",))) == ["staff", "superuser"]
    assert signed_readers(V(permission_classes=(P + "IsAuthenticated",))) == ["user", "staff", "superuser"]
    assert signed_readers(V(permission_classes=(P + "IsAuthenticated", P + "IsAdminUser"))) == ["staff", "superuser"]
    assert signed_readers(V(permission_classes=(P + "DjangoModelPermissions",))) == ["user", "staff", "superuser"]
    assert signed_readers(V(permission_classes=(P + "AllowAny", P + "IsAdminUser"))) == ["staff", "superuser"]
    for anonymous in ((), (P + "AllowAny",), (P + "IsAuthenticatedOrReadOnly",),
                      (P + "DjangoModelPermissionsOrAnonReadOnly",), ("shop.perms.IsOwner", P + "IsAdminUser")):
        assert signed_readers(V(permission_classes=anonymous)) == [], anonymous


def test_go_access_literal():
    assert go_access(V(), "sid", True) == 'drfjson.Auth{Wired: true, Classes: []string{"session", "basic"}}'
    assert go_access(V(authentication_classes=()), "sid", True) == "drfjson.Auth{Wired: true}"
    assert go_access(V(), "sid", True, session_user=False) == \
        'drfjson.Auth{Wired: true, Classes: []string{"none", "basic"}}'  # no AuthenticationMiddleware
    assert go_access(V(authentication_classes=(A + "TokenAuthentication",)), "sid", True) == \
        'drfjson.Auth{Wired: true, Classes: []string{"token"}, Challenge: "Token"}'
    assert go_access(V(authentication_classes=(A + "BasicAuthentication", A + "TokenAuthentication")), "sid", True) == \
        'drfjson.Auth{Wired: true, Classes: []string{"basic", "token"}, Challenge: "Basic realm=\\"api\\""}'
    assert go_access(V(permission_classes=(P + "DjangoModelPermissionsOrAnonReadOnly",)), "sid", True) == (
        'drfjson.Auth{Wired: true, Classes: []string{"session", "basic"}, Permissions: []string{'
        '"DjangoModelPermissionsOrAnonReadOnly"}, ModelPerms: map[string][]string{"DELETE": {"shop.delete_note"}, '
        '"GET": {}, "HEAD": {}, "OPTIONS": {}, "PATCH": {"shop.change_note"}, "POST": {"shop.add_note"}, '
        '"PUT": {"shop.change_note"}}}')
    # the API root ignores model permissions (APIRootView._ignore_model_permissions)
    assert go_access(V(permission_classes=(P + "DjangoModelPermissions",)), "sid", True, root=True) == \
        'drfjson.Auth{Wired: true, Classes: []string{"session", "basic"}, Permissions: []string{"IsAuthenticated"}}'
    assert go_access(V(), "sid", False) == 'drfjson.Auth{Schemes: []string{"basic"}, SessionCookie: "sid"}'


SEED = r"""
import json, django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import Permission, User
from django.test import Client
from rest_framework.authtoken.models import Token
import datetime, uuid
from shop.models import Note, Product
Product.objects.create(name="p", price="1.50", sku=uuid.UUID(int=1), added=datetime.datetime(2024, 1, 2, 3, 4, 5,
                       tzinfo=datetime.timezone.utc))
Note.objects.create(title="first", body="b", priority=2, stars=3)
Note.objects.create(title="second", stars=5, done=True)
users = {"alice": {}, "staff": {"is_staff": True}, "editor": {}, "gone": {"is_active": False}}
out = {}
for name, kw in users.items():
    u = User.objects.create_user(name, password="pw-" + name, **kw)
    out[name] = {"token": Token.objects.create(user=u).key}
    c = Client()
    c.force_login(u)
    out[name]["session"] = c.cookies["sessionid"].value
editor = User.objects.get(username="editor")
editor.user_permissions.add(*Permission.objects.filter(codename__in=["add_note", "change_note"]))
print(json.dumps(out))
"""

CSRF = "a" * 32  # an unmasked secret: the cookie and the header (Django accepts both forms)
N = {"title": "new", "stars": 2}


def _requests(creds: dict) -> list[tuple]:
    """(method, path, body, headers) in order; the writes change the note table."""
    def session(user, csrf=True):
        h = {"Cookie": f"sessionid={creds[user]['session']}" + (f"; csrftoken={CSRF}" if csrf else "")}
        return {**h, "X-CSRFToken": CSRF} if csrf else h

    def basic(user, password=None):
        raw = f"{user}:{password or 'pw-' + user}".encode()
        return {"Authorization": "Basic " + base64.b64encode(raw).decode()}

    def token(user):
        return {"Authorization": "Token " + creds[user]["token"]}

    anon = {}
    return [
        ("GET", "/api/staff/", None, anon), ("GET", "/api/staff/1/", None, anon), ("GET", "/api/staff/", None,
                                                                                   session("alice")),
        ("GET", "/api/staff/", None, session("staff")), ("GET", "/api/staff/1.json", None, session("staff")),
        ("GET", "/api/staff/2/", None, basic("staff")),  # DRF's 404 after the permissions
        ("GET", "/api/staff/", None, session("gone")),  # an inactive user's session: anonymous
        ("GET", "/api/members/", None, anon), ("GET", "/api/members/1/", None, session("alice")),
        ("GET", "/api/plain/", None, {"Authorization": "Basic"}),  # AllowAny: a bad header is still DRF's 403
        ("GET", "/api/plain/", None, basic("alice", "wrong")),
        ("GET", "/api/plain/", None, {"Authorization": "Token abc"}),  # not a class of the view: ignored
        ("GET", "/api/plain/?format=json", None, session("gone")),
        ("GET", "/api/guarded/", None, anon), ("GET", "/api/guarded/1/", None, session("alice")),
        ("GET", "/api/guarded/", None, token("alice")),  # TokenAuthentication is not the view's: anonymous
        ("POST", "/api/guarded/", N, anon),
        ("POST", "/api/guarded/", N, session("editor", csrf=False)),  # SessionAuthentication's CSRF check
        ("POST", "/api/guarded/", N, {**session("editor", csrf=False), "X-CSRFToken": CSRF}),  # no cookie
        ("POST", "/api/guarded/", N, session("alice")),  # signed in, without shop.add_note
        ("POST", "/api/guarded/", N, session("editor")),  # 201
        ("PATCH", "/api/guarded/1/", {"stars": 4}, session("editor")),
        ("DELETE", "/api/guarded/1/", None, session("editor")),  # no shop.delete_note
        ("POST", "/api/guarded/", {"title": "b", "stars": 1}, basic("editor")),  # Basic needs no CSRF token
        ("POST", "/api/guarded/", {"title": ""}, basic("alice")),  # permissions before validation
        ("GET", "/api/tokennotes/", None, anon), ("POST", "/api/tokennotes/", N, anon),
        ("POST", "/api/tokennotes/", N, {"Authorization": "Token nope"}),  # Session first: 403, not 401
        ("POST", "/api/tokennotes/", N, {"Authorization": "Token a b"}),
        ("POST", "/api/tokennotes/", {"title": "by token", "stars": 3}, token("alice")),
        ("POST", "/api/tokennotes/", N, token("gone")),
        ("DELETE", "/api/tokennotes/2/", None, token("staff")),
        ("POST", "/api/notes/", N, session("alice", csrf=False)),  # AllowAny: the CSRF check still runs
        ("POST", "/api/notes/", {"title": "csrf ok", "stars": 1}, session("alice")),
        # Token or Basic first: DRF's 401 with the first class's WWW-Authenticate
        ("GET", "/api/token/", None, anon), ("GET", "/api/token/", None, {"Authorization": "Token nope"}),
        ("GET", "/api/token/1/", None, token("alice")), ("GET", "/api/token/", None, basic("alice")),
        ("GET", "/api/basicfirst/", None, anon), ("GET", "/api/basicfirst/", None, {"Authorization": "Token nope"}),
        ("GET", "/api/basicfirst/", None, basic("alice", "wrong")), ("GET", "/api/basicfirst/1.json", None, basic("alice")),
        ("GET", "/api/basicfirst/", None, token("gone")),
    ]


CHALLENGES: list = []  # the WWW-Authenticate header of each answer _send got, in order


def _send(base: str, method: str, path: str, body, headers: dict) -> tuple:
    raw = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, method=method, data=raw, headers={"Host": "localhost", **headers})
    if raw is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            CHALLENGES.append(resp.headers.get("WWW-Authenticate"))
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        CHALLENGES.append(exc.headers.get("WWW-Authenticate"))
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def _rows(db) -> list:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT id, title, body, priority, stars, done FROM shop_note ORDER BY id").fetchall()


def _server(tmp_path, framework: str):
    from conftest import REPO, go

    out = tmp_path / framework
    proc = subprocess.run([sys.executable, "-m", "migrator", "generate", "tests/projects/drf_api", "--out", str(out),
                           "--settings", "api.settings_auth", "--framework", framework], cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert ("http: migrated rest_framework.routers.APIRootView, shop.views.BasicFirstProducts, shop.views.GuardedNotes, "
            "shop.views.MemberProducts, "
            "shop.views.NoteViewSet, shop.views.PlainProducts, shop.views.StaffProducts, shop.views.TokenNotes, "
            "shop.views.TokenProducts\n") in proc.stdout
    go("build", "-o", str(tmp_path / f"server-{framework}"), "./http", cwd=out)
    return tmp_path / f"server-{framework}"


@pytest.mark.slow
def test_drf_access_equals_drf(tmp_path):
    from migrator.parity.http import compare_answers
    from test_drf_writes import start_on_copies

    servers = {fw: _server(tmp_path, fw) for fw in ("nethttp", "fiber", "gin")}
    base, procs, out = start_on_copies(tmp_path, servers, "api.settings_auth", SEED,
                                       {"SECRET_KEY": "drf-api-test", "ALLOWED_HOSTS": "localhost"})
    creds = json.loads(out.strip().splitlines()[-1])
    try:
        failures, statuses = [], []
        for method, path, body, headers in _requests(creds):
            d = _send(base["django"], method, path, body, headers)
            statuses.append(d[0])
            for fw in servers:
                g = _send(base[fw], method, path, body, headers)
                if CHALLENGES[-1] != CHALLENGES[-2 - list(servers).index(fw)]:
                    failures.append(f"{fw}: {method} {path} {headers}: WWW-Authenticate {CHALLENGES[-1]!r}, "
                                    f"DRF's {CHALLENGES[-2 - list(servers).index(fw)]!r}")
                if compare_answers(method, path, d, g, strict=True):
                    failures.append(f"{fw}: {method} {path} {headers}: django {d[0]} {d[2][:200]!r} != go {g[0]} "
                                    f"{g[2][:200]!r}")
                if _rows(tmp_path / "dj.db") != _rows(tmp_path / f"{fw}.db"):
                    failures.append(f"{fw}: {method} {path} {headers}: the note table differs afterwards")
        assert failures == []
        # what DRF answered, request by request (a 401 only where Token or Basic is the first class)
        assert statuses == [403, 403, 403, 200, 200, 404, 403, 200, 200, 403, 403, 200, 200, 403, 200, 403, 403, 403,
                            403, 403, 201, 200, 403, 201, 403, 200, 403, 403, 403, 201, 403, 204, 403, 201,
                            401, 401, 200, 401, 401, 401, 401, 200, 401], statuses
        assert set(CHALLENGES) == {None, "Token", 'Basic realm="api"'}
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=10)
