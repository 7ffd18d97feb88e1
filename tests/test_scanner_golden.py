"""Every QuerySet site of the sample projects at its true line with the right kind (golden files).

Update with: pytest tests/test_scanner_golden.py --update-golden (then review the diff).
"""

from __future__ import annotations

import json

import pytest

from conftest import GOLDEN

pytestmark = pytest.mark.slow  # every test here starts Django, sqlc, Go or the CLI (tests/conftest.py)


def site_rows(project):
    return [
        {"site": f"{s.file}:{s.line}:{s.column}", "function": s.function, "model": s.model,
         "chain": ".".join(c.method for c in s.chain), "kind": s.kind, "reason": s.reason,
         "conditions": sorted({c.condition for c in s.chain if c.condition})}
        for s in project.querysets
    ]


@pytest.mark.parametrize("name,fixture", [("sample", "sample_analysis"), ("library", "library_analysis")])
def test_sites_match_golden(name, fixture, request, update_golden):
    rows = site_rows(request.getfixturevalue(fixture).project)
    path = GOLDEN / "analyze" / f"{name}_sites.json"
    text = json.dumps(rows, indent=1, ensure_ascii=False) + "\n"
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert rows == expected


def test_sample_covers_every_kind(sample_analysis):
    s = sample_analysis.summary["querysets"]
    assert s["total"] >= 40
    assert s["by_kind"]["conditional"] >= 5
    assert s["by_kind"]["dynamic"] + s["by_kind"]["unsupported"] >= 3
    reasons = set(s["by_reason"])
    assert {"RAW_SQL", "MODEL_FROM_VARIABLE", "Q_BUILT_IN_LOOP", "DYNAMIC_KWARGS", "CONDITIONAL_FILTER"} <= reasons
    for site in sample_analysis.project.querysets:
        assert (site.kind == "static") == (site.reason == ""), site.id
        assert site.kind == "static" or site.explanation


def test_sites_point_at_real_source(sample_analysis):
    """The reported line holds the site's root (manager, related manager or refined variable)."""
    from pathlib import Path

    root = Path(sample_analysis.project.root)
    for site in sample_analysis.project.querysets:
        lines = (root / site.file).read_text(encoding="utf-8").splitlines()
        # the site starts an expression: an identifier at (line, column)
        assert lines[site.line - 1][site.column - 1:][:1].isidentifier(), site.id
        first = next((c for c in site.chain if c.method not in ("[]", "iter")), None)
        if first is not None and first.line == site.line and not site.related_from:
            assert site.root.split(".")[0] in lines[site.line - 1], (site.id, site.root)
        for call in site.chain:
            if call.method not in ("[]", "iter"):
                assert call.method in lines[call.line - 1][call.column - 1:], (site.id, call)
