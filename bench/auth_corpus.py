"""djauth on the corpus (docs/auth.md): per app, the user model djauth is rendered for, the routes whose views
carry Django's auth decorators, how many of those become djauth guards (and why the others do not), and
how many views read request.user in their body, the routes CsrfViewMiddleware checks, and the class-based
views whose access mixins become guards.

    .venv/bin/python bench/auth_corpus.py todo wiki helpdesk      # app folders under bench/corpus/
"""
import sys
from collections import Counter
from pathlib import Path

from migrator.load import load_project, load_routes
from migrator.translate.auth import plan_auth
from migrator.translate.auth_views import AUTH_WRAPPER, NotAuth, read_guard, read_mixins

root = Path(__file__).resolve().parent / "corpus"
total = Counter()
for app in sys.argv[1:]:
    proj_dir = root / app
    try:
        project = load_project(proj_dir, scan=False)
        routes, _ = load_routes(project)
    except Exception as exc:
        print(app, "failed", type(exc).__name__, str(exc)[:200]); continue
    user = plan_auth(project)
    c = Counter()
    reasons = Counter()
    for r in routes:
        decs = r.get("decorators", [])
        if any(d.startswith(AUTH_WRAPPER) for d in decs):
            c["auth-decorated"] += 1
            try:
                read_guard(r.get("python", ""), decs)
                c["guard"] += 1
            except NotAuth as exc:
                reasons[str(exc)[:70]] += 1
        c[f"csrf {r.get('csrf')}"] += 1  # CsrfViewMiddleware: protect, exempt, off (not in MIDDLEWARE)
        if r.get("auth_mixins"):
            c["access mixins"] += 1
            try:
                read_mixins(r["auth_mixins"])
                c["mixin guard"] += 1
            except NotAuth as exc:
                reasons[str(exc)[:70]] += 1
        if "request.user" in (r.get("python") or ""):
            c["reads request.user"] += 1
    c["routes"] = len(routes)
    total.update(c)
    print(f"{app}: user={user.label if user else None} table={user.table if user else ''} perms={bool(user and user.perms)} "
          f"token={bool(user and user.token)} {dict(c)} {dict(reasons.most_common(3))}")
print("TOTAL", dict(total))
