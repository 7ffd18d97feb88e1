"""A project's own view decorators, each shape once (tests/test_auth_guards.py): a test built by a factory and
applied by name (`staff_member_required = user_passes_test(...)`), a login URL name and field of its own, a
wrapper answering 401 with a response class of its own, a named redirect then PermissionDenied, Http404 behind a
setting read at import, a check a setting turns off, a factory with literal arguments answering JSON, a header
deciding between a 403 JSON and login_required, require_POST above login_required; and two that are reported (the view's result wrapped, a query)."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "guards-views-test"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions", "desk"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "guardproj.urls"
TEMPLATES = []
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
DESK_ANON_RAISES_404 = True
