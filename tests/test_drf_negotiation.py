"""drfjson.Negotiate against DRF's own DefaultContentNegotiation over its default renderers.

Each case is a format suffix, a query string and an Accept header (None: no header). DRF's
select_renderer runs on a request built with them (in a subprocess, minimal settings); the Go side
classifies the same request. DRF's JSON (not indented) must be Go's JSON, its 404 / 406 Go's 404 / 406,
and the browsable API or indented JSON Go's 501 (not migrated). The cases marked ``CAREFUL`` are those
Go answers 501 without reproducing DRF's reading (quoted values, ``indent=0``): never a different answer.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, go

CASES = [
    ("", "", None), ("json", "", None), ("api", "", None), ("xml", "", None), ("", "?format=json", None),
    ("", "?format=api", None), ("", "?format=xml", None), ("", "?format=", None),
    ("", "?format=xml&format=json", None), ("json", "?format=xml", None), ("", "", "text/html"),
    ("", "", "application/json"), ("", "", "text/html, application/json"), ("", "", "text/html, */*"),
    ("", "", "text/html;q=0.9, application/json;q=0.1"), ("", "", "application/json; indent=4"),
    ("", "", "*/*; indent=2"), ("", "", "application/json; indent=4, application/json"),
    ("", "", "application/json; charset=utf-8"), ("", "", "application/json; charset=utf-8, text/html"),
    ("", "", "application/xml"), ("", "", ""), ("", "", ","), ("", "", "application/*"), ("", "", "text/*"),
    ("", "", "APPLICATION/JSON"), ("json", "", "text/html"), ("api", "", "application/json"),
    ("", "", "image/png, text/*"), ("", "", "application"), ("", "", "*"), ("", "", "*/*"),
    ("", "", "text/html, application/*;q=0.1"), ("", "", " application/json ;  Q=1 "),
    ("", "", "a" * 300 + ", application/json"), ("", "", ", ".join(["x/y"] * 70) + ", application/json"),
    ("", "", "x/y," * 2100 + "application/json"), ("", "?format=json", "text/html"),
    ("", "", "application/json;indent"), ("", "", "text/html;level=1, application/json"),
]
CAREFUL = [("", "", 'application/json; indent="4"'), ("", "", 'application/json; x="a,b"'),
           ("", "", "application/json;indent=0"), ("", "", "application/json; indent*=x")]

DRF_SCRIPT = r"""
import json, sys
from django.conf import settings
settings.configure(ALLOWED_HOSTS=["*"], INSTALLED_APPS=["rest_framework"], ROOT_URLCONF=[])
import django; django.setup()
from django.http import Http404
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

def run(suffix, query, accept):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get("/api/p/" + query, **headers))
    try:
        renderer, media = DefaultContentNegotiation().select_renderer(
            request, [JSONRenderer(), BrowsableAPIRenderer()], suffix or None)
    except Http404:
        return "404"
    except exceptions.NotAcceptable:
        return "406"
    if isinstance(renderer, BrowsableAPIRenderer):
        return "html"
    return "indented" if renderer.get_indent(media, {}) is not None else "json"

print(json.dumps([run(*c) for c in json.loads(sys.argv[1])]))
"""

GO_MAIN = r"""package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"

	"drfcheck/drfjson"
)

func main() {
	var cases [][3]*string
	if err := json.Unmarshal([]byte(os.Args[1]), &cases); err != nil {
		panic(err)
	}
	names := map[drfjson.Renderer]string{drfjson.RenderJSON: "json", drfjson.RenderNotMigrated: "501",
		drfjson.RenderNotFound: "404", drfjson.RenderNotAcceptable: "406"}
	var out []string
	for _, c := range cases {
		q, _ := url.ParseQuery(*c[1])
		var accept []string
		if c[2] != nil {
			accept = []string{*c[2]}
		}
		out = append(out, names[drfjson.Negotiate(*c[0], q["format"], accept)])
	}
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
}
"""

# what the generated Go answers for each of DRF's choices
GO_ANSWER = {"json": "json", "404": "404", "406": "406", "html": "501", "indented": "501"}


@pytest.mark.slow
def test_negotiation_equals_drf(tmp_path):
    cases = json.dumps(CASES + CAREFUL)
    drf = subprocess.run([sys.executable, "-c", DRF_SCRIPT, cases], capture_output=True, text=True, timeout=120)
    assert drf.returncode == 0, drf.stderr
    shutil.copytree(REPO / "templates" / "drf" / "drfjson", tmp_path / "drfjson")
    (tmp_path / "go.mod").write_text("module drfcheck\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text(GO_MAIN)
    go_cases = json.dumps([[s, q.lstrip("?"), a] for s, q, a in CASES + CAREFUL])
    expected, actual = json.loads(drf.stdout), json.loads(go("run", ".", go_cases, cwd=tmp_path).stdout)
    for case, want, got in zip(CASES, expected, actual):
        assert (case, got) == (case, GO_ANSWER[want])
    assert actual[len(CASES):] == ["501"] * len(CAREFUL)
    assert sorted(set(expected)) == ["404", "406", "html", "indented", "json"]  # every answer is exercised


# (method, Authorization values, Cookie values) -> whether DRF's default authentication classes (Session,
# Basic) could answer it themselves: a Basic header may fail (403), a session on a write may lack its CSRF token
AUTH_CASES = [
    (("GET", [], []), False), (("GET", ["Basic dTpw"], []), True), (("GET", ["basic"], []), True),
    (("GET", ["  BASIC   x"], []), True), (("GET", ["Bearer x"], []), False), (("GET", ["Token abc"], []), False),
    (("GET", ["Bearer x", "Basic y"], []), False), (("GET", ["Basicx y"], []), False),
    (("GET", [], ["sessionid=abc"]), False), (("POST", [], ["a=1; sessionid=abc"]), True),
    (("PATCH", [], ["csrftoken=x"]), False), (("DELETE", [], ["x=1", "sessionid=z"]), True),
    (("OPTIONS", [], ["sessionid=abc"]), False), (("POST", ["Token t"], []), False),
]

AUTH_MAIN = r"""package main

import (
	"encoding/json"
	"fmt"
	"os"

	"drfcheck/drfjson"
)

func main() {
	var cases [][3]json.RawMessage
	if err := json.Unmarshal([]byte(os.Args[1]), &cases); err != nil {
		panic(err)
	}
	auth := drfjson.Auth{Schemes: []string{"basic"}, SessionCookie: "sessionid"}
	var out []bool
	for _, c := range cases {
		var method string
		var authorization, cookies []string
		_ = json.Unmarshal(c[0], &method)
		_ = json.Unmarshal(c[1], &authorization)
		_ = json.Unmarshal(c[2], &cookies)
		out = append(out, auth.Authenticates(method, authorization, cookies))
	}
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
}
"""


@pytest.mark.slow
def test_requests_drf_authentication_would_read_are_not_answered(tmp_path):
    shutil.copytree(REPO / "templates" / "drf" / "drfjson", tmp_path / "drfjson")
    (tmp_path / "go.mod").write_text("module drfcheck\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text(AUTH_MAIN)
    got = json.loads(go("run", ".", json.dumps([c for c, _ in AUTH_CASES]), cwd=tmp_path).stdout)
    assert [(c, g) for (c, _), g in zip(AUTH_CASES, got)] == AUTH_CASES
