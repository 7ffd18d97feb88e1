"""Project view decorators on the corpus (docs/auth.md, "A project's own decorators"): per app, the function
views wrapped by an auth decorator or a decorator of the project's own (load.decorators), how many of them get
past their decorators (the route runs them as a djauth guard: translate.guards) and, for those, whether the
view migrates or what blocks it next (the reason in a generated tree's http/MIGRATION.md); the DECORATOR_*
reasons of the others.

    .venv/bin/python bench/decorators_corpus.py helpdesk schedule wiki todo       # app folders under bench/corpus/
    .venv/bin/python bench/decorators_corpus.py --generated '/tmp/gen_{app}' helpdesk   # next blockers, from trees
"""
import re
import sys
from collections import Counter
from pathlib import Path

from migrator.load import load_project, load_routes
from migrator.translate.auth_views import NotAuth, read_view_guard

GUARDED = ("test", "permission", "steps", "unread")
root = Path(__file__).resolve().parent / "corpus"
args = sys.argv[1:]
generated = args[args.index("--generated") + 1] if "--generated" in args else None
apps = [a for i, a in enumerate(args) if a != "--generated" and (i == 0 or args[i - 1] != "--generated")]


def migration_rows(tree: Path) -> dict:
    """view -> (status, reason) from http/MIGRATION.md."""
    out = {}
    for line in (tree / "http" / "MIGRATION.md").read_text().splitlines():
        m = re.match(r"\| `([^`]+)` \| `[^`]*` \| (\w+) \| (.*) \|$", line)
        if m:
            out[m.group(1)] = (m.group(2), m.group(3))
    return out


total = Counter()
for app in apps:
    routes, _ = load_routes(load_project(root / app, scan=False))
    rows = migration_rows(Path(generated.replace("{app}", app))) if generated else {}
    c, reasons, next_blockers = Counter(), Counter(), Counter()
    for r in routes:
        layers = [layer for layer in r.get("wrappers") or [] if layer["kind"] in GUARDED]
        if not layers:
            continue
        c["decorated views"] += 1
        c["with a project decorator"] += any(not layer["wrapper"].startswith("django/") or (
            layer["kind"] == "test" and layer["test"] != "u.is_authenticated") for layer in layers)
        try:
            read_view_guard(r)
        except NotAuth as exc:
            reasons[str(exc).split(":")[0] + ": " + str(exc).rsplit(": ", 1)[-1][:70]] += 1
            continue
        c["past their decorators"] += 1
        status, reason = rows.get(r["view"], ("?", ""))
        c[f"then {status}"] += 1
        if status == "stub":
            next_blockers[re.sub(r"[`'\"(].*", "", reason)[:60]] += 1
    total.update(c)
    print(f"{app}: {dict(c)}")
    print(f"  not read: {dict(reasons.most_common())}")
    if next_blockers:
        print(f"  next blockers: {dict(next_blockers.most_common(8))}")
print("TOTAL", dict(total))
