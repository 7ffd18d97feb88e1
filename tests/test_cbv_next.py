"""bench/next_blockers.py: what a stubbed view meets once its view-level blocker is gone (docs/http.md's
"what follows it" columns are measured with it)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from next_blockers import measure  # noqa: E402

PROJECT = Path(__file__).parent / "projects" / "cbv_views"


@pytest.mark.slow
def test_the_next_blocker_of_a_view_is_what_reading_its_methods_says():
    """LateGuardView's base dispatch (a decorator after its prelude's statements) stubs it; its prelude and get()
    are readable, so lifting the view-level blocker migrates it; the process's planning is restored afterwards."""
    from migrator.translate import handlers_plan

    before = handlers_plan.skip_reason
    rows = measure(PROJECT, "notes.views.")
    assert rows == [{"view": "notes.views.LateGuardView",
                     "first": "the project replaces View's SignedInMixin.dispatch (under login_required, after the "
                              "statements of an outer dispatch): the request cycle is not Django's",
                     "next": ""}]
    assert handlers_plan.skip_reason is before
