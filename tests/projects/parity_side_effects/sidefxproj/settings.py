"""A project whose code writes files and sends e-mail while Django runs (tests/test_parity_side_effects.py):
migrate parity must leave this tree byte-identical and write nothing outside its temporary folders."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "parity-side-effects"
DEBUG = True
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "sidefx.apps.SidefxConfig"]
ROOT_URLCONF = "sidefxproj.urls"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
MEDIA_ROOT = BASE_DIR / "media"  # a FileField's save() writes here
SEARCH_INDEX = BASE_DIR / "index"  # receivers keep a "search index" here, as haystack's Whoosh backend does
# an absolute place outside the project (a shared log, /var/...): the test points it at its own folder
AUDIT_LOG = os.environ.get("SIDEFX_AUDIT_LOG", "/var/tmp/sidefx-audit.log")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # parity must not let one leave the machine
EMAIL_HOST = "192.0.2.1"  # TEST-NET-1: unroutable; a real send would fail or hang
EMAIL_TIMEOUT = 2
CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                      "LOCATION": os.environ.get("SIDEFX_CACHE_DIR", "/var/tmp/sidefx-cache")}}
