"""Which DRF GET endpoints are eligible for a Go handler: table tests on in-memory DRFViews, and
`migrate drf` on a tiny DRF project (tests/projects/drf_api) with its exact report."""

from __future__ import annotations

import pytest

from conftest import REPO, run_cli
from migrator.ir_drf import DRFView, Pagination as P, Serializer, SerializerField as F
from migrator.translate.drf_views import API_ROOT, endpoints, reason_counts, view_reason, view_reasons

SER = Serializer("PS", "s.PS", "shop.Product", (F("id", "value", "IntegerField", internal_type="AutoField"),))
METHOD = Serializer("MS", "s.MS", "shop.Product", (F("t", "method", "SerializerMethodField"),))
NESTS = Serializer("NS", "s.NS", "shop.Order", (F("p", "nested", "MS", serializer="s.MS"),))
RELATED = Serializer("RS", "s.RS", "shop.Product", (F("c", "value", "CharField", source="category.name"),))
# nested many=True over a related manager: DRF's .all() per object (one level moves; a nest in it does not)
LINES = Serializer("LS", "s.LS", "shop.Order", (F("lines", "nested", many=True, related_manager=True,
                                                  serializer="s.PS", source="lines"),))
DEEP = Serializer("DS", "s.DS", "shop.Client", (F("orders", "nested", many=True, related_manager=True,
                                                  serializer="s.LS", source="orders"),))
INNER_STUB = Serializer("IS", "s.IS", "shop.Order", (F("lines", "nested", many=True, related_manager=True,
                                                       serializer="s.MS", source="lines"),))
TO_FIELD = Serializer("TS", "s.TS", "shop.Order", (F("lines", "nested", many=True, serializer="s.PS"),))
# methods read into value trees (load/drf_method): generated, not in a nested serializer
TREE = F("q", "expr", "SerializerMethodField", expr='["const", "x"]')
READ = Serializer("ES", "s.ES", "shop.Product", (TREE, F("t", "method", "SerializerMethodField", reason="'f(obj)' is not read"),
                                                F("c", "value", "CharField", source="category.name")))
READ_ONLY = Serializer("ES2", "s.ES2", "shop.Product", (TREE, F("id", "value", "IntegerField", internal_type="AutoField")))
NESTS_READ = Serializer("NES", "s.NES", "shop.Order", (F("lines", "nested", many=True, related_manager=True,
                                                         serializer="s.ES2", source="lines"),))
ANY = ("rest_framework.permissions.AllowAny",)


def V(**kw) -> DRFView:
    base = dict(view="v.V", base="ReadOnlyModelViewSet", serializer="s.PS", model="shop.Product",
                permission_classes=ANY)
    return DRFView(**{**base, **kw})


VIEWS = [
    (V(), ""),
    (V(base="ListAPIView", pagination=P("PageNumberPagination", size=2)), ""),
    (V(pagination=P("LimitOffsetPagination")), ""),
    (V(base="APIView"), "a APIView view: only the generic list / retrieve views and model viewsets move"),
    (V(overrides=("get_queryset",)), "overrides get_queryset"),
    (V(model=""), "no static queryset class attribute"),
    (V(permission_classes=ANY + ("rest_framework.permissions.IsAuthenticated",)), ""),  # djauth runs it
    (V(permission_classes=("shop.perms.IsOwner",)), "permission_classes IsOwner"),
    (V(filter_backends=("django_filters.rest_framework.DjangoFilterBackend",)), "filter_backends DjangoFilterBackend"),
    (V(negotiation="renderer_classes JSONRenderer"), "content negotiation: renderer_classes JSONRenderer"),
    (V(authentication_classes=("rest_framework.authentication.BasicAuthentication", "x.JWTAuthentication")),
     "authentication_classes JWTAuthentication"),
    (V(throttle_classes=("rest_framework.throttling.AnonRateThrottle",)), "throttle_classes AnonRateThrottle"),
    (V(pagination=P("CursorPagination")), "pagination CursorPagination"),
    (V(pagination=P("PageNumberPagination", unsupported="overrides get_page_size")),
     "pagination PageNumberPagination (overrides get_page_size)"),
    (V(pagination=P("PageNumberPagination", unsupported="sets page_size_query_param")),
     "pagination PageNumberPagination (sets page_size_query_param)"),
    (V(serializer="s.Other"), "serializer s.Other is not a ModelSerializer the loader read"),
    (V(serializer="s.MS"), "serializer field MS.t (SerializerMethodField)"),
    (V(serializer="s.NS"),
     "serializer field NS.p (reads related rows: a nested serializer of one related row (a second query) is not "
     "generated yet)"),
    (V(serializer="s.LS"), ""),
    (V(serializer="s.DS"), "serializer field DS.orders (nested serializer: LS.lines (reads related rows: a "
                           "serializer nested in a nested serializer is not generated yet))"),
    (V(serializer="s.IS"), "serializer field IS.lines (nested serializer: MS.t (SerializerMethodField))"),
    (V(serializer="s.TS"), "serializer field TS.lines (reads related rows: a nested many=True serializer over a "
                           "to_field key, a custom through table or a property)"),
    (V(serializer="s.RS"), "serializer field RS.c (reads related rows: a query per relation is not generated yet)"),
    (V(serializer="s.ES"), "serializer field ES.t (SerializerMethodField: 'f(obj)' is not read)"),
    (V(serializer="s.ES2"), ""),  # its Go is generated (translate/drf_method)
    (V(serializer="s.NES"), "serializer field NES.lines (nested serializer: ES2.q (a SerializerMethodField in a "
                            "nested serializer is not generated yet))"),
]


@pytest.mark.parametrize("view,reason", VIEWS)
def test_view_reason(view, reason):
    assert view_reason(view, {s.dotted: s for s in (SER, METHOD, NESTS, RELATED, LINES, DEEP, INNER_STUB, TO_FIELD, READ,
                                                        READ_ONLY, NESTS_READ)}) == reason


def test_every_failed_rule_counted_once_per_view():
    views = {"a": V(overrides=("get_queryset", "get_object"), permission_classes=("x.IsAdminUser",)),
             "b": V(overrides=("get_queryset",), serializer="s.MS"), "c": V()}
    assert view_reasons(views["a"], {}) == ["overrides get_queryset, get_object",
                                            "permission_classes IsAdminUser",
                                            "serializer s.PS is not a ModelSerializer the loader read"]
    assert reason_counts(views, (SER, METHOD)) == [
        ("overrides get_queryset", 2), ("overrides get_object", 1), ("permission_classes IsAdminUser", 1),
        ("serializer field SerializerMethodField", 1)]
    # a reason ending in its own parenthesis keeps it (the rule's key drops only the one closing "serializer field")
    assert reason_counts({"e": V(serializer="s.ES")}, (READ,)) == [
        ("serializer field SerializerMethodField: 'f(obj)' is not read", 1)]


def test_endpoints_per_get_action():
    routes = [{"django": "api/^p/$", "view": "v.V", "actions": {"GET": "list", "POST": "create"}},
              {"django": "api/^p\\.(?P<format>[a-z0-9]+)/?$", "view": "v.V", "actions": {"GET": "list"}},
              {"django": "api/^p/(?P<pk>[^/.]+)/dl/$", "view": "v.V", "actions": {"GET": "download"}},
              {"django": "api/^p/$", "view": "v.V", "actions": {"POST": "create"}}]
    got = [(e.route, e.action, e.eligible, e.reason) for e in endpoints(routes, {"v.V": V()}, (SER,))]
    assert got == [("api/^p/$", "list", True, ""),
                   ("api/^p\\.(?P<format>[a-z0-9]+)/?$", "list", True, ""),  # the handler answers .json
                   ("api/^p/(?P<pk>[^/.]+)/dl/$", "download", False, "@action download")]


LINKS = {"plain": [["p", "/api/p/"]], "json": [["p", "/api/p.json"]]}


def _root(ns: str = "", **view) -> dict:
    return {"django": "api/", "view": API_ROOT, "kind": "class", "actions": {"GET": "get"}, "namespace": ns, **view}


@pytest.mark.parametrize("routes,roots,perms,reason", [
    ([_root()], {"": LINKS}, ANY, ""),
    ([_root(), _root(django="api/<drf_format_suffix:format>")], {"": LINKS}, ANY, ""),
    ([_root()], {}, ANY, "the router's API root view (its links were not read)"),
    ([{k: v for k, v in _root().items() if k != "namespace"}], {"": LINKS}, ANY,
     "the router's API root view (its links were not read)"),
    ([_root()], {"": {"unsupported": "URL versioning (DEFAULT_VERSIONING_CLASS)"}}, ANY,
     "the router's API root view: URL versioning (DEFAULT_VERSIONING_CLASS)"),
    ([_root("a"), _root("b")], {"a": LINKS, "b": LINKS}, ANY,
     "the API root views of 2 namespaces (a, b): one Go handler answers one"),
    ([_root(negotiation="x")], {"": LINKS}, ANY, "content negotiation: URL_FORMAT_OVERRIDE 'f'"),
    ([_root()], {"": LINKS}, ("rest_framework.permissions.IsAuthenticated",), ""),  # djauth runs it
    ([_root()], {"": LINKS}, ("shop.perms.IsOwner",), "permission_classes IsOwner"),
])
def test_api_root_reason(routes, roots, perms, reason):
    """DefaultRouter's API root moves when its links were read, one namespace has roots and its permission classes
    are DRF's (translate/drf_access)."""
    negotiation = "URL_FORMAT_OVERRIDE 'f'" if routes[0].get("negotiation") else ""
    view = V(view=API_ROOT, base="APIView", serializer="", model="", permission_classes=perms, negotiation=negotiation)
    got = endpoints(routes, {API_ROOT: view}, (), roots)
    assert [(e.eligible, e.reason) for e in got] == [(not reason, reason)] * len(routes)


@pytest.mark.slow
def test_migrate_drf_on_a_tiny_api():
    proc = run_cli("drf", str(REPO / "tests" / "projects" / "drf_api"))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "DRF read endpoints: 43, eligible 30, stubs 13"
    eligible = [line.split()[2] for line in lines if line.startswith("  eligible")]
    assert eligible == [f"api/^{v}{r}" for v in ("plain", "paged", "sized", "tasks", "staff", "members", "token") for r in (
        "/$", "\\.(?P<format>[a-z0-9]+)/?$", "/(?P<pk>[^/.]+)/$", "/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$")] + [
        "api/", "api/<drf_format_suffix:format>"]  # DefaultRouter's API root
    assert "  stub      GET api/^products/$  shop.views.ProductViewSet.list  (serializer field ProductSerializer.tags " \
           "(reads related rows: a query per relation is not generated yet))" in lines
    assert "  stub      GET api/^orders/$  shop.views.OrderViewSet.list  (serializer field OrderSerializer.product " \
           "(reads related rows: a nested serializer of one related row (a second query) is not generated yet))" in lines
    assert "  stub      GET api/^tags/$  shop.views.TagViewSet.list  (overrides get_queryset)" in lines
    assert lines[-1] == "serializers: 6 Go response types, 1 stub fields"
    at = lines.index("DRF views: 11, eligible 7; the rules they fail (views):")
    assert lines[at + 1:at + 3] == ["    2  serializer field reads related rows: a query per relation is not generated yet",
                                    "    1  no static queryset class attribute"]
    assert "    1  serializer field reads related rows: a nested serializer of one related row (a second query) is not " \
           "generated yet" in lines
    assert proc.stderr.splitlines() == ["shop/serializers.py:22:1: info[DRF_FIELD_STUB]: OrderSerializer.total: "
                                        "SerializerMethodField: port the Python method ('obj.quantity * "
                                        "obj.product.price' is not read)"]


@pytest.mark.slow
def test_migrate_drf_without_a_project_is_a_diagnostic(tmp_path):
    proc = run_cli("drf", str(tmp_path))
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr.splitlines() == [f"{tmp_path}: error[NO_PROJECT]: no manage.py found: not a Django project "
                                        "directory (pass the directory that holds manage.py, or --settings MODULE)"]


@pytest.mark.parametrize("python, attr", [
    ("def get_submitter(self, obj):\n    return obj.submitter_email\n", "submitter_email"),
    ('def get_a(self, o):\n    """doc"""\n    return o.slug\n', "slug"),
    ("def get_a(self, obj):\n    return obj.queue.title\n", ""),  # a related row: another query
    ("def get_a(self, obj):\n    return str(obj.id) + ' ' + obj.ticket\n", ""),  # computed
    ("def get_a(self, obj):\n    x = 1\n    return obj.slug\n", ""),
    ("def get_a(self, obj):\n    return self.slug\n", ""),  # not the object
    ("@cached\ndef get_a(self, obj):\n    return obj.slug\n", ""),
    ("def get_a(self, obj, extra):\n    return obj.slug\n", ""),
    ("not python(", ""),
])
def test_serializer_method_returning_an_attribute(python, attr):
    """A SerializerMethodField whose method returns one attribute of the object as is (the loader then checks it is a
    column: load/drf._attribute_read) renders as a ReadOnlyField of it; anything else stays a stub."""
    from migrator.load.drf import returned_attribute

    assert returned_attribute(python) == attr


@pytest.mark.parametrize("python, manager", [
    ("def get_n(self, obj):\n    return obj.products.count()\n", "products"),
    ("def get_n(self, obj):\n    return obj.products.filter(x=1).count()\n", ""),  # another query
    ("def get_n(self, obj):\n    return obj.products.count(1)\n", ""),
    ("def get_n(self, obj):\n    return obj.products.all()\n", ""),
    ("def get_n(self, obj):\n    return obj.products\n", ""),
    ("def get_n(self, obj):\n    return len(obj.products.all())\n", ""),
])
def test_serializer_method_returning_a_related_count(python, manager):
    """`return obj.<manager>.count()`: the related manager's COUNT(*) per object (load/drf checks it is one)."""
    from migrator.load.drf import returned_attribute

    assert returned_attribute(python, ".count()") == manager


def test_related_count_moves_at_the_top_level_only():
    count = F("n", "count", source="products", related_manager=True, related_model="shop.Product")
    top = Serializer("CS", "s.CS", "shop.Category", (count,))
    nest = Serializer("NC", "s.NC", "shop.Shop", (F("cats", "nested", many=True, related_manager=True,
                                                    serializer="s.CS", source="cats"),))
    by = {s.dotted: s for s in (top, nest)}
    assert view_reason(V(serializer="s.CS"), by) == ""
    assert view_reason(V(serializer="s.NC"), by) == ("serializer field NC.cats (nested serializer: CS.n (a related "
                                                     "count in a nested serializer is not generated yet))")
