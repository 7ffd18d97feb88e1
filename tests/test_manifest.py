"""The JSON manifest generate writes (write.PRODUCED): per target what it produced, kept for targets a run
did not touch, and what parity reads the migrated routes from (fast tier: no Django, no Go)."""

from __future__ import annotations

import json

from migrator.emit import GenFile
from migrator.parity.http_requests import MigratedRoute, migrated_routes
from migrator.write import MARK, PRODUCED, read_produced, write_tree

SQLC = {"dialects": {"sqlite": {"queries": [{"name": "ProductGet", "site": "a.py:1:1"}], "untranslated": []}}}
VIEW = {"view": "shop.views.product", "source": "shop/views.py:3", "status": "migrated", "queries": ["ProductGet"],
        "methods": ["GET"], "stubbed_methods": {"POST": "a write"}, "body_keys": {"qty": "int"}, "query_keys": ["q"],
        "routes": [{"index": 4, "django": "p/<int:pk>/", "methods": ["GET", "POST"], "regex": "^/p/(?P<pk>[0-9]+)/$",
                    "handler": "Product"},
                   {"index": 1, "django": "q/<int:pk>/", "methods": [], "regex": "^/q/(?P<pk>[0-9]+)/$",
                    "handler": "Product"}]}
STUB = {"view": "shop.views.other", "source": "shop/views.py:9", "status": "stub", "reason": "attribute user",
        "routes": [{"index": 0, "django": "o/", "methods": ["GET"], "regex": "^/o/$", "handler": "Other"}]}
HTTP = {"framework": "nethttp", "views": [VIEW, STUB]}


def test_sections_of_targets_not_run_are_kept(tmp_path):
    files = {"gorm/models.go": GenFile("// " + MARK + "\npackage models\n", target="gorm")}
    write_tree(tmp_path, files, produced={"sqlc": SQLC, "http": HTTP})
    text = (tmp_path / PRODUCED).read_text()
    assert text.splitlines()[1] == f' "_": "{MARK}",'  # marked as ours near the top, like every generated file
    assert json.loads(text) == {"_": MARK, "http": HTTP, "sqlc": SQLC}
    write_tree(tmp_path, files, targets=("gorm",), produced={})
    assert read_produced(tmp_path) == {"_": MARK, "http": HTTP, "sqlc": SQLC}
    write_tree(tmp_path, files, targets=("gorm", "sqlc"), produced={"sqlc": {"dialects": {}}})
    assert read_produced(tmp_path) == {"_": MARK, "http": HTTP, "sqlc": {"dialects": {}}}
    report = write_tree(tmp_path, files, targets=("gorm", "sqlc"), produced={"sqlc": {"dialects": {}}}, check=True)
    assert not report.stale


def test_parity_reads_the_migrated_routes_from_the_manifest(tmp_path):
    write_tree(tmp_path, {}, produced={"http": HTTP})
    assert migrated_routes(tmp_path) == [  # in Django's order; the stub left out
        MigratedRoute(view="shop.views.product", django="q/<int:pk>/", methods=(), regex="^/q/(?P<pk>[0-9]+)/$",
                      queries=("ProductGet",), migrated_methods=("GET",), body_keys={"qty": "int"}, query_keys=("q",)),
        MigratedRoute(view="shop.views.product", django="p/<int:pk>/", methods=("GET", "POST"),
                      regex="^/p/(?P<pk>[0-9]+)/$", queries=("ProductGet",), migrated_methods=("GET",),
                      body_keys={"qty": "int"}, query_keys=("q",)),
    ]
    every_method = dict(VIEW, stubbed_methods={})
    write_tree(tmp_path, {}, produced={"http": {"framework": "nethttp", "views": [every_method]}})
    assert {r.migrated_methods for r in migrated_routes(tmp_path)} == {None}  # None: every method it accepts
    assert migrated_routes(tmp_path / "nowhere") == []
    admin = dict(VIEW, signed_in=True, signed_in_as=["staff", "superuser"])  # a DRF view behind IsAdminUser
    write_tree(tmp_path, {}, produced={"http": {"framework": "nethttp", "views": [admin]}})
    assert {(r.signed_in, r.signed_in_as) for r in migrated_routes(tmp_path)} == {(True, ("staff", "superuser"))}


def test_the_manifest_names_the_users_a_drf_view_lets_read():
    """emit.manifest.view_entries: a migrated view with signed_in_as (translate.drf_access.signed_readers) is
    signed_in, its kinds listed; a view without is neither."""
    from types import SimpleNamespace

    from migrator.emit.manifest import view_entries
    from migrator.translate.handlers_plan import MigratedView

    model = SimpleNamespace(handlers=[], routes=[])
    rows = [{"view": v, "status": "migrated", "methods": ["GET"]} for v in ("a.Admin", "a.Open")]
    mv = dict(source="", path_params=[], groups=[], migrated_methods=["GET"], stubbed={}, queries=[])
    out = view_entries(model, rows, {"a.Admin": MigratedView(view="a.Admin", signed_in_as=["staff", "superuser"], **mv),
                                     "a.Open": MigratedView(view="a.Open", **mv)})
    assert [(e.get("signed_in"), e.get("signed_in_as")) for e in out] == [(True, ["staff", "superuser"]), (None, None)]
