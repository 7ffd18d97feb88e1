"""Docs tables are generated from the code's tables (python -m migrator.docgen) and stay current."""

from migrator import docgen


def test_docs_tables_are_current():
    assert docgen.stale() == [], "run: .venv/bin/python -m migrator.docgen"


def test_every_reason_is_documented():
    text = (docgen.DOCS / "analyze.md").read_text()
    for code in docgen.Q.REASONS:
        assert f"`{code}`" in text
