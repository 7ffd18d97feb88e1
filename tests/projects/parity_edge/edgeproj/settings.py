"""Parity edge cases (tests/test_parity_edge.py): SQLite-only DATABASES OPTIONS, a database cache table."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "parity-edge"
DEBUG = True
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "edge"]
ROOT_URLCONF = "edgeproj.urls"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3",
                         # SQLite-only options: they must not reach a PostgreSQL connection
                         "OPTIONS": {"init_command": "PRAGMA foreign_keys=ON;", "transaction_mode": "IMMEDIATE"}}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "edge_cache"}}
