"""helpdesk's UserSettings in small (tests/test_parity_free_target.py): a one-to-one row per user, written by a
post_save receiver as helpdesk's create_usersettings does, and a view that creates one. Parity's generated data
gave every user its settings row, so the create was refused on both sides (unique user_id), never compared."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "parity-free-target"
DEBUG = True
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "prefs.apps.PrefsConfig"]
ROOT_URLCONF = "prefsproj.urls"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
