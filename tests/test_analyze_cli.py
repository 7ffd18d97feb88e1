"""`migrate analyze` end to end: formats, the JSON contract, bad input."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from conftest import LIBRARY, SAMPLE, run_cli

pytestmark = pytest.mark.slow  # every test here starts Django, sqlc, Go or the CLI (tests/conftest.py)


def test_json_contract(tmp_path):
    out = tmp_path / "analysis.json"
    proc = run_cli("analyze", str(SAMPLE), "--format", "json", "--output", str(out), check=True)
    data = json.loads(out.read_text())
    assert {"models", "querysets", "summary"} <= set(data)
    for m in data["models"]:
        assert {"app_label", "name", "db_table", "kind", "fields", "file", "line"} <= set(m)
        assert m["kind"] in ("concrete", "abstract", "proxy", "unmanaged")
    for s in data["querysets"]:
        assert {"id", "file", "line", "column", "function", "model", "chain", "kind", "reason"} <= set(s)
    summary = data["summary"]
    assert set(summary["by_app"]) == {"accounts", "catalog", "orders"}
    for app in summary["by_app"].values():
        assert 0 <= app["readiness"] <= 1
    assert summary["field_types"]["DecimalField"]["go"] == "decimal.Decimal"
    assert "Traceback" not in proc.stderr


def test_table_and_markdown():
    table = run_cli("analyze", str(SAMPLE), check=True).stdout
    assert "readiness" in table and "catalog/services.py:" in table
    md = run_cli("analyze", str(SAMPLE), "--format", "markdown", check=True).stdout
    assert md.startswith("# Migration analysis")
    assert "## Sites that need a person" in md and "RAW_SQL" in md


def test_second_project_with_settings_package_and_custom_user(library_analysis):
    p = library_analysis.project
    assert p.settings_module == "config.settings.dev"
    assert {a.label for a in p.apps if a.origin == "project"} == {"members", "lending"}
    assert all(m.file.startswith("apps/") for m in p.models if m.app_label in ("members", "lending"))
    # request.user.loans resolves through the custom user model
    loans = [s for s in p.querysets if s.root == "request.user.loans"]
    assert loans and loans[0].model == "lending.Loan" and loans[0].related_from == "members.Member"
    assert any(s.model == "members.Member" for s in p.querysets)  # User = get_user_model()


def test_explicit_settings_option():
    proc = run_cli("analyze", str(LIBRARY), "--settings", "config.settings.base", "--format", "json", check=True)
    assert json.loads(proc.stdout)["project"]["settings"] == "config.settings.base"


# ----------------------------------------------------------------------------- bad input


def test_not_a_django_project(tmp_path):
    proc = run_cli("analyze", str(tmp_path))
    assert proc.returncode == 2
    assert "error[NO_PROJECT]" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_settings_that_fail_to_import(sample_copy):
    settings = sample_copy / "shopapi" / "settings.py"
    settings.write_text(settings.read_text() + "\nimport does_not_exist_anywhere\n")
    line = len(settings.read_text().splitlines())
    proc = run_cli("analyze", str(sample_copy))
    assert proc.returncode == 2
    assert f"shopapi/settings.py:{line}:1: error[SETTINGS_IMPORT]" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_models_module_that_raises_is_left_out(sample_copy):
    models = sample_copy / "accounts" / "models.py"
    models.write_text(models.read_text() + "\nraise RuntimeError('broken on purpose')\n")
    line = len(models.read_text().splitlines())
    proc = run_cli("analyze", str(sample_copy), "--format", "json")
    assert proc.returncode == 0, proc.stderr  # the other apps were analysed
    data = json.loads(proc.stdout)
    assert f"accounts/models.py:{line}:1: error[APP_IMPORT]" in proc.stderr
    assert "broken on purpose" in proc.stderr
    labels = {m["app_label"] for m in data["models"]}
    assert "catalog" in labels and "accounts" not in labels


def test_syntax_error_is_located_and_the_rest_analysed(sample_copy):
    views = sample_copy / "orders" / "views.py"
    lines = views.read_text().splitlines()
    lines.insert(9, "def broken(:")
    views.write_text("\n".join(lines) + "\n")
    proc = run_cli("analyze", str(sample_copy), "--format", "json")
    assert proc.returncode == 0
    assert "orders/views.py:10:" in proc.stderr and "error[SYNTAX_ERROR]" in proc.stderr
    data = json.loads(proc.stdout)
    assert any(s["file"] == "catalog/services.py" for s in data["querysets"])
    assert not any(s["file"] == "orders/views.py" for s in data["querysets"])


CUSTOM_FIELD = '''

class MoneyField(models.Field):
    def db_type(self, connection):
        return "numeric(12, 2)"


class Wallet(models.Model):
    owner = models.CharField(max_length=20)
    balance = MoneyField()
'''


def test_unknown_custom_field_is_a_located_diagnostic(sample_copy):
    models = sample_copy / "accounts" / "models.py"
    models.write_text(models.read_text() + CUSTOM_FIELD)
    line = len(models.read_text().splitlines())
    proc = run_cli("analyze", str(sample_copy), "--format", "json")
    assert proc.returncode == 0
    assert f"accounts/models.py:{line}:5: error[UNKNOWN_FIELD_TYPE]" in proc.stderr
    assert "accounts.Wallet.balance" in proc.stderr
    data = json.loads(proc.stdout)
    assert data["summary"]["field_types"]["MoneyField"]["mapped"] is False
    assert data["summary"]["by_app"]["accounts"]["readiness"] < 1
    # mapped in migrator.yaml: no diagnostic any more
    (sample_copy / "migrator.yaml").write_text(
        "types:\n  MoneyField: {go: decimal.Decimal, imports: [github.com/shopspring/decimal], column: 'numeric(12, 2)'}\n")
    proc = run_cli("analyze", str(sample_copy), "--format", "json")
    assert "UNKNOWN_FIELD_TYPE" not in proc.stderr
    assert json.loads(proc.stdout)["summary"]["field_types"]["MoneyField"]["go"] == "decimal.Decimal"


@pytest.fixture(scope="module")
def http_report() -> tuple[dict, str]:
    """`analyze --http` of the sample, as JSON and as Markdown (--http implies --sqlc: both tests read it)."""
    data = json.loads(run_cli("analyze", str(SAMPLE), "--http", "--format", "json", check=True).stdout)
    return data, run_cli("analyze", str(SAMPLE), "--http", "--format", "markdown", check=True).stdout


def test_analyze_reports_sqlc_translation_per_site(http_report):
    """--sqlc: every static/conditional site is translated or listed with a reason, per dialect."""
    data, md = http_report
    sqlc = data["summary"]["sqlc"]
    for dialect in ("sqlite", "postgresql"):
        entry = sqlc[dialect]
        assert entry["translated"] / entry["sites"] >= 0.9, entry
        assert entry["translated"] + len({u["site"] for u in entry["untranslated"]}) == entry["sites"]
        for u in entry["untranslated"]:
            assert u["reason"] and u["site"].count(":") == 2
    sites = {s["id"]: s for s in data["querysets"]}
    for s in sites.values():
        if s["kind"] in ("static", "conditional"):
            assert set(s["sqlc"]) == {"sqlite", "postgresql"}
            assert all("queries" in v or "reason" in v for v in s["sqlc"].values())
        else:
            assert "sqlc" not in s
    assert "## sqlc translation" in md


def test_analyze_reports_http_status_per_view(http_report, sample_trees, sample_analysis):
    """--http: each view, migrated or a stub with the reason, as `generate --target all` decides (the
    http/MIGRATION.md and the manifest it writes); the default run does not pay for it."""
    from migrator.write import read_produced

    data, md = http_report
    tree = sample_trees("nethttp")
    report = tree.result.emitted.files["http/MIGRATION.md"].text
    rows = {}
    for line in report.splitlines():
        if line.startswith("| `") and line.count("|") >= 5:
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            rows[cells[0].strip("`")] = (cells[2], cells[3])
    views = {v["view"]: (v["status"], v["why"]) for v in data["views"]}
    assert views == rows
    http = data["summary"]["http"]
    assert http["migrated"] == sum(1 for s, _ in rows.values() if s == "migrated") >= 15
    assert http["migrated"] + http["stubbed"] + http["django"] == http["views"] == len(rows)
    assert "sqlc" in data["summary"]  # --http implies --sqlc
    stub = next(v for v in data["views"] if v["view"] == "catalog.views.product_list")
    assert stub["status"] == "stub" and stub["reason"]
    sku = next(v for v in data["views"] if v["view"] == "catalog.views.product_by_sku")
    assert sku["status"] == "migrated" and sku["queries"] and sku["methods"] == ["GET"]
    manifest = read_produced(tree.out)
    assert {v["view"]: v["status"] for v in manifest["http"]["views"]} == {v: s for v, (s, _) in views.items()}
    assert {v["view"]: v.get("queries") for v in manifest["http"]["views"]} == {
        v["view"]: v.get("queries") for v in data["views"]}
    # the user's sites, as generate translates them; the queries derived from DRF views (load/drf_sites: the
    # detail's .get(pk=pk), a ModelViewSet's writes; load/fk_sites: a lazily read relation's row, "…:7/fk:app.M.id")
    # serve their view and are not sites of the user's code
    derived = {d: sorted(q["name"] for q in x["queries"] if "/" in q["site"].rsplit(":", 1)[-1] or "/fk:" in q["site"])
               for d, x in manifest["sqlc"]["dialects"].items()}
    translated = {d: sorted(q["name"] for q in x["queries"] if q["name"] not in derived[d])
                  for d, x in manifest["sqlc"]["dialects"].items()}
    assert translated == {d: sorted(q for s in data["querysets"] for q in s.get("sqlc", {}).get(d, {}).get("queries", []))
                          for d in ("sqlite", "postgresql")}
    # and one query per if/elif path of services.user_orders (load/path_sites: "<line>/path<line>"), which my_orders calls
    paths = ["UserOrdersOrderValues", "UserOrdersOrderValues2", "UserOrdersOrderValues3"]
    # CategorySerializer's nested `children` (the related manager's .all() per category) and `product_count`
    # (obj.products.count()): derived sites of the DRF step (translate/drf_nested.py)
    drf = ["CategoryViewSetCategoryAll2", "CategoryViewSetCategoryGet", "CategoryViewSetProductCount",
           "StaffTagViewSetTagCreate", "StaffTagViewSetTagDeleteIDs",
           *[f"StaffTagViewSetTagExists{n}" for n in ("", "2", "3", "4")],  # UniqueValidators of name and slug
           "StaffTagViewSetTagGet", "StaffTagViewSetTagUpdate", "TagViewSetTagGet"]  # details' get(pk=pk), writes
    # a lazily read forward relation's row (load/fk_sites), one query per target: e.g. a review's product
    fks = ["DigitalProductsCategoryGet", "LoyaltyLeaderboardUserGet", "OrderAsDictCouponGet", "ReviewDetailProductGet"]
    assert derived == {d: sorted([*drf, *paths, *fks]) for d in ("sqlite", "postgresql")}
    assert views["catalog.api.TagViewSet"][0] == "migrated"  # as generate decides: with the derived detail query
    assert "## HTTP views" in md and "| `orders.views.top_customers` | `orders/views.py:246` | migrated |" in md
    plain = sample_analysis.to_json()
    assert "views" not in plain and "http" not in plain["summary"]
