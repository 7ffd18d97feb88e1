"""djauth (the generated Go auth package) against Django itself, on the same database, both directions.

Django's side is tests/auth/oracle.py (Django's own auth, sessions, hashers, CSRF middleware, DRF), the
Go side tests/auth/probe.go over the djauth the migrator generates for the sample. Each check asks both
and compares; the expected answers are also pinned, so two sides that agree on a wrong answer fail.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import SAMPLE, django_side, go

sys.path.insert(0, str(Path(__file__).parent / "auth"))
from harness import build_probe, oracle, probe  # noqa: E402

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
    """Django and Go with no database (hashers and CSRF need none)."""
    db = str(tmp_path_factory.mktemp("nodb") / "none.sqlite3")
    django_side(SAMPLE, "shopapi.settings", db, "migrate")
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
        for side in (checker, maker):
            # Django's default list prefers pbkdf2_sha256: any other hasher's hash must be upgraded
            assert side.ask("check", password="s3cret ünï", encoded=encoded) == {
                "ok": True, "update": hasher != "pbkdf2_sha256"}, (maker, encoded)
            assert side.ask("check", password="s3cret uni", encoded=encoded)["ok"] is False


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
