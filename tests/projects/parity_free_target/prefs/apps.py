from django.apps import AppConfig


class PrefsConfig(AppConfig):
    name = "prefs"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_save

        from .models import create_usersettings

        post_save.connect(create_usersettings, sender=settings.AUTH_USER_MODEL)
