"""The cut-over through a real nginx (Debian's package), on loopback: Django (runserver), the generated Go
service and its shadow comparator (cmd/shadowdiff, as nginx's mirror target), nginx with the config
`migrate cutover --gateway nginx` wrote from a migrator.yaml.

- each route reaches Django or Go as configured (nginx's X-Migrator-Upstream and the answer itself);
- a 30 % canary lands 30 ± 5 % of 1,000 requests on Go;
- a mirrored GET of a shadow route reaches the comparator and Go, and the difference a mutated Go
  handler makes is recorded (JSON line and counter), while a clean route records none;
- POST, PUT, PATCH and DELETE of a shadow route are never mirrored (the comparator saw none, the write
  happened once);
- rollback: the route set back to `django` in migrator.yaml, cutover re-run, nginx reloaded: no request
  reaches Go.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE, django_side, go
from test_http_parity import Servers, _free_port, _wait

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = [pytest.mark.slow, pytest.mark.skipif(NGINX is None and not os.environ.get("CI"),
                                                   reason="nginx is not installed (apt-get install nginx-light)")]

TAGS, LEADERBOARD, FEATURED, RESTOCK = ("api/catalog/tags/", "api/accounts/leaderboard/",
                                        "api/catalog/products/featured/", "api/catalog/products/<int:pk>/restock/")
COUPON = "api/orders/coupons/<slug:code>/"


def _yaml(states: dict, ports: dict) -> str:
    lines = ["cutover:", f"  listen: \"127.0.0.1:{ports['nginx']}\"", "  parity: parity.json", "  upstreams:"]
    lines += [f"    {k}: \"127.0.0.1:{ports[k]}\"" for k in ("django", "go", "shadowdiff")]
    lines += ["  routes:"] + [f"    {json.dumps(k)}: {json.dumps(v)}" for k, v in states.items()]
    return "\n".join(lines) + "\n"


def _cutover(project: Path, tree: Path, states: dict, ports: dict) -> subprocess.CompletedProcess:
    (project / "migrator.yaml").write_text(_yaml(states, ports))
    return subprocess.run([sys.executable, "-m", "migrator", "cutover", str(project), "--gateway", "nginx",
                           "--generated", str(tree), "--out", str(project / "cutover")],
                          cwd=REPO, capture_output=True, text=True, timeout=60)


def _get(url: str, method: str = "GET", body: bytes | None = None) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, method=method, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers.get("X-Migrator-Upstream", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("X-Migrator-Upstream", ""), e.read()


def _metrics(base: str) -> dict[tuple[str, str], int]:
    text = urllib.request.urlopen(base + "/_shadowdiff/metrics", timeout=5).read().decode()
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            kind, route = name.removeprefix("shadowdiff_").removesuffix("}").split("_total{route=")
            out[(json.loads(route), kind)] = int(value)
    return out


@pytest.fixture(scope="module")
def stack(tmp_path_factory, loaded_templates):
    tmp = tmp_path_factory.mktemp("cutover")
    tree = tmp / "tree"
    shutil.copytree(REPO / "generated", tree, ignore=shutil.ignore_patterns(".github"))
    rows = tree / "sqlc" / "sqlitedb" / "sqlite.sql.go"  # tag_list answers these rows as they are
    text = rows.read_text()
    mutated = re.sub(r'(type PopularTagsTagValuesRow struct \{[^}]*?)`json:"n"`', r'\1`json:"count"`', text)
    assert mutated.count('`json:"count"`') == text.count('`json:"count"`') + 1  # tag_list: a renamed key
    rows.write_text(mutated)
    (tree / "bin").mkdir()
    go("build", "-o", str(tree / "bin") + "/", "./http", "./cmd/shadowdiff", cwd=tree)
    (tree / "bin" / "http").rename(tree / "bin" / "server")
    db = str(tmp / "db.sqlite3")
    shutil.copy(loaded_templates("sqlite"), db)  # migrated and loaded by Django once per session
    project = tmp / "project"
    project.mkdir()
    (project / "parity.json").write_text(json.dumps({"summary": {"http": {"passed": 40, "failed": 0}},
                                                     "could_not_run": {}, "cases": []}))
    procs = []
    with Servers(SAMPLE, tree, db) as s:
        ports = {"django": int(s.django.rsplit(":", 1)[1]), "go": int(s.go.rsplit(":", 1)[1]),
                 "shadowdiff": _free_port(), "nginx": _free_port()}
        log = tmp / "shadowdiff.jsonl"
        sd = subprocess.Popen([str(tree / "bin" / "shadowdiff"), "-listen", f"127.0.0.1:{ports['shadowdiff']}",
                               "-django", s.django, "-go", s.go, "-log", str(log)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        procs.append(sd)
        states = {TAGS: "shadow", COUPON: "shadow", RESTOCK: {"state": "shadow"}, LEADERBOARD: {"canary": 30},
                  FEATURED: "go"}
        done = _cutover(project, tree, states, ports)
        assert done.returncode == 0, done.stdout + done.stderr
        conf = tmp / "nginx.conf"
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf.write_text(f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log warn;\n"
                        f"events {{ worker_connections 256; }}\nhttp {{\n  access_log {tmp}/access.log;\n"
                        f"  client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n"
                        f"  include {project}/cutover/nginx.conf;\n}}\n")
        check = subprocess.run([NGINX, "-t", "-p", str(tmp), "-c", str(conf)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        ngx = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        procs.append(ngx)
        base = f"http://127.0.0.1:{ports['nginx']}"
        try:
            _wait(f"http://127.0.0.1:{ports['shadowdiff']}/_shadowdiff/metrics", sd, "shadowdiff")
            _wait(base + "/api/catalog/tags/", ngx, "nginx")
            yield {"base": base, "django": s.django, "go": s.go, "shadowdiff": f"http://127.0.0.1:{ports['shadowdiff']}",
                   "log": log, "project": project, "tree": tree, "ports": ports, "states": states, "conf": conf,
                   "tmp": tmp, "db": db}
        finally:
            for p in procs:
                p.send_signal(signal.SIGTERM if p is sd else signal.SIGQUIT)
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()


def _wait_for(predicate, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_routes_reach_the_configured_side(stack):
    base = stack["base"]
    status, upstream, body = _get(base + "/api/catalog/products/featured/")  # go
    assert (status, upstream) == (200, "go")
    assert body == _get(stack["go"] + "/api/catalog/products/featured/")[2]
    status, upstream, body = _get(base + "/api/catalog/products/")  # not configured: Django (a stub in Go)
    assert (status, upstream) == (200, "django")
    assert _get(stack["go"] + "/api/catalog/products/")[0] == 501
    status, upstream, body = _get(base + "/api/catalog/tags/")  # shadow: Django answers
    assert (status, upstream) == (200, "django")
    assert "n" in json.loads(body)["results"][0]  # Django's key, not the mutated Go's "count"


def _settled(base: str) -> dict:
    """The comparator's counters once they stop moving (comparisons run in the background)."""
    last = _metrics(base)
    while True:
        time.sleep(0.4)
        now = _metrics(base)
        if now == last:
            return now
        last = now


def test_mirrored_get_reaches_go_and_its_difference_is_recorded(stack):
    before = _settled(stack["shadowdiff"])
    for _ in range(3):
        assert _get(stack["base"] + "/api/catalog/tags/")[0] == 200
    coupon = _get(stack["django"] + "/api/orders/coupons/welcome10/")
    assert _get(stack["base"] + "/api/orders/coupons/welcome10/")[:2] == (coupon[0], "django")
    assert _wait_for(lambda: _metrics(stack["shadowdiff"]).get((TAGS, "compared"), 0) >= before.get((TAGS, "compared"), 0) + 3
                     and _metrics(stack["shadowdiff"]).get((COUPON, "compared"), 0) >= 1)
    m = _settled(stack["shadowdiff"])
    assert m[(TAGS, "compared")] - before.get((TAGS, "compared"), 0) == 3
    assert m[(TAGS, "differences")] - before.get((TAGS, "differences"), 0) == 3
    assert (COUPON, "differences") not in m  # a clean migrated route: compared, no difference
    lines = [json.loads(x) for x in stack["log"].read_text().splitlines()]
    tags = [x for x in lines if x["route"] == TAGS]
    assert tags and all(x["method"] == "GET" and x["path"] == "/api/catalog/tags/" for x in tags)
    assert any(d.startswith("$.results[0].count: django <missing> != go ") for d in tags[0]["differences"])
    assert any(d.startswith("$.results[0].n: django ") and d.endswith("!= go <missing>") for d in tags[0]["differences"])
    assert not [x for x in lines if x["route"] == COUPON]


def test_unsafe_methods_are_never_mirrored(stack):
    dump = django_side(SAMPLE, "shopapi.settings", stack["db"], "dump")
    product = dump["catalog.Product"][0]
    path = f"/api/catalog/products/{product['id']}/restock/"
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        _get(stack["base"] + path, method, json.dumps({"quantity": 5}).encode())
    _get(stack["base"] + "/api/catalog/tags/")  # a GET after them: once it is compared, any mirror has arrived
    m = _settled(stack["shadowdiff"])
    assert not [k for k in m if k[1] == "unsafe_mirrored"], m
    assert (RESTOCK, "compared") not in m
    after = django_side(SAMPLE, "shopapi.settings", stack["db"], "dump")
    stock = {p["id"]: p["stock"] for p in after["catalog.Product"]}
    assert stock[product["id"]] == product["stock"] + 5  # the POST restocked once: not replayed anywhere


def _share(base: str, path: str, n: int) -> dict[str, int]:
    with ThreadPoolExecutor(8) as pool:
        ups = list(pool.map(lambda _: _get(base + path), range(n)))
    assert all(s == 200 for s, _, _ in ups), {s for s, _, _ in ups}
    return {k: sum(1 for _, u, _ in ups if u == k) for k in ("go", "django")}


def test_canary_share_and_rollback(stack):
    share = _share(stack["base"], "/api/accounts/leaderboard/", 1000)
    assert share["go"] + share["django"] == 1000
    assert 250 <= share["go"] <= 350, share
    states = {**stack["states"], LEADERBOARD: "django", FEATURED: "django"}
    done = _cutover(stack["project"], stack["tree"], states, stack["ports"])
    assert done.returncode == 0, done.stderr
    reload = subprocess.run([NGINX, "-p", str(stack["tmp"]), "-c", str(stack["conf"]), "-s", "reload"],
                            capture_output=True, text=True)
    assert reload.returncode == 0, reload.stderr
    # the old worker finishes what it holds, then exits: wait until the new configuration answers alone
    assert _wait_for(lambda: all(_get(stack["base"] + "/api/catalog/products/featured/")[1] == "django"
                                 for _ in range(20)))
    assert _share(stack["base"], "/api/accounts/leaderboard/", 100) == {"go": 0, "django": 100}
