"""djauth on a custom user model with a UUID primary key, and DRF's TokenAuthentication / BasicAuthentication,
against Django and DRF on the same database (tests/projects/authtoken; harness in tests/auth/)."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import pytest

from conftest import REPO, django_side, go
from mariadb import mariadb_server  # noqa: F401  (fixture: the session's private MariaDB, for stacks' mysql)

sys.path.insert(0, str(Path(__file__).parent / "auth"))
from harness import build_probe, database, oracle, probe  # noqa: E402

PROJECT = REPO / "tests" / "projects" / "authtoken"
SETTINGS = "authproj.settings"
GO_ENV = {"SECRET_KEY": "authtoken-insecure-test-key-9c1e", "ALLOWED_HOSTS": "testserver"}


@pytest.fixture(scope="module")
def project_ir():
    from migrator.analyze import analyze

    return analyze(PROJECT).project


@pytest.mark.slow
def test_plan_auth_custom_user_with_uuid_and_token(project_ir):
    from migrator.translate.auth import plan_auth

    plan = plan_auth(project_ir)
    assert (plan.label, plan.table, plan.pk_kind) == ("people.Person", "people_person", "uuid")
    assert plan.token == {"table": "authtoken_token", "key_column": "key", "user_column": "user_id"}
    assert plan.perms["user_perms_table"] == "people_person_user_permissions"
    assert plan.perms["user_perms_user"] == "person_id"


@pytest.fixture(scope="module")
def drf_probe(project_ir, tmp_path_factory):
    return build_probe(project_ir, tmp_path_factory.mktemp("djauth_drf"), go)


@pytest.fixture(scope="module", params=["sqlite", "postgresql", "mysql"])
def stacks(request, tmp_path_factory, drf_probe):
    db = database(request, tmp_path_factory, request.param, "drf")
    django_side(PROJECT, SETTINGS, db, "migrate")
    dj = oracle(PROJECT, SETTINGS, db, fast=True)
    ids = {name: dj.ask("create_user", username=name, password=f"{name}-pw", **args)["id"]
           for name, args in (("ann", {}), ("ben", {"is_active": False}), ("cat", {"perms": ["people.view_person"]}))}
    gx = probe(drf_probe, db, request.param, fast=True, **GO_ENV)
    yield dj, gx, ids
    dj.close(), gx.close()


def _basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


@pytest.mark.slow
def test_tokens_and_basic_auth_same_user_or_same_401(stacks):
    dj, gx, ids = stacks
    ann, ben = dj.ask("token_for", username="ann")["key"], dj.ask("token_for", username="ben")["key"]
    cases = [
        ("token", f"Token {ann}", ids["ann"], ""),
        ("token", f"token {ann}", ids["ann"], ""),
        ("token", f"Token {ben}", None, "User inactive or deleted."),
        ("token", "Token 0000000000000000000000000000000000000000", None, "Invalid token."),
        ("token", "Token", None, "Invalid token header. No credentials provided."),
        ("token", f"Token {ann} x", None, "Invalid token header. Token string should not contain spaces."),
        ("token", f"Bearer {ann}", None, ""),  # not this scheme: anonymous, no error
        ("basic", _basic("ann:ann-pw"), ids["ann"], ""),
        ("basic", _basic("ann:wrong"), None, "Invalid username/password."),
        ("basic", _basic("ben:ben-pw"), None, "Invalid username/password."),  # ModelBackend: inactive = none
        ("basic", _basic("nobody:x"), None, "Invalid username/password."),
        ("basic", "Basic !!!", None, "Invalid basic header. Credentials not correctly base64 encoded."),
        ("basic", "Basic", None, "Invalid basic header. No credentials provided."),
    ]
    for scheme, header, user, detail in cases:
        expected = {"id": user, "detail": detail}
        assert dj.ask("drf_auth", authorization=header, scheme=scheme) == expected, header
        assert gx.ask("drf_auth", authorization=header, scheme=scheme) == expected, header


@pytest.mark.slow
def test_a_database_error_is_no_401(drf_probe, tmp_path):
    """TokenAuthentication over a database without authtoken_token: Django raises (a 500); the Go side returns
    the error too (it answered DRF's 401 "Invalid token." to any failed query, which hid MariaDB's refusal of the
    reserved word `key`)."""
    db = str(tmp_path / "empty.sqlite3")
    dj, gx = oracle(PROJECT, SETTINGS, db, fast=True), probe(drf_probe, db, "sqlite", fast=True, **GO_ENV)
    try:
        for side in (dj, gx):
            with pytest.raises(AssertionError, match="no such table: authtoken_token"):
                side.ask("drf_auth", authorization="Token " + "0" * 40, scheme="token")
    finally:
        dj.close(), gx.close()


@pytest.mark.slow
def test_uuid_user_sessions_and_perms_both_ways(stacks):
    dj, gx, ids = stacks
    cookie = dj.ask("login", username="cat", password="cat-pw")["cookie"]
    assert gx.ask("session_user", cookie=cookie) == {"id": ids["cat"]}
    go_cookie = gx.ask("login", username="cat", password="cat-pw")["cookie"]
    assert dj.ask("session_user", cookie=go_cookie) == {"id": ids["cat"]}
    for side in (dj, gx):
        assert side.ask("perm", username="cat", perms=["people.view_person"]) == {"has": True}
        assert side.ask("perm", username="ann", perms=["people.view_person"]) == {"has": False}
