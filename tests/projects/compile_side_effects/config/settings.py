from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "test"
DEBUG = True
USE_TZ = True
INSTALLED_APPS = ["django.contrib.contenttypes", "notes"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ROOT_URLCONF = "config.urls"
# where the receivers below write, like haystack's WHOOSH PATH: inside the project
INDEX_DIR = BASE_DIR / "search_index"
