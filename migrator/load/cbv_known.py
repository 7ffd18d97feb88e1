"""Views of installed packages whose code the generated service answers with a Go function of its own
(translate/handlers_cbv_known.py, templates/oauth): recognised by identity, never by name, so a subclass that
overrides anything the answer depends on is read as any other class. Runs inside Django (load.cbv).

django-oauth-toolkit's ``JwksInfoView``: its ``get`` (the key set from OIDC_RSA_PRIVATE_KEY), under
``OIDCOnlyMixin.dispatch`` (``if not oauth2_settings.OIDC_ENABLED``: DEBUG's ImproperlyConfigured, else a 404;
then ``super().dispatch``), Django's ``View.options``. What the project's settings say at generation becomes the
Go side's defaults (the environment overrides them); a private key is never copied, only whether one is set.

Its RFC 8414 / RFC 9728 metadata views (``OAuthServerMetadataView``, ``OAuthProtectedResourceMetadataView``) and
OIDC discovery (``ConnectDiscoveryInfoView``, under ``OIDCOnlyMixin``): documents built from the settings and
``reverse()``, read here into an ordered list of fields (load/cbv_known_docs.py) that the Go side completes from
the request (``build_absolute_uri``) and the settings it reads from the environment.
"""

from __future__ import annotations


def _toolkit():
    try:
        from oauth2_provider.views.mixins import OIDCOnlyMixin
        from oauth2_provider.views.oidc import JwksInfoView
    except Exception:  # noqa: BLE001 (not installed, or it does not import in this project: nothing is known)
        return None
    return OIDCOnlyMixin, JwksInfoView


# decorators of dispatch that change no answer: login_not_required only marks the view for Django's
# LoginRequiredMiddleware (the toolkit's views are open; the generated route has no guard)
_MARKS = {"login_not_required"}


def _plain_view(cls, decorators: list[str], dispatch) -> bool:
    """Django's request cycle around the class's get(): ``dispatch`` (unwrapped) the one given, View's options,
    setup and 405, GET alone among the writing methods, no decorator but the marks."""
    import inspect

    from django.views import View

    return (inspect.unwrap(cls.dispatch) is dispatch and set(decorators) <= _MARKS and cls.options is View.options
            and cls.setup is View.setup and cls.http_method_not_allowed is View.http_method_not_allowed
            and list(cls.http_method_names) == list(View.http_method_names)
            and not any(hasattr(cls, m) for m in ("post", "put", "patch", "delete")))


def known_view(cls, decorators: list[str]) -> dict | None:
    """``{"view": "jwks", "defaults": {...}}`` for a class answering exactly as the toolkit's JwksInfoView (or
    ``{"view": "document", "defaults", "fields"}`` for a metadata view, ``"oidc-document"`` for OIDC discovery
    under OIDCOnlyMixin: load/cbv_known_docs.py), else None;
    ``decorators``: what ``method_decorator`` puts on its dispatch (load.cbv.dispatch_decorators)."""
    from django.views import View

    toolkit = _toolkit() if "oauth2_provider" in {k.__module__.split(".")[0] for k in cls.__mro__} else None
    if toolkit is None:
        return None
    mixin, jwks = toolkit
    if _plain_view(cls, decorators, View.dispatch):
        from .cbv_known_docs import document

        fields = document(cls)
        return None if fields is None else {"view": "document", "defaults": _defaults(), "fields": fields}
    if not _plain_view(cls, decorators, mixin.dispatch):
        return None
    if getattr(cls, "get", None) is jwks.get:
        return {"view": "jwks", "defaults": _defaults()}
    from .cbv_known_docs import document

    fields = document(cls)  # OIDC discovery
    return None if fields is None else {"view": "oidc-document", "defaults": _defaults(), "fields": fields}


def _defaults() -> dict:
    """What the project's settings say at generation of the keys djoauth.FromEnv reads (templates/oauth)."""
    from django.conf import settings
    from oauth2_provider.settings import oauth2_settings

    return {
        "Debug": bool(settings.DEBUG), "OIDCEnabled": bool(oauth2_settings.OIDC_ENABLED),
        "MaxAge": int(oauth2_settings.OIDC_JWKS_MAX_AGE_SECONDS), "Keyed": bool(oauth2_settings.OIDC_RSA_PRIVATE_KEY),
        "Issuer": str(oauth2_settings.OIDC_ISS_ENDPOINT or "")}
