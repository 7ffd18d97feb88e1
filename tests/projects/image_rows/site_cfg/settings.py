"""django-machina in miniature: an image field whose clean() opens the file (needs Pillow)."""
SECRET_KEY = "image-rows"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "gallery"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
