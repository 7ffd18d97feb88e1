"""Conditional expressions over query text inside try/except ValueError (int(x) if x else None,
date.fromisoformat(x) if x else None, max(int(request.GET.get(k, 1)), 1)), a QuerySet refined by optional
filters, and a nullable select_related read as `n.author.name if n.author else None`."""
import os
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "views-optional-test"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["django.contrib.contenttypes", "notes"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "optproj.urls"
USE_TZ = True
TIME_ZONE = "UTC"
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
