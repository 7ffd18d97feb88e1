"""djauth (the generated Go auth package) against Django itself, on the same database, both directions.

Django's side is tests/auth/oracle.py (Django's own auth, sessions, hashers, CSRF middleware, DRF), the
Go side tests/auth/probe.go over the djauth the migrator generates for the sample. Each check asks both
and compares; the expected answers are also pinned, so two sides that agree on a wrong answer fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE, django_side, go
from mariadb import mariadb_server  # noqa: F401  (fixture: the session's private MariaDB, for stacks' mysql)

sys.path.insert(0, str(Path(__file__).parent / "auth"))
from harness import FAST_ITERATIONS, build_probe, database, oracle, probe  # noqa: E402

SECRET = "django-insecure-shopapi-dev-key-3f9a1c7e5b2d4086a1e9c7b5d3f10246"  # the sample's SECRET_KEY
HOSTS = "localhost,127.0.0.1,[::1],testserver"  # the sample's ALLOWED_HOSTS
GO_ENV = {"SECRET_KEY": SECRET, "ALLOWED_HOSTS": HOSTS, "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https"}


# ---------------------------------------------------------------- fast tier: the view-model


def test_plan_auth_reads_the_user_model_and_its_tables(sample_analysis, library_analysis):
    from migrator.translate.auth import plan_auth, pbkdf2_iterations

    sample = plan_auth(sample_analysis.project)
    assert (sample.label, sample.table, sample.pk_kind, sample.username_column) == ("auth.User", "auth_user", "int",
                                                                                   "username")
    assert sample.perms == {"groups_table": "auth_user_groups", "groups_user": "user_id", "groups_target": "group_id",
                            "user_perms_table": "auth_user_user_permissions", "user_perms_user": "user_id",
                            "user_perms_target": "permission_id"}
    assert sample.token is None and sample.last_login_column == "last_login"
    library = plan_auth(library_analysis.project)  # AUTH_USER_MODEL = "members.Member"
    assert (library.label, library.table) == ("members.Member", "members_member")
    assert library.perms["groups_table"] == "members_member_groups" and library.perms["groups_user"] == "member_id"
    assert [pbkdf2_iterations(v) for v in ("4.2.11", "5.1", "5.2.19", "6.0", "9.1", "2.2")] == [
        600_000, 870_000, 1_000_000, 1_200_000, 1_200_000, 260_000]


def test_go_sum_keeps_go_order_and_drops_only_the_raised_version():
    from migrator.emit.auth import with_auth_modules

    base = ("golang.org/x/sys v0.0.0-2022/go.mod h1:a=\ngolang.org/x/sys v0.7.0 h1:b=\n"
            "golang.org/x/sys v0.7.0/go.mod h1:c=\ngolang.org/x/text v0.29.0 h1:d=\n")
    lines = with_auth_modules(base, {"golang.org/x/sys": "v0.7.0"}).splitlines()
    assert [l.split()[1] for l in lines if "x/sys" in l] == ["v0.0.0-2022/go.mod", "v0.36.0", "v0.36.0/go.mod"]
    assert lines[0].startswith("golang.org/x/crypto v0.42.0 ") and lines[-1].startswith("golang.org/x/text")


# ---------------------------------------------------------------- Django against the generated Go


@pytest.fixture(scope="module")
def probe_binary(tmp_path_factory, sample_analysis):
    return build_probe(sample_analysis.project, tmp_path_factory.mktemp("djauth"), go)


@pytest.fixture(scope="module")
def hashers(probe_binary, tmp_path_factory):
    """Django and Go with no database (hashers, CSRF and the login redirect read none)."""
    db = str(tmp_path_factory.mktemp("nodb") / "none.sqlite3")
    dj, gx = oracle(SAMPLE, "shopapi.settings", db), probe(probe_binary, db, "sqlite", **GO_ENV)
    yield dj, gx
    dj.close(), gx.close()


HASHERS = ["pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256", "scrypt"]


@pytest.mark.slow
@pytest.mark.parametrize("hasher", HASHERS)
def test_hashes_verify_both_ways(hashers, hasher):
    dj, gx = hashers
    for maker, checker in ((dj, gx), (gx, dj)):
        encoded = maker.ask("make", password="s3cret ünï", hasher=hasher)["encoded"]
        assert encoded.startswith(hasher + "$")
        # Django's default list prefers pbkdf2_sha256: any other hasher's hash must be upgraded
        assert checker.ask("check", password="s3cret ünï", encoded=encoded) == {
            "ok": True, "update": hasher != "pbkdf2_sha256"}, (maker, encoded)
        assert checker.ask("check", password="s3cret uni", encoded=encoded)["ok"] is False


@pytest.mark.slow
def test_refused_hashes_and_the_upgrade_rule_agree(hashers):
    dj, gx = hashers
    weak = dj.ask("make", password="pw", hasher="pbkdf2_sha256")["encoded"].replace("$1000000$", "$1000$", 1)
    for encoded, expected in (
        ("!" + "x" * 40, {"ok": False, "update": False}),  # set_unusable_password
        ("md5$salt$f0e6e2d3c1b2a3", {"ok": False, "update": False}),  # a hasher not in PASSWORD_HASHERS
        ("", {"ok": False, "update": False}),
        ("pbkdf2_sha256$1000$shortsalt$AAAA", {"ok": False, "update": True}),  # wrong hash, old iterations
        (weak, {"ok": False, "update": True}),  # the salt was made for 1000000 iterations: a wrong hash
    ):
        assert dj.ask("check", password="pw", encoded=encoded) == expected, encoded
        assert gx.ask("check", password="pw", encoded=encoded) == expected, encoded


CSRF_SECRET = "A" * 16 + "b" * 8 + "0123456z"


def _csrf_cases(dj):
    masked = dj.ask("csrf_token", secret=CSRF_SECRET)["token"]
    other = dj.ask("csrf_token", secret="Z" * 32)["token"]
    base = {"method": "POST", "cookie": CSRF_SECRET, "token": masked}
    return [  # (request, the status both must answer)
        ({"method": "GET"}, 200),
        (base, 200),
        ({**base, "form": True}, 200),
        ({**base, "token": CSRF_SECRET}, 200),  # the unmasked secret (JavaScript reading the cookie)
        ({**base, "method": "DELETE"}, 200),
        ({**base, "cookie": masked}, 200),  # a masked cookie (Django < 4.1 set those)
        ({**base, "cookie": None}, 403),
        ({**base, "token": None}, 403),
        ({**base, "token": other}, 403),
        ({**base, "token": other, "form": True}, 403),
        ({**base, "token": masked[:-1]}, 403),
        ({**base, "token": masked[:-1] + "!"}, 403),
        ({**base, "cookie": "short"}, 403),
        ({**base, "origin": "http://testserver"}, 200),
        ({**base, "origin": "http://evil.example"}, 403),
        ({**base, "origin": "https://testserver"}, 403),
        ({**base, "secure": True}, 403),  # HTTPS without a Referer
        ({**base, "secure": True, "referer": "https://testserver/x"}, 200),
        ({**base, "secure": True, "referer": "http://testserver/x"}, 403),
        ({**base, "secure": True, "referer": "https://evil.example/"}, 403),
        ({**base, "secure": True, "referer": "nonsense"}, 403),
        ({**base, "secure": True, "origin": "https://testserver"}, 200),
        ({**base, "host": "evil.example", "origin": "http://evil.example"}, 403),  # not in ALLOWED_HOSTS
    ]


@pytest.mark.slow
def test_csrf_same_verdict_and_reason_as_django(hashers):
    dj, gx = hashers
    for req, status in _csrf_cases(dj):
        expected = dj.ask("csrf_check", **req)
        assert expected["status"] == status, (req, expected)
        assert gx.ask("csrf_check", **req) == expected, req
    # a token Go masks passes Django's middleware
    token = gx.ask("csrf_token", secret=CSRF_SECRET)["token"]
    assert len(token) == 64 and token != dj.ask("csrf_token", secret=CSRF_SECRET)["token"]
    assert dj.ask("csrf_check", method="POST", cookie=CSRF_SECRET, token=token) == {"status": 200, "reason": ""}


@pytest.mark.slow
def test_login_redirect_is_djangos(hashers):
    dj, gx = hashers
    for path in ("/orders/", "/orders/?page=2&q=a+b%20c", "/catalog/caf%C3%A9/"):
        expected = dj.ask("login_redirect", path=path)
        assert expected["status"] == 302 and expected["location"].startswith("/accounts/login/?next=")
        assert gx.ask("login_redirect", path=path) == expected, path


# ---------------------------------------------------------------- sessions, users, permissions (per dialect)

USERS = {  # username -> create_user arguments
    "alice": {}, "bob": {"is_active": False}, "root": {"is_superuser": True},
    "eve": {"is_superuser": True, "is_active": False}, "carol": {"groups": ["editors"]},
    "dave": {"perms": ["orders.view_order"]}, "frank": {"groups": ["editors"], "perms": ["orders.view_order"]},
}
PERMS = [["catalog.change_product"], ["orders.view_order"], ["catalog.change_product", "orders.view_order"],
         ["catalog.delete_product"], ["nope.nothing"], []]
EXPECTED_PERMS = {  # pinned: what Django answers (the superuser and inactive rules)
    "alice": [False, False, False, False, False, True], "bob": [False, False, False, False, False, True],
    "root": [True] * 6, "eve": [False, False, False, False, False, True],
    "carol": [True, False, False, False, False, True], "dave": [False, True, False, False, False, True],
    "frank": [True, True, True, False, False, True],
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql", "mysql"])
def stacks(request, tmp_path_factory, probe_binary):
    """A migrated database with users, groups and permissions; Django and Go on it: (dialect, django, go, db).
    Shared by the module's tests: each changes the password of its own user only (alice, dave). On MariaDB
    too (issue 14: auth parity on each dialect): sessions, expiry, refusals, has_perm and the mixins."""
    db = database(request, tmp_path_factory, request.param, "auth")
    django_side(SAMPLE, "shopapi.settings", db, "migrate")
    dj = oracle(SAMPLE, "shopapi.settings", db, fast=True)
    dj.ask("create_group", name="editors", perms=["catalog.change_product"])
    for name, args in USERS.items():
        dj.ask("create_user", username=name, password=f"{name}-pw", **args)
    gx = probe(probe_binary, db, request.param, fast=True, **GO_ENV)
    yield request.param, dj, gx, db
    dj.close(), gx.close()


@pytest.mark.slow
def test_sessions_both_ways(stacks):
    dialect, dj, gx, _ = stacks
    alice = dj.ask("session_user", cookie=dj.ask("login", username="alice", password="alice-pw")["cookie"])["id"]
    assert alice is not None
    # Django logs in -> Go accepts; Go logs in -> Django accepts
    cookie = dj.ask("login", username="alice", password="alice-pw")["cookie"]
    assert gx.ask("session_user", cookie=cookie) == {"id": alice}
    go_cookie = gx.ask("login", username="alice", password="alice-pw")["cookie"]
    assert len(go_cookie) == 32 and dj.ask("session_user", cookie=go_cookie) == {"id": alice}
    assert gx.ask("session_user", cookie=go_cookie) == {"id": alice}
    # refusals: wrong password, inactive user, unknown user, tampered or unknown session key
    for username, password in (("alice", "wrong"), ("bob", "bob-pw"), ("nobody", "x")):
        assert dj.ask("login", username=username, password=password) == {"cookie": None}
        assert gx.ask("login", username=username, password=password) == {"cookie": None}
    tampered = cookie[:-1] + ("a" if cookie[-1] != "a" else "b")
    for side in (gx, dj):
        assert side.ask("session_user", cookie=tampered) == {"id": None}
    # an expired session is refused by both
    expired = dj.ask("login", username="alice", password="alice-pw")["cookie"]
    assert dj.ask("expire_session", cookie=expired) == {"rows": 1}
    assert gx.ask("session_user", cookie=expired) == {"id": None} == dj.ask("session_user", cookie=expired)
    # a password change in Django ends the sessions in Go (the auth hash), and Go's change ends Django's
    dj.ask("set_password", username="alice", password="new-pw")
    assert gx.ask("session_user", cookie=go_cookie) == {"id": None}
    assert dj.ask("session_user", cookie=cookie) == {"id": None}
    cookie = dj.ask("login", username="alice", password="new-pw")["cookie"]
    gx.ask("set_password", username="alice", password="newer-pw")
    assert dj.ask("session_user", cookie=cookie) == {"id": None}
    assert dj.ask("login", username="alice", password="newer-pw")["cookie"] is not None


@pytest.mark.slow
def test_without_secret_key_sessions_fail_closed(stacks, probe_binary):
    dialect, dj, _, db = stacks
    cookie = dj.ask("login", username="carol", password="carol-pw")["cookie"]
    keyless = probe(probe_binary, db, dialect, fast=True, **{**GO_ENV, "SECRET_KEY": ""})
    try:
        assert keyless.ask("session_user", cookie=cookie) == {"id": None}
        with pytest.raises(AssertionError, match="SECRET_KEY is not set"):
            keyless.ask("login", username="carol", password="carol-pw")
        assert keyless.ask("perm", username="carol", perms=["catalog.change_product"]) == {"has": True}
    finally:
        keyless.close()
    assert dj.ask("session_user", cookie=cookie)["id"] is not None  # nothing was flushed


@pytest.mark.slow
def test_secret_key_rotation_and_signed_cookies(stacks, probe_binary):
    from migrator.parity.auth_env import go_env_list

    dialect, dj, gx, db = stacks
    old = {"SECRET_KEY": " the-old, secret-key-0123456789"}  # a key is any text: a comma, an edge space
    fallbacks = {"SECRET_KEY_FALLBACKS": ["an-unused-key", old["SECRET_KEY"]]}
    cookie = dj.ask("login", username="carol", password="carol-pw", settings=old)["cookie"]
    carol = dj.ask("session_user", cookie=cookie, settings=old)["id"]
    # the fallbacks as the parity check passes them (django_side.go_auth_env): a JSON array, the key verbatim
    env = {"SECRET_KEY_FALLBACKS": go_env_list(fallbacks["SECRET_KEY_FALLBACKS"])}
    assert env["SECRET_KEY_FALLBACKS"].startswith("[")
    rotated = probe(probe_binary, db, dialect, fast=True, **GO_ENV, **env)
    split = probe(probe_binary, db, dialect, fast=True, **GO_ENV, SECRET_KEY_FALLBACKS=old["SECRET_KEY"])
    try:
        assert split.ask("session_user", cookie=cookie) == {"id": None}  # the key cut at its comma never verifies
        # without the fallback the session data's signature fails: both refuse (and neither deletes the row)
        assert gx.ask("session_user", cookie=cookie) == {"id": None} == dj.ask("session_user", cookie=cookie)
        assert dj.ask("session_user", cookie=cookie, settings=old) == {"id": carol}
        # with it both accept, and, the auth hash being a fallback key's, cycle the session as Django's get_user
        # does: a new key whose hash is SECRET_KEY's (read without any fallback), the old session deleted
        for accept, other in ((rotated, dj), (dj, gx)):
            cookie = dj.ask("login", username="carol", password="carol-pw", settings=old)["cookie"]
            got = accept.ask("session_user", cookie=cookie, respond=True, **({"settings": fallbacks} if accept is dj else {}))
            assert got["id"] == carol and got["set_cookie"] not in (None, "", cookie), got
            assert other.ask("session_user", cookie=got["set_cookie"]) == {"id": carol}
            assert dj.ask("session_user", cookie=cookie, settings=old) == {"id": None}
            # a session under SECRET_KEY is not cycled, by either
            assert accept.ask("session_user", cookie=got["set_cookie"], respond=True,
                              **({"settings": fallbacks} if accept is dj else {})) == {"id": carol, "set_cookie": None}
    finally:
        rotated.close(), split.close()

    signed = {"SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"}
    go_signed = probe(probe_binary, db, dialect, fast=True, **GO_ENV, SESSION_ENGINE=signed["SESSION_ENGINE"])
    try:
        cookie = dj.ask("login", username="carol", password="carol-pw", settings=signed)["cookie"]
        assert go_signed.ask("session_user", cookie=cookie) == {"id": carol}
        go_cookie = go_signed.ask("login", username="carol", password="carol-pw")["cookie"]
        assert dj.ask("session_user", cookie=go_cookie, settings=signed) == {"id": carol}
        value, sig = go_cookie.rsplit(":", 1)
        for tampered in (value + ":" + sig[::-1], value.replace(".", ".A", 1) + ":" + sig):
            assert go_signed.ask("session_user", cookie=tampered) == {"id": None}
            assert dj.ask("session_user", cookie=tampered, settings=signed) == {"id": None}
        # a signed cookie from before the rotation: refused by both without the fallback, accepted with it
        old_cookie = dj.ask("login", username="carol", password="carol-pw", settings={**signed, **old})["cookie"]
        assert go_signed.ask("session_user", cookie=old_cookie) == {"id": None}
        assert dj.ask("session_user", cookie=old_cookie, settings=signed) == {"id": None}
        go_rotated = probe(probe_binary, db, dialect, fast=True, **GO_ENV, **env, SESSION_ENGINE=signed["SESSION_ENGINE"])
        try:  # accepted and cycled: the new cookie, signed with SECRET_KEY and holding its hash, read by the other
            got = go_rotated.ask("session_user", cookie=old_cookie, respond=True)
            assert got["id"] == carol and got["set_cookie"] not in (None, old_cookie)
            assert dj.ask("session_user", cookie=got["set_cookie"], settings=signed) == {"id": carol}
        finally:
            go_rotated.close()
        got = dj.ask("session_user", cookie=old_cookie, respond=True, settings={**signed, **fallbacks})
        assert got["id"] == carol and got["set_cookie"] not in (None, old_cookie)
        assert go_signed.ask("session_user", cookie=got["set_cookie"]) == {"id": carol}
    finally:
        go_signed.close()


@pytest.mark.slow
def test_session_cookie_lifetime_compressed_data_and_refused_engines(stacks, probe_binary):
    """SESSION_EXPIRE_AT_BROWSER_CLOSE as Django's login sets the cookie; a zlib-compressed db session read by Go;
    the cache, cached_db and file engines refused at start-up (Go cannot read Django's cache)."""
    dialect, dj, gx, db = stacks
    lifetime = [{k: side.ask("login", username="carol", password="carol-pw")[k] for k in ("max_age", "expires")}
                for side in (dj, gx)]
    assert lifetime == [{"max_age": 1209600, "expires": True}] * 2  # SESSION_COOKIE_AGE, two weeks
    closing = probe(probe_binary, db, dialect, fast=True, **GO_ENV, SESSION_EXPIRE_AT_BROWSER_CLOSE="True")
    try:
        got = closing.ask("login", username="carol", password="carol-pw")
    finally:
        closing.close()
    want = dj.ask("login", username="carol", password="carol-pw", settings={"SESSION_EXPIRE_AT_BROWSER_CLOSE": True})
    assert {k: got[k] for k in ("max_age", "expires")} == {"max_age": None, "expires": False}
    assert {k: want[k] for k in ("max_age", "expires")} == {"max_age": None, "expires": False}
    assert dj.ask("session_user", cookie=got["cookie"]) == gx.ask("session_user", cookie=got["cookie"]) != {"id": None}

    cookie = dj.ask("login", username="carol", password="carol-pw")["cookie"]
    carol = dj.ask("session_user", cookie=cookie)
    assert dj.ask("pad_session", cookie=cookie, size=4000) == {"prefix": "."}  # signing.dumps chose zlib
    assert gx.ask("session_user", cookie=cookie) == carol != {"id": None}

    for engine in ("cache", "cached_db", "file"):
        env = {**os.environ, **GO_ENV, "DATABASE_URL": "unused", "DIALECT": dialect,
               "SESSION_ENGINE": f"django.contrib.sessions.backends.{engine}"}
        run = subprocess.run([str(probe_binary)], env=env, input="", capture_output=True, text=True, timeout=60)
        assert run.returncode == 2 and "needs a bridge" in run.stderr and not run.stdout, (engine, run)


@pytest.mark.slow
def test_has_perm_agrees_on_users_groups_and_superusers(stacks):
    _, dj, gx, _ = stacks
    for username in USERS:
        got = [(dj.ask("perm", username=username, perms=p)["has"], gx.ask("perm", username=username, perms=p)["has"])
               for p in PERMS]
        assert [d for d, _ in got] == EXPECTED_PERMS[username], username
        assert [g for _, g in got] == EXPECTED_PERMS[username], username


@pytest.mark.slow
def test_access_mixins_answer_as_djangos(stacks):
    """LoginRequiredMixin and PermissionRequiredMixin (class-based views): unlike @permission_required, the mixin
    answers 403 to a signed-in user without the permission and redirects an anonymous one."""
    _, dj, gx, _ = stacks
    carol = dj.ask("login", username="carol", password="carol-pw")["cookie"]  # an editor: catalog.change_product
    dave = dj.ask("login", username="dave", password="dave-pw")["cookie"]  # orders.view_order only
    cases = [  # (cookie, mixin, perms, raise_exception) -> status Django answers (pinned)
        ((None, "login", [], False), 302), ((None, "login", [], True), 403), ((dave, "login", [], False), 200),
        ((None, "permission", ["catalog.change_product"], False), 302),
        ((dave, "permission", ["catalog.change_product"], False), 403),
        ((carol, "permission", ["catalog.change_product"], False), 200),
        ((carol, "permission", ["catalog.change_product", "orders.view_order"], False), 403),
        ((None, "permission", ["catalog.change_product"], True), 403),
    ]
    for (cookie, mixin, perms, raise_exc), status in cases:
        args = {"cookie": cookie, "mixin": mixin, "perms": perms, "raise_exception": raise_exc, "path": "/orders/?p=1"}
        want = dj.ask("mixin", **args)
        assert want["status"] == status, args
        assert gx.ask("mixin", **args) == want, args


@pytest.mark.slow
def test_a_go_login_upgrades_an_old_hash_as_django_does(stacks):
    _, dj, gx, _ = stacks
    weak = dj.ask("weak_password", username="dave", password="dave-pw", iterations=100)["password"]
    assert weak.startswith("pbkdf2_sha256$100$")
    assert gx.ask("login", username="dave", password="dave-pw")["cookie"] is not None
    upgraded = dj.ask("password_of", username="dave")["password"]
    assert upgraded.startswith(f"pbkdf2_sha256${FAST_ITERATIONS}$") and upgraded != weak
    assert dj.ask("check", password="dave-pw", encoded=upgraded) == {"ok": True, "update": False}


@pytest.mark.slow
def test_request_user_is_loaded_once_per_request(stacks):
    """Issue 14: the user is loaded once per request (Django's SimpleLazyObject). @login_required reads it, the
    view deletes the session row, then reads request.user as a migrated body (CurrentUser), a handler (UserOf)
    and request.session do: all still see the user the guard loaded; a second load would see AnonymousUser."""
    _, dj, gx, _ = stacks
    cookie = dj.ask("login", username="carol", password="carol-pw")["cookie"]
    carol = dj.ask("session_user", cookie=cookie)["id"]
    assert carol is not None
    got = gx.ask("user_once", cookie=cookie)
    assert got == {"reads": [str(carol)] * 4, "after": None}  # the next request: the deleted session is refused
    assert dj.ask("session_user", cookie=cookie) == {"id": None}
