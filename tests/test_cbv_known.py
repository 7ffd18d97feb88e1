"""An installed package's view answered by Go written as the package computes its answer (translate/
handlers_cbv_known.py): django-oauth-toolkit's JwksInfoView and its metadata views. Fast tier: the handler
groups from plain data;
the loader's recognition on tests/projects/cbv_oauth (a subclass with its own get() is not the toolkit's)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from migrator.emit.http import oauth_files
from migrator.translate import handlers_cbv_known as known
from migrator.translate.handlers_plan import _known_view

DEFAULTS = {"Debug": False, "OIDCEnabled": True, "MaxAge": 60, "Keyed": True, "Issuer": ""}
GO_DEFAULTS = 'djoauth.Defaults{Debug: false, OIDCEnabled: true, MaxAge: 60, Keyed: true, Issuer: ""}'


def _raw(view="jwks", fields=None, **extra):
    known = {"view": view, "defaults": DEFAULTS, **({"fields": fields} if fields is not None else {})}
    return {"cbv": {"known": known if view else None,
                    "allow": ["GET", "HEAD", "OPTIONS"]}, "python": "def get(self):\n    # c\n    return 1\n", **extra}


def _handler(routes=1, exact=True, allowed=("GET", "HEAD", "OPTIONS")):
    route = SimpleNamespace(exact=exact, allowed=allowed)
    return SimpleNamespace(view="oauth2_provider.views.oidc.JwksInfoView", source="oidc.py:111",
                           routes=(route,) * routes)


def test_jwks_groups_call_djoauth_with_the_generations_defaults():
    groups = known.groups(_raw(), ("GET", "HEAD", "OPTIONS"))
    defaults = GO_DEFAULTS
    assert [g["methods"] for g in groups] == [["OPTIONS"], ["GET", "HEAD"]]
    assert groups[0]["stmts"][0] == f'a, err := djoauth.OIDCOnly({defaults}, djoauth.Options("GET, HEAD, OPTIONS"))'
    assert groups[1]["stmts"][0] == f"a, err := djoauth.OIDCOnly({defaults}, djoauth.JwksInfo)"
    assert groups[1]["stmts"][-1] == "return a.Status, Headed{Header: a.Header, Body: body}, nil"


def test_document_groups_bind_the_fields_in_the_views_order():
    fields = [["issuer", "issuer", "/.well-known/oauth-authorization-server"],
              ["scopes_supported", "const", ["read", "wr\"ite"]], ["flag", "const", False],
              ["token_endpoint", "url", "/o/token/"], ["authorization_servers", "issuers", ""],
              ["algs", "keyed", [["RS256"], ["HS256"]]]]
    groups = known.groups(_raw("document", fields), ("GET", "HEAD", "OPTIONS"))
    assert [g["methods"] for g in groups] == [["OPTIONS"], ["GET", "HEAD"]]
    assert groups[0]["stmts"][0] == 'a, err := djoauth.Options("GET, HEAD, OPTIONS")(djoauth.Settings{})'
    assert groups[1]["stmts"][:8] == [
        "fields := []djoauth.Field{",
        '\t{Key: "issuer", Kind: "issuer", Value: "/.well-known/oauth-authorization-server"},',
        '\t{Key: "scopes_supported", Kind: "const", Value: "[\\"read\\", \\"wr\\\\\\"ite\\"]"},',  # the JSON, as a Go string
        '\t{Key: "flag", Kind: "const", Value: "false"},',
        '\t{Key: "token_endpoint", Kind: "url", Value: "/o/token/"},',
        '\t{Key: "authorization_servers", Kind: "issuers", Value: ""},',  # the route is not registered
        '\t{Key: "algs", Kind: "keyed", Value: "[[\\"RS256\\"], [\\"HS256\\"]]"},',
        "}"]
    assert groups[1]["stmts"][8] == f"a, err := djoauth.Document({GO_DEFAULTS}, req.URL, fields)"


def test_oidc_discovery_runs_under_oidc_only():
    groups = known.groups(_raw("oidc-document", [["claims_supported", "const", ["sub"]]]), ("GET", "HEAD", "OPTIONS"))
    assert groups[0]["stmts"][0] == f'a, err := djoauth.OIDCOnly({GO_DEFAULTS}, djoauth.Options("GET, HEAD, OPTIONS"))'
    assert groups[1]["stmts"][:3] == [
        "fields := []djoauth.Field{", '\t{Key: "claims_supported", Kind: "const", Value: "[\\"sub\\"]"},', "}"]
    assert groups[1]["stmts"][3] == f"a, err := djoauth.OIDCOnly({GO_DEFAULTS}, djoauth.DocumentOf(req.URL, fields))"


@pytest.mark.parametrize("handler", [_handler(routes=2), _handler(exact=False)])
def test_a_document_view_serves_each_of_its_routes(handler):  # several, or a regex: the router's regex decides
    mv = _known_view(handler, _raw("document", []))
    assert (mv.migrated_methods, mv.path_params) == (["GET", "HEAD", "OPTIONS"], [])


@pytest.mark.parametrize("raw", [None, {}, {"cbv": {}}, _raw(view=None), _raw(view="discovery")])
def test_other_views_are_not_known(raw):
    assert known.groups(raw, ("GET",)) is None


def test_migrated_view_of_jwks():
    mv = _known_view(_handler(), _raw())
    assert (mv.migrated_methods, mv.stubbed, mv.queries, mv.path_params, mv.python_lines) == (
        ["GET", "HEAD", "OPTIONS"], {}, [], [], 2)


@pytest.mark.parametrize("handler, raw", [
    (_handler(), _raw(decorators=["app/decorators.py:guard.wrapper"])),  # a route decorator: its behaviour
    (_handler(), None),
])
def test_known_view_needs_no_route_decorator(handler, raw):
    assert _known_view(handler, raw) is None


def test_oauth_files_are_the_djoauth_package():
    files = oauth_files()
    assert sorted(files) == ["djoauth/document.go", "djoauth/jwks.go", "djoauth/settings.go"]
    assert all(text.startswith("// Code generated by migrator. DO NOT EDIT.\n") and "\npackage djoauth\n" in text
               for text in files.values())


@pytest.mark.slow
def test_the_toolkits_views_are_known_and_a_subclass_with_its_own_method_is_not(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-m", "migrator", "analyze", "tests/projects/cbv_oauth", "--http"],
                         cwd=repo, capture_output=True, text=True, timeout=600,
                         env={**__import__("os").environ, "PYTHONPATH": str(repo)})
    assert out.returncode == 0, out.stderr
    rows = {line.split()[0]: line for line in out.stdout.splitlines() if line.startswith(("keys.", "oauth2_provider."))}
    assert rows["oauth2_provider.views.oidc.JwksInfoView"].split()[2] == "migrated"
    assert rows["keys.views.OwnKeysView"].split()[2] == "stub"
    assert "OIDCOnlyMixin.dispatch" in rows["keys.views.OwnKeysView"]
    # the metadata views, each on several routes; a subclass with a method of its own is read as any class
    for view in ("OAuthServerMetadataView", "OAuthProtectedResourceMetadataView"):
        assert rows[f"oauth2_provider.views.metadata.{view}"].split()[2] == "migrated"
    assert rows["keys.views.NamedResourceView"].split()[2] == "stub"
    assert "oauth2_settings.oauth2_resource_identifier" in rows["keys.views.NamedResourceView"]
