"""django-oauth-toolkit's JwksInfoView served as installed, and a subclass with its own get() (tests/test_cbv_known.py):
the first is answered by the generated djoauth package (OIDC off and DEBUG off here: a 404 without content), the
second is read as any class (its get() is the project's). The corpus shell covers DEBUG on (the 500)."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "cbv-oauth-test"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions", "oauth2_provider",
                  "keys"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "oauthproj.urls"
TEMPLATES = []
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
OAUTH2_PROVIDER = {"OIDC_ENABLED": False, "OIDC_JWKS_MAX_AGE_SECONDS": 60}
