from django.apps import AppConfig


class SidefxConfig(AppConfig):
    name = "sidefx"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the receivers
