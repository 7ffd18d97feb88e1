"""get() on a non-unique field: Django raises MultipleObjectsReturned where a sqlc :one query returned the
first row silently (generated data repeats a choice, so two rows share a genre)."""
import os
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "get-multiple-test"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["django.contrib.contenttypes", "shelf"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "getproj.urls"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _database(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        return {"ENGINE": "django.db.backends.postgresql", "NAME": parsed.path.lstrip("/"),
                "USER": parsed.username or "", "PASSWORD": parsed.password or "",
                "HOST": parsed.hostname or "", "PORT": str(parsed.port or "")}
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": parsed.path if parsed.scheme else url}


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": _database(os.environ["DATABASE_URL"])}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                             "NAME": os.environ.get("SQLITE_PATH") or BASE_DIR / "db.sqlite3"}}
