"""Result shapes and get() semantics the sqlc translation must keep exactly (issue 12; first met on the corpus:
django-todo's tracker, django-helpdesk's TicketCC and UserSettings)."""
SECRET_KEY = "sqlc-shapes-test-key"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "desk"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
