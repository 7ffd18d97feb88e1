"""Django's side of tests/test_auth.py: a JSON-lines server answering with Django's own auth code.

    python tests/auth/oracle.py PROJECT_DIR SETTINGS_MODULE DATABASE_URL
    (ORACLE_PBKDF2_ITERATIONS=N: the preferred hasher is PBKDF2 with N iterations, for tests of sessions)

Each request is one JSON object {"op": ..., "settings": {...}?, ...}; ``settings`` are applied with
override_settings for that request only (SECRET_KEY rotation, SESSION_ENGINE). Each answer is one line.
"""

from __future__ import annotations

import json
import logging
import os
import sys


def main() -> None:
    from migrator.parity.django_side import setup

    setup(*sys.argv[1:4])
    if os.environ.get("ORACLE_PBKDF2_ITERATIONS"):  # fewer iterations for tests about sessions, not hashes
        from django.conf import settings
        from django.contrib.auth.hashers import PBKDF2PasswordHasher

        class FastPBKDF2PasswordHasher(PBKDF2PasswordHasher):
            iterations = int(os.environ["ORACLE_PBKDF2_ITERATIONS"])

        sys.modules["__main__"].FastPBKDF2PasswordHasher = FastPBKDF2PasswordHasher
        settings.PASSWORD_HASHERS = ["__main__.FastPBKDF2PasswordHasher", *settings.PASSWORD_HASHERS[1:]]
    from django.test.utils import override_settings

    for line in sys.stdin:
        req = json.loads(line)
        try:
            with override_settings(**req.pop("settings", {})):
                answer = OPS[req.pop("op")](**req)
        except Exception as exc:  # an oracle failure is the test's to report, with its message
            answer = {"exception": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer), flush=True)


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model()._default_manager.get_by_natural_key(username)


def create_user(username, password, is_active=True, is_staff=False, is_superuser=False, perms=(), groups=()):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    user = get_user_model()._default_manager.create_user(username=username, password=password)
    user.is_active, user.is_staff, user.is_superuser = is_active, is_staff, is_superuser
    user.save()
    for perm in perms:
        app, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return {"id": str(user.pk)}


def create_group(name, perms=()):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name=name)
    for perm in perms:
        app, codename = perm.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))
    return {"id": group.pk}


def login(username, password):
    """Django's authenticate() and login() in a view under SessionMiddleware: the session cookie its response sets
    (its value, Max-Age and whether it has Expires)."""
    from django.conf import settings
    from django.contrib.auth import authenticate, login as auth_login
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    def view(request):
        user = authenticate(request, username=username, password=password)
        if user is None:
            return HttpResponse(status=401)
        auth_login(request, user)
        return HttpResponse()

    response = SessionMiddleware(view)(RequestFactory().post("/login/"))
    if response.status_code != 200:
        return {"cookie": None}
    morsel = response.cookies[settings.SESSION_COOKIE_NAME]
    return {"cookie": morsel.value, "max_age": int(morsel["max-age"]) if morsel["max-age"] else None,
            "expires": bool(morsel["expires"])}


def pad_session(cookie, size):
    """Stores size characters more in a db session (zlib makes the payload shorter: signing.dumps compresses
    it): the first character of the stored session_data ('.' when compressed)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    session = SessionStore(cookie)
    session["pad"] = "ab" * (size // 2)
    session.save()
    return {"prefix": Session.objects.get(session_key=cookie).session_data[:1]}


def session_user(cookie, respond=False):
    """AuthenticationMiddleware's request.user for a request carrying the session cookie; with `respond`, under
    SessionMiddleware too, with the session cookie its response sets (None when it sets none)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import get_user
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpRequest, HttpResponse

    request = HttpRequest()
    if not respond:
        request.session = import_module(settings.SESSION_ENGINE).SessionStore(cookie)
        user = get_user(request)
        return {"id": str(user.pk) if user.is_authenticated else None}
    request.COOKIES[settings.SESSION_COOKIE_NAME] = cookie
    seen = {}

    def view(req):
        seen["user"] = get_user(req)
        return HttpResponse()

    set_cookie = SessionMiddleware(view)(request).cookies.get(settings.SESSION_COOKIE_NAME)
    user = seen["user"]
    return {"id": str(user.pk) if user.is_authenticated else None,
            "set_cookie": set_cookie.value if set_cookie is not None else None}


def session_response(cookie=None, status=200, read=True, login=None):
    """A GET under SessionMiddleware and AuthenticationMiddleware (the cookie sent when given) to a view that
    logs `login` in (password "pw") when given, reads request.user when `read`, then answers `status`: the user,
    and what SessionMiddleware's process_response wrote (the session cookie's Set-Cookie as sent, Vary)."""
    from django.conf import settings
    from django.contrib.auth import authenticate, login as auth_login
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    if cookie is not None:
        request.COOKIES[settings.SESSION_COOKIE_NAME] = cookie
    seen = {}

    def view(req):
        if login:
            auth_login(req, authenticate(req, username=login, password="pw"))
        if read:
            seen["id"] = str(req.user.pk) if req.user.is_authenticated else None
        return HttpResponse(status=status)

    response = SessionMiddleware(AuthenticationMiddleware(view))(request)
    morsel = response.cookies.get(settings.SESSION_COOKIE_NAME)
    return {"id": seen.get("id"), "status": response.status_code,
            "set_cookie": morsel.OutputString() if morsel is not None else None, "vary": response.get("Vary")}


def make(password, hasher):
    from django.contrib.auth.hashers import make_password

    return {"encoded": make_password(password, hasher=hasher)}


def check(password, encoded):
    from django.contrib.auth.hashers import verify_password

    ok, update = verify_password(password, encoded)
    return {"ok": ok, "update": update}


def set_password(username, password):
    user = _user(username)
    user.set_password(password)
    user.save()
    return {"password": user.password}


def expire_session(cookie):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    return {"rows": Session.objects.filter(session_key=cookie).update(expire_date=timezone.now())}


def weak_password(username, password, iterations):
    """A PBKDF2 hash with fewer iterations than this Django's: the kind check_password upgrades."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user = _user(username)
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(password, hasher.salt(), iterations)
    user.save()
    return {"password": user.password}


def password_of(username):
    return {"password": _user(username).password}


def perm(username, perms):
    return {"has": _user(username).has_perms(perms)}


class _Reasons(logging.Handler):
    def __init__(self):
        super().__init__()
        self.reasons = []

    def emit(self, record):
        self.reasons.append(record.args[0] if record.args else record.getMessage())


def csrf_token(secret):
    """get_token for a request whose cookie holds `secret`."""
    from django.conf import settings
    from django.middleware.csrf import CsrfViewMiddleware, get_token
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.COOKIES[settings.CSRF_COOKIE_NAME] = secret
    CsrfViewMiddleware(lambda r: None).process_request(request)
    return {"token": get_token(request)}


def csrf_check(method, cookie=None, token=None, form=False, origin=None, referer=None, host="testserver",
               secure=False):
    """CsrfViewMiddleware.process_view on a request: "" when accepted, else Django's reason."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.middleware.csrf import CsrfViewMiddleware
    from django.test import RequestFactory

    headers = {"HTTP_HOST": host}
    if origin is not None:
        headers["HTTP_ORIGIN"] = origin
    if referer is not None:
        headers["HTTP_REFERER"] = referer
    if token is not None and not form:
        headers[settings.CSRF_HEADER_NAME] = token
    data = {"csrfmiddlewaretoken": token} if form and token is not None else {}
    request = getattr(RequestFactory(), method.lower())("/orders/", data=data, secure=secure, **headers) \
        if form else getattr(RequestFactory(), method.lower())("/orders/", secure=secure, **headers)
    if cookie is not None:
        request.COOKIES[settings.CSRF_COOKIE_NAME] = cookie
    handler, logger = _Reasons(), logging.getLogger("django.security.csrf")
    logger.addHandler(handler)
    try:
        middleware = CsrfViewMiddleware(lambda r: HttpResponse())
        middleware.process_request(request)
        response = middleware.process_view(request, lambda r: HttpResponse(), (), {})
    finally:
        logger.removeHandler(handler)
    if response is None:
        return {"status": 200, "reason": ""}
    return {"status": response.status_code, "reason": handler.reasons[-1] if handler.reasons else "?"}


def login_redirect(path):
    """@login_required on an anonymous request for `path`: the Location Django answers."""
    from django.contrib.auth.decorators import login_required
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.test import RequestFactory

    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    response = login_required(lambda r: HttpResponse())(request)
    return {"status": response.status_code, "location": response["Location"]}


def _answer(response):
    """What the views tests compare of an answer: status, Location, body, Content-Type, and what the session
    middleware wrote (the session cookie's Set-Cookie, its shape: harness.cookie_shape; Vary)."""
    from django.conf import settings
    from harness import cookie_shape

    is_json = response.get("Content-Type", "").startswith("application/json")
    morsel = response.cookies.get(settings.SESSION_COOKIE_NAME)
    return {"status": response.status_code, "location": response.get("Location", ""),
            "json": response.json() if is_json else None, "type": response.get("Content-Type", ""),
            "text": "" if is_json else response.content.decode(), "vary": response.get("Vary"),
            "set_cookie": cookie_shape(morsel.OutputString()) if morsel is not None else None}


def get(path, cookie=None):
    """A GET through Django's whole stack (middleware, URLconf, view) with the session cookie, if any."""
    from django.conf import settings
    from django.test import Client

    client = Client(raise_request_exception=False)
    if cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = client.get(path)
    return _answer(response)


def mixin(cookie, mixin, path, perms=(), raise_exception=False):
    """LoginRequiredMixin or PermissionRequiredMixin on a class-based view, for a GET carrying the session."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import get_user
    from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.views import View

    base = PermissionRequiredMixin if mixin == "permission" else LoginRequiredMixin
    view = type("V", (base, View), {"permission_required": list(perms), "raise_exception": raise_exception,
                                    "get": lambda self, request: HttpResponse()})
    request = RequestFactory().get(path)
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(cookie)
    request.user = get_user(request)
    try:
        response = view.as_view()(request)
    except PermissionDenied:
        return {"status": 403, "location": ""}
    return {"status": response.status_code, "location": response.get("Location", "")}


def send(method, path, cookies=None, headers=None):
    """A request through Django's whole stack with CSRF enforced (the test client skips the check unless told):
    cookies by name, headers by their HTTP name."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    for name, value in (cookies or {}).items():
        client.cookies[name] = value
    response = client.generic(method, path, headers=headers or {})
    return _answer(response)


def cache_headers(path, cookies=None):
    """The caching headers Django's answer to a GET carries (never_cache's): Cache-Control as written, and
    whether Expires is set (its value is the time of the answer)."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    for name, value in (cookies or {}).items():
        client.cookies[name] = value
    response = client.get(path)
    return {"status": response.status_code, "cache_control": response.get("Cache-Control", ""),
            "expires": response.has_header("Expires")}


def grant(username, perms=(), is_staff=None, is_active=None):
    from django.contrib.auth.models import Permission

    user = _user(username)
    for perm in perms:
        app, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))
    user.is_staff = user.is_staff if is_staff is None else is_staff
    user.is_active = user.is_active if is_active is None else is_active
    user.save()
    return {}


def user_data(username, orders=(), delete_profile=False, placed=()):
    """Rows a view reads through request.user: orders (by status) for the user, those whose status is in
    ``placed`` placed (placed_at set, a minute apart), or no Profile (get_or_create then creates it)."""
    from datetime import datetime, timedelta, timezone

    from accounts.models import Profile
    from orders.models import Order

    user = _user(username)
    for i, status in enumerate(orders):
        when = datetime(2026, 3, 1, 12, i, tzinfo=timezone.utc) + timedelta(seconds=i) if status in placed else None
        Order.objects.create(user=user, email=f"{username}@example.com", status=status, placed_at=when)
    if delete_profile:
        Profile.objects.filter(user=user).delete()
    return {}


def token_for(username):
    from rest_framework.authtoken.models import Token

    return {"key": Token.objects.get_or_create(user=_user(username))[0].key}


def drf_auth(authorization, scheme):
    """DRF's TokenAuthentication / BasicAuthentication on a request: the user's id, or the 401 detail."""
    from rest_framework.authentication import BasicAuthentication, TokenAuthentication
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework.request import Request
    from django.test import RequestFactory

    auth = {"token": TokenAuthentication, "basic": BasicAuthentication}[scheme]()
    request = Request(RequestFactory().get("/", HTTP_AUTHORIZATION=authorization))
    try:
        found = auth.authenticate(request)
    except AuthenticationFailed as exc:
        return {"id": None, "detail": str(exc.detail)}
    return {"id": str(found[0].pk) if found else None, "detail": ""}


OPS = {f.__name__: f for f in (create_user, user_data, create_group, login, pad_session, session_user, session_response, make,
                                check, set_password, password_of, perm, expire_session, weak_password, csrf_token, csrf_check, login_redirect,
                                get, send, cache_headers, mixin, grant, token_for, drf_auth)}

if __name__ == "__main__":
    main()
