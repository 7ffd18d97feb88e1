"""The http target: URLconf -> Go routes (nethttp and fiber), served against a database Django migrated."""

from __future__ import annotations

import json
import re
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

from conftest import SAMPLE, go
from migrator.load.urlpatterns import merge_literals, positional_params
from migrator.load.urls import Unsupported, regex_parts, route_parts
from migrator.translate.http import RouteError, translate_path, translate_routes


def _p(name, conv="str", regex="[^/]+"):
    return {"param": name, "converter": conv, "regex": regex}


# route as Django spells it -> (ServeMux path, Fiber path, full path regex)
PATHS = [
    ("products/", "/products/{$}", "/products/", r"^/products/$"),
    ("", "/{$}", "/", r"^/$"),
    ("products/<int:pk>/", "/products/{pk}/{$}", "/products/:pk/", r"^/products/(?P<pk>[0-9]+)/$"),
    ("by-slug/<slug:slug>/", "/by-slug/{slug}/{$}", "/by-slug/:slug/", r"^/by\-slug/(?P<slug>[-a-zA-Z0-9_]+)/$"),
    ("u/<username>", "/u/{username}", "/u/:username", r"^/u/(?P<username>[^/]+)$"),
    ("files/<path:rest>", "/files/{rest...}", "/files/+", r"^/files/(?P<rest>.+)$"),
    ("sku/<uuid:sku>/", "/sku/{sku}/{$}", "/sku/:sku/",
     r"^/sku/(?P<sku>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/$"),
    ("a/<str:x>/<int:y>/b", "/a/{x}/{y}/b", "/a/:x/:y/b", r"^/a/(?P<x>[^/]+)/(?P<y>[0-9]+)/b$"),
]


@pytest.mark.parametrize("route,mux,fiber,regex", PATHS)
def test_route_translation(route, mux, fiber, regex):
    from migrator.translate.http import path_regex

    parts = route_parts(route, {})
    assert translate_path(parts)[:2] == (mux, fiber)
    assert path_regex(parts) == regex


# re_path regex -> ServeMux path (or None: left out with a diagnostic)
REGEXES = [
    (r"^launched/(?P<year>[0-9]{4})/$", "/launched/{year}/{$}"),
    (r"^a\.b/(?P<n>\d+)$", "/a.b/{n}"),
    (r"^archive/(?P<y>[0-9]{4})/(?P<m>[0-9]{2})/$", "/archive/{y}/{m}/{$}"),
    (r"^(?P<slug>[-\w]+)/$", "/{slug}/{$}"),
    (r"^articles/(\d+)/$", "/articles/{rest...}"),  # an unnamed group: a wider pattern, the regex decides
    (r"^a|b/$", None),  # alternation
    (r"^files/(?P<p>.+)", "/files/{rest...}"),  # no closing $: Django matches what it prefixes
    (r"^x/(?P<a>\w+)(?=y)/$", None),  # lookahead: not RE2
    (r"^page-(?P<n>[0-9]+)/$", "/{rest...}"),  # a parameter sharing a segment: a wider pattern
]


@pytest.mark.parametrize("regex,mux", REGEXES)
def test_regex_translation(regex, mux):
    try:
        got = translate_path(regex_parts(regex, endpoint=True))[0]
    except (Unsupported, RouteError):
        got = None
    assert got == mux


POSITIONAL = [  # (regex, the view's arguments after the request, its ServeMux pattern with the groups named)
    (r"^json/mark-read/(\d+)/$", ["id_lte", "notification_type_id"], "/json/mark-read/{id_lte}/{$}"),  # django-nyt
    (r"^a/(\d+)/(\w+)/$", ["x", "y"], "/a/{x}/{y}/{$}"),
    (r"^a/(\d+)/(\w+)/$", ["x"], "/a/{rest...}"),  # more groups than arguments: Django's TypeError, kept raw
    (r"^a/(\d+)/$", None, "/a/{rest...}"),  # the view takes *args (a class-based view's callback)
    (r"^a/(\d+)?/$", ["x"], "/a/{rest...}"),  # quantified: Django passes None when it matches nothing
    (r"^a/((\d)+)/$", ["x", "y"], "/a/{rest...}"),  # a group inside a group
    (r"^a/(?P<k>\d+)/(\d+)/$", ["k", "x"], "/a/{rest...}"),  # a named group too: Django passes no positional ones
    (r"^a/(?:\d+)/$", ["x"], "/a/{rest...}"),  # not capturing: nothing passed
]


@pytest.mark.parametrize("regex,names,mux", POSITIONAL)
def test_unnamed_groups_become_the_views_positional_arguments(regex, names, mux):
    assert translate_path(positional_params(merge_literals(regex_parts(regex, endpoint=True)), names))[0] == mux


def test_include_prefix_regex_has_no_dollar():
    assert regex_parts(r"^api/", endpoint=False) == [{"literal": "api/"}]


def _route(i, parts, methods=("GET",), view=None):
    return {"django": f"r{i}", "parts": parts, "view": view or f"app.views.v{i}", "methods": list(methods),
            "app": "app", "file": "app/views.py", "line": i + 1, "python": f"def v{i}(request): ...\n"}


def test_routes_keep_djangos_order_in_one_registration_when_it_matters():
    raw = [
        _route(0, [{"literal": "p/search/"}]),
        _route(1, [{"literal": "p/"}, _p("pk", "int", "[0-9]+"), {"literal": "/"}]),  # search is not an int
        _route(2, [{"literal": "p/launched/"}, _p("year", "regex", "[0-9]{4}"), {"literal": "/"}]),
        _route(3, [{"literal": "p/"}, _p("pk", "int", "[0-9]+"), {"literal": "/tags/"}]),  # conflicts with 2
        _route(4, [{"literal": "q/"}, _p("a"), {"literal": "/"}], methods=("POST",)),
        _route(5, [{"literal": "q/"}, _p("b", "slug", "[-a-zA-Z0-9_]+"), {"literal": "/"}]),  # same as 4
        _route(6, [{"literal": "r/"}, _p("x"), {"literal": "/"}]),
        _route(7, [{"literal": "r/new/"}], view="app.views.v6"),  # shadowed by 6 in Django
    ]
    m = translate_routes(raw)
    entries = {e.routes: (e.path, e.methods) for e in m.entries}
    # a converter narrower than a segment (int, regex, slug) registers every method: Django answers 404 for a value
    # it refuses whatever the method, so dispatch must decide before a 405 (tests/projects/library's return_loan:
    # GET /api/loans/x/return/ was ServeMux's 405 where Django answers 404); str and path keep the view's methods
    every = ("DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT")
    assert entries[(0,)] == ("/p/search/{$}", ("GET",))
    assert entries[(1,)] == ("/p/{pk}/{$}", every)
    assert entries[(2, 3)] == ("/p/{s1}/{s2}/{$}", every)
    assert entries[(4, 5)] == ("/q/{s1}/{$}", every)
    assert entries[(6, 7)] == ("/r/{s1}/{$}", ("GET",))
    assert [h.name for h in m.handlers] == ["V0", "V1", "V2", "V3", "V4", "V5", "V6"]  # one handler per view
    assert m.stubbed == 8 and m.migrated == 0


def test_handler_names_are_unique_and_avoid_package_names():
    raw = [_route(0, [{"literal": "a/"}], view="a.views.server"), _route(1, [{"literal": "b/"}], view="b.views.server"),
           _route(2, [{"literal": "c/"}], view="c.views.Server")]
    assert [h.name for h in translate_routes(raw).handlers] == ["Server2", "Server3", "Server4"]


# --------------------------------------------------------------------------- the server, for real

def _sample_route_count() -> int:
    """The sample URLconf's endpoints, counted by Django itself (independently of migrator)."""
    code = """
import os, sys, django
sys.path.insert(0, sys.argv[1]); os.chdir(sys.argv[1])
os.environ["DJANGO_SETTINGS_MODULE"] = "shopapi.settings"
django.setup()
from django.urls import URLPattern, get_resolver
def count(patterns):
    return sum(1 if isinstance(p, URLPattern) else count(p.url_patterns) for p in patterns)
print(count(get_resolver().url_patterns))
"""
    out = subprocess.run([sys.executable, "-c", code, str(SAMPLE)], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(url: str, method: str = "GET", headers: dict | None = None) -> tuple[int, dict, dict]:
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, dict(resp.headers), json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        body = exc.read()
        return exc.code, dict(exc.headers), json.loads(body) if body else None


@pytest.fixture(scope="module")
def migrated_db(tmp_path_factory, loaded_templates) -> str:
    db = str(tmp_path_factory.mktemp("db") / "shop.sqlite3")
    shutil.copy(loaded_templates("sqlite"), db)  # migrated and loaded by Django once per session
    return db


@pytest.fixture(scope="module", params=["nethttp", "fiber"])
def server_tree(request, sample_trees):
    tree = sample_trees(request.param)  # shared with the other tests of the session
    return request.param, tree.build("server"), tree.result


def test_generate_reports_routes_and_writes_scaffolds(server_tree):
    framework, out, result = server_tree
    n = _sample_route_count()
    notes = "\n".join(result.emitted.notes)
    migrated = re.search(rf"http \({framework}\): {n} routes, (\d+) migrated, (\d+) stubbed", notes)
    assert migrated and int(migrated.group(1)) >= 10 and int(migrated.group(1)) + int(migrated.group(2)) == n, notes
    files = result.emitted.files
    for name in ("http/main.go", "http/handlers_catalog.go", "http/handlers_orders.go", "http/handlers_accounts.go"):
        assert files[name].scaffold and "DO NOT EDIT" not in files[name].text, name
    for name in ("http/routes.go", "http/respond.go", "http/handlers_migrated.go", "http/values.go"):
        assert not files[name].scaffold and files[name].text.count("// Code generated by migrator. DO NOT EDIT.") == 1
    # a migrated view has its handler in the generated file, not a stub in the scaffold
    assert "func (s *Server) tagListMigrated(" in files["http/handlers_migrated.go"].text
    assert 's.migrated("catalog.views.tag_list", ' in files["http/routes.go"].text
    assert "func (s *Server) TagList(" not in files["http/handlers_catalog.go"].text
    assert "func (s *Server) ProductDetail(" in files["http/handlers_catalog.go"].text
    handlers = (out / "http" / "handlers_catalog.go").read_text()
    assert "//	def product_detail(request, pk):" in handlers  # the Python is quoted
    mod = (out / "go.mod").read_text()
    assert ("github.com/gofiber/fiber/v2 v2.52.15" in mod) == (framework == "fiber")


def test_server_serves_stubs_and_errors_and_shuts_down(server_tree, migrated_db):
    framework, out, _ = server_tree
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(out / "bin" / "server")], env={"DATABASE_URL": migrated_db, "PORT": str(port),
                                                                  "HOST": "127.0.0.1", "PATH": "/usr/bin:/bin"},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if _call(base + "/healthz")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "server did not come up"
            time.sleep(0.1)

        status, _, body = _call(base + "/api/catalog/products/7/")
        assert status == 501
        assert body == {"error": "not migrated", "view": "catalog.views.product_detail",
                        "source": "catalog/views.py:90"}
        # a regex route, and a class-based view
        status, _, body = _call(base + "/api/catalog/products/launched/2024/")  # migrated: real JSON
        assert status == 200 and body["year"] == 2024 and isinstance(body["results"], list)
        assert _call(base + "/api/orders/", "POST")[2]["view"] == "orders.views.OrderCollectionView"  # a stub
        # ProductReviewsView.post is migrated: get_object_or_404 of a product the database lacks, then the JSON body
        assert _call(base + "/api/catalog/products/987654/reviews/", "POST")[:3:2] == (404, {"error": "not found"})
        assert _call(base + "/api/catalog/products/3/reviews/", "POST")[:3:2] == (
            400, {"error": "rating must be between 1 and 5"})  # no body: `request.body or b"{}"`, no rating
        # Django's order: coupons/<slug:code>/ comes before <int:pk>/coupons/
        # (coupon_detail is migrated: no coupon "12" is its 404; <int:pk>/coupons/ would be a 405)
        assert _call(base + "/api/orders/coupons/12/")[:3:2] == (404, {"error": "not found"})
        # converters refuse what Django refuses
        assert _call(base + "/api/catalog/products/abc/")[0] == 404
        assert _call(base + "/api/catalog/products/launched/24/")[0] == 404
        status, _, body = _call(base + "/no/such/path/")
        assert status == 404 and body == {"error": "not found"}
        # @require_GET; CsrfViewMiddleware first (docs/auth.md): a POST with the CSRF token gets the view's 405
        token = "a" * 32
        status, headers, body = _call(base + "/api/catalog/products/", "POST",
                                      {"Cookie": f"csrftoken={token}", "X-CSRFToken": token})
        assert status == 405 and body == {"error": "method not allowed"}
        status, _, _ = _call(base + "/api/orders/1/status/", "GET")  # @require_POST
        assert status == 405
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        logs = proc.stdout.read()
    assert code == 0, logs
    lines = [json.loads(l) for l in logs.splitlines() if l.startswith("{")]
    listening = next(l for l in lines if l["msg"] == "listening")
    assert listening["routes"] == _sample_route_count()
    assert any(l["msg"] == "stopped" for l in lines)
    assert any(l["msg"] == "request" and l["status"] == 501 for l in lines)


_PY_DECIMAL_TEST = """package main

import (
\t"strconv"
\t"testing"
)

// cases: float (repr) -> str(decimal.Context(prec=15).create_decimal_from_float(x)), written by Python
var pyDecimalCases = [][2]string{
%s}

func TestPyDecimalOfFloatIsPythons(t *testing.T) {
\tfor _, c := range pyDecimalCases {
\t\tx, err := strconv.ParseFloat(c[0], 64)
\t\tif err != nil {
\t\t\tt.Fatal(err)
\t\t}
\t\tif got := PyDecimalOfFloat(x); got != c[1] {
\t\t\tt.Errorf("%%s: got %%v, Python says %%s", c[0], got, c[1])
\t\t}
\t}
\tfor v, want := range map[int64]string{0: "0", 480: "480", -7: "-7", 1234567890123456789: "1.23456789012346E+18"} {
\t\tif got := PyDecimalOfFloat(v); got != want {
\t\t\tt.Errorf("%%d: got %%v, want %%s", v, got, want)
\t\t}
\t}
\tif PyDecimalOfFloat(nil) != nil {
\t\tt.Error("NULL must stay null")
\t}
}

// cases: float (repr) -> json.dumps(x), written by Python: a float field of a response (PyFloat)
var pyFloatCases = [][2]string{
%s}

func TestPyFloatIsPythons(t *testing.T) {
\tfor _, c := range pyFloatCases {
\t\tx, err := strconv.ParseFloat(c[0], 64)
\t\tif err != nil {
\t\t\tt.Fatal(err)
\t\t}
\t\tif got, err := PyFloat(x).MarshalJSON(); err != nil || string(got) != c[1] {
\t\t\tt.Errorf("%%s: got %%s (%%v), Python says %%s", c[0], got, err, c[1])
\t\t}
\t}
}
"""


def test_decimal_aggregates_on_sqlite_are_written_as_django_converts_them(server_tree):
    """Sum/Min/Max of a decimal on SQLite: Django gives Context(prec=15).create_decimal_from_float(value),
    unquantized; PyDecimalOfFloat must give the same text for any float (Python itself is the oracle)."""
    import decimal
    import random
    import struct

    framework, out, _ = server_tree  # both frameworks: each tree builds its own http package
    rng = random.Random(7)
    values = [0.0, -0.0, 25.5, 480.01, 0.1 + 0.2, 1e20, 1e-7, 1e-6, 9.9999999999999995, 5e-324,
              1.7976931348623157e308, 999999999999999.9, 9999999999.99, 400000199.56]
    for _ in range(1500):
        values += [rng.uniform(-1e6, 1e6), round(rng.uniform(0, 1e5), 2) * rng.choice((1, 3, 7)),
                   struct.unpack("d", struct.pack("Q", rng.getrandbits(62)))[0],
                   # exact ties at the 16th digit: half even, not half up
                   rng.randrange(10 ** 14, 10 ** 15) + 0.5, float(rng.randrange(10 ** 14, 10 ** 15) * 10 + 5)]
    ctx = decimal.Context(prec=15)
    cases = "".join(f'\t{{"{v!r}", "{ctx.create_decimal_from_float(v)}"}},\n' for v in values)
    floats = "".join(f'\t{{"{v!r}", "{json.dumps(v)}"}},\n' for v in values + [1e16, 1e15, 1.5e-5, 1e-4, 123.0, 2.5e300])
    test = out / "http" / "pydecimal_test.go"
    test.write_text(_PY_DECIMAL_TEST % (cases, floats))
    try:  # and PyFloat, a response's float, against json.dumps on the same values
        go("test", "-run", "TestPyDecimalOfFloatIsPythons|TestPyFloatIsPythons", "./http", cwd=out)
    finally:
        test.unlink()


@pytest.mark.parametrize("source, expect", [
    ('Sum("orders__total")', "decimal 2"),  # a reverse relation, then a decimal column
    ('Max("orders__total")', "decimal 2"),
    ('Sum("profile__loyalty_points")', "IntegerField"),
    ('Avg("orders__total")', "unknown type"),  # its type and scale depend on the backend
    ('Sum(F("orders__total") * 2)', "unknown type"),  # an expression
    ('Sum("orders__total", distinct=True)', "unknown type"),
    ('Sum("orders__nope")', "not a column"),
    ('Sum("orders")', "not a column"),
    ('Sum("username")', "of a CharField"),
])
def test_aggregate_annotation_types(sample_analysis, source, expect):
    from migrator.translate.handlers import NotRecognised, ViewReader, Aggregate

    reader = ViewReader({"view": "v"}, sample_analysis.project, {}, [], None)
    try:
        f = reader.aggregate_field("auth.User", source, "x")
    except NotRecognised as exc:
        assert expect in str(exc), exc
        return
    got = f"decimal {f.decimal_places}" if isinstance(f, Aggregate) else f.internal_type
    assert got == expect


_PY_PARSE_TEST = """package main

import (
\t"testing"

\t"github.com/shopspring/decimal"
)

// cases: text -> what Python answers, written by Python: "ok <value>", "nonfinite" (Decimal) or "err <str(exc)>"
var pyDateCases = [][2]string{
%s}

var pyDecimalTextCases = [][2]string{
%s}

func TestPyDateIsPythons(t *testing.T) {
\tfor _, c := range pyDateCases {
\t\td, err := PyDate(c[0])
\t\tgot := "ok " + d.String()
\t\tif err != nil {
\t\t\tgot = "err " + err.Error()
\t\t}
\t\tif got != c[1] {
\t\t\tt.Errorf("%%q: got %%s, Python says %%s", c[0], got, c[1])
\t\t}
\t}
}

func TestPyDecimalIsPythons(t *testing.T) {
\tfor _, c := range pyDecimalTextCases {
\t\td, err := PyDecimal(c[0])
\t\tswitch {
\t\tcase c[1] == "nonfinite":
\t\t\tif err == nil || IsPyValueError(err) {
\t\t\t\tt.Errorf("%%q: got %%v, %%v; Python accepts a value Go cannot hold", c[0], d, err)
\t\t\t}
\t\tcase c[1][:3] == "err":
\t\t\tif !IsPyValueError(err) || "err "+err.Error() != c[1] {
\t\t\t\tt.Errorf("%%q: got %%v, %%v; Python says %%s", c[0], d, err, c[1])
\t\t\t}
\t\tdefault:
\t\t\tif err != nil || !d.Equal(decimal.RequireFromString(c[1][3:])) {
\t\t\t\tt.Errorf("%%q: got %%v, %%v; Python says %%s", c[0], d, err, c[1])
\t\t\t}
\t\t}
\t}
}
"""

DATE_TEXTS = ["2024-01-01", "20240101", "2024010100", "2024-W01", "2024W01", "2024-W01-1", "2024W017", "2024W01100",
              "2024-W53", "2020-W53", "2026-W53", "2024-02-30", "2024-02-29", "2023-02-29", "0000-01-01", "2024-13-01",
              "2024-00-10", "2024-01-00", "2024-1-01", "20240101é", "２０２４-01-01", "2024-01-01T00", "", "2024-01-0x",
              "2024-W00", "2024-W01-8", "2024-W01-0", "9999-W52-7", "9999-12-31", "0001-W01-1", "0001-01-01",
              " 2024-01-01", "2024-01-01 ", "2024-W011", "2024W01-1", "2024-0101", "2024-01-1", "abcd-01-01",
              "2024_01_01", "2024/01/01", "+024-01-01", "2024-+1-01", "1999-12-31", "2024-W5", "2024-W522", "2024-Wab",
              "2015W537", "2004-W53-7", "2009-W53", "2024-01-01\n", "1_024-01-01"]
DECIMAL_TEXTS = ["1e3", " 7 ", "+3", "1_000", "1__0", "_1", "١٢", "NaN", "-Infinity", "inf", "sNaN", "1.", ".5", "1e",
                 "0x10", " 1.50\n", "-0", "1E+3", "1_", "_", "1._5", "1e_3", "1e3_", "na_n", "1 0", "\u00a01\u00a0",
                 "+-1", "Infinity1", "nan123", "snan", "NAN", "1.2.3", "e3", "+.e1", "１", "Inf_", "1e+", "0e-0", "",
                 "   ", "12.50", "-12.345e-2", "0.000", "100000000000000000000.5", "1e-30", "--1", "1e1e1", "١٫٥",
                 "12,5", "$5", "5%", "٣.١٤", "\u20071", "1\u2028"]


def test_py_date_and_py_decimal_are_pythons(server_tree):
    """date.fromisoformat and decimal.Decimal of a query text: the Go helpers accept what Python accepts and give
    the same value, refuse what it refuses (with its message for dates); Python itself is the oracle."""
    import datetime
    import decimal

    framework, out, _ = server_tree
    if framework != "nethttp":
        pytest.skip("pyvalues.go is the same bytes on every framework (tests/test_gin.py compares them)")

    def date_case(s):
        try:
            return f"ok {datetime.date.fromisoformat(s).isoformat()}"
        except ValueError as exc:
            return f"err {exc}"

    def decimal_case(s):
        try:
            d = decimal.Decimal(s)
        except decimal.InvalidOperation as exc:
            return f"err {exc}"
        return "nonfinite" if not d.is_finite() else f"ok {d:f}"

    go_text = lambda s: json.dumps(s)  # noqa: E731 (a JSON string is a Go string literal for these texts)
    dates = "".join(f"\t{{{go_text(s)}, {go_text(date_case(s))}}},\n" for s in DATE_TEXTS)
    decimals = "".join(f"\t{{{go_text(s)}, {go_text(decimal_case(s))}}},\n" for s in DECIMAL_TEXTS)
    test = out / "http" / "pyparse_test.go"
    test.write_text(_PY_PARSE_TEST % (dates, decimals))
    try:
        go("test", "-run", "TestPyDateIsPythons|TestPyDecimalIsPythons", "./http", cwd=out)
    finally:
        test.unlink()


@pytest.mark.parametrize("missing", [["id_lte"], ["a", "b"], ["a", "b", "c"]])
def test_a_view_called_without_its_arguments_answers_pythons_typeerror_as_a_500(missing):
    """A route that gives the view fewer arguments than it requires (django-nyt's ``^json/mark-read/$``): Python
    raises TypeError at the call, below the decorators, and Django answers 500; the Go carries Python's message."""
    from migrator.translate.handlers_values import missing_arguments

    ns: dict = {}
    exec(f"def mark_read(request, {', '.join(missing)}): pass", ns)
    with pytest.raises(TypeError) as raised:
        ns["mark_read"](None)
    assert missing_arguments("mark_read", missing) == (
        f"return http.StatusInternalServerError, nil, errors.New({json.dumps(str(raised.value))})")


def test_a_missing_argument_a_routes_own_kwargs_may_give_is_not_read_as_a_500():
    from migrator.translate.handlers_values import NotRecognised, missing_arguments

    with pytest.raises(NotRecognised, match="a route passes keyword arguments"):
        missing_arguments("mark_read", ["id_lte"], extra=True)


def _held(conditions=(), off=()):
    from migrator.translate.handlers_optional import Refining

    return Refining(None, tuple(conditions), (), tuple(off))


_SITE = __import__("types").SimpleNamespace(file="nyt/views.py", line=114, chain=(
    __import__("types").SimpleNamespace(method="filter", condition="", line=103),
    __import__("types").SimpleNamespace(method="filter", condition="notification_type_id", line=109),
    __import__("types").SimpleNamespace(method="filter", condition="id_gte", line=112)))


@pytest.mark.parametrize("held, raised, why", [
    # mark_read on ^json/mark-read/(\d+)/$: id_gte is None there (off), the refused filter's test is never true
    (_held(off=("notification_type_id", "id_gte")), ("notification_type_id",), None),
    (_held(("id_gte",), ("notification_type_id",)), ("notification_type_id",), None),  # the named route
    # a path where the refused filter's test may hold: Python raises there, no query for it
    (_held(("notification_type_id", "id_gte")), ("notification_type_id",), "raises in Django"),
    # compiled with every filter: a path that never reads one of them is not the query's
    (_held(("id_gte",)), (), "which the view did not read on this path"),
    (_held(("id_gte",), ("notification_type_id",)), (), None),  # off on this path: its parameter is nil
])
def test_a_refined_queryset_matches_its_site_paths_off_and_filters_django_refused(held, raised, why):
    from types import SimpleNamespace

    from migrator.translate.handlers_optional import check
    from migrator.translate.handlers_values import NotRecognised

    try:
        check(_SITE, held, SimpleNamespace(raised=raised))
        got = None
    except NotRecognised as exc:
        got = str(exc)
    assert got == why or (why is not None and got is not None and why in got)


def test_an_optional_boolean_parameter_is_one_neutral_pointer():
    """django-nyt's ``filter(is_viewed=is_viewed)`` under ``if is_viewed is not None``: sqlc types the narg
    pgtype.Bool on PostgreSQL, sql.NullBool on SQLite; the store takes a *bool each adapter converts."""
    from migrator.translate.handlers_store import _CONVERT, param_type

    assert param_type("pgtype.Bool", "sql.NullBool") == "*bool"
    assert {_CONVERT[("*bool", t)] for t in ("pgtype.Bool", "sql.NullBool")} == {"PgBoolOf({})", "NullBoolOf({})"}
    assert param_type("pgtype.Bool", "sql.NullInt64") is None  # no one Go type
