"""django-oauth-toolkit's RFC 8414 / RFC 9728 metadata views, read at generation into the ordered fields of
the document they answer (load/cbv_known.py recognises the views; templates/oauth/document.go completes the
fields from the request). Runs inside Django.

Each field is ``[key, kind, value]``, in the order the view's ``get`` writes its keys:

- ``const``: a JSON value the settings give (lists of response / grant types, scopes, flags);
- ``url``: a path ``reverse()`` gives, made absolute as ``ServerMetadataViewMixin._get_endpoint_url`` does (the
  issuer's scheme and host when ``OIDC_ISS_ENDPOINT`` is set, else ``request.build_absolute_uri(path)``);
- ``jwks``: a ``url`` written only when OIDC is on and a private key is set (both read at run time);
- ``issuer``: ``oauth2_metadata_issuer(request)``: ``OIDC_ISS_ENDPOINT``, else the request's absolute URL around
  the well-known marker (the value); ``derived``: the same without ``OIDC_ISS_ENDPOINT``
  (``oauth2_resource_identifier``);
- ``servers``: ``oauth2_resource_authorization_servers(request)``: ``[OIDC_ISS_ENDPOINT]``, else the absolute URL
  of the server-metadata route less its marker (the value: that path without the marker); ``issuers`` when
  that route is not registered: ``[OIDC_ISS_ENDPOINT]``, else the key is left out; ``origin``: ``oidc_issuer(request)``, the same for the OIDC discovery route, not
  in a list;
- ``keyed``: the first of two JSON values (the value, a list) when a private key is set, else the second.

OIDC discovery (``ConnectDiscoveryInfoView``, under ``OIDCOnlyMixin``) is known when its claims are the
toolkit's (``["sub"]``: with more than one, ``list(set(...))`` orders them by the process's string hashing).

What the settings say is read once, here: a project whose settings change per deployment regenerates (the
environment overrides only DEBUG, OIDC_ENABLED, the keys and OIDC_ISS_ENDPOINT: templates/oauth/settings.go).
A subclass overriding any method the document depends on, or a scopes backend of the project's own, is not
known (None): it is read as any other class.
"""

from __future__ import annotations

SERVER_MARKER = "/.well-known/oauth-authorization-server"
DISCOVERY_MARKER = "/.well-known/openid-configuration"
RESOURCE_MARKER = "/.well-known/oauth-protected-resource"

_RESOURCE_METHODS = ("get", "get_resource", "get_authorization_servers", "get_scopes_supported",
                     "get_bearer_methods_supported", "get_resource_name", "get_resource_documentation",
                     "get_resource_policy_uri", "get_resource_tos_uri")


def document(cls) -> list | None:
    """The fields of ``cls``'s document when it answers exactly as one of the toolkit's metadata views (OIDC
    discovery's: under OIDCOnlyMixin, load/cbv_known.py checks it)."""
    from oauth2_provider.views import metadata, oidc

    server, resource = metadata.OAuthServerMetadataView, metadata.OAuthProtectedResourceMetadataView
    if not _settings_scopes():
        return None
    same_urls = getattr(cls, "_get_endpoint_url", None) is metadata.ServerMetadataViewMixin._get_endpoint_url
    try:
        if cls.get is server.get and same_urls:
            return _server()
        if cls.get is oidc.ConnectDiscoveryInfoView.get and same_urls:
            return _discovery()
        if all(getattr(cls, m, None) is getattr(resource, m) for m in _RESOURCE_METHODS):
            return _resource()
    except _Unknown:
        return None
    return None


def _settings_scopes() -> bool:
    """The scopes backend is the toolkit's SettingsScopes (the scopes are the SCOPES setting's keys)."""
    from oauth2_provider.scopes import SettingsScopes
    from oauth2_provider.settings import oauth2_settings

    backend = oauth2_settings.SCOPES_BACKEND_CLASS
    return isinstance(backend, type) and backend.get_available_scopes is SettingsScopes.get_available_scopes


def _path(view_name: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(f"oauth2_provider:{view_name}")
    except NoReverseMatch:
        return None


class _Unknown(Exception):
    """The document is not one the Go side answers exactly (a required route missing, claims in hash order)."""


def _required(view_name: str) -> str:
    """``_get_endpoint_url(request, view_name, required=True)``'s path: Django's NoReverseMatch otherwise."""
    if (path := _path(view_name)) is None:
        raise _Unknown(view_name)
    return path


def _less(path: str | None, marker: str) -> str | None:
    """The path without the marker it ends with (None stays None)."""
    if path is None:
        return None
    if not path.endswith(marker):
        raise _Unknown(path)
    return path[: -len(marker)]


def _server() -> list:
    """OAuthServerMetadataView.get's document, key by key."""
    from oauth2_provider.models import AbstractGrant
    from oauth2_provider.settings import oauth2_settings as s
    from oauth2_provider.views.metadata import bcp_filter_code_challenge_methods, bcp_filter_response_types

    grant_types = list(s.OAUTH2_GRANT_TYPES_SUPPORTED)
    if s.COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT:
        grant_types = [gt for gt in grant_types if gt != "implicit"]
    if s.COMPLIANT_BCP_RFC9700_PASSWORD_GRANT:
        grant_types = [gt for gt in grant_types if gt != "password"]
    out = [["issuer", "issuer", SERVER_MARKER],
           ["response_types_supported", "const", bcp_filter_response_types(s.OAUTH2_RESPONSE_TYPES_SUPPORTED)],
           ["grant_types_supported", "const", grant_types],
           ["scopes_supported", "const", sorted(s._SCOPES)],
           ["client_id_metadata_document_supported", "const", s.CIMD_ENABLED]]
    _iss_parameter(out)
    endpoints = [("authorization_endpoint", "authorize"), ("token_endpoint", "token"),
                 ("revocation_endpoint", "revoke-token"), ("introspection_endpoint", "introspect")]
    if s.DCR_ENABLED:
        endpoints.append(("registration_endpoint", "dcr-register"))
    present = set()
    for key, view_name in endpoints:
        if (path := _path(view_name)) is not None:
            out.append([key, "url", path])
            present.add(key)
    methods = s.OAUTH2_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED
    if "authorization_endpoint" in present:
        out.append(["code_challenge_methods_supported", "const",
                    bcp_filter_code_challenge_methods([key for key, _ in AbstractGrant.CODE_CHALLENGE_METHODS])])
    for key in ("token", "revocation", "introspection"):
        if f"{key}_endpoint" in present:
            out.append([f"{key}_endpoint_auth_methods_supported", "const", methods])
    if (path := _path("jwks-info")) is not None:
        out.append(["jwks_uri", "jwks", path])
    return out


def _resource() -> list:
    """OAuthProtectedResourceMetadataView.get's document, key by key."""
    from oauth2_provider.settings import oauth2_settings as s

    identifier = s.OAUTH2_PROTECTED_RESOURCE_IDENTIFIER
    out = [["resource", "const", identifier] if identifier else ["resource", "derived", RESOURCE_MARKER]]
    servers = s.OAUTH2_PROTECTED_RESOURCE_AUTHORIZATION_SERVERS
    if servers:
        out.append(["authorization_servers", "const", list(servers)])
    else:
        path = _path("oauth-server-metadata")
        out.append(["authorization_servers", "issuers", ""] if path is None
                   else ["authorization_servers", "servers", _less(path, SERVER_MARKER)])
    out += [["scopes_supported", "const", sorted(s._SCOPES)],
            ["bearer_methods_supported", "const", s.OAUTH2_PROTECTED_RESOURCE_BEARER_METHODS_SUPPORTED]]
    for key, value in [("resource_name", s.OAUTH2_PROTECTED_RESOURCE_NAME),
                       ("resource_documentation", s.OAUTH2_PROTECTED_RESOURCE_DOCUMENTATION),
                       ("resource_policy_uri", s.OAUTH2_PROTECTED_RESOURCE_POLICY_URI),
                       ("resource_tos_uri", s.OAUTH2_PROTECTED_RESOURCE_TOS_URI)]:
        if value:
            out.append([key, "const", value])
    return out


def _iss_parameter(out: list) -> None:
    from oauth2_provider.settings import oauth2_settings as s

    if s.COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS:
        out.append(["authorization_response_iss_parameter_supported", "const", True])


def _discovery() -> list | None:
    """ConnectDiscoveryInfoView.get's document, key by key; None when the claims are not the toolkit's."""
    from oauth2_provider.models import AbstractGrant, get_application_model
    from oauth2_provider.oauth2_validators import OAuth2Validator
    from oauth2_provider.settings import oauth2_settings as s
    from oauth2_provider.views.metadata import bcp_filter_code_challenge_methods, bcp_filter_response_types

    validator = s.OAUTH2_VALIDATOR_CLASS
    if not (isinstance(validator, type) and validator.get_discovery_claims is OAuth2Validator.get_discovery_claims
            and validator.get_additional_claims is OAuth2Validator.get_additional_claims):
        return None  # the project's claims: computed per request, or in hash order
    app = get_application_model()
    out = [["issuer", "origin", _less(_required("oidc-connect-discovery-info"), DISCOVERY_MARKER)],
           ["authorization_endpoint", "url", _required("authorize")],
           ["token_endpoint", "url", _required("token")],
           ["userinfo_endpoint", "const", s.OIDC_USERINFO_ENDPOINT] if s.OIDC_USERINFO_ENDPOINT
           else ["userinfo_endpoint", "url", _required("user-info")],
           ["jwks_uri", "url", _required("jwks-info")],
           ["scopes_supported", "const", list(s._SCOPES)],
           ["response_types_supported", "const", bcp_filter_response_types(s.OIDC_RESPONSE_TYPES_SUPPORTED)],
           ["subject_types_supported", "const", s.OIDC_SUBJECT_TYPES_SUPPORTED],
           ["id_token_signing_alg_values_supported", "keyed",
            [[app.RS256_ALGORITHM, app.HS256_ALGORITHM], [app.HS256_ALGORITHM]]],
           ["token_endpoint_auth_methods_supported", "const", s.OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED],
           ["code_challenge_methods_supported", "const",
            bcp_filter_code_challenge_methods([key for key, _ in AbstractGrant.CODE_CHALLENGE_METHODS])],
           ["claims_supported", "const", ["sub"]],
           ["prompt_values_supported", "const",
            ["none", "login"] + (["create"] if s.OIDC_RP_INITIATED_REGISTRATION_ENABLED else [])],
           ["client_id_metadata_document_supported", "const", s.CIMD_ENABLED]]
    _iss_parameter(out)
    if s.OIDC_RP_INITIATED_LOGOUT_ENABLED:
        out.append(["end_session_endpoint", "url", _required("rp-initiated-logout")])
    return out
