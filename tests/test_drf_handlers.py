"""DRF handlers (translate/drf_handlers): the field mapping on tiny inputs, and the drf_api project generated
with its eligible viewset migrated on both frameworks, the Go vetted and built."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migrator.translate.drf_handlers import Unsupported, _assign
from migrator.translate.drf_types import GoField

ROOT = Path(__file__).resolve().parent.parent


def test_assign_formats_and_refusals():
    assert _assign(GoField("Price", "price", "string", "drfjson.Decimal({v}.String(), 2)"), "Price", "decimal.Decimal") == [
        "item.Price, err = drfjson.Decimal(row.Price.String(), 2)", "if err != nil {\n\t\treturn item, err\n\t}"]
    assert _assign(GoField("Kind", "kind", "int64"), "Kind", "int32") == ["item.Kind = int64(row.Kind)"]
    assert 'drfLocation("Europe/Paris")' in _assign(GoField("A", "a", "string", "drfjson.DateTime({v}, loc)"), "A",
                                                    "interface{}", "Europe/Paris")[0]
    assert _assign(GoField("N", "n", "*string"), "N", "*string") == ["item.N = row.N"]  # NULL is nil: null
    with pytest.raises(Unsupported):
        _assign(GoField("N", "n", "*string"), "N", "string")  # the column's nullability is not the field's
    with pytest.raises(Unsupported):
        _assign(GoField("N", "n", "*int64"), "N", "*int32")  # a conversion of a pointer: not generated yet
    # JSONField: Django's json.loads of the text, DRF's dumps of it again; SQL NULL (nil) is null
    assert _assign(GoField("J", "j", "json.RawMessage"), "J", "*djtypes.JSON") == [
        "if row.J != nil {\n\t\titem.J = json.RawMessage(*row.J)\n\t}"]
    assert _assign(GoField("J", "j", "json.RawMessage"), "J", "djtypes.JSON") == ["item.J = json.RawMessage(row.J)"]
    with pytest.raises(Unsupported):
        _assign(GoField("K", "k", "int64"), "K", "interface{}")  # a value the neutral store does not type


def test_nested_many_runs_the_related_manager_per_row():
    """A nested many=True field: its related manager's query with the row's pk (a pointer for a nullable key), []
    when empty, each row through the nested item; the item's name and host decided later (placeholders)."""
    from migrator.translate.drf_nested import NotNested, count_field, nested_field, nested_query, resolve
    from migrator.translate.handlers_store import Param, StoreMethod

    def method(ptype, command="many"):
        return StoreMethod("VLineAll", (Param("instance_id", ptype, "", {}),), "", "[]ShopLine", "ShopLine", {})

    class Q:
        def __init__(self, site, command="many"):
            self.site, self.command, self.name = site, command, "VLineAll"

    class Store:
        methods = {"VLineAll": method("*int64")}

    mine = [Q("shop/views.py:9:15/retrieve", "one"), Q("shop/views.py:9:15/nested_lines")]
    assert nested_query(mine, "lines", Store).name == "VLineAll"
    with pytest.raises(NotNested):
        nested_query(mine, "other", Store)
    Store.methods = {"VLineAll": StoreMethod("VLineAll", (), "", "[]ShopLine", "ShopLine", {})}  # no owner parameter
    with pytest.raises(NotNested):
        nested_query(mine, "lines", Store)
    line, stmts, spec = nested_field("Lines", "lines", method("*int64"), "s.LS", None,
                                     lambda row, struct: (["ID int64 `json:\"id\"`"], ["item.ID = row.ID"]))
    assert spec == dict(serializer="s.LS", row="ShopLine", fields=["ID int64 `json:\"id\"`"], assigns=["item.ID = row.ID"])
    names, hosts = {("s.LS", "ShopLine"): "drfLS"}, {("s.LS", "ShopLine"): True}
    assert resolve(line, names, hosts) == "Lines []drfLSItem `json:\"lines\"`"
    assert [resolve(s, names, hosts) for s in stmts] == [
        "nestedLines, err := s.Store.VLineAll(ctx, &row.ID)",
        "if err != nil {\n\t\treturn item, err\n\t}",
        "item.Lines = make([]drfLSItem, 0, len(nestedLines))",
        "for _, r := range nestedLines {\n\t\tx, err := drfLSOf(host, r)\n\t\tif err != nil {\n\t\t\treturn item, err"
        "\n\t\t}\n\t\titem.Lines = append(item.Lines, x)\n\t}"]
    count = StoreMethod("VLineCount", (Param("instance_id", "int64", "", {}),), "", "int64", "", {})
    Store.methods = {"VLineAll": count}
    assert nested_query(mine, "lines", Store, count=True) is count
    with pytest.raises(NotNested):
        nested_query(mine, "lines", Store)  # a list is wanted, the store has a count
    assert count_field("N", count) == ["item.N, err = s.Store.VLineCount(ctx, row.ID)",
                                       "if err != nil {\n\t\treturn item, err\n\t}"]
    assert "VLineAll(ctx, row.ID)" in nested_field("Lines", "lines", method("int64"), "s.LS", None,
                                                   lambda row, struct: ([], []))[1][0]


def test_nested_site_is_the_related_managers_all():
    """DRF renders a nested many=True field as instance.<source>.all(): a derived site on the related manager."""
    from migrator.ir import QuerySetSite
    from migrator.load.drf_sites import derived, nested_sites

    site = QuerySetSite("shop/views.py:9:15", "shop/views.py", 9, 15, "V", "shop.Order", "Order.objects", (), "static")
    ser = {"model": "shop.Order", "fields": [
        {"name": "lines", "source": "lines", "related_manager": True, "related_model": "shop.Line"},
        {"name": "tags", "source": "tags", "related_manager": False, "related_model": "shop.Tag"},
        {"name": "w", "source": "w", "related_manager": True, "related_model": "shop.W", "write_only": True},
        {"name": "n", "kind": "count", "source": "lines", "related_manager": True, "related_model": "shop.Line"}]}
    got = nested_sites(site, ser)
    assert [(s.id, s.model, s.root, s.manager, s.related_from, [c.method for c in s.chain]) for s in got] == [
        ("shop/views.py:9:15/nested_lines", "shop.Line", "instance.lines", "lines", "shop.Order", ["all"]),
        ("shop/views.py:9:15/nested_n", "shop.Line", "instance.lines", "lines", "shop.Order", ["count"])]
    assert derived(got[0].id) and nested_sites(site, None) == []


def test_derived_detail_site_is_drf_get_object(monkeypatch):
    """Each routed DRF view with a class-level queryset site gets `<chain>.get(pk=pk)`: the query DRF's get_object runs."""
    from migrator.ir import App, Call, Project, QuerySetSite
    from migrator.load import drf_sites

    site = QuerySetSite("shop/views.py:9:15", "shop/views.py", 9, 15, "V", "shop.P", "P.objects",
                        (Call("order_by", line=9),), "static")
    inner = QuerySetSite("shop/views.py:12:15", "shop/views.py", 12, 15, "V.get_queryset", "shop.P", "P.objects", (),
                         "static")
    project = Project("/nowhere", "s", "5", apps=(App("rest_framework", "rest_framework", ""),), querysets=(site, inner))
    views = {"shop.views.V": {"view": "shop.views.V", "file": "shop/views.py", "lookup_field": "pk", "lookup_url_kwarg": ""},
             "shop.views.W": {"view": "shop.views.W", "file": "shop/views.py", "lookup_field": "slug",
                              "lookup_url_kwarg": ""}}
    monkeypatch.setattr(drf_sites, "read_drf", lambda project, fresh=False: {"views": views})
    got = drf_sites.with_drf_sites(project).querysets
    assert got[:2] == (site, inner) and len(got) == 3
    assert (got[2].id, [c.method for c in got[2].chain]) == ("shop/views.py:9:15/retrieve", ["order_by", "get"])
    assert got[2].chain[-1].args[0].keyword == "pk" and got[2].chain[-1].args[0].kind == "runtime"
    # no class-level queryset (helpdesk's UserTicketViewSet): its read get_queryset stands on the class line
    views = {"shop.views.U": {"view": "shop.views.U", "file": "shop/views.py", "line": 30, "lookup_field": "pk",
                              "lookup_url_kwarg": "", "scoped": "P.objects.filter(a=1)", "scoped_model": "shop.P"},
             "shop.views.X": {"view": "shop.views.X", "file": "shop/views.py", "line": 40, "lookup_field": "pk",
                              "lookup_url_kwarg": "", "scoped": "P.objects.filter(a=1)", "scoped_model": "shop.P",
                              "scoped_sets": ["unread_method"]},  # what the method sets is not read: no site
             "shop.views.Y": {"view": "shop.views.Y", "file": "shop/views.py", "line": 50, "lookup_field": "pk",
                              "lookup_url_kwarg": "", "scoped": "P.custom.all()", "scoped_model": "shop.P"}}
    got = drf_sites.with_drf_sites(project).querysets[2:]
    assert [(s.id, s.function, s.model, s.root, [c.method for c in s.chain]) for s in got] == [
        ("shop/views.py:30:0/scoped", "U", "shop.P", "P.objects", ["filter"]),
        ("shop/views.py:30:0/scoped/retrieve", "U", "shop.P", "P.objects", ["filter", "get"])]


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["nethttp", "fiber"])
def test_drf_api_eligible_viewsets_migrated(tmp_path, framework):
    """The eligible viewsets' Go: one function per viewset (list and detail share the row conversion, one per
    serializer); the detail runs its own WHERE pk query. The Fiber tree also passes parity on SQLite."""
    out = tmp_path / "gen"
    proc = subprocess.run([sys.executable, "-m", "migrator", "generate", "tests/projects/drf_api", "--out", str(out),
                           "--framework", framework], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert ("http: migrated rest_framework.routers.APIRootView, shop.views.MemberProducts, shop.views.PagedProducts, "
            "shop.views.PlainProducts, shop.views.SizedProducts, shop.views.StaffProducts, shop.views.TaskViewSet, "
            "shop.views.TokenProducts\n") in proc.stdout
    assert f"http ({framework}): 43 routes, 30 migrated, 13 stubbed" in proc.stdout
    text = (out / "http" / "drf_views.go").read_text()
    assert "\titem.Spent = drfjson.Duration(row.Spent.Microseconds())\n\tif row.Pause != nil {" in \
        text  # DurationField: duration_string, the nullable one a pointer
    assert "\titem.Attachment = drfjson.FileURL(host, \"/media/\", row.Attachment)\n" in text  # FileField's URL
    assert "return drfList(req, rows, err, func(r ShopTask) (drfTaskSerializerItem, error) { return " \
           "drfTaskSerializerOf(drfHost(req), r) }, drfUnpaginated)" in text  # build_absolute_uri: the request's host
    assert text.count("func drfPlainProductSerializerOf(row ShopProduct)") == 1
    assert "return drfRetrieve(ctx, pk, s.Store.PlainProductsProductGet, drfPlainProductSerializerOf, \"Product\")" in text
    assert "drfList(req, rows, err, drfPlainProductSerializerOf, drfLimitOffset(3, 0))" in text
    assert "drfList(req, rows, err, drfPlainProductSerializerOf, drfPageNumber(2))" in text
    assert "drfList(req, rows, err, drfPlainProductSerializerOf, drfPageNumberSized(3, \"size\", 0))" in text
    assert '\tdrfRootJSON = [][2]string{\n\t\t{"products", "/api/products.json"},' in text  # the API root's links
    sql = (out / "sqlc" / "queries" / "sqlite.sql").read_text()
    # a get() on the primary key matches one row at most: sqlc's :one, exact, no wrapper (sqlcstep/getone.py)
    assert '-- name: PlainProductsProductGet :one' in sql and 'WHERE "shop_product"."id" = sqlc.arg(pk) LIMIT 21;' in sql
    assert not (out / "sqlc" / "sqlitedb" / "getone.go").exists()
    for cmd in (["go", "vet", "./http/", "./drfjson/"], ["go", "build", "./..."]):
        r = subprocess.run(cmd, cwd=out, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stdout + r.stderr
    if framework == "fiber":
        assert _parity(tmp_path, None, "--generated", str(out), "--no-generate") == PARITY


def test_strict_comparison_sees_what_normalisation_forgives():
    from migrator.parity.http import compare_answers

    def ans(body: bytes):
        return 200, "application/json", body

    assert compare_answers("GET", "/", ans(b'{"a": "1.50", "b": 1}'), ans(b'{"b": 1, "a": "1.50"}')) == []
    for go in (b'{"b": 1, "a": "1.50"}', b'{"a": 1.5, "b": 1}', b'{"a": "1.50", "b": 1.0}'):
        diffs = compare_answers("GET", "/", ans(b'{"a": "1.50", "b": 1}'), ans(go), strict=True)
        assert [d.where for d in diffs][:1] == ["$ (exact: keys, order, types, values)"], go
    assert compare_answers("GET", "/", ans(b'{"a": "1.50"}'), ans(b'{"a": "1.50"}'), strict=True) == []


def _parity(tmp_path, database: str | None, *more: str) -> dict:
    report = tmp_path / "parity.json"
    cmd = [sys.executable, "-m", "migrator", "parity", "tests/projects/drf_api", "--only", "http", "--json", str(report),
           *more]
    proc = subprocess.run(cmd + (["--database", database] if database else []), cwd=ROOT, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    got = json.loads(report.read_text())["summary"]["http"]
    return {k: got[k] for k in ("passed", "failed", "skipped")}


# six viewsets x (list: plain, .json, unknown format, 9 values of each pagination parameter (page, limit,
# offset, the client's page size) and of ?format= on each of the four routes; detail: up to eight pks, one
# without a row, one int() refuses), and the API root and its .json (with ?format=, which its links keep)
# (StaffProducts: DRF's 403 for anonymous requests, IsAdminUser; TaskViewSet: DurationFields; TokenProducts: DRF's
# 401 with WWW-Authenticate: Token for a request without a token)
PARITY = {"passed": 621, "failed": 0, "skipped": 0}  # 600 before each <int:...> route was also asked for 4294967297


@pytest.mark.slow
def test_drf_parity_sqlite(tmp_path):
    """Lists with their pages (PageNumberPagination, LimitOffsetPagination with PAGE_SIZE), .json, unknown format,
    details, a pk without a row and one int() refuses: exactly DRF's JSON, links included."""
    assert _parity(tmp_path, None) == PARITY


@pytest.mark.slow
def test_drf_parity_postgresql(tmp_path, postgres_server):
    assert _parity(tmp_path, postgres_server.url()) == PARITY
