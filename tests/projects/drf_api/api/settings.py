"""A tiny DRF API: what `migrate drf` reads (tests/test_drf_views.py)."""

SECRET_KEY = "drf-api-test"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "rest_framework", "shop"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
ROOT_URLCONF = "api.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"], "PAGE_SIZE": 3}
MEDIA_URL = "/media/"  # FileField URLs (shop.Task.attachment)
