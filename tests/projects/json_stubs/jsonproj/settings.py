"""JSON views the http target leaves as stubs, one per construct that blocks it (the corpus's shapes:
django-scheduler's guard decorator and regex route without $, django-postman's View.get, a view on two
routes, *args/**kwargs, a syndication Feed instance), and one it migrates: tests/test_http_stub_reasons.py
checks each stub's reason."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "json-stubs-test"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["django.contrib.contenttypes", "feeds"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "jsonproj.urls"
USE_TZ = True
TIME_ZONE = "UTC"  # dateutil.parser.parse of naive text is read in UTC only
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
