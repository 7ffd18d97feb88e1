"""Settings read once at import, as apps do (helpdesk/settings.py)."""
from django.conf import settings

ANON_RAISES_404 = getattr(settings, "DESK_ANON_RAISES_404", False)
CHECK_OBJECTS = getattr(settings, "DESK_CHECK_OBJECTS", False)
DEFAULTS = {"STAFF_ONLY": True}


def setting(key):
    """todo's defaults(): the project's setting, else the default."""
    if hasattr(settings, "DESK_" + key):
        return getattr(settings, "DESK_" + key)
    return DEFAULTS.get(key)
