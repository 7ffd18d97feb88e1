# taggit is deliberately NOT in INSTALLED_APPS: tags.MyTag inherits its abstract TagBase anyway.
SECRET_KEY = "x"
INSTALLED_APPS = ["django.contrib.contenttypes", "tags"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
