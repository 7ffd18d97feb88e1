"""bench/corpus.py --check --declared-only fails on every parity failure no DECLARED line explains and on every
declaration whose failure no longer shows (stale), per dialect (bench/corpus_judge.py). Judged on results written
as a --json run writes them, re-read with --reuse and --apps '' (no app runs, no process starts)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import corpus  # noqa: E402
import corpus_judge  # noqa: E402

DECLARED = {("todo", "[models] known"): "why", ("todo", "[schema] only_sqlite"): "why",
            ("todo", "[queries] Random"): "why", ("wiki", "[models] x"): "why"}
DIALECTS = {("todo", "[schema] only_sqlite"): ("sqlite",)}
INTERMITTENT = {("todo", "[queries] Random")}


@pytest.fixture
def known(monkeypatch):
    monkeypatch.setattr(corpus_judge, "DECLARED", DECLARED)
    monkeypatch.setattr(corpus_judge, "DIALECTS", DIALECTS)
    monkeypatch.setattr(corpus_judge, "INTERMITTENT", INTERMITTENT)


def result(failures: dict[str, list[str]], name: str = "todo", rc: int | None = None) -> corpus.AppResult:
    steps = {"build": corpus.Step(rc=0)}
    steps.update({f"parity-{d}": corpus.Step(rc=1 if cases else 0) if rc is None else corpus.Step(rc=rc)
                  for d, cases in failures.items()})
    return corpus.AppResult(name=name, steps=steps, failures=failures)


def check(monkeypatch, tmp_path, results, *flags) -> int:
    runs = tmp_path / "corpus.json"
    runs.write_text(json.dumps([asdict(r) for r in results]))
    monkeypatch.setattr(sys, "argv", ["corpus.py", "--apps", "", "--reuse", str(runs), "--check", *flags])
    return corpus.main()


def test_an_undeclared_failure_fails_the_declared_only_check(known, monkeypatch, tmp_path, capsys):
    r = result({"sqlite": ["[models] known: a", "[models] new: go != django"], "postgresql": ["[models] known: b"]})
    assert check(monkeypatch, tmp_path, [r], "--declared-only") == 1
    assert "BROKEN todo: undeclared parity failure (sqlite): [models] new: go != django" in capsys.readouterr().err
    assert check(monkeypatch, tmp_path, [r]) == 0  # without --declared-only, exit codes only (parity 1 is a verdict)


def test_every_failure_declared_passes(known, monkeypatch, tmp_path):
    r = result({"sqlite": ["[models] known: a", "[schema] only_sqlite: idx"], "postgresql": ["[models] known: b"]})
    assert check(monkeypatch, tmp_path, [r], "--declared-only") == 0


def test_a_declaration_holds_on_its_dialects_only(known):
    r = result({"sqlite": ["[models] known: a", "[schema] only_sqlite: idx"],
                "postgresql": ["[models] known: b", "[schema] only_sqlite: idx"]})
    assert corpus_judge.breaks([r], declared_only=True) == [
        ("todo", "undeclared parity failure (postgresql): [schema] only_sqlite: idx")]
    assert corpus_judge.declared("todo", "[schema] only_sqlite: idx", "sqlite") == "why"
    assert corpus_judge.declared("todo", "[schema] only_sqlite: idx", "postgresql") == ""


def test_a_declaration_no_failure_matches_is_stale(known, monkeypatch, tmp_path, capsys):
    r = result({"sqlite": ["[schema] only_sqlite: idx"], "postgresql": ["[models] known: b"]})
    assert check(monkeypatch, tmp_path, [r], "--declared-only") == 1
    assert corpus_judge.breaks([r], declared_only=True) == [
        ("todo", "stale declaration (sqlite): no failure starts with '[models] known' (bench/corpus_known.py)")]


def test_stale_is_judged_only_where_parity_ran_and_the_declaration_applies(known):
    # MariaDB only: the SQLite-only declaration is not judged there; the intermittent one never is
    assert corpus_judge.breaks([result({"mysql": ["[models] known: c"]})], declared_only=True) == []
    # a parity that could not run (exit 2) is broken, not a reason to call the declarations stale
    broken = corpus_judge.breaks([result({"sqlite": []}, rc=2)], declared_only=True)
    assert broken == [("todo", "parity-sqlite exited 2")]
    # an app not run: its declarations are not judged
    assert corpus_judge.breaks([result({"sqlite": ["[models] x: y"]}, name="wiki")], declared_only=True) == []


def test_the_real_declarations_name_declared_cases_and_known_dialects():
    from corpus_known import DECLARED as REAL, DIALECTS as WHERE, INTERMITTENT as SOMETIMES

    assert set(WHERE) <= set(REAL) and set(SOMETIMES) <= set(REAL)
    assert {d for ds in WHERE.values() for d in ds} <= {"sqlite", "postgresql", "mysql"}
