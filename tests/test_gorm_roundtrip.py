"""GORM round trip on real databases: Go reads what Django wrote, Django reads what Go wrote.

Django migrates and loads the sample fixture; the generated gormcheck program reads every table
through the generated GORM models (many-to-many preloaded) and must print exactly what Django reads.
Then the same writes (creates, updates, a cascade delete, a protected delete) run through GORM on one
copy of the database and through Django on another: the two databases must end up equal, and every
row Go wrote must pass Django's full_clean().
"""

from __future__ import annotations

import json
import shutil
import subprocess

from conftest import SAMPLE, django_side, go

from migrator.parity.values import first_difference  # the comparison `migrate parity` makes

SETTINGS = "shopapi.settings"
FIXTURE = str(SAMPLE / "fixtures" / "sample.json")

OPS = [
    {"op": "create", "model": "catalog.Tag", "values": {"name": "Go 100% ünïcode_tag", "slug": "go-unicode"}},
    {"op": "create", "model": "catalog.Category", "values": {"name": "Gophers", "slug": "gophers", "parent": 1,
                                                               "description": "made by Go", "sort_order": 7}},
    {"op": "create", "model": "catalog.Product", "values": {
        "name": "Go Mug", "slug": "go-mug", "description": "50% off_now", "price": "99999999.99", "stock": 3,
        "weight_grams": 12.5, "is_active": True, "is_featured": False, "category": 1,
        "sku": "0f0e0d0c-0b0a-4908-8706-050403020100", "attributes": {"colour": "blue", "sizes": [1, 2]},
        "image": "", "views": 9007199254740993, "launch_date": "2026-03-01"}},
    {"op": "update", "model": "catalog.Product", "pk": 2, "values": {"price": "0.01", "name": "Renamed ☕"}},
    {"op": "update", "model": "accounts.Profile", "pk": 3, "values": {"loyalty_points": 0, "birth_date": None}},
    {"op": "create", "model": "catalog.Review", "values": {"product": 2, "user": 1, "rating": 5, "title": "t_1%",
                                                             "body": "", "deleted_at": None}},
    {"op": "delete", "model": "catalog.Category", "pk": 1},  # PROTECT: products still point at it
    {"op": "delete", "model": "orders.Order", "pk": 1},  # CASCADE to lines, payments, coupon links
    {"op": "delete", "model": "catalog.Tag", "pk": 1},  # many-to-many links removed
]


def gormcheck(tree, *args) -> object:
    proc = subprocess.run([str(tree / "bin" / "gormcheck"), *args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def assert_same(go_side: dict, django: dict) -> None:
    diff = first_difference(go_side, django)
    assert not diff, diff


AUTO_FIELDS = {"created_at", "updated_at", "placed_at"}


def masked(dump: dict) -> dict:
    """auto_now / auto_now_add hold the time of the write: equal on both sides only up to that."""
    return {label: [{k: ("<now>" if k in AUTO_FIELDS and v is not None else v) for k, v in row.items()}
                    for row in rows] for label, rows in dump.items()}


def test_go_reads_what_django_wrote(sample_gorm, loaded_db):
    _, url, _ = loaded_db
    go_dump = gormcheck(sample_gorm, "dump", url)
    dj_dump = django_side(SAMPLE, SETTINGS, url, "dump")
    assert set(go_dump) == set(dj_dump)
    assert sum(len(rows) for rows in dj_dump.values()) > 300
    assert_same(go_dump, dj_dump)


def test_django_reads_what_go_wrote(sample_gorm, loaded_db, tmp_path):
    _, url, copy = loaded_db
    go_db, django_db = copy("go"), copy("django")
    ops_file = tmp_path / "ops.json"
    ops_file.write_text(json.dumps(OPS))
    go_results = gormcheck(sample_gorm, "apply", go_db, str(ops_file))
    dj_results = django_side(SAMPLE, SETTINGS, django_db, "apply", str(ops_file))
    # the same operations succeed and fail on both sides (a protected delete fails on both)
    assert [("error" in r) for r in go_results] == [("error" in r) for r in dj_results], (go_results, dj_results)
    assert [r for r in go_results if "error" not in r] == [r for r in dj_results if "error" not in r]
    assert "error" in go_results[6] and "protected" in go_results[6]["error"]
    after_go = django_side(SAMPLE, SETTINGS, go_db, "dump")
    after_django = django_side(SAMPLE, SETTINGS, django_db, "dump")
    assert_same(masked(after_go), masked(after_django))
    assert not any(r["id"] == 1 for r in after_go["orders.Order"])  # the cascade really ran
    assert not any(r["order"] == 1 for r in after_go["orders.OrderLine"])
    assert django_side(SAMPLE, SETTINGS, go_db, "clean") == {}
    # and Go reads its own writes back the way Django does
    assert_same(gormcheck(sample_gorm, "dump", go_db), after_go)


def test_a_wrong_column_tag_is_caught(sample_gorm, loaded_db, tmp_path):
    """Mutation check: the round trip can fail. Map Product.name onto the slug column and rebuild."""
    _, url, _ = loaded_db
    mutant = tmp_path / "mutant"
    shutil.copytree(sample_gorm, mutant, ignore=shutil.ignore_patterns("bin"))
    catalog = mutant / "gorm" / "models" / "catalog.go"
    text = catalog.read_text()
    original = 'gorm:"column:name;type:varchar(200)'
    assert text.count(original) == 1
    catalog.write_text(text.replace(original, 'gorm:"column:slug;type:varchar(200)'))
    go("build", "-o", str(mutant / "bin" / "gormcheck"), "./gorm/cmd/gormcheck", cwd=mutant)
    diff = first_difference(gormcheck(mutant, "dump", url), django_side(SAMPLE, SETTINGS, url, "dump"))
    assert diff.startswith("catalog.Product") and "field name" in diff
