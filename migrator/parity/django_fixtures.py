"""Fixtures loaded into the scratch database, inside the Django process django_side starts: each on its own, in
dependency order, a failing one retried once then skipped with its error."""

from __future__ import annotations

import json
import os

from migrator.parity.django_eval import _message


def _fixture_models(path: str) -> set[str]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return {str(obj["model"]).lower() for obj in data if isinstance(obj, dict) and "model" in obj}
    except Exception:  # noqa: BLE001 - not JSON: no known models, loaded in name order
        return set()


def fixture_order(paths: list[str]) -> list[str]:
    """Fixtures in dependency order: one whose models point (foreign key, one-to-one, many-to-many, parent)
    at models another fixture holds loads after it; otherwise by file name."""
    from django.apps import apps

    holds = {p: _fixture_models(p) for p in paths}

    def needs(label: str) -> set[str]:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            return set()
        out = {f.related_model._meta.label_lower for f in model._meta.get_fields()
               if f.concrete and f.is_relation and f.related_model is not None and f.related_model is not model}
        return out | {p._meta.label_lower for p in model._meta.get_parent_list()}

    deps = {p: {q for q in paths if q != p and any(needs(m) & holds[q] for m in holds[p])} for p in paths}
    done: list[str] = []
    pending = sorted(paths, key=lambda p: os.path.basename(p))
    while pending:
        ready = [p for p in pending if deps[p] <= set(done)] or pending[:1]  # a cycle: name order
        done.append(ready[0])
        pending.remove(ready[0])
    return done


def loadfixtures(paths: list[str]) -> dict:
    """Load each fixture on its own (its own transaction) in dependency order; one that fails is retried
    once after the others, then skipped with its error. Returns {"loaded": [...], "skipped": [...]}."""
    from django.core.management import call_command

    loaded, failed = [], {}
    for attempt in (0, 1):
        for path in (fixture_order(paths) if attempt == 0 else list(failed)):
            try:
                call_command("loaddata", path, verbosity=0)
            except Exception as exc:  # noqa: BLE001 - a stale fixture: reported, the others still load
                failed[path] = f"{type(exc).__name__}: {_message(exc).strip().splitlines()[-1][:500]}"
                continue
            failed.pop(path, None)
            loaded.append(path)
        if not failed:
            break
    return {"loaded": loaded, "skipped": [{"fixture": p, "error": e} for p, e in failed.items()]}
