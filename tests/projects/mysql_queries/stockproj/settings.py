"""Queries sqlc's MySQL engine refused in Django's MySQL form, each now translated (tests/test_mysql.py,
docs/mysql.md): a capitalised subquery alias, a slice with two variable bounds beside a filter, AVG as a float."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "mysql-queries"
DEBUG = True
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "stock"]
ROOT_URLCONF = "stockproj.urls"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
