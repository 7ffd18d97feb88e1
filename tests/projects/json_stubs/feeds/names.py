from django.conf import settings

# a module constant read from the settings (django-scheduler's EVENT_NAME_PLACEHOLDER)
EVENT_TITLE = getattr(settings, "EVENT_TITLE", "Event Name")
