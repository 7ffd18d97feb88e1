"""get_queryset through a project helper over request.user, as django-helpdesk writes it (tests/test_drf_scoped.py)."""

SECRET_KEY = "drf-scoped-test"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions", "rest_framework",
                  "desk"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware",
              "django.contrib.auth.middleware.AuthenticationMiddleware"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
ROOT_URLCONF = "api.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
REST_FRAMEWORK = {"PAGE_SIZE": 2, "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination"}
DESK_PER_QUEUE_PERMISSION = False
