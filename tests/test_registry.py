"""analyze's model list equals Django's own app registry, computed independently in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import LIBRARY, SAMPLE

pytestmark = pytest.mark.slow  # every test here starts Django (tests/conftest.py)

REGISTRY_SCRIPT = r"""
import json, os, sys, django
sys.path.insert(0, os.getcwd())
os.environ["DJANGO_SETTINGS_MODULE"] = sys.argv[1]
django.setup()
from django.apps import apps
out = {}
for m in apps.get_models():
    meta = m._meta
    kind = "proxy" if meta.proxy else ("unmanaged" if not meta.managed else "concrete")
    out[meta.label] = {
        "kind": kind, "db_table": meta.db_table,
        "columns": sorted(f.column for f in meta.concrete_fields),
        "m2m": sorted(f.m2m_db_table() for f in meta.local_many_to_many),
        "abstract": sorted({k.__module__ + "." + k.__qualname__ for k in m.__mro__[1:]
                            if getattr(getattr(k, "_meta", None), "abstract", False)}),
    }
print(json.dumps(out))
"""


def django_registry(root, settings):
    proc = subprocess.run([sys.executable, "-c", REGISTRY_SCRIPT, settings], cwd=root, capture_output=True,
                          text=True, check=True)
    return json.loads(proc.stdout)


@pytest.mark.parametrize("root,settings,fixture", [
    (SAMPLE, "shopapi.settings", "sample_analysis"),
    (LIBRARY, "config.settings.dev", "library_analysis"),
])
def test_models_equal_django_registry(root, settings, fixture, request):
    analysis = request.getfixturevalue(fixture)
    expected = django_registry(root, settings)
    models = {m.label: m for m in analysis.project.models if m.kind != "abstract"}
    assert set(models) == set(expected)
    for label, exp in expected.items():
        m = models[label]
        assert m.kind == exp["kind"], label
        assert m.db_table == exp["db_table"], label
        assert sorted(f.column for f in m.fields if f.column) == exp["columns"], label
        assert sorted(f.relation.join_table for f in m.fields
                      if f.relation and f.relation.kind == "many_to_many" and f.inherited_from not in models) == exp["m2m"], label
        assert set(m.abstract_bases) == set(exp["abstract"]), label
    abstract = {f"{m.module}.{m.name}" for m in analysis.project.models if m.kind == "abstract"}
    assert abstract == set().union(*(set(e["abstract"]) for e in expected.values()))


def test_sample_model_details(sample_analysis):
    p = sample_analysis.project
    product = p.model("catalog.Product")
    sku = product.field("sku")
    assert sku.column == "sku_code" and sku.unique and sku.default.kind == "callable" and sku.default.callable == "uuid.uuid4"
    assert product.field("category").relation.on_delete == "PROTECT"
    assert product.field("tags").relation.join_table == "catalog_product_tags"
    assert product.ordering
    order = p.model("orders.Order")
    status = order.field("status")
    assert status.default == type(status.default)(kind="literal", value="pending")
    assert status.choices_class and {c.value for c in status.choices} >= {"pending", "paid"}
    coupons = order.field("coupons").relation
    assert coupons.through == "orders.OrderCoupon" and not coupons.through_auto
    assert p.model("orders.Payment").db_table == "payments"
    assert p.model("catalog.FeaturedProduct").kind == "proxy"
    digital = p.model("catalog.DigitalProduct")
    assert digital.parents == ("catalog.Product",)
    assert any(f.relation and f.relation.parent_link for f in digital.fields)
    review = p.model("catalog.Review")
    assert any(mg.soft_delete_field == "deleted_at" for mg in review.managers if mg.is_default)
    assert any(c.kind == "unique" and c.condition for c in review.constraints)
    assert p.model("orders.OrderLine").unique_together
    created = next(f for f in product.fields if f.name == "created_at")
    assert created.auto_now_add and created.inherited_from.endswith("TimeStampedModel")
    assert any(h.kind == "save_override" for h in product.hooks)
    user = p.model("auth.User")
    assert any(h.kind == "signal" and h.signal == "post_save" for h in user.hooks)
    # every project field is located at its declaring line
    for m in p.models:
        if m.app_label in ("catalog", "orders", "accounts"):
            assert m.file and m.line > 0
            for f in m.fields:
                if not f.auto_created:
                    assert f.line > 0, f"{m.label}.{f.name}"


def test_ir_round_trips_through_json(sample_analysis):
    from migrator.ir import Project, from_json, to_json

    p = sample_analysis.project
    assert from_json(Project, to_json(p)) == p
