"""DRF's authentication and permission classes -> what the generated Go runs before a view (drfAccess in
templates/drf/values.go.j2, djauth.DRFAuthenticate), or why a view stays a stub.

APIView.initial, after content negotiation: ``perform_authentication`` (the authentication classes in order;
the first that returns a user wins, ``AuthenticationFailed`` stops) then ``check_permissions`` (each permission
class in order; the first that refuses raises ``NotAuthenticated`` when the view has authentication classes and
none succeeded, else ``PermissionDenied``). ``handle_exception`` answers ``NotAuthenticated`` /
``AuthenticationFailed`` with 401 and ``WWW-Authenticate`` only when the *first* authentication class has an
authenticate header (Token, Basic), else 403: the generated 401 carries the first class's header (a
``Headed`` body, which the handler core writes as a response header).
"""

from __future__ import annotations

import json

from ..ir_drf import DRFView

P = "rest_framework.permissions."
PERMISSIONS = {P + n: n for n in ("AllowAny", "IsAuthenticated", "IsAdminUser", "IsAuthenticatedOrReadOnly",
                                   "DjangoModelPermissions", "DjangoModelPermissionsOrAnonReadOnly")}
A = "rest_framework.authentication."
# class -> (djauth's DRF class, its authenticate_header: DRF answers 401 with it as WWW-Authenticate when the
# class is the view's first, else 403)
AUTHENTICATION = {A + "SessionAuthentication": ("session", ""), A + "TokenAuthentication": ("token", "Token"),
                  A + "BasicAuthentication": ("basic", 'Basic realm="api"')}
# DjangoModelPermissions.perms_map (DRF 3.15+: reads need no permission)
PERMS_MAP = {"GET": (), "OPTIONS": (), "HEAD": (), "POST": ("add",), "PUT": ("change",), "PATCH": ("change",),
             "DELETE": ("delete",)}
# APIRootView._ignore_model_permissions: on the API root DjangoModelPermissions only asks for a signed-in user
ROOT_PERMISSIONS = {"DjangoModelPermissions": "IsAuthenticated", "DjangoModelPermissionsOrAnonReadOnly": "AllowAny"}


# the signed-in users of parity's http check (django_side.sessions' kinds) a permission class lets read, the most
# ordinary first: a read it refuses anonymously is compared past it as one of them (parity.http_requests._signed_in)
READERS = {"IsAuthenticated": ("user", "staff", "superuser"), "IsAdminUser": ("staff", "superuser"),
           "DjangoModelPermissions": ("user", "staff", "superuser")}  # DRF 3.15+: a read needs a signed-in user only


def signed_readers(view: DRFView) -> list[str]:
    """The kinds of signed-in user every permission class of ``view`` lets read (GET), in parity's order of
    preference; [] when an anonymous read passes them all (AllowAny, the ...OrReadOnly classes) or one is unknown."""
    perms = [PERMISSIONS.get(p) for p in view.permission_classes]
    if None in perms or not any(p in READERS for p in perms):
        return []
    return [k for k in READERS["IsAuthenticated"] if all(k in READERS[p] for p in perms if p in READERS)]


def _short(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1] or "(a permission expression)"


def access_reasons(view: DRFView, wired: bool = True) -> list[str]:
    """What of the view's authentication, permission and throttle classes the generated Go cannot reproduce
    exactly; ``wired``: the tree has djauth (django.contrib.auth installed)."""
    out = []
    other = [_short(a) for a in view.authentication_classes if a not in AUTHENTICATION]
    if other:
        out.append(f"authentication_classes {', '.join(other)}")
    unknown = [_short(p) for p in view.permission_classes if p not in PERMISSIONS]
    if unknown:
        out.append(f"permission_classes {', '.join(unknown)}")
    denying = [_short(p) for p in view.permission_classes if p in PERMISSIONS and PERMISSIONS[p] != "AllowAny"]
    if denying and not wired:
        out.append(f"permission_classes {', '.join(denying)} (no djauth: django.contrib.auth is not installed)")
    if view.throttle_classes:
        out.append(f"throttle_classes {', '.join(_short(t) for t in view.throttle_classes)}")
    return out


def _model_perms(model: str) -> dict[str, list[str]]:
    app, _, name = model.partition(".")
    return {m: [f"{app}.{verb}_{name.lower()}" for verb in verbs] for m, verbs in PERMS_MAP.items()}


def go_access(view: DRFView, session_cookie: str, wired: bool, root: bool = False, session_user: bool = True) -> str:
    """The drfjson.Auth literal of the view's classes. ``wired``: djauth runs them (Classes, Permissions,
    Header, ModelPerms); else only what the authentication classes read (Schemes, SessionCookie), whose
    requests answer 501. ``session_user``: AuthenticationMiddleware runs (else SessionAuthentication is
    "none": it never finds a user, but counts among the view's authenticators)."""
    known = [(("none", "") if AUTHENTICATION[a][0] == "session" and not session_user else AUTHENTICATION[a])
             for a in view.authentication_classes if a in AUTHENTICATION]
    parts = []
    if wired:
        perms = [PERMISSIONS[p] for p in view.permission_classes if p in PERMISSIONS]
        if root:
            perms = [ROOT_PERMISSIONS.get(p, p) for p in perms]
        parts.append("Wired: true")
        if known:
            parts.append(f"Classes: []string{{{', '.join(json.dumps(c) for c, _ in known)}}}")
        if known and known[0][1]:
            parts.append(f"Challenge: {json.dumps(known[0][1])}")
        if [p for p in perms if p != "AllowAny"]:
            parts.append(f"Permissions: []string{{{', '.join(json.dumps(p) for p in perms)}}}")
        if any(p.startswith("DjangoModel") for p in perms) and view.model:
            mp = _model_perms(view.model)
            parts.append("ModelPerms: map[string][]string{" + ", ".join(
                f"{json.dumps(m)}: {{{', '.join(json.dumps(x) for x in mp[m])}}}" for m in sorted(mp)) + "}")
        return "drfjson.Auth{" + ", ".join(parts) + "}"
    schemes = [c for c, header in known if header]
    if schemes:
        parts.append(f"Schemes: []string{{{', '.join(json.dumps(s) for s in schemes)}}}")
    if any(c == "session" for c, _ in known):
        parts.append(f"SessionCookie: {json.dumps(session_cookie)}")
    return "drfjson.Auth{" + ", ".join(parts) + "}"
