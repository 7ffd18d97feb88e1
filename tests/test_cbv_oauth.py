"""django-oauth-toolkit's JWKS document (JwksInfoView), built by templates/oauth/jwks.go as jwcrypto builds it:
the Go answer is compared with the installed toolkit's view, run by Django, byte for byte after JSON
normalisation, with its Cache-Control (docs/http.md, oauth2_provider)."""

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

# the toolkit's view, as the corpus shell serves it, with OIDC on and the keys given (argv[1]: JSON settings)
DJANGO = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "shell.settings"
import django
django.setup()
from django.conf import settings
from django.test import Client
from oauth2_provider.settings import oauth2_settings
settings.DEBUG = False
settings.OAUTH2_PROVIDER = json.loads(sys.argv[1])
oauth2_settings.reload()
r = Client().get("/o/.well-known/jwks.json")
print(json.dumps({"status": r.status_code, "body": json.loads(r.content), "cache_control": r["Cache-Control"],
                  "cors": r["Access-Control-Allow-Origin"]}))
"""

GO_MAIN = """package main

import (
	"encoding/json"
	"fmt"
	"os"

	"jwkscheck/djoauth"
)

func main() {
	var s struct {
		Key      string   `json:"OIDC_RSA_PRIVATE_KEY"`
		Inactive []string `json:"OIDC_RSA_PRIVATE_KEYS_INACTIVE"`
		MaxAge   int      `json:"OIDC_JWKS_MAX_AGE_SECONDS"`
	}
	if err := json.Unmarshal([]byte(os.Args[1]), &s); err != nil {
		panic(err)
	}
	body, err := djoauth.JWKS(s.Key, s.Inactive)
	if err != nil {
		panic(err)
	}
	out, _ := json.Marshal(map[string]any{"body": json.RawMessage(body), "cache_control": djoauth.JWKSCacheControl(s.MaxAge)})
	fmt.Println(string(out))
}
"""


def _pem(bits: int, fmt: str) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(serialization.Encoding.PEM, getattr(serialization.PrivateFormat, fmt),
                             serialization.NoEncryption()).decode()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("go") is None, reason="needs Go")
def test_jwks_document_is_djangos(tmp_path):
    (tmp_path / "djoauth").mkdir()
    shutil.copy(REPO / "templates" / "oauth" / "jwks.go", tmp_path / "djoauth" / "jwks.go")
    (tmp_path / "go.mod").write_text("module jwkscheck\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text(GO_MAIN)
    build = subprocess.run(["go", "build", "-o", "jwks", "."], cwd=tmp_path, capture_output=True, text=True,
                           timeout=600)
    assert build.returncode == 0, build.stderr
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(CORPUS / "oauth2_provider"), str(CORPUS)])}
    cases = [  # an active PKCS#8 key and an inactive PKCS#1 one of another size; no key: an empty list
        {"OIDC_ENABLED": True, "OIDC_RSA_PRIVATE_KEY": _pem(2048, "PKCS8"),
         "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [_pem(3072, "TraditionalOpenSSL")], "OIDC_JWKS_MAX_AGE_SECONDS": 120},
        {"OIDC_ENABLED": True, "OIDC_RSA_PRIVATE_KEY": "", "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [],
         "OIDC_JWKS_MAX_AGE_SECONDS": 3600},
    ]
    for case in cases:
        arg = json.dumps(case)
        dj = subprocess.run([sys.executable, "-c", DJANGO, arg], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=300)
        assert dj.returncode == 0, dj.stderr
        django = json.loads(dj.stdout.strip().splitlines()[-1])
        go = subprocess.run([str(tmp_path / "jwks"), arg], capture_output=True, text=True, timeout=60)
        assert go.returncode == 0, go.stderr
        answer = json.loads(go.stdout)
        assert (django["status"], django["cors"]) == (200, "*")
        assert json.dumps(answer["body"], sort_keys=True) == json.dumps(django["body"], sort_keys=True)
        assert answer["cache_control"] == django["cache_control"]
        assert len(django["body"]["keys"]) == (2 if case["OIDC_RSA_PRIVATE_KEY"] else 0)
