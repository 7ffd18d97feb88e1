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
    with pytest.raises(Unsupported):
        _assign(GoField("N", "n", "*string"), "N", "*string")  # a nullable plain string: not generated yet
    with pytest.raises(Unsupported):
        _assign(GoField("K", "k", "int64"), "K", "interface{}")  # a value the neutral store does not type


@pytest.mark.slow
@pytest.mark.parametrize("framework", ["nethttp", "fiber"])
def test_drf_api_eligible_viewset_migrated(tmp_path, framework):
    out = tmp_path / "gen"
    proc = subprocess.run([sys.executable, "-m", "migrator", "generate", "tests/projects/drf_api", "--out", str(out),
                           "--framework", framework], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "http: migrated shop.views.PlainProducts\n" in proc.stdout
    assert f"http ({framework}): 19 routes, 4 migrated, 15 stubbed" in proc.stdout
    text = (out / "http" / "handlers_migrated.go").read_text()
    assert 'drfjson.NotFoundDetail("Product")' in text and "s.Store.PlainProductsProductAll(ctx)" in text
    for cmd in (["go", "vet", "./http/", "./drfjson/"], ["go", "build", "./..."]):
        r = subprocess.run(cmd, cwd=out, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stdout + r.stderr


def test_strict_comparison_sees_what_normalisation_forgives():
    from migrator.parity.http import compare_answers

    def ans(body: bytes):
        return 200, "application/json", body

    assert compare_answers("GET", "/", ans(b'{"a": "1.50", "b": 1}'), ans(b'{"b": 1, "a": "1.50"}')) == []
    for go in (b'{"b": 1, "a": "1.50"}', b'{"a": 1.5, "b": 1}', b'{"a": "1.50", "b": 1.0}'):
        diffs = compare_answers("GET", "/", ans(b'{"a": "1.50", "b": 1}'), ans(go), strict=True)
        assert [d.where for d in diffs][:1] == ["$ (exact: keys, order, types, values)"], go
    assert compare_answers("GET", "/", ans(b'{"a": "1.50"}'), ans(b'{"a": "1.50"}'), strict=True) == []


def _parity(tmp_path, database: str | None) -> dict:
    report = tmp_path / "parity.json"
    cmd = [sys.executable, "-m", "migrator", "parity", "tests/projects/drf_api", "--only", "http", "--json", str(report)]
    proc = subprocess.run(cmd + (["--database", database] if database else []), cwd=ROOT, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    return json.loads(report.read_text())["summary"]["http"]


@pytest.mark.slow
def test_drf_parity_sqlite(tmp_path):
    """List, .json, unknown format, up to eight details, a pk without a row and one int() refuses: exactly DRF's JSON."""
    got = _parity(tmp_path, None)
    assert (got["passed"], got["failed"], got["skipped"]) == (22, 0, 0)


@pytest.mark.slow
def test_drf_parity_postgresql(tmp_path, postgres_server):
    got = _parity(tmp_path, postgres_server.url())
    assert (got["passed"], got["failed"], got["skipped"]) == (22, 0, 0)
