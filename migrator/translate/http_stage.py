"""The http part of the translate stage: the URLconf's routes -> the service's view-model, and which views
get a real handler (the view translator, given the sqlc step's queries and typed package signatures).

It runs after the sqlc step (a view is migrated only with queries sqlc accepted and typed) and before
emit, which only renders the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..plan import GoPackage
from .http import HTTPModel, migrate_views, translate_routes
from .handlers_plan import MigratedView  # noqa: I001  (after .http: the view translator's modules import each other)

BOTH = {"sqlite", "postgresql"}


@dataclass
class HTTPPlan:
    model: HTTPModel
    migrated: dict[str, MigratedView] = field(default_factory=dict)  # view -> what its handler lays out
    sqlc: bool = False  # the sqlc target's queries were there (both dialects): views could be migrated
    guards: dict = field(default_factory=dict)  # handler -> Go wrapper of its auth decorators (translate.auth_views)


def reads_views(dialects) -> bool:
    """Whether the views are read and migrated with these dialects' queries (else every view is a stub)."""
    return BOTH <= set(dialects)


def plan_http(project, routes: list, sqlc=None, dialects=tuple(BOTH), compiled: bool = True,
              framework: str | None = None, drf=None) -> HTTPPlan:
    """``sqlc``: the sqlc step's result (sqlcstep.SqlcResult) or None (the sqlc target not run: every view a stub);
    ``compiled``: whether Django compiled any site; ``framework``: the routes run Django's CSRF check and the views'
    auth decorators as djauth guards (translate.auth_views), so those views are read as the others; ``drf``: waits
    for the DRF loader's JSON (a read started with the load stage, see generate), else it is read when needed."""
    from .auth_views import guarded_routes, open_entries, route_guards
    from .auth import user_model
    from .handlers_user import user_guards
    from .stays import classify as stays_in_django

    model = translate_routes(routes)
    if user_model(project) is None:  # no djauth in the tree (no contrib.auth): no guard
        framework = None
    by_view = route_guards(routes, framework)
    guards = {h.name: by_view[h.view] for h in model.handlers if h.view in by_view}
    routes = guarded_routes(routes, framework)
    with_sqlc = sqlc is not None and compiled and reads_views(dialects)
    migrated = {}
    if with_sqlc:
        # MySQL's package too when the tree has it (--dialect mysql): the store gets its adapter (docs/mysql.md)
        packages = {d: sqlc.packages.get(d) or GoPackage() for d in sorted(BOTH | ({"mysql"} & set(dialects)))}
        migrated = migrate_views(model, routes, project, sqlc.queries, packages, drf, sqlc.skipped)
        guards.update(user_guards(model.handlers, migrated, guards))  # request.user in the body: djauth's Middleware
    model.stays = stays_in_django(model.handlers, routes, migrated)  # views that render HTML (translate.stays)
    open_entries(model, guards)
    return HTTPPlan(model=model, migrated=migrated, sqlc=with_sqlc, guards=guards)
