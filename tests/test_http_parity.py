"""HTTP parity: every migrated endpoint answers what Django answers, on SQLite and PostgreSQL.

Django (``manage.py runserver``) and the generated Go service (nethttp and fiber) run on loopback
ports against the same database, migrated and loaded by Django; migrator.parity.http compares the
answers (status, JSON normalised). A mutation check changes a migrated view in a copy of the project
and expects the comparison to fail.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import SAMPLE, django_side, go
from migrator.parity.http import compare_endpoints

MIGRATED = {  # the sample views the http target must migrate (at least these)
    "accounts.views.loyalty_leaderboard", "accounts.views.profile_detail", "catalog.views.product_by_slug",
    "catalog.views.products_launched", "catalog.views.review_detail", "catalog.views.tag_list",
    "orders.views.coupon_detail", "orders.views.customer_lines", "orders.views.order_by_number",
    "orders.views.order_lines", "catalog.views.featured_products", "catalog.views.product_restock",
    "catalog.views.product_remove_tag", "catalog.views.product_by_sku", "orders.views.top_customers",
    "catalog.views.product_add_tag", "orders.views.coupon_list", "orders.views.attention_report",
    "orders.views.OrderCollectionView",  # GET (session 10); POST answers 501
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def trees(sample_trees):
    """framework -> (tree, generate result), generated with --target all and built once per session."""
    def get(framework: str):
        tree = sample_trees(framework)
        return tree.build("server"), tree.result
    return get


def _wait(url: str, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            out = proc.stdout.read() if proc.stdout and proc.poll() is not None else ""
            raise AssertionError(f"{what} did not come up: {out}")
        time.sleep(0.2)


class Servers:
    def __init__(self, project: Path, tree: Path, url: str):
        self.project, self.tree, self.url = project, tree, url
        self.procs: list[subprocess.Popen] = []

    def __enter__(self):
        dport, gport = _free_port(), _free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH", "DJANGO_DEBUG")}
        env.update({"DATABASE_URL": self.url} if self.url.startswith("postgres") else {"SQLITE_PATH": self.url})
        django = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{dport}"],
                                  cwd=self.project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.procs.append(django)
        server = subprocess.Popen([str(self.tree / "bin" / "server")],
                                  env={"DATABASE_URL": self.url, "PORT": str(gport), "HOST": "127.0.0.1",
                                       "PATH": "/usr/bin:/bin", "LOG_LEVEL": "error"},
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.procs.append(server)
        self.django, self.go = f"http://127.0.0.1:{dport}", f"http://127.0.0.1:{gport}"
        _wait(self.go + "/healthz", server, "the Go server")
        _wait(self.django + "/api/catalog/tags/", django, "Django")
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def parity_requests(url: str) -> list[str]:
    """GET requests for every migrated endpoint: values from the fixture, and values that find nothing."""
    dump = django_side(SAMPLE, "shopapi.settings", url, "dump")
    products = [p for p in dump["catalog.Product"] if p["is_active"]]
    launched = sorted({p["launch_date"][:4] for p in dump["catalog.Product"] if p["launch_date"]})
    reviews = dump["catalog.Review"]
    alive = next(r for r in reviews if r["deleted_at"] is None)
    deleted = [r for r in reviews if r["deleted_at"] is not None]
    profile = dump["accounts.Profile"][0]
    coupon = dump["orders.Coupon"][0]
    order = dump["orders.Order"][0]
    users = {u["id"]: u for u in dump["auth.User"]}
    email = next(users[o["user"]]["email"] for o in dump["orders.Order"] if users[o["user"]]["email"])
    reqs = [
        "/api/catalog/tags/",
        *[f"/api/catalog/products/launched/{y}/" for y in launched[:2]], "/api/catalog/products/launched/1999/",
        *[f"/api/catalog/products/by-slug/{p['slug']}/" for p in products[:3]], "/api/catalog/products/by-slug/no-such/",
        # a uuid path parameter: found, none with it, upper case (Django's converter refuses it: 404)
        *[f"/api/catalog/products/sku/{p['sku']}/" for p in products[:2]],
        "/api/catalog/products/sku/00000000-0000-4000-8000-000000000000/",
        f"/api/catalog/products/sku/{products[0]['sku'].upper()}/",
        "/api/orders/reports/top-customers/",
        f"/api/catalog/reviews/{alive['id']}/", "/api/catalog/reviews/987654/",
        *[f"/api/catalog/reviews/{r['id']}/" for r in deleted[:1]],
        f"/api/accounts/profiles/{profile['user']}/", "/api/accounts/profiles/987654/",
        "/api/accounts/leaderboard/",
        f"/api/orders/coupons/{coupon['code']}/", "/api/orders/coupons/no-such-coupon/",
        "/api/orders/coupons/",  # timezone.localdate(): active, expired and used-up coupons in the fixture
        "/api/orders/reports/attention/",  # timezone.now() - timedelta(days=1), Q conditions held in names
        f"/api/orders/reports/customer/{email}/", f"/api/orders/reports/customer/{email.upper()}/",
        # iexact is LIKE on SQLite, whose value Django escapes: "_" and "%" match themselves only, not any character
        f"/api/orders/reports/customer/{email.replace('.', '_')}/", "/api/orders/reports/customer/100%25percent@example.com/",
        "/api/orders/reports/customer/snake_case@example.com/",
        "/api/orders/reports/customer/nobody@example.com/",
        f"/api/orders/number/{order['number']}/", "/api/orders/number/NO-SUCH/",
        f"/api/orders/{order['id']}/lines/", "/api/orders/987654/lines/",
        *review_filter_requests(reviews),
        # 404 before 405: a value a converter refuses (int, slug) is Django's 404 whatever the method, a value it
        # takes reaches the view's require_POST / require_http_methods: a GET is its 405 (library's return_loan)
        "/api/catalog/products/no-such-value/restock/", f"/api/catalog/products/{products[0]['id']}/restock/",
        f"/api/catalog/products/{products[0]['id']}/tags/no.such/", f"/api/catalog/products/{products[0]['id']}/tags/any/",
        "/api/orders/no-such-value/status/", f"/api/orders/{order['id']}/status/",
        *[f"/api/orders/{q}" for q in ORDER_QUERIES],
        # newsletter_orders(since): date.fromisoformat inside try (400), an optional filter on two queries
        *[f"/api/orders/reports/newsletter/{q}" for q in (
            "", "?since=2000-01-01", f"?since={order['placed_at'][:10] if order['placed_at'] else '2024-01-01'}",
            "?since=2999-12-31", "?since=bad", "?since=", "?since=2024-W01", "?since=2024-02-30")],
    ]
    return reqs


# ProductReviewsView.get: int(x) if x else None and date.fromisoformat(x) if x else None inside try/except
# ValueError (400), then optional filters (sqlc.narg) and a nullable select_related (r.user ... if r.user)
REVIEW_QUERIES = ["", "?min_rating=3", "?min_rating=%207%20", "?min_rating=%2B4", "?min_rating=abc", "?min_rating=",
                  "?min_rating=%D9%A3", "?min_rating=1_0", "?min_rating=-1", "?since=20200101", "?since=2020-W01-1",
                  "?since=2020W017", "?since=2024010100", "?since=2020-02-30", "?since=0000-01-01", "?since=bad",
                  "?since=", "?since=2999-01-01", "?since=2020-1-01", "?min_rating=2&since=2000-01-01",
                  "?min_rating=x&since=bad", "?since=%EF%BC%92020-01-01"]


# OrderCollectionView.get: status__in of status.split(",") under `if status` (PostgreSQL's nullable array, SQLite's
# sqlc.slice and presence flag), email__iexact (escaped for SQLite's LIKE: "_" and "%" are no wildcards),
# placed_at__year (a datetime's bounds; a year Python's datetime refuses: 500), placed_at__date, total__gte,
# int()/Decimal()/date.fromisoformat() inside try (400), page and size clamped, the offset computed
ORDER_QUERIES = ["", "?status=paid", "?status=paid,shipped", "?status=PAID", "?status=,", "?status=", "?status=paid,",
                 "?email=JOSE@example.com", "?email=jose@example_com", "?email=snake_case@example.com",
                 "?email=100%25percent@example.com", "?email=%25@example.com", "?email=", "?user=2", "?user=abc", "?user=", "?user=987654",
                 "?year=2026", "?year=2025", "?year=0", "?year=10000", "?year=x", "?placed_on=2026-03-01",
                 "?placed_on=2026-03-02", "?placed_on=bad", "?min_total=480", "?min_total=480.00", "?min_total=abc",
                 "?min_total=NaN", "?min_total=-Infinity",  # Decimal() takes them, DecimalField refuses: 500 both
                 "?min_total=9999999999.99", "?page=2&size=5", "?page=0", "?size=1000", "?page=abc", "?size=-3",
                 "?status=paid,cancelled&year=2026&min_total=100&page=1&size=3", "?status=pending&placed_on=2026-03-01"]


def review_filter_requests(reviews) -> list[str]:
    products = sorted({r["product"] for r in reviews})[:3]
    days = sorted(r["created_at"][:10] for r in reviews)
    middle = days[len(days) // 2]
    out = [f"/api/catalog/products/{p}/reviews/{q}" for p in products[:1] for q in REVIEW_QUERIES]
    out += [f"/api/catalog/products/{p}/reviews/?since={middle}" for p in products]
    out += [f"/api/catalog/products/{p}/reviews/?since={middle.replace('-', '')}&min_rating=4" for p in products]
    return out + ["/api/catalog/products/987654/reviews/", "/api/catalog/products/987654/reviews/?since=bad"]


@pytest.mark.parametrize("framework", ["nethttp", "fiber"])
def test_migrated_endpoints_answer_what_django_answers(trees, loaded_db, framework):
    dialect, url, _ = loaded_db
    tree, result = trees(framework)
    notes = "\n".join(result.emitted.notes)
    migrated = set(next(n for n in result.emitted.notes if n.startswith("http: migrated ")).split(" ", 2)[2].split(", "))
    assert MIGRATED <= migrated, notes
    # the routes line counts migrated routes: a DRF viewset is one migrated view serving several routes
    manifest = json.loads((tree / "migrator-manifest.json").read_text())
    views = [v for v in manifest["http"]["views"] if v["status"] == "migrated"]
    assert {v["view"] for v in views} == migrated
    assert f"{sum(len(v['routes']) for v in views)} migrated" in notes
    requests = parity_requests(url)
    with Servers(SAMPLE, tree, url) as s:
        diffs = compare_endpoints(requests, s.django, s.go)
        # decimal aggregates as each backend converts them (PostgreSQL "25.50", SQLite "25.5"): exact text
        strict = [_get_json(base + "/api/orders/reports/top-customers/") for base in (s.django, s.go)]
        # a migrated handler really answers (not a 501 stub), and a stub still is one
        status = urllib.request.urlopen(s.go + "/api/catalog/tags/").status
        assert status == 200
        try:
            urllib.request.urlopen(s.go + "/api/catalog/stats/")
            raise AssertionError("stats is not migrated: 501 expected")
        except urllib.error.HTTPError as exc:
            assert exc.code == 501
        # only GET of review_detail is migrated: DELETE stays a stub
        req = urllib.request.Request(s.go + "/api/catalog/reviews/1/", method="DELETE")
        try:
            urllib.request.urlopen(req)
            raise AssertionError("DELETE of review_detail is not migrated: 501 expected")
        except urllib.error.HTTPError as exc:
            assert exc.code == 501
    assert not diffs, f"{dialect}/{framework}: {len(diffs)} differences:\n" + "\n".join(map(str, diffs[:30]))
    assert strict[0]["results"] and strict[0] == strict[1], strict


def _get_json(url: str):
    with urllib.request.urlopen(url) as r:
        return json.loads(r.read())


def test_a_changed_django_view_is_caught(trees, sample_copy, tmp_path, loaded_templates):
    """A migrated view changed in Django (a key renamed) must make the comparison fail."""
    tree, _ = trees("nethttp")
    db = str(tmp_path / "db.sqlite3")
    shutil.copy(loaded_templates("sqlite"), db)  # migrated and loaded by Django once per session
    views = sample_copy / "orders" / "views.py"
    text = views.read_text()
    assert 'data["used_by_orders"]' in text
    views.write_text(text.replace('data["used_by_orders"]', 'data["orders_using_it"]'))
    code = django_side(SAMPLE, "shopapi.settings", db, "dump")["orders.Coupon"][0]["code"]
    with Servers(sample_copy, tree, db) as s:
        same = compare_endpoints(["/api/orders/coupons/no-such/"], s.django, s.go)
        diffs = compare_endpoints([f"/api/orders/coupons/{code}/"], s.django, s.go)
    assert not same
    assert {d.where for d in diffs} >= {"$.used_by_orders", "$.orders_using_it"}, diffs


def write_requests(url: str) -> list[dict]:
    """The migrated writes, with good and bad input, in an order where later requests see earlier ones."""
    dump = django_side(SAMPLE, "shopapi.settings", url, "dump")
    tags = {t["id"]: t["slug"] for t in dump["catalog.Tag"]}
    product = next(p for p in dump["catalog.Product"] if p["tags"])
    pid, tag = product["id"], tags[product["tags"][0]]
    restock = f"/api/catalog/products/{pid}/restock/"
    add = f"/api/catalog/products/{pid}/tags/"
    existing = next(t["name"] for t in dump["catalog.Tag"] if t["id"] not in product["tags"])
    return [
        {"method": "POST", "path": restock, "body": {"quantity": 5}},
        {"method": "POST", "path": restock, "body": {"quantity": -1}},  # ServiceError -> 400
        {"method": "POST", "path": restock, "body": {"quantity": "5"}},  # not an int -> 400
        {"method": "POST", "path": restock, "body": {"quantity": 2.0}},  # a float is not an int -> 400
        {"method": "POST", "path": restock, "body": {}},
        {"method": "POST", "path": restock, "body": [1, 2]},  # JSON, but not an object -> 400
        {"method": "POST", "path": restock, "raw": "{not json"},
        {"method": "POST", "path": restock, "raw": ""},  # no body: `request.body or b"{}"` -> 400
        {"method": "POST", "path": "/api/catalog/products/987654/restock/", "body": {"quantity": 1}},  # DoesNotExist
        {"method": "POST", "path": restock, "body": {"quantity": 3}},
        {"method": "DELETE", "path": f"/api/catalog/products/{pid}/tags/{tag}/"},  # 204, the link row gone
        {"method": "DELETE", "path": f"/api/catalog/products/{pid}/tags/{tag}/"},  # now 404: no such tag
        {"method": "DELETE", "path": f"/api/catalog/products/{pid}/tags/no-such-tag/"},
        {"method": "DELETE", "path": f"/api/catalog/products/987654/tags/{tag}/"},  # get_object_or_404
        {"method": "GET", "path": restock},  # require_POST: 405
        # get_or_create(slug=slugify(name)) then tags.add: 201 when the tag is new, 200 when it exists
        {"method": "POST", "path": add, "body": {"tag": "Brand New"}},
        {"method": "POST", "path": add, "body": {"tag": "brand   new"}},  # the same slug: found, 200
        {"method": "POST", "path": add, "body": {"tag": existing}},  # an existing tag, linked now
        {"method": "POST", "path": add, "body": {"tag": "  Crème Brûlée -- _x_ !\u2003"}},  # NFKD, ASCII, strip
        {"method": "POST", "path": add, "body": {"tag": "日本語"}},  # slug "": created
        {"method": "POST", "path": add, "body": {"tag": "中文"}},  # slug "" again: found (the first one)
        {"method": "POST", "path": add, "body": {"tag": " \u3000\t"}},  # Python's whitespace: 400
        {"method": "POST", "path": add, "body": {}},  # None or "" -> 400
        {"method": "POST", "path": add, "body": {"tag": 7}},  # int has no strip(): a 500 in Django
        {"method": "POST", "path": add, "body": {"tag": ["x"]}},
        {"method": "POST", "path": add, "raw": "{bad"},
        {"method": "POST", "path": "/api/catalog/products/987654/tags/", "body": {"tag": "x"}},
    ]


QUERY_CASES = ["", "?limit=3", "?limit=abc", "?limit=", "?limit=%207%20", "?limit=%2B2", "?limit=1_0", "?limit=_1",
               "?limit=0", "?limit=-1", "?limit=51", "?limit=50", "?limit=1&limit=x", "?limit=%C2%B2", "?limit=%D9%A3"]
# not compared: an integer beyond 64 bits (Python compares it with the bounds, the Go handler answers 500)


@pytest.mark.parametrize("framework", ["nethttp", "fiber"])
def test_migrated_writes_answer_and_leave_what_django_does(trees, loaded_db, framework):
    """Each side runs the same sequence of writes on its own copy of the loaded database: every answer
    (status and JSON) is compared, then every table."""
    from migrator.parity.http import compare_answers, fetch, request_body
    from migrator.parity.values import table_difference

    dialect, url, copy = loaded_db
    tree, _ = trees(framework)
    requests = write_requests(url)
    dj_url, go_url = copy(f"wdj{framework}"), copy(f"wgo{framework}")
    with Servers(SAMPLE, tree, dj_url) as s:
        dj = [fetch(s.django, r["method"], r["path"], body=request_body(r)) for r in requests]
    with Servers(SAMPLE, tree, go_url) as s:
        go_ = [fetch(s.go, r["method"], r["path"], body=request_body(r)) for r in requests]
    assert [a[0] for a in dj] == [200, 400, 400, 400, 400, 400, 400, 400, 404, 200, 204, 404, 404, 404, 405,
                                  201, 200, 200, 201, 201, 200, 400, 400, 500, 500, 400, 404], dj
    diffs = [d for r, a, b in zip(requests, dj, go_) for d in compare_answers(r["method"], r["path"], a, b)]
    assert not diffs, f"{dialect}/{framework}: " + "\n".join(map(str, diffs))
    after_dj = django_side(SAMPLE, "shopapi.settings", dj_url, "dump")
    after_go = django_side(SAMPLE, "shopapi.settings", go_url, "dump")
    before = django_side(SAMPLE, "shopapi.settings", url, "dump")
    assert after_dj["catalog.Product"] != before["catalog.Product"]  # the writes did write
    for label in sorted(set(after_dj) | set(after_go)):
        assert not table_difference(label, after_go.get(label), after_dj.get(label)), label


@pytest.mark.parametrize("framework", ["nethttp", "fiber"])
def test_bad_query_input_answers_400_as_django(trees, loaded_db, framework):
    """int() of a query parameter: Python's own ValueError message in the 400, range checks, edge text."""
    dialect, url, _ = loaded_db
    tree, _ = trees(framework)
    with Servers(SAMPLE, tree, url) as s:
        paths = ["/api/catalog/products/featured/" + q for q in QUERY_CASES]
        diffs = compare_endpoints(paths, s.django, s.go)
    assert not diffs, f"{dialect}/{framework}: " + "\n".join(map(str, diffs))


def test_python_error_text_reaches_the_client(trees, loaded_db):
    dialect, url, _ = loaded_db
    tree, _ = trees("nethttp")
    with Servers(SAMPLE, tree, url) as s:
        for base in (s.django, s.go):
            try:
                urllib.request.urlopen(base + "/api/catalog/products/featured/?limit=a%27b")
                raise AssertionError("400 expected")
            except urllib.error.HTTPError as exc:
                assert exc.code == 400
                assert json.loads(exc.read()) == {"error": "invalid literal for int() with base 10: \"a'b\""}
