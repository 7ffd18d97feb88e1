"""What breaks a corpus run (bench/corpus.py --check): a step that failed, and with --declared-only every parity
failure no DECLARED line explains and every DECLARED line whose failure no longer shows (stale).

A declaration applies to the dialects DIALECTS names for it (every dialect when it names none): a failure on
another dialect is undeclared, and a declaration is stale when, on a dialect it applies to whose parity ran,
no failure of its app matches it. INTERMITTENT declarations (a failure that shows on some runs only) are never
stale. Pure data in, list out: tests/test_corpus_check.py judges it without running an app.
"""

from __future__ import annotations

from corpus_known import DECLARED, DIALECTS, INTERMITTENT


def applies(app: str, prefix: str, dialect: str | None) -> bool:
    return dialect is None or dialect in DIALECTS.get((app, prefix), (dialect,))


def declared(app: str, case: str, dialect: str | None = None) -> str:
    """The reason a parity failure of ``app`` (on ``dialect``, when given) is known (DECLARED), or ""."""
    return next((w for (a, prefix), w in DECLARED.items()
                 if a == app and case.startswith(prefix) and applies(a, prefix, dialect)), "")


def parity_ran(result) -> list[str]:
    """The dialects whose parity ran to a verdict (exit 0 or 1, its report read) on this app."""
    return [d for d in result.failures if getattr(result.steps.get(f"parity-{d}"), "rc", None) in (0, 1)]


def undeclared(result) -> list[str]:
    return [f"undeclared parity failure ({d}): {c}" for d, cases in result.failures.items() for c in cases
            if not declared(result.name, c, d)]


def stale(result) -> list[str]:
    out = []
    for (app, prefix) in DECLARED:
        if app != result.name or (app, prefix) in INTERMITTENT:
            continue
        for d in parity_ran(result):
            if applies(app, prefix, d) and not any(c.startswith(prefix) for c in result.failures[d]):
                out.append(f"stale declaration ({d}): no failure starts with {prefix!r} (bench/corpus_known.py)")
    return out


def breaks(results, declared_only: bool = False) -> list[tuple[str, str]]:
    """(app, why) for each thing that fails ``--check``: broken steps, then (``declared_only``) undeclared
    failures and stale declarations."""
    out = [(r.name, b) for r in results for b in r.broken()]
    if declared_only:
        out += [(r.name, b) for r in results for b in undeclared(r) + stale(r)]
    return out
