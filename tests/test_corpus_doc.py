"""bench/corpus.py rewrites only its own regions of docs/fidelity.md (bench/corpus_doc.py): the hand-written
sections between them (parity strength, JSON API endpoints) survive a rerun, and a run of some apps keeps
the other apps' rows. Pure text: no Django, no corpus run."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import corpus  # noqa: E402
import corpus_doc  # noqa: E402

APPS = ("todo", "schedule", "wiki")
PAGE = """<!-- corpus.py:begin summary -->
# Title

| app | recall |
|---|---:|
| todo | 90% |
| schedule | 80% |
| wiki | 70% |
<!-- corpus.py:end summary -->

## Kept by hand

| todo | a hand row that looks like a generated one |

<!-- corpus.py:begin misses -->
## Misses

- **todo** (1)
  - `todo/views.py:3`: why
- **schedule** (0): none
- **wiki** (2)
  - `wiki/a.py:1`
  - `wiki/b.py:2`
<!-- corpus.py:end misses -->

## Also by hand
"""


def outside(text: str) -> str:
    return corpus_doc._REGION.sub("<region>\n", text)


def test_a_full_run_replaces_the_regions_and_keeps_the_rest():
    new = {"summary": "# Title\n\n| app | recall |\n|---|---:|\n| todo | 100% |\n| schedule | 99% |\n| wiki | 98% |\n",
           "misses": "## Misses\n\n- **todo** (0): none\n- **schedule** (0): none\n- **wiki** (0): none\n"}
    out = corpus_doc.merge(PAGE, new, APPS, APPS)
    assert outside(out) == outside(PAGE)
    assert corpus_doc.regions(out) == new


def test_a_partial_run_keeps_the_rows_of_the_apps_it_did_not_run():
    new = {"summary": "# Title\n\n| app | recall |\n|---|---:|\n| schedule | 99% |\n",
           "misses": "## Misses\n\n- **schedule** (1)\n  - `schedule/x.py:9`\n"}
    out = corpus_doc.merge(PAGE, new, ["schedule"], APPS)
    assert outside(out) == outside(PAGE)
    got = corpus_doc.regions(out)
    assert got["summary"] == "# Title\n\n| app | recall |\n|---|---:|\n| todo | 90% |\n| schedule | 99% |\n| wiki | 70% |\n"
    assert got["misses"] == ("## Misses\n\n- **todo** (1)\n  - `todo/views.py:3`: why\n- **schedule** (1)\n"
                             "  - `schedule/x.py:9`\n- **wiki** (2)\n  - `wiki/a.py:1`\n  - `wiki/b.py:2`\n")


def test_a_placeholder_of_the_fresh_apps_goes_when_kept_rows_fill_the_region():
    page = corpus_doc.wrap("broken", "## Broken steps\n\n- wiki: build exited 1\n")
    out = corpus_doc.merge(page, {"broken": "## Broken steps\n\nNone: every app went through the whole chain.\n"},
                           ["todo"], APPS)
    assert corpus_doc.regions(out)["broken"] == "## Broken steps\n\n- wiki: build exited 1\n"


def test_a_new_region_is_added_and_a_page_without_regions_is_written_whole():
    out = corpus_doc.merge(PAGE, {"wall": "## Wall\n\n| todo | 1.0 |\n"}, ["todo"], APPS)
    assert out.startswith(PAGE) and corpus_doc.regions(out)["wall"] == "## Wall\n\n| todo | 1.0 |\n"
    assert corpus_doc.merge("", {"wall": "## Wall\n"}, APPS, APPS) == corpus_doc.wrap("wall", "## Wall\n")


def test_the_real_page_keeps_its_hand_written_sections_on_a_run_of_one_app():
    """corpus.markdown()'s regions for one app, merged into docs/fidelity.md as it is committed."""
    page = (REPO / "docs" / "fidelity.md").read_text(encoding="utf-8")
    assert set(corpus_doc.regions(page)) == {"summary", "parity", "wall", "broken", "failures", "untranslated",
                                             "misses"}
    result = corpus.AppResult(name="postman", sites={"static": 1}, translated={"sqlite": 1, "postgresql": 1},
                              translatable={"sqlite": 1, "postgresql": 1}, independent=1, found=1)
    out = corpus_doc.merge(page, corpus.markdown([result], True), ["postman"], corpus.APPS)
    assert outside(out) == outside(page)
    assert "## Parity strength" in outside(out) and "## JSON API endpoints migrated" in outside(out)
    old, new = corpus_doc.regions(page), corpus_doc.regions(out)
    for name in old:  # every other app's lines as they were
        keep = lambda text: [x for x in text.splitlines() if corpus_doc.app_of(x, corpus.APPS) not in (None, "postman")]  # noqa: E731
        assert keep(new[name]) == keep(old[name]), name
    assert "| postman | class-based views, custom QuerySet methods, signals | 0 / 0 | 1 / 0 / 0 / 0 | 100% (1/1) | " \
           "100% (1/1) / 100% (1/1) |" in new["summary"]
