"""django-oauth-toolkit's JwksInfoView and its RFC 8414 / RFC 9728 metadata views as the generated service
answers them (templates/oauth: the settings read from the environment, OIDCOnlyMixin's check, the key set as
jwcrypto builds it, the documents' fields read at generation by load/cbv_known_docs.py and completed from the
request), compared with the installed toolkit's views run by Django: status, the headers that matter (CORS,
Cache-Control, Allow) and the JSON exactly, key order included (docs/http.md, oauth2_provider)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "bench" / "corpus"

# the toolkit's view, as the corpus shell serves it, under the settings given (argv[1]: {"DEBUG", "OAUTH2_PROVIDER"})
DJANGO = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "shell.settings"
import django
django.setup()
from django.conf import settings
from django.test import Client
from oauth2_provider.settings import oauth2_settings
case = json.loads(sys.argv[1])
settings.DEBUG = case["DEBUG"]
settings.OAUTH2_PROVIDER = case["OAUTH2_PROVIDER"]
oauth2_settings.reload()
out = {}
for method in ("GET", "OPTIONS"):
    r = Client(raise_request_exception=False).generic(method, "/o/.well-known/jwks.json")
    json_body = r.get("Content-Type") == "application/json"
    out[method] = {"status": r.status_code, "body": r.content.decode() if json_body else None,
                   "header": {k: r[k] for k in ("Cache-Control", "Access-Control-Allow-Origin", "Allow") if r.has_header(k)}}
# the metadata documents: Django's answer per path, and the fields the generator reads under these settings
from migrator.load.cbv import dispatch_decorators
from migrator.load.cbv_known import known_view
from oauth2_provider.views import ConnectDiscoveryInfoView, OAuthProtectedResourceMetadataView, OAuthServerMetadataView
docs = []
for cls, marker, tail in ((OAuthServerMetadataView, "oauth-authorization-server", "/tenant%C3%A9/x/"),
                          (OAuthProtectedResourceMetadataView, "oauth-protected-resource", "/tenant%C3%A9/x/"),
                          (ConnectDiscoveryInfoView, "openid-configuration", "/")):
    known = known_view(cls, dispatch_decorators(cls)[0])
    for path in (f"/o/.well-known/{marker}", f"/o/.well-known/{marker}{tail}"):
        r = Client(raise_request_exception=False).get(path)
        docs.append({"path": path, "known": known, "status": r.status_code,
                     "body": r.content.decode() if r.status_code == 200 else None,
                     "cors": r.get("Access-Control-Allow-Origin")})
out["docs"] = docs
print(json.dumps(out))
"""

# djoauth's settings reader and OIDCOnly + JwksInfo / Options, as the generated handler calls them, with the
# environment the case gives and the toolkit's defaults as the generation's
GO_MAIN = """package main

import (
	"encoding/json"
	"fmt"
	"os"

	"jwkscheck/djoauth"
)

func main() {
	var env map[string]string
	if err := json.Unmarshal([]byte(os.Args[1]), &env); err != nil {
		panic(err)
	}
	for k, v := range env {
		os.Setenv(k, v)
	}
	d := djoauth.Defaults{MaxAge: 3600}
	out := map[string]any{}
	for method, view := range map[string]func(djoauth.Settings) (djoauth.Answer, error){
		"GET": djoauth.JwksInfo, "OPTIONS": djoauth.Options("GET, HEAD, OPTIONS")} {
		a, err := djoauth.OIDCOnly(d, view)
		if err != nil {
			a.Status = 500
		}
		header := map[string]string{}
		for _, kv := range a.Header {
			header[kv[0]] = kv[1]
		}
		var body any
		if a.Body != nil {
			body = string(a.Body)
		}
		out[method] = map[string]any{"status": a.Status, "body": body, "header": header}
	}
	var docs []struct {
		Path  string
		Known struct {
			View     string
			Defaults djoauth.Defaults
			Fields   [][3]any
		}
	}
	if err := json.Unmarshal([]byte(os.Args[2]), &docs); err != nil {
		panic(err)
	}
	answers := []any{}
	for _, doc := range docs { // the fields as translate/handlers_cbv_known.py writes them: a const as its JSON
		var fields []djoauth.Field
		for _, f := range doc.Known.Fields {
			value, _ := f[2].(string)
			if f[1] == "const" || f[1] == "keyed" {
				b, _ := json.Marshal(f[2])
				value = string(b)
			}
			fields = append(fields, djoauth.Field{Key: f[0].(string), Kind: f[1].(string), Value: value})
		}
		a, err := djoauth.Document(doc.Known.Defaults, "http://testserver"+doc.Path, fields)
		if doc.Known.View == "oidc-document" {
			a, err = djoauth.OIDCOnly(doc.Known.Defaults, djoauth.DocumentOf("http://testserver"+doc.Path, fields))
		}
		if err != nil {
			a.Status = 500
		}
		answers = append(answers, map[string]any{"status": a.Status, "body": string(a.Body), "header": a.Header})
	}
	out["docs"] = answers
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
}
"""


def _pem(bits: int, fmt: str) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(serialization.Encoding.PEM, getattr(serialization.PrivateFormat, fmt),
                             serialization.NoEncryption()).decode()


def _env(case: dict) -> dict:
    """The environment the generated service reads the case's settings from (templates/oauth/settings.go)."""
    env = {"DEBUG": str(case["DEBUG"])}
    for key, value in case["OAUTH2_PROVIDER"].items():
        env[f"OAUTH2_PROVIDER_{key}"] = json.dumps(value) if isinstance(value, list) else str(value)
    return env


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("go") is None, reason="needs Go")
def test_jwks_and_metadata_views_answer_as_djangos(tmp_path):
    (tmp_path / "djoauth").mkdir()
    for path in (REPO / "templates" / "oauth").glob("*.go"):
        shutil.copy(path, tmp_path / "djoauth" / path.name)
    (tmp_path / "go.mod").write_text("module jwkscheck\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text(GO_MAIN)
    build = subprocess.run(["go", "build", "-o", "jwks", "."], cwd=tmp_path, capture_output=True, text=True,
                           timeout=600)
    assert build.returncode == 0, build.stderr
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(CORPUS / "oauth2_provider"), str(CORPUS), str(REPO)])}
    on = {"OIDC_ENABLED": True, "OIDC_RSA_PRIVATE_KEY": _pem(2048, "PKCS8"),
          "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [_pem(3072, "TraditionalOpenSSL")], "OIDC_JWKS_MAX_AGE_SECONDS": 120}
    cases = [  # an active PKCS#8 key and an inactive PKCS#1 one of another size; no key: an empty list;
        # OIDC off: a 404 without content, or with DEBUG the ImproperlyConfigured 500
        ({"DEBUG": False, "OAUTH2_PROVIDER": on}, (200, 200), 2),
        ({"DEBUG": False, "OAUTH2_PROVIDER": {"OIDC_ENABLED": True, "OIDC_RSA_PRIVATE_KEY": ""}}, (200, 200), 0),
        ({"DEBUG": False, "OAUTH2_PROVIDER": {"OIDC_ENABLED": False}}, (404, 404), None),
        ({"DEBUG": True, "OAUTH2_PROVIDER": {}}, (500, 500), None),
        # the metadata documents' other settings: the issuer (its host before each endpoint), RFC 9700's filters,
        # DCR's registration endpoint, scopes, the resource's identifier, servers and descriptions
        ({"DEBUG": False, "OAUTH2_PROVIDER": {
            "OIDC_ISS_ENDPOINT": "https://id.example.org:8443/base", "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
            "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True, "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
            "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True, "DCR_ENABLED": True, "CIMD_ENABLED": True,
            "SCOPES": {"write": "w", "openid": "o", "read": "r"}, "OAUTH2_PROTECTED_RESOURCE_NAME": "API",
            "OAUTH2_PROTECTED_RESOURCE_TOS_URI": "https://example.org/tos"}}, (404, 404), None),
        ({"DEBUG": False, "OAUTH2_PROVIDER": {
            "OAUTH2_PROTECTED_RESOURCE_IDENTIFIER": "https://api.example.org/r",
            "OAUTH2_PROTECTED_RESOURCE_AUTHORIZATION_SERVERS": ["https://a.example.org", "https://b.example.org"],
            "OAUTH2_PROTECTED_RESOURCE_BEARER_METHODS_SUPPORTED": ["header", "body"]}}, (404, 404), None),
    ]
    for case, statuses, keys in cases:
        dj = subprocess.run([sys.executable, "-c", DJANGO, json.dumps(case)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
        assert dj.returncode == 0, dj.stderr
        django = json.loads(dj.stdout.strip().splitlines()[-1])
        go = subprocess.run([str(tmp_path / "jwks"), json.dumps(_env(case)), json.dumps(django["docs"])],
                            capture_output=True, text=True, timeout=60)
        assert go.returncode == 0, go.stderr
        answer = json.loads(go.stdout)
        assert (django["GET"]["status"], django["OPTIONS"]["status"]) == statuses
        for method in ("GET", "OPTIONS"):
            d, g = django[method], answer[method]
            assert g["status"] == d["status"], (method, case)
            if d["status"] < 500:  # Django's debug page is HTML: the status is what a client relies on
                assert g["header"] == d["header"], (method, case)
                exact = [json.loads(b, object_pairs_hook=list) if b else None for b in (d["body"], g["body"])]
                assert exact[0] == exact[1], (method, case)  # keys, their order, values
        if keys is not None:
            assert len(json.loads(django["GET"]["body"])["keys"]) == keys
        for d, g in zip(django["docs"], answer["docs"], strict=True):  # both routes of each metadata view
            assert d["known"] is not None and g["status"] == d["status"], (d["path"], case)
            if "openid" not in d["path"] or statuses == (200, 200):  # OIDC discovery: 404 / 500 with OIDC off
                assert d["status"] == 200 and g["header"] == [["Access-Control-Allow-Origin", d["cors"]]]
                exact = [json.loads(b, object_pairs_hook=list) for b in (d["body"], g["body"])]
                assert exact[0] == exact[1], (d["path"], case)
