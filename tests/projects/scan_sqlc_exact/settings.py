"""Sites whose Django SQL sqlc cannot take as it is, translated exactly (issue 12): DISTINCT with its ordering
columns, select_related over a nullable relation to decimal and date columns on PostgreSQL."""
SECRET_KEY = "scan-sqlc-exact-test-key"
INSTALLED_APPS = ["django.contrib.contenttypes", "sky"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
