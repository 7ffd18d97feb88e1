"""django-oauth-toolkit's JwksInfoView as the generated service answers it (templates/oauth: the settings read
from the environment, OIDCOnlyMixin's check, the key set as jwcrypto builds it), compared with the installed
toolkit's view run by Django: status, the headers that matter (CORS, Cache-Control, Allow) and the JSON exactly
(docs/http.md, oauth2_provider)."""

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
def test_jwks_view_answers_as_djangos(tmp_path):
    (tmp_path / "djoauth").mkdir()
    for path in (REPO / "templates" / "oauth").glob("*.go"):
        shutil.copy(path, tmp_path / "djoauth" / path.name)
    (tmp_path / "go.mod").write_text("module jwkscheck\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text(GO_MAIN)
    build = subprocess.run(["go", "build", "-o", "jwks", "."], cwd=tmp_path, capture_output=True, text=True,
                           timeout=600)
    assert build.returncode == 0, build.stderr
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(CORPUS / "oauth2_provider"), str(CORPUS)])}
    on = {"OIDC_ENABLED": True, "OIDC_RSA_PRIVATE_KEY": _pem(2048, "PKCS8"),
          "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [_pem(3072, "TraditionalOpenSSL")], "OIDC_JWKS_MAX_AGE_SECONDS": 120}
    cases = [  # an active PKCS#8 key and an inactive PKCS#1 one of another size; no key: an empty list;
        # OIDC off: a 404 without content, or with DEBUG the ImproperlyConfigured 500
        ({"DEBUG": False, "OAUTH2_PROVIDER": on}, (200, 200), 2),
        ({"DEBUG": False, "OAUTH2_PROVIDER": {"OIDC_ENABLED": True, "OIDC_RSA_PRIVATE_KEY": ""}}, (200, 200), 0),
        ({"DEBUG": False, "OAUTH2_PROVIDER": {"OIDC_ENABLED": False}}, (404, 404), None),
        ({"DEBUG": True, "OAUTH2_PROVIDER": {}}, (500, 500), None),
    ]
    for case, statuses, keys in cases:
        dj = subprocess.run([sys.executable, "-c", DJANGO, json.dumps(case)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
        assert dj.returncode == 0, dj.stderr
        django = json.loads(dj.stdout.strip().splitlines()[-1])
        go = subprocess.run([str(tmp_path / "jwks"), json.dumps(_env(case))], capture_output=True, text=True,
                            timeout=60)
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
