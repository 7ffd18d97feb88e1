"""Constructs first seen on the corpus of real apps (bench/corpus), each reduced to a few lines."""
SECRET_KEY = "corpus-regressions"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "regress"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
