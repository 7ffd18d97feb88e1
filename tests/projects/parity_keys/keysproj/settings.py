"""Reproduction of oauth2_provider's generated data (tests/test_parity_datagen_order.py): primary keys declared
as BigAutoField, a JSON field that refuses anything but a list, an INSERT whose foreign key and unique UUID
must come from existing rows and free values."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "parity-keys"
DEBUG = True
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "tokens"]
ROOT_URLCONF = "keysproj.urls"
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"  # the models below declare their own BigAutoField
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
