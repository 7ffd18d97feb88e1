"""A project whose only app lives in ../src (not below this directory): found with --source ../src."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "outside-src"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "shopapp"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ROOT_URLCONF = "config.urls"
USE_TZ = True
