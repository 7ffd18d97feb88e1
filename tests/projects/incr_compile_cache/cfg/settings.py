"""The compile cache (load/compile_cache.py, issue 13): a site whose compile runs a helper in another file, a site
reading a Q constant imported from another module, and sites in a file nobody else imports."""
SECRET_KEY = "incr-compile-cache"
INSTALLED_APPS = ["shelf"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
ROOT_URLCONF = "cfg.urls"
