"""What Django's SessionMiddleware writes on the answer, against djauth's Middleware (issue 14, session 14): the
session cookie set, deleted or left alone, and `Vary: Cookie`, for each state of a session a request can bring
(none, valid, unknown, expired, a key too short, a password changed since, a hash under a SECRET_KEY_FALLBACKS
key) and an answer below 500 or a 500, with request.user read or not. Django's side is tests/auth/oracle.py
`session_response`, Go's tests/auth/probe.go's; both answers are compared, and pinned (a case Django changes
shows here first), so two sides agreeing on a wrong answer fail too."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import SAMPLE, django_side, go
from mariadb import mariadb_server  # noqa: F401  (fixture: the session's private MariaDB)

sys.path.insert(0, str(Path(__file__).parent / "auth"))
from harness import DELETED, build_probe, cookie_shape, database, oracle, probe  # noqa: E402

SECRET = "django-insecure-shopapi-dev-key-3f9a1c7e5b2d4086a1e9c7b5d3f10246"  # the sample's SECRET_KEY
OLD = {"SECRET_KEY": "an old key, rotated"}
FALLBACKS = {"SECRET_KEY_FALLBACKS": [OLD["SECRET_KEY"]]}
GO_ENV = {"SECRET_KEY": SECRET, "SECRET_KEY_FALLBACKS": '["' + OLD["SECRET_KEY"] + '"]'}


def set_value(header: str) -> str:
    return header.split(";")[0].split("=", 1)[1]


@pytest.fixture(scope="module")
def probe_binary(tmp_path_factory, sample_analysis):
    return build_probe(sample_analysis.project, tmp_path_factory.mktemp("djauth-sessions"), go)


@pytest.fixture(scope="module", params=["sqlite", "postgresql", "mysql"])
def sides(request, tmp_path_factory, probe_binary):
    db = database(request, tmp_path_factory, request.param, "sessions")
    django_side(SAMPLE, "shopapi.settings", db, "migrate")
    dj = oracle(SAMPLE, "shopapi.settings", db, fast=True)
    for name in ("mia", "ned"):
        dj.ask("create_user", username=name, password="pw")
    gx = probe(probe_binary, db, request.param, fast=True, **GO_ENV)
    yield dj, gx, db
    dj.close(), gx.close()


NEW = "sessionid=<key>; expires=<date>; httponly=; max-age=1209600; path=/; samesite=Lax"
CASES = {  # name -> (status, read, what Django answers: (signed in?, Set-Cookie shape, Vary); pinned)
    "none": (200, True, (False, None, "Cookie")),
    "none, not read": (200, False, (False, None, None)),
    "valid": (200, True, (True, None, "Cookie")),
    "valid, not read": (200, False, (False, None, None)),
    "valid, 500": (500, True, (True, None, "Cookie")),
    "unknown": (200, True, (False, DELETED, "Cookie")),
    "unknown, not read": (200, False, (False, None, None)),
    "expired": (200, True, (False, DELETED, "Cookie")),
    "short": (200, False, (False, DELETED, "Cookie")),  # _validate_session_key refuses it: deleted unread
    "password changed": (200, True, (False, DELETED, "Cookie")),  # the auth hash: flushed
    "password changed, 500": (500, True, (False, DELETED, "Cookie")),
    "fallback": (200, True, (True, NEW, "Cookie")),  # cycled: a new key, its cookie set
    "fallback, 500": (500, True, (True, None, "Cookie")),  # cycled, but no cookie on a 5xx (old row deleted)
    # a login in the view (Go: Login under the Middleware) over a stale cookie: the new key's cookie, not a deletion
    "unknown, login": (200, True, (True, NEW, "Cookie")), "short, login": (200, True, (True, NEW, "Cookie")),
    "unknown, login, 500": (500, True, (True, None, "Cookie")),
}


def _cookie(dj, case: str, engine: dict) -> str | None:
    """A fresh cookie in the state the case names (each side gets its own: flushes and cycles consume it)."""
    kind = case.split(",")[0]
    if kind == "none":
        return None
    if kind in ("unknown", "short"):
        return {"unknown": "q" * 32, "short": "abc"}[kind]
    user = "ned" if kind == "password changed" else "mia"
    cookie = dj.ask("login", username=user, password="pw", settings={**engine, **(OLD if kind == "fallback" else {})})[
        "cookie"]
    if kind == "expired":
        dj.ask("expire_session", cookie=cookie)
    if kind == "password changed":
        dj.ask("set_password", username="ned", password="pw2")
        dj.ask("set_password", username="ned", password="pw")  # the session's hash is the first password's
    return cookie


SIGNED = {"SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"}
SIGNED_CASES = {  # the signed-cookie engine: the data is the cookie
    "valid": CASES["valid"], "short": CASES["short"], "password changed": CASES["password changed"],
    "fallback": CASES["fallback"], "fallback, 500": CASES["fallback, 500"],
    "unknown": (200, True, (False, NEW, "Cookie")),  # a bad signature: Django's create(), a cookie holding {}
    "unknown, 500": (500, True, (False, None, "Cookie")),
}


@pytest.mark.slow
def test_session_middleware_answers_as_djangos(sides):
    dj, gx, _ = sides
    _compare(dj, gx, CASES, {})


@pytest.mark.slow
def test_signed_cookie_sessions_answer_as_djangos(sides, probe_binary, request):
    if request.node.callspec.params["sides"] != "sqlite":
        pytest.skip("the signed-cookie engine reads no table: compared once, on SQLite")
    dj, _, db = sides
    gx = probe(probe_binary, db, "sqlite", fast=True, **GO_ENV, **SIGNED)
    try:
        _compare(dj, gx, SIGNED_CASES, SIGNED)
    finally:
        gx.close()


def _compare(dj, gx, cases: dict, engine: dict) -> None:
    wrong = []  # every case that differs (from the pinned answer or between the sides), not only the first
    for case, (status, read, (signed_in, set_cookie, vary)) in cases.items():
        answers = {}
        for name, side in (("django", dj), ("go", gx)):
            cookie = _cookie(dj, case, engine)
            extra = {"settings": {**FALLBACKS, **engine}} if side is dj else {}
            login = {"login": "mia"} if "login" in case else {}
            got = side.ask("session_response", cookie=cookie, status=status, read=read, **login, **extra)
            answers[name] = {**got, "set_cookie": cookie_shape(got["set_cookie"])}
            want = {"id": got["id"] if signed_in else None, "status": status, "set_cookie": set_cookie, "vary": vary}
            if answers[name] != want or (got["id"] is not None) != signed_in:
                wrong.append((case, name, got))
            if cookie and case.startswith(("fallback", "password changed")) and not engine:
                # the old session is gone on both sides (cycled or flushed), whatever the status
                assert dj.ask("session_user", cookie=cookie, settings=FALLBACKS) == {"id": None}, (case, name)
            if set_cookie == NEW and got["set_cookie"]:  # read by the other side as is (no fallback)
                other = gx if side is dj else dj
                read_back = other.ask("session_user", cookie=set_value(got["set_cookie"]),
                                      **({"settings": engine} if other is dj else {}))
                if read_back["id"] != got["id"]:
                    wrong.append((case, f"{name}'s new cookie read by the other", read_back))
        if answers["go"] != answers["django"]:
            wrong.append((case, "go != django", answers))
    assert not wrong, "\n".join(f"{case} ({name}): {got}" for case, name, got in wrong)
