"""Constructs the compile step met on real apps (issue 12), each a few lines in shows/services.py."""
SECRET_KEY = "compile-constructs"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sites", "shows"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
SITE_ID = 1
TIME_ZONE = "UTC"
ROOT_URLCONF = "cfg.urls"
