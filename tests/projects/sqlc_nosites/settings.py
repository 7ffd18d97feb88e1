"""A project with models and no QuerySet site: the sqlc target has nothing to translate (issue 11)."""
SECRET_KEY = "sqlc-nosites-test-key"
INSTALLED_APPS = ["django.contrib.contenttypes", "notes"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
