"""The cut-over's fast tier: migrator.yaml states and the guard, the facts read from generate/parity output,
the gateway configs checked against their schemas' structure, `migrate status` and `migrate cutover`'s exit codes.
The nginx config runs for real in test_cutover_nginx.py."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from migrator.cutover import plan
from migrator.cutover.facts import SAFE, ParityResult, RouteFact, read_parity, read_routes
from migrator.cutover.gateways import GATEWAYS
from migrator.cutover.state import Settings, Wanted, _entry, decide, wanted_for
from migrator.cutover.status import STATUS_FORMATS

TREE = REPO / "generated"


def _route(django: str, status: str = "migrated", index: int = 0, name: str = "", view: str = "app.views.v") -> RouteFact:
    return RouteFact(index=index, django=django, name=name, view=view, methods=("GET", "POST"),
                     regex="^/" + re.sub(r"<[^>]+>", "(?P<x>[0-9]+)", django) + "$", status=status,
                     stubbed_methods=("POST",) if status == "partial" else ())


@pytest.mark.parametrize("value, expected", [
    ("go", Wanted("go")), ("shadow", Wanted("shadow")), ("django", Wanted("django")),
    ({"canary": 30}, Wanted("canary", 30)), ({"state": "canary", "percent": 5, "force": True}, Wanted("canary", 5, True)),
    ({"state": "go", "force": True}, Wanted("go", 0, True)),
    ("canary", "CUTOVER_STATE"), ({"canary": 101}, "CUTOVER_STATE"), ({"canary": "30"}, "CUTOVER_STATE"),
    ({"canary": True}, "CUTOVER_STATE"), ({"state": "blue"}, "CUTOVER_STATE"), ({"go": 1}, "CUTOVER_STATE"),
    ({"state": "go", "force": "yes"}, "CUTOVER_STATE"), (30, "CUTOVER_STATE"),
])
def test_state_values(value, expected):
    wanted, diag = _entry("k", value, 7, "migrator.yaml")
    if isinstance(expected, str):
        assert wanted is None and diag.code == expected and diag.line == 7
    else:
        assert diag is None and (wanted.state, wanted.percent, wanted.force) == (expected.state, expected.percent, expected.force)


def test_exact_key_wins_then_first_pattern():
    r = _route("api/tags/", name="cat:tags", view="cat.views.tags")
    entries = (("api/*", Wanted("shadow", key="api/*")), ("cat:*", Wanted("go", key="cat:*")),
               ("cat.views.tags", Wanted("canary", 10, key="cat.views.tags")))
    assert wanted_for(r, entries).key == "cat.views.tags"
    assert wanted_for(r, entries[:2]).key == "api/*"
    assert wanted_for(_route("other/"), entries).state == "django"


@pytest.mark.parametrize("status, parity, force, state, held", [
    ("migrated", "passed", False, "go", ""),
    ("stub", "not covered", False, "shadow", "its view is a stub in Go (answers 501)"),
    ("partial", "passed", False, "shadow", "POST still answer 501 in Go"),
    ("migrated", "failed", False, "shadow", "its last parity run failed: GET /x"),
    ("migrated", "partly covered", False, "shadow", "some of its requests answer 501 in Go: GET /x"),
    ("migrated", "not run", False, "shadow", "its last parity run did not check it"),
    ("stub", "not covered", True, "go", ""),
])
def test_guard_holds_routes_that_are_not_ready(status, parity, force, state, held):
    r = _route("api/x/", status)
    settings = Settings(entries=(("api/x/", Wanted("go", force=force, key="api/x/")),))
    [d] = decide([r], settings, {r.django: ParityResult(parity, "GET /x" if parity in ("failed", "partly covered") else "")})
    assert (d.state, d.held, d.go_share) == (state, held, 100 if state == "go" else 0)


def test_shadow_and_django_are_never_held():
    r = _route("api/x/", "stub")
    for state in ("shadow", "django"):
        [d] = decide([r], Settings(entries=(("api/x/", Wanted(state)),)), {})
        assert (d.state, d.held) == (state, "")


def test_routes_read_from_the_generated_tree():
    routes = read_routes(TREE)
    assert len(routes) == 62 and [r.index for r in routes] == list(range(62))
    by = {r.django: r for r in routes}
    assert by["api/catalog/tags/"].status == "migrated" and by["api/catalog/tags/"].regex == "^/api/catalog/tags/$"
    assert by["api/accounts/profiles/<int:user_id>/"].stubbed_methods == ("PATCH", "POST")
    assert by["api/accounts/users/"].status == "stub" and by["api/accounts/users/"].name == "accounts:user-collection"
    assert sum(r.status != "stub" for r in routes) == 40  # + OrderCollectionView GET (session 10), ProductReviewsView (GET/HEAD), newsletter_report (session 8); main's 19 + coupon_list, attention_report + the sample's DRF tags, categories and staff/tags lists and details (and their .json) + me, my_orders (request.user) + the router's API root (and its .json)


def checks_http_reason() -> str:
    """The skip reason migrator.parity.checks_http writes for a 501 of the Go port, as it writes it (read from its
    source: the two modules must agree, or the cut-over guard would miss such a route)."""
    import inspect

    from migrator.cutover.facts import UNCOVERED
    from migrator.parity import checks_http

    assert f'"{UNCOVERED}; Django answers' in inspect.getsource(checks_http).replace("f\"", "\"")
    return f"{UNCOVERED}; Django answers 200"


def test_parity_report_per_route(tmp_path):
    routes = [_route("api/a/", index=0), _route("api/b/<int:pk>/", index=1), _route("api/c/", "stub", index=2)]
    routes.append(_route("api/d/", index=3))
    report = tmp_path / "parity.json"
    uncovered = checks_http_reason()  # the reason parity's http check gives a request the Go port answers 501
    report.write_text(json.dumps({"summary": {"http": {"passed": 9}}, "could_not_run": {}, "cases": [
        {"check": "http", "status": "failed", "name": "GET /api/b/1/", "operation": "app.views.v (api/b/<int:pk>/)"},
        {"check": "queries", "status": "failed", "name": "Q", "operation": "api/a/ (api/a/)"},
        {"check": "http", "status": "skipped", "name": "POST /api/a/", "operation": "app.views.v (api/a/)",
         "reason": "another skip"},
        {"check": "http", "status": "skipped", "name": "POST /api/d/", "operation": "app.views.v (api/d/)",
         "reason": uncovered}]}))
    got = {k: v.result for k, v in read_parity(report, routes).items()}
    assert got == {"api/a/": "passed", "api/b/<int:pk>/": "failed", "api/c/": "not covered", "api/d/": "partly covered"}
    assert read_parity(report, routes)["api/d/"].detail == "1 requests answered 501 by Go (inputs the port does not cover): POST /api/d/"
    report.write_text(json.dumps({"summary": {"http": {}}, "could_not_run": {"http": "no Go toolchain"}, "cases": []}))
    assert {v.result for v in read_parity(report, routes).values()} == {"not run"}
    assert {v.result for v in read_parity(None, routes).values()} == {"not run"}


def _decisions():
    routes = [_route("api/a/", index=0), _route("api/b/<int:pk>/", index=1), _route("api/c/", index=2),
              _route("api/d/", index=3)]
    entries = (("api/a/", Wanted("shadow")), ("api/b/*", Wanted("canary", 30)), ("api/c/", Wanted("go")))
    return decide(routes, Settings(entries=entries), {r.django: ParityResult("passed") for r in routes})


def test_envoy_v3_bootstrap_structure():
    """Checked against envoy.config.bootstrap.v3 / route.v3 (Envoy API v3): the fields used, route order,
    weighted_clusters and request_mirror_policies only on safe methods."""
    doc = yaml.safe_load(GATEWAYS["envoy"](_decisions(), Settings(), "shop")["envoy.yaml"])
    assert set(doc) == {"static_resources"} and {c["name"] for c in doc["static_resources"]["clusters"]} == {
        "django", "go", "shadowdiff"}
    hcm = doc["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]
    assert hcm["@type"].endswith("http_connection_manager.v3.HttpConnectionManager")
    routes = hcm["route_config"]["virtual_hosts"][0]["routes"]
    assert [r["name"] for r in routes] == ["r0-mirror", "r0", "r1", "r2", "r3", "default"]
    for r in routes:
        assert set(r) == {"name", "match", "route"} and len(set(r["match"]) & {"prefix", "safe_regex", "path"}) == 1
        assert set(r["route"]) <= {"cluster", "weighted_clusters", "request_mirror_policies"}
        if "request_mirror_policies" in r["route"]:
            [h] = r["match"]["headers"]
            assert h["name"] == ":method" and set(h["string_match"]["safe_regex"]["regex"].split("|")) == set(SAFE)
    assert routes[2]["route"]["weighted_clusters"]["clusters"] == [{"name": "go", "weight": 30},
                                                                    {"name": "django", "weight": 70}]
    assert routes[3]["route"] == {"cluster": "go"} and routes[4]["route"] == {"cluster": "django"}


def test_traefik_v3_dynamic_structure():
    """Traefik v3 file provider (http.routers / http.services): priorities in Django's order, the mirroring
    service only behind safe-method rules, every service a router names defined."""
    doc = yaml.safe_load(GATEWAYS["traefik"](_decisions(), Settings(), "shop")["traefik.yaml"])["http"]
    routers, services = doc["routers"], doc["services"]
    assert all(r["service"] in services for r in routers.values())
    for name, s in services.items():
        assert len(set(s) & {"loadBalancer", "weighted", "mirroring"}) == 1
        for ref in s.get("weighted", {}).get("services", []) + s.get("mirroring", {}).get("mirrors", []):
            assert ref["name"] in services
    prios = [routers[k]["priority"] for k in ("r0-mirror", "r0", "r1", "r2", "r3", "default")]
    assert prios == sorted(prios, reverse=True) and len(set(prios)) == len(prios)
    mirrored = [r for r in routers.values() if "mirroring" in services[r["service"]]]
    assert len(mirrored) == 1 and all(f"Method(`{m}`)" in mirrored[0]["rule"] for m in SAFE)
    assert "POST" not in mirrored[0]["rule"]
    assert services["canary-30"]["weighted"]["services"] == [{"name": "go", "weight": 30}, {"name": "django", "weight": 70}]


GATEWAY_API_V1 = {  # the constraints of gateway.networking.k8s.io/v1 HTTPRoute (Gateway API v1.2 standard channel)
    "path_types": {"Exact", "PathPrefix", "RegularExpression"}, "methods": {"GET", "HEAD", "POST", "PUT", "DELETE",
                                                                              "CONNECT", "OPTIONS", "TRACE", "PATCH"},
    "filters": {"RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "RequestRedirect", "URLRewrite",
                "ExtensionRef"}, "max_rules": 16, "max_matches": 64, "max_backends": 16, "max_weight": 1_000_000,
}


def test_gateway_api_httproute_structure():
    many = decide([_route(f"api/r{i}/", index=i) for i in range(80)],
                  Settings(entries=(("api/*", Wanted("shadow")),)), {})
    for decisions in (_decisions(), many):
        docs = list(yaml.safe_load_all(GATEWAYS["gateway-api"](decisions, Settings(), "shop_x")["gateway-api.yaml"]))
        for doc in docs:
            assert (doc["apiVersion"], doc["kind"]) == ("gateway.networking.k8s.io/v1", "HTTPRoute")
            assert re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", doc["metadata"]["name"])
            rules = doc["spec"]["rules"]
            assert doc["spec"]["parentRefs"] == [{"name": "migrator-gateway"}] and 1 <= len(rules) <= GATEWAY_API_V1["max_rules"]
            for rule in rules:
                assert set(rule) <= {"matches", "backendRefs", "filters"} and len(rule["matches"]) <= GATEWAY_API_V1["max_matches"]
                assert all(m["path"]["type"] in GATEWAY_API_V1["path_types"] for m in rule["matches"])
                assert all(m.get("method", "GET") in GATEWAY_API_V1["methods"] for m in rule["matches"])
                assert all(0 <= b.get("weight", 1) <= GATEWAY_API_V1["max_weight"] and b["port"] > 0 for b in rule["backendRefs"])
                for f in rule.get("filters", []):
                    assert f["type"] in GATEWAY_API_V1["filters"]
                    assert f["type"] == "RequestMirror" and f["requestMirror"]["backendRef"]["name"] == "shadowdiff"
                    assert {m.get("method") for m in rule["matches"]} <= set(SAFE)
    docs = list(yaml.safe_load_all(GATEWAYS["gateway-api"](many, Settings(), "shop_x")["gateway-api.yaml"]))
    assert sum(len(m) for d in docs for r in d["spec"]["rules"] if "filters" in r for m in [r["matches"]]) == 80 * len(SAFE)


def _project(tmp_path: Path, routes: str, parity: dict | None = None) -> Path:
    (tmp_path / "migrator.yaml").write_text("cutover:\n  parity: parity.json\n  routes:\n" + routes)
    if parity is not None:
        (tmp_path / "parity.json").write_text(json.dumps(parity))
    return tmp_path


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "migrator", *args], cwd=REPO, capture_output=True, text=True, timeout=60)


@pytest.mark.slow
def test_cutover_command_holds_and_says_why(tmp_path):
    proj = _project(tmp_path, '    "api/catalog/tags/": go\n    "api/accounts/users/": go\n    "nope/": go\n',
                    {"summary": {"http": {"passed": 3}}, "could_not_run": {}, "cases": []})
    done = _cli("cutover", str(proj), "-g", "nginx", "-g", "envoy", "--generated", str(TREE), "--out", str(tmp_path / "out"))
    assert done.returncode == 1, done.stderr
    assert ("migrator.yaml:5:1: warning[CUTOVER_HELD]: api/accounts/users/: held at shadow instead of go: its view is a "
            "stub in Go (answers 501)") in done.stderr
    assert "migrator.yaml:6:1: warning[CUTOVER_NO_ROUTE]" in done.stderr
    conf = (tmp_path / "out" / "nginx.conf").read_text()
    assert re.search(r'location ~ "\^/api/catalog/tags/\$" \{\n\s+add_header X-Migrator-Upstream go always;', conf)
    assert re.search(r'location ~ "\^/api/accounts/users/\$" \{\n\s+mirror /_migrator_mirror;', conf)
    assert (tmp_path / "out" / "envoy.yaml").is_file()
    (proj / "migrator.yaml").write_text("cutover:\n  routes:\n    api/accounts/users/: {state: go, force: true}\n")
    assert _cli("cutover", str(proj), "-g", "nginx", "--generated", str(TREE), "--out", str(tmp_path / "out")).returncode == 0
    (proj / "migrator.yaml").write_text("cutover:\n  routes:\n    api/accounts/users/: {canary: 200}\n")
    bad = _cli("cutover", str(proj), "-g", "nginx", "--generated", str(TREE), "--out", str(tmp_path / "out"))
    assert bad.returncode == 2 and "migrator.yaml:3:1: error[CUTOVER_STATE]" in bad.stderr


@pytest.mark.slow
def test_status_formats(tmp_path):
    proj = _project(tmp_path, '    "api/catalog/*": shadow\n    "api/catalog/tags/": {canary: 30}\n',
                    {"summary": {"http": {"passed": 3}}, "could_not_run": {}, "cases": [
                        {"check": "http", "status": "failed", "name": "GET /api/catalog/tags/",
                         "operation": "catalog.views.tag_list (api/catalog/tags/)"}]})
    (tmp_path / "shadow.jsonl").write_text(json.dumps({"route": "api/catalog/tags/", "method": "GET", "path": "/api/catalog/tags/",
                                                       "differences": ["$.results[0].n: django 3 != go <missing>"]}) + "\n")
    p = plan(proj, TREE, shadow_log=tmp_path / "shadow.jsonl")
    rows = {r["route"]: r for r in json.loads(STATUS_FORMATS["json"](p))["routes"]}
    assert rows["api/catalog/tags/"] | {} == {**rows["api/catalog/tags/"], "state": "shadow", "wanted": "canary 30%",
                                               "go": "migrated", "parity": "failed", "shadow_differences": 1}
    assert rows["api/catalog/products/"]["state"] == "shadow" and rows["api/orders/"]["state"] == "django"
    table = STATUS_FORMATS["table"](p)
    assert re.search(r"api/catalog/tags/\s+shadow \(wanted canary 30%\)\s+migrated\s+failed\s+1\b", table)
    md = STATUS_FORMATS["markdown"](p)
    assert "| `api/catalog/tags/` | shadow (wanted canary 30%) | migrated | failed |  | 1 |" in md
    done = _cli("status", str(proj), "--generated", str(TREE), "--check", "-f", "markdown")
    assert done.returncode == 1 and done.stdout.startswith("# Cut-over status: ")


def test_the_emitted_workflow_gates_the_cutover():
    doc = yaml.safe_load((TREE / ".github" / "workflows" / "parity.yml").read_text())
    job = doc["jobs"]["cutover"]
    assert job["needs"] == "parity" and job["if"] == "always()"
    runs = [s.get("run", "") for s in job["steps"]]
    assert 'migrate status "sample_django_project" --generated "generated" --parity parity.json --check' in runs
    uploads = [s["with"]["path"] for s in doc["jobs"]["parity"]["steps"] if s.get("uses", "").startswith("actions/upload")]
    assert uploads == ["parity.xml", "parity.json"]


@pytest.mark.slow
def test_gateway_api_output_validates_against_the_published_crd():
    """The HTTPRoute CRD of Gateway API v1.2.1 (standard channel), from the project's Go module: every
    generated document validates against its openAPIV3Schema (CEL rules aside), and a broken one does not."""
    from openapi_check import crd_schema, validate

    schema = crd_schema("sigs.k8s.io/gateway-api", "v1.2.1",
                        "config/crd/standard/gateway.networking.k8s.io_httproutes.yaml", "v1")
    many = decide([_route(f"api/r{i}/", index=i) for i in range(80)], Settings(entries=(("api/*", Wanted("shadow")),)), {})
    routes = decide(read_routes(TREE), Settings(entries=(("*", Wanted("canary", 30, force=True)),)), {})
    for decisions in (_decisions(), many, routes):
        for doc in yaml.safe_load_all(GATEWAYS["gateway-api"](decisions, Settings(), "shop")["gateway-api.yaml"]):
            assert validate(doc, schema) == []
    doc["spec"]["rules"][0]["matches"][0]["path"]["type"] = "Regex"
    doc["spec"]["rules"][0]["backendRefs"][0]["weight"] = 2_000_000
    assert len(validate(doc, schema)) == 2


@pytest.mark.slow
def test_envoy_output_validates_with_envoys_api(tmp_path):
    """tests/envoycheck: Envoy's v3 API as go-control-plane publishes it (protos and their validation rules),
    RE2 for every route regex. The whole sample in every state, then a broken document that must fail."""
    from conftest import go

    binary = tmp_path / "envoycheck"
    go("build", "-o", str(binary), ".", cwd=REPO / "tests" / "envoycheck")
    states = (("api/accounts/*", Wanted("shadow")), ("api/catalog/*", Wanted("canary", 30, force=True)),
              ("api/orders/*", Wanted("go", force=True)))
    decisions = decide(read_routes(TREE), Settings(entries=states), {})
    doc = yaml.safe_load(GATEWAYS["envoy"](decisions, Settings(listen="127.0.0.1:8081"), "shop")["envoy.yaml"])
    check = lambda d: subprocess.run([str(binary)], input=json.dumps(d), capture_output=True, text=True, timeout=60)
    done = check(doc)
    # 62 routes, a mirrored twin for each of the 8 accounts routes, the default
    assert (done.returncode, done.stdout) == (0, "ok: 71 routes\n"), done.stdout + done.stderr
    routes = doc["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"][
        "route_config"]["virtual_hosts"][0]["routes"]
    canary = next(r for r in routes if "weighted_clusters" in r["route"])
    canary["route"]["weighted_clusters"]["clusters"] = []
    broken = check(doc)
    assert broken.returncode == 1 and "WeightedCluster.Clusters: value must contain at least 1 item" in broken.stdout


@pytest.mark.slow
def test_traefik_output_loads_and_routes_in_traefik(tmp_path):
    """tests/traefikcheck: Traefik v3.3's own file-provider decoding and HTTP muxer (rule syntax, priorities)
    load the generated configuration, then say which router each request takes: Django's order, safe
    methods of a shadow route to the mirroring service, writes never."""
    from conftest import go

    binary = tmp_path / "traefikcheck"
    go("build", "-o", str(binary), ".", cwd=REPO / "tests" / "traefikcheck")
    states = (("api/catalog/tags/", Wanted("go")), ("api/orders/*", Wanted("shadow")),
              ("catalog:product-by-*", Wanted("canary", 30)))
    routes = read_routes(TREE)
    decisions = decide(routes, Settings(entries=states), {r.django: ParityResult("passed") for r in routes})
    conf = tmp_path / "traefik.yaml"
    conf.write_text(GATEWAYS["traefik"](decisions, Settings(), "shop")["traefik.yaml"])
    requests = ["GET /api/catalog/tags/", "POST /api/catalog/tags/", "GET /api/orders/3/lines/",
                "HEAD /api/orders/3/lines/", "POST /api/orders/3/lines/", "PUT /api/orders/3/lines/",
                "PATCH /api/orders/3/lines/", "DELETE /api/orders/3/lines/", "GET /api/catalog/products/by-slug/x/",
                "GET /api/catalog/products/7/", "GET /admin/"]
    done = subprocess.run([str(binary), str(conf)], input="\n".join(requests) + "\n", capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"ok: {len(routes) + 1 + 18} routers, 5 services"  # + default + 18 api/orders mirror twins
    assert [" ".join(x.split()[2:]) for x in lines[1:]] == [
        "r22 go", "r22 go", "r44-mirror django-mirrored", "r44-mirror django-mirrored", "r44 django", "r44 django",
        "r44 django", "r44 django", "r16 canary-30", "r15 django", "default django"]  # main's 3 auth routes come first
    conf.write_text(conf.read_text().replace("service: canary-30", "service: canary-31", 1))
    broken = subprocess.run([str(binary), str(conf)], input="", capture_output=True, text=True, timeout=60)
    assert broken.returncode == 1 and "service canary-31 is not defined" in broken.stdout


def test_bench_figures_per_route(tmp_path):
    from migrator.cutover.facts import read_bench

    routes = read_routes(TREE)
    report = tmp_path / "bench.json"
    report.write_text(json.dumps({
        "endpoints": [{"name": "api/catalog/tags/", "paths": ["/api/catalog/tags/"]},
                      {"name": "/api/orders/3/lines/", "paths": ["/api/orders/3/lines/"]}],
        "ratios_by_endpoint": {"api/catalog/tags/": {"throughput": 3.1, "p99_equal_load": 2.0},
                               "/api/orders/3/lines/": {"throughput": 1.4, "p99_equal_load": 1.1}}}))
    assert read_bench(report, routes) == {
        "api/catalog/tags/": "throughput 3.1x, p99 2.0x lower (/api/catalog/tags/)",
        "api/orders/<int:pk>/lines/": "throughput 1.4x, p99 1.1x lower (/api/orders/3/lines/)"}
    assert read_bench(tmp_path / "missing.json", routes) == {}


def test_routes_reader_takes_unnamed_routes_and_partial_views(tmp_path):
    views = [{"view": "app.views.b", "status": "migrated", "stubbed_methods": {"POST": "why"}, "routes": [
                 {"index": 1, "django": "b/", "name": "app:b", "methods": ["GET", "POST"], "regex": "^/b/$"}]},
             {"view": "app.views.a", "status": "stub", "reason": "x", "routes": [
                 {"index": 0, "django": "a/<int:pk>/", "name": "", "methods": [], "regex": "^/a/(?P<pk>[0-9]+)/$"}]}]
    (tmp_path / "migrator-manifest.json").write_text(json.dumps({"http": {"framework": "nethttp", "views": views}}))
    assert read_routes(tmp_path) == [
        RouteFact(0, "a/<int:pk>/", "", "app.views.a", (), "^/a/(?P<pk>[0-9]+)/$", "stub"),
        RouteFact(1, "b/", "app:b", "app.views.b", ("GET", "POST"), "^/b/$", "partial", ("POST",))]
    assert read_routes(tmp_path / "nothing") == []


@pytest.mark.slow
def test_cannot_run_is_exit_2_with_a_located_diagnostic(tmp_path):
    done = _cli("status", str(tmp_path), "--generated", str(tmp_path / "nope"))
    assert done.returncode == 2 and "error[CUTOVER_NO_ROUTES]: no http routes" in done.stderr
    (tmp_path / "migrator.yaml").write_text("cutover:\n  routes: [\n")
    done = _cli("cutover", str(tmp_path), "-g", "traefik", "--generated", str(TREE), "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "migrator.yaml:3:1: error[CONFIG_SYNTAX]" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "o").exists()
