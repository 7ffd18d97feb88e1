"""What django.contrib.auth and CsrfViewMiddleware do before a view, read from the view callable (split from
load.urls, which describes each route's view): plain data for translate.auth_views, which makes the route
guards of it."""

from __future__ import annotations

from typing import Optional


def csrf_of(callback) -> str:
    """What CsrfViewMiddleware does for the view: "protect", "exempt" (csrf_exempt: DRF's APIView, a
    method_decorator on dispatch...) or "off" (the middleware is not in MIDDLEWARE)."""
    from django.conf import settings

    if "django.middleware.csrf.CsrfViewMiddleware" not in list(getattr(settings, "MIDDLEWARE", None) or []):
        return "off"
    return "exempt" if getattr(callback, "csrf_exempt", False) else "protect"


_MIXINS = "django.contrib.auth.mixins"
# what AccessMixin and its subclasses let a view change; any of them set (or a method overridden) is not read
_ACCESS = ("login_url", "permission_denied_message", "redirect_field_name")
_ACCESS_METHODS = ("dispatch", "handle_no_permission", "get_login_url", "get_permission_denied_message",
                   "get_redirect_field_name", "get_permission_required", "has_permission")


def auth_mixins(cls) -> Optional[dict]:
    """django.contrib.auth's access mixins of a class-based view, outermost first, as plain data: {"mixins":
    [names], "permission_required": [...] or None, "raise_exception": bool, "custom": [what the view changes]}.
    None without any."""
    names = [k.__name__ for k in cls.__mro__ if k.__module__ == _MIXINS and k.__name__ != "AccessMixin"]
    if not names:
        return None
    custom = [a for a in _ACCESS if getattr(cls, a, None) not in (None, "", "next")]
    custom += [m for m in _ACCESS_METHODS for k in cls.__mro__ if m in vars(k)
               and k.__module__ not in (_MIXINS, "django.views.generic.base") and not k.__module__.startswith(
                   "django.views.generic")]
    perms = getattr(cls, "permission_required", None)
    perms = [perms] if isinstance(perms, str) else list(perms) if isinstance(perms, (list, tuple)) else None
    raise_exception = getattr(cls, "raise_exception", False)
    return {"mixins": names, "permission_required": perms, "custom": sorted(set(custom)),
            "raise_exception": raise_exception if isinstance(raise_exception, bool) else None}


def error_page_diagnostics() -> list:
    """The 403 pages a project replaced (its URLconf's ``handler403``, a ``403.html`` template, with
    CsrfViewMiddleware ``CSRF_FAILURE_VIEW`` or a ``403_csrf.html`` template): djauth's guards answer Django's
    default pages, so a 403 from Go would differ from the project's. Reported once (ROUTE_ERROR_PAGE)."""
    from django.conf import settings
    from django.template import loader
    from django.urls import get_resolver

    from ..ir import Diagnostic

    def template(name: str) -> bool:
        try:
            loader.get_template(name)
        except Exception:  # noqa: BLE001 - TemplateDoesNotExist, or no template engine at all
            return False
        return True

    found = []
    if getattr(get_resolver().urlconf_module, "handler403", None) is not None:
        found.append("the URLconf's handler403")
    if template("403.html"):
        found.append("a 403.html template")
    if csrf_of(None) != "off":
        if getattr(settings, "CSRF_FAILURE_VIEW", "django.views.csrf.csrf_failure") != "django.views.csrf.csrf_failure":
            found.append(f"CSRF_FAILURE_VIEW = {settings.CSRF_FAILURE_VIEW!r}")
        if template("403_csrf.html"):
            found.append("a 403_csrf.html template")
    if not found:
        return []
    return [Diagnostic(code="ROUTE_ERROR_PAGE", severity="warning", message=(
        f"the project replaces Django's 403 page ({', '.join(found)}): the Go routes' CSRF check and auth guards "
        "answer Django's default page (djauth CSRFFailurePage, Forbidden), not the project's"),
        hint="keep the routes whose 403 page matters in Django, or make djauth's pages the project's")]
