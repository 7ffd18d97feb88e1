"""django-scheduler's api_move_or_resize_by_code, reduced (tests/test_http_stub_reasons.py): a form write that
shifts a loaded row's datetimes by timedelta(minutes=int(...)), asks the settings' permission callback, then saves
the row (an UPDATE of every column, load/save_sites). ``api_move_open`` is the same write without the permission
callback, so tests/test_row_moves.py compares the writes anonymous, on SQLite and PostgreSQL."""
import os
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "row-moves-test"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions", "moves"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.common.CommonMiddleware",
              "django.contrib.auth.middleware.AuthenticationMiddleware"]
ROOT_URLCONF = "moveproj.urls"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"  # django-scheduler's: an id beyond 32 bits matches nothing on PostgreSQL


def _database(url: str) -> dict:
    parsed = urlparse(url)
    return {"ENGINE": "django.db.backends.postgresql", "NAME": parsed.path.lstrip("/"), "USER": parsed.username or "",
            "PASSWORD": parsed.password or "", "HOST": parsed.hostname or "", "PORT": str(parsed.port or "")}


if os.environ.get("DATABASE_URL"):  # tests/test_row_moves.py: each side on its own copy
    DATABASES = {"default": _database(os.environ["DATABASE_URL"])}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                             "NAME": os.environ.get("SQLITE_PATH") or BASE_DIR / "db.sqlite3"}}
