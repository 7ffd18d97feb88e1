"""Django class-based views the http target reads method by method (tests/test_cbv.py): a View with get and
post (the URL kwarg as an argument and as self.kwargs, a class attribute, no delete: a 405), one behind
LoginRequiredMixin, one behind method_decorator(login_required) on dispatch, a helper method, and the shapes
that stay 501 with their reason (self.args, a TemplateView's get, a dispatch of the project's own)."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "cbv-views-test"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions", "notes"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "cbvproj.urls"
TEMPLATES = []
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
# not Django's default names: the parity Go server must be given them (django_side.go_auth_env), or Go reads every
# signed-in request of tests/test_cbv.py's parity run as anonymous
SESSION_COOKIE_NAME = "cbv_session"
CSRF_COOKIE_NAME = "cbv_csrf"
CSRF_HEADER_NAME = "HTTP_X_CBV_CSRF"
