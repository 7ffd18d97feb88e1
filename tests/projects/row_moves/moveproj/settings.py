"""django-scheduler's api_move_or_resize_by_code, reduced (tests/test_http_stub_reasons.py): a form write that
shifts a loaded row's datetimes by timedelta(minutes=int(...)), asks the settings' permission callback, then saves
the row. The http target reads it up to the save() and names that as the blocker."""
from pathlib import Path

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
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
