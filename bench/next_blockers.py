"""What each stubbed view meets once its view-level blocker is gone: the reason `migrate analyze --http` gives
now (an own `dispatch`, several routes, a regex route, a wrapper), then what reading its methods says.

Measures the "what follows it" column of docs/http.md's corpus tables instead of reading it off the code by
hand. The view-level checks (``translate.handlers_plan.skip_reason``) are lifted for this process only, so
the methods are read exactly as they would be once the first blocker is translated; nothing is generated.

    PYTHONPATH=. .venv/bin/python bench/next_blockers.py bench/corpus/oauth2_provider [--only oauth2_provider.views]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def measure(project: Path, only: str = "") -> list[dict]:
    """Per stubbed view (whose name starts with ``only``): {view, first, next}; ``next`` is "" when reading
    its methods would migrate it."""
    from migrator.analyze import analyze
    from migrator.translate import handlers_plan

    first: dict[str, str] = {}
    original = handlers_plan.skip_reason

    def lifted(h, raw):
        why = original(h, raw)
        if why and raw is not None and h.view.startswith(only):
            first[h.view] = why
            return ""  # read its methods (one route: the first) as if the view-level blocker were translated
        return why

    handlers_plan.skip_reason = lifted
    try:
        result = analyze(project, None, http=True)
    finally:
        handlers_plan.skip_reason = original
    rows = {v["view"]: v for v in result.views}
    return [{"view": view, "first": why,
             "next": "" if rows.get(view, {}).get("status") == "migrated" else rows.get(view, {}).get("reason", "")}
            for view, why in sorted(first.items())]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project", type=Path)
    ap.add_argument("--only", default="", help="views whose dotted name starts with this")
    args = ap.parse_args(argv)
    for row in measure(args.project, args.only):
        print(f"{row['view']}\n  now:  {row['first']}\n  next: {row['next'] or '(its methods are read: migrated)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
