"""URLconfs as real projects write them (tests/projects/urls_real): i18n_patterns, admin's
``<path:object_id>/change/``, a DRF DefaultRouter with format suffixes, views named like the generated
server's own members, a ROOT_URLCONF in ``src/``; and generated output free of this machine's paths."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from conftest import REPO, go
from migrator.load.urls import regex_parts, route_parts
from migrator.translate.http import path_regex, translate_path, translate_routes
from migrator.translate.naming import HTTP_PACKAGE_NAMES, HTTP_SERVER_MEMBERS

PROJECT = REPO / "tests" / "projects" / "urls_real"


# ---------------------------------------------------------------- translation tables (no Django)

# Django route parts -> (ServeMux path, full regex): a wider pattern when the route does not fill whole
# segments; its regex still matches exactly what Django matches.
WIDE = [
    (route_parts("admin/item/<path:object_id>/change/", {}), "/admin/item/{rest...}",
     r"^/admin/item/(?P<object_id>.+)/change/$"),
    (regex_parts(r"^items\.(?P<format>[a-z0-9]+)/?$", True), "/{rest...}", r"^/items\.(?P<format>[a-z0-9]+)/?$"),
    (regex_parts(r"^api/items/(?P<pk>[^/.]+)\.(?P<format>[a-z0-9]+)/?$", True), "/api/items/{rest...}",
     r"^/api/items/(?P<pk>[^/.]+)\.(?P<format>[a-z0-9]+)/?$"),
    (route_parts("rest/<path:rest>/x", {}), "/rest/{rest2...}", r"^/rest/(?P<rest>.+)/x$"),
    # no closing $: Django matches every path the regex prefixes (helpdesk's rss routes)
    (regex_parts(r"^rss/user/(?P<user_name>[^/]+)/", True), "/rss/user/{rest...}",
     r"^/rss/user/(?P<user_name>[^/]+)/(?s:.*)$"),
]


@pytest.mark.parametrize("parts,mux,regex", WIDE)
def test_wide_routes_keep_django_regex(parts, mux, regex):
    assert translate_path(parts)[0] == mux
    assert path_regex(parts) == regex
    re.compile(regex)


def _raw(view, parts, methods=("GET",), actions=None, kind="function"):
    r = {"django": view, "parts": parts, "view": f"shop.views.{view}", "methods": list(methods), "app": "shop",
         "file": "shop/views.py", "line": 1, "python": "", "kind": kind}
    if actions:
        r["actions"] = actions
    return r


GO_RESERVED_VIEWS = ["close", "log", "Handler", "routes", "main", "New", "ServeHTTP", "type", "func", "go",
                     "range", "register", "healthz", "store", "db", "server"]


def test_handler_names_never_collide_with_the_generated_server():
    raw = [_raw(v, [{"literal": f"{v}/"}]) for v in GO_RESERVED_VIEWS]
    model = translate_routes(raw)
    names = [h.name for h in model.handlers]
    assert len(set(names)) == len(names) == len(GO_RESERVED_VIEWS)
    for n in names:
        assert re.fullmatch(r"[A-Z]\w*", n), n
        assert n not in HTTP_SERVER_MEMBERS | HTTP_PACKAGE_NAMES, n
    assert dict(zip(GO_RESERVED_VIEWS, names))["close"] == "Close2"
    assert len({h.core for h in model.handlers}) == len(names)


def test_path_parameter_variables_avoid_locals_and_keywords():
    parts = [{"literal": "a/"}, {"param": "type", "converter": "str", "regex": "[^/]+"}, {"literal": "/"},
             {"param": "len", "converter": "str", "regex": "[^/]+"}, {"literal": "/"},
             {"param": "ctx", "converter": "int", "regex": "[0-9]+"}, {"literal": "/"}]
    (rt,) = translate_routes([_raw("v", parts)]).routes
    assert [p.var for p in rt.params] == ["type_", "len2", "ctx2"]


def test_viewset_routes_get_one_handler_per_action_set():
    list_actions = {"GET": "list", "HEAD": "list", "POST": "create"}
    detail = {"GET": "retrieve", "HEAD": "retrieve", "PUT": "update", "PATCH": "partial_update", "DELETE": "destroy"}
    raw = [_raw("ItemViewSet", [{"literal": "items/"}], list(list_actions), list_actions, "viewset"),
           _raw("ItemViewSet", regex_parts(r"^items\.(?P<format>[a-z0-9]+)/?$", True), list(list_actions),
                list_actions, "viewset"),
           _raw("ItemViewSet", route_parts("items/<int:pk>/", {}), list(detail), detail, "viewset")]
    model = translate_routes(raw)
    assert [h.name for h in model.handlers] == ["ItemViewSetListCreate",
                                                "ItemViewSetRetrieveUpdatePartialUpdateDestroy"]
    assert [len(h.routes) for h in model.handlers] == [2, 1]
    assert model.handlers[0].action_groups == [("list", ("GET", "HEAD")), ("create", ("POST",))]


def test_installed_package_paths_are_package_relative():
    from migrator.load.urls import _rel

    import rest_framework

    views = os.path.join(os.path.dirname(rest_framework.__file__), "views.py")
    assert _rel(str(PROJECT), views) == "rest_framework/views.py"
    assert _rel(str(PROJECT), str(PROJECT / "shop" / "views.py")) == "shop/views.py"


# ---------------------------------------------------------------- through Django (one process each)

@pytest.fixture(scope="module")
def routes_real():
    from migrator.load import load_project, load_routes

    project = load_project(PROJECT, scan=False)
    return load_routes(project)


@pytest.mark.slow
def test_every_pattern_django_resolves_is_a_route(routes_real):
    routes, diags = routes_real
    django = {r["django"] for r in routes}
    # i18n_patterns: LocaleMiddleware is on, so every LANGUAGES code is a prefix, as one constrained segment
    assert "<lang_prefix>/items/<int:pk>/close/" in django
    assert "<lang_prefix>/admin/item/<path:object_id>/change/" in django
    close = next(r for r in routes if r["view"] == "shop.views.close")
    assert close["parts"][0] == {"param": "lang_prefix", "converter": "language", "regex": r"en|fr|pt\-br"}
    # the DRF router: the viewset and its action per method, each format suffix variant too
    viewset = [r for r in routes if r["kind"] == "viewset"]
    assert {r["django"] for r in viewset} == {
        "api/^items/$", r"api/^items\.(?P<format>[a-z0-9]+)/?$", "api/^items/(?P<pk>[^/.]+)/$",
        r"api/^items/(?P<pk>[^/.]+)\.(?P<format>[a-z0-9]+)/?$", "api/^items/(?P<pk>[^/.]+)/archive/$",
        r"api/^items/(?P<pk>[^/.]+)/archive\.(?P<format>[a-z0-9]+)/?$"}
    assert all(r["view"] == "shop.views.ItemViewSet" for r in viewset)
    assert next(r for r in viewset if r["django"] == "api/^items/$")["actions"] == {
        "GET": "list", "HEAD": "list", "POST": "create"}
    assert next(r for r in viewset if "archive/$" in r["django"])["actions"] == {"POST": "archive"}
    stats = [r for r in routes if r["view"] == "shop.views.stats"]  # @api_view: the function, not WrappedAPIView
    assert len(stats) == 2 and stats[0]["file"] == "shop/views.py" and stats[0]["line"] > 0
    for r in routes:
        assert not os.path.isabs(r["file"]), r
    codes = [(d.code, d.severity) for d in diags]
    assert ("URLCONF_SYS_PATH", "warning") in codes
    assert codes.count(("ROUTE_UNSUPPORTED", "warning")) == 1  # the top-level alternation


def _generate(out: Path, *extra: str):
    from typer.testing import CliRunner

    from migrator.cli import app

    return CliRunner().invoke(app, ["generate", str(PROJECT), "--target", "http", "--out", str(out), *extra])


@pytest.mark.slow
def test_summary_counts_agree_with_the_warnings(tmp_path):
    res = _generate(tmp_path / "out")
    assert res.exit_code == 0, res.output
    warnings = re.findall(r"warning\[ROUTE_UNSUPPORTED\]", res.output)
    m = re.search(r"http \(nethttp\): (\d+) routes, .* (\d+) left out", res.output)
    assert m, res.output
    assert int(m.group(2)) == len(warnings) == 2
    assert int(m.group(1)) == 15


@pytest.mark.slow
def test_urlconf_that_imports_from_nowhere_is_an_error(tmp_path):
    res = _generate(tmp_path / "out", "--settings", "config.settings_broken")
    assert res.exit_code == 2, res.output
    assert "config/settings_broken.py:4:1: error[URLCONF_IMPORT]" in res.output


ABSOLUTE = re.compile(r"(?<![\w.])/(?:usr|root|work|tmp|home|opt|var)/|site-packages|\.venv/|virtualenv")


@pytest.mark.slow
def test_generated_tree_holds_no_absolute_path(tmp_path):
    """A project using an installed app (rest_framework's router views live in site-packages)."""
    out = tmp_path / "out"
    res = _generate(out)
    assert res.exit_code == 0, res.output
    machine = {str(PROJECT), str(REPO), sys.prefix, str(tmp_path)}
    found = []
    for f in sorted(out.rglob("*")):
        if not f.is_file():
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        for n, line in enumerate(text.splitlines(), 1):
            if ABSOLUTE.search(line) or any(m in line for m in machine):
                found.append(f"{f.relative_to(out)}:{n}: {line.strip()[:160]}")
    assert not found, "\n".join(found)
    routes = (out / "http" / "routes.go").read_text()
    assert 'Source: "rest_framework/routers.py:' in routes


# ---------------------------------------------------------------- the Go builds and routes as Django does

ROUTE_CASES = """
		{"GET", "/fr/items/3/close/", 501, "shop.views.close"},
		{"GET", "/pt-br/items/3/close/", 501, "shop.views.close"},
		{"GET", "/de/items/3/close/", 404, ""},
		{"GET", "/en/admin/item/a/b/change/", 501, "shop.views.change"},
		{"GET", "/api/items/", 501, "shop.views.ItemViewSet.list"},
		{"POST", "/api/items.json", 501, "shop.views.ItemViewSet.create"},
		{"DELETE", "/api/items/5/", 501, "shop.views.ItemViewSet.destroy"},
		{"POST", "/api/items/5/archive.json/", 501, "shop.views.ItemViewSet.archive"},
		{"GET", "/api/items/5/archive/", 405, ""},
		{"GET", "/stats.json", 501, "shop.views.stats"},
		{"GET", "/log/", 501, "shop.views.log"},
		{"GET", "/routes/", 501, "shop.views.routes"},
"""

ROUTES_TEST = {"nethttp": '''package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestDjangoRoutes(t *testing.T) {
	mux := http.NewServeMux()
	(&Server{}).Register(mux)
	cases := []struct{ method, path string; status int; body string }{CASES}
	for _, c := range cases {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest(c.method, c.path, nil))
		if w.Code != c.status || !strings.Contains(w.Body.String(), c.body) {
			t.Errorf("%s %s: %d %s, want %d %s", c.method, c.path, w.Code, w.Body.String(), c.status, c.body)
		}
	}
}
''', "fiber": '''package main

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func TestDjangoRoutes(t *testing.T) {
	app := fiber.New(fiber.Config{StrictRouting: true, CaseSensitive: true, ErrorHandler: ErrorHandler(slog.Default())})
	(&Server{}).Register(app)
	cases := []struct{ method, path string; status int; body string }{CASES}
	for _, c := range cases {
		resp, err := app.Test(httptest.NewRequest(c.method, c.path, nil))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != c.status || !strings.Contains(string(body), c.body) {
			t.Errorf("%s %s: %d %s, want %d %s", c.method, c.path, resp.StatusCode, body, c.status, c.body)
		}
	}
}
'''}


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["nethttp", "fiber"])
def test_generated_service_builds_and_routes(tmp_path, framework):
    out = tmp_path / "out"
    res = _generate(out, "--framework", framework)
    assert res.exit_code == 0, res.output
    go("vet", "./...", cwd=out)
    go("build", "./...", cwd=out)
    test = ROUTES_TEST[framework].replace("{CASES}", "{" + ROUTE_CASES + "\t}")
    (out / "http" / "routes_django_test.go").write_text(test)
    go("test", "-run", "TestDjangoRoutes", "./http/", cwd=out)
