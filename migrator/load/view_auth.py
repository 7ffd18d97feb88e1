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
