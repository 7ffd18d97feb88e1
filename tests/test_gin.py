"""--framework gin: the third framework on the same handler core. Gin only routes and adapts: a Gin tree's
handler bodies, store, DRF handlers and djauth guards are the nethttp tree's, and it answers what Django
and the nethttp service answer (the sample on SQLite: the PostgreSQL store is the one nethttp and Fiber run)."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, SAMPLE, django_side, go, run_cli
from migrator.emit.http import FRAMEWORKS as EMITTED
from migrator.emit.http_gin import GIN_REQUIRES, gin_module
from migrator.frameworks import NAMES
from migrator.parity.http import compare_answers, compare_endpoints, fetch, request_body
from migrator.templating import template_root
from test_http_parity import Servers, parity_requests, trees, write_requests  # noqa: F401  (trees: a fixture)


def test_every_framework_list_reads_the_registry():
    from migrator.cli import Framework
    from migrator.translate import auth_views

    assert NAMES == ("nethttp", "fiber", "gin")
    assert [f.value for f in Framework] == list(NAMES) == list(EMITTED) == list(auth_views.FRAMEWORKS)
    for name in NAMES:  # each has its template folder with the files emit.http renders
        assert {p.name for p in (template_root() / name).glob("*.go.j2")} >= {
            "routes.go.j2", "respond.go.j2", "main.go.j2", "migrated.go.j2", "handlers.go.j2"}, name


def test_gin_module_pins_gin_and_raises_what_it_needs():
    files = gin_module("example.com/x", auth=False, dialects=("sqlite", "postgresql"))
    mod = files["go.mod"].text
    assert "\tgithub.com/gin-gonic/gin v1.12.0\n" in mod and "\tgolang.org/x/text v0.34.0\n" in mod
    assert "\tgolang.org/x/crypto v0.48.0 // indirect\n" in mod  # quic-go's, not djauth's
    assert "golang.org/x/text v0.29.0" not in mod  # one version per module
    with_auth = gin_module("example.com/x", auth=True, dialects=("sqlite",))["go.mod"].text
    assert "\tgolang.org/x/crypto v0.48.0\n" in with_auth and "x/crypto v0.48.0 // indirect" not in with_auth
    total = re.findall(r"^\t(\S+) (\S+)", mod, re.M)
    assert len(total) == len({p for p, _ in total})
    sums = files["go.sum"].text
    for path, version in GIN_REQUIRES.items():
        assert f"{path} {version} h1:" in sums and f"{path} {version}/go.mod h1:" in sums


@pytest.mark.slow
def test_gin_tree_routes_through_one_catch_all(trees):
    """Gin's tree holds /healthz only: the URLconf resolves in Django's order behind NoRoute; Gin's redirects
    (trailing slash, fixed path) are off, its debug output and logger too."""
    tree, result = trees("gin")
    routes = (tree / "http" / "routes.go").read_text()
    main = (tree / "http" / "main.go").read_text()
    assert re.findall(r"engine\.(\w+)\(", routes) == ["GET", "HEAD", "NoMethod", "NoRoute"]
    for line in ("gin.SetMode(gin.ReleaseMode)", "engine := gin.New()", "engine.RedirectTrailingSlash = false",
                 "engine.RedirectFixedPath = false"):
        assert line in main
    assert main.index("gin.SetMode(gin.ReleaseMode)") < main.index("gin.New()")
    assert "gin.Default()" not in main and "gin.Logger" not in main
    nethttp = (trees("nethttp")[0] / "http").glob("*.go")
    for path in nethttp:  # the framework-free files are the same bytes
        if path.name not in ("routes.go", "respond.go", "main.go", "handlers_migrated.go", "auth.go") \
                and not path.name.startswith("handlers_"):
            assert (tree / "http" / path.name).read_text() == path.read_text(), path.name
    cores = re.compile(r"\n// \w+ is the view .*", re.S)
    assert (cores.search((tree / "http" / "handlers_migrated.go").read_text()).group(0)
            == cores.search((trees("nethttp")[0] / "http" / "handlers_migrated.go").read_text()).group(0))
    assert "http (gin): 62 routes, 39 migrated, 23 stubbed" in "\n".join(result.emitted.notes)


# paths where a router could differ from Django's resolver: case, a slash after /healthz, a converter that
# refuses, a value beyond int64, a path no route takes, an escaped character, methods a view does not take
ROUTING = ["/API/catalog/tags/", "/healthz/", "/api/catalog/products/abc/", "/api/catalog/reviews/99999999999999999999/",
           "/nope", "/", "/api/", "/api/catalog/tags/%7E/", "/api/catalog/tags/"]
METHODS = [("PUT", "/api/catalog/tags/"), ("POST", "/healthz"), ("DELETE", "/api/catalog/reviews/1/"),
           ("HEAD", "/api/catalog/tags/")]


@pytest.mark.slow
@pytest.mark.parametrize("loaded_db", ["sqlite"], indirect=True)
def test_gin_answers_what_django_and_nethttp_answer(trees, loaded_db):
    """Every migrated endpoint as Django answers it; odd paths and methods as the net/http service answers
    them, byte for byte. A doubled slash is Django's 404 (ServeMux would clean it and redirect); a missing
    trailing slash is a 404 as on Fiber, not Gin's redirect (Django's APPEND_SLASH redirect stays Django's)."""
    dialect, url, copy = loaded_db
    gin_tree, _ = trees("gin")
    nethttp_tree, _ = trees("nethttp")
    requests = parity_requests(url) + ["/api//catalog/tags/", "/API/catalog/tags/", "/api/catalog/products/abc/"]
    with Servers(SAMPLE, gin_tree, url) as s:
        diffs = compare_endpoints(requests, s.django, s.go)
        gin = [fetch(s.go, "GET", p) for p in ROUTING] + [fetch(s.go, m, p) for m, p in METHODS]
        no_slash = fetch(s.go, "GET", "/api/catalog/tags")
    with Servers(SAMPLE, nethttp_tree, url) as s:
        nh = [fetch(s.go, "GET", p) for p in ROUTING] + [fetch(s.go, m, p) for m, p in METHODS]
    assert len(requests) >= 30  # the read parity requests of test_http_parity, and the three above
    assert not diffs, f"{dialect}/gin: " + "\n".join(map(str, diffs[:30]))
    assert [(a[0], a[2]) for a in gin] == [(a[0], a[2]) for a in nh]  # the same routing, byte for byte
    assert {a[0] for a in gin} >= {200, 404} and all(b"page not found" not in a[2] for a in gin)  # never Gin's own 404
    assert all(a[1].startswith("application/json") for a in gin[:len(ROUTING)])  # every GET answer is JSON
    assert no_slash[0] == 404 and b"not found" in no_slash[2]


@pytest.mark.slow
@pytest.mark.parametrize("loaded_db", ["sqlite"], indirect=True)
def test_gin_writes_leave_what_django_leaves(trees, loaded_db):
    from migrator.parity.values import table_difference

    dialect, url, copy = loaded_db
    tree, _ = trees("gin")
    requests = write_requests(url)
    dj_url, go_url = copy("wdj"), copy("wgo")
    with Servers(SAMPLE, tree, dj_url) as s:
        dj = [fetch(s.django, r["method"], r["path"], body=request_body(r)) for r in requests]
    with Servers(SAMPLE, tree, go_url) as s:
        go_ = [fetch(s.go, r["method"], r["path"], body=request_body(r)) for r in requests]
    diffs = [d for r, a, b in zip(requests, dj, go_) for d in compare_answers(r["method"], r["path"], a, b)]
    assert not diffs, "\n".join(map(str, diffs))
    after_dj = django_side(SAMPLE, "shopapi.settings", dj_url, "dump")
    after_go = django_side(SAMPLE, "shopapi.settings", go_url, "dump")
    assert after_dj["catalog.Product"] != django_side(SAMPLE, "shopapi.settings", url, "dump")["catalog.Product"]
    for label in sorted(set(after_dj) | set(after_go)):
        assert not table_difference(label, after_go.get(label), after_dj.get(label)), label


@pytest.mark.slow
def test_gin_tree_without_routes_builds(tmp_path):
    """A project with no URL route: Gin's catch-all dispatches over an empty table, and the tree vets and builds."""
    out = tmp_path / "gen"
    run_cli("generate", str(REPO / "tests" / "projects" / "sqlc_nosites"), "--framework", "gin",
            "--out", str(out), check=True)
    assert "dispatch(s.Routes())" in (out / "http" / "routes.go").read_text()
    go("vet", "./...", cwd=out)
    go("build", "./...", cwd=out)
