from django.apps import apps as django_apps
from django.conf import settings


def get_member_model():
    """auditlog style: the setting read into a local name, the lookup inside try/except."""
    model_string = getattr(settings, "CLUB_MEMBER_MODEL", "club.Member")
    try:
        return django_apps.get_model(model_string, require_ready=False)
    except LookupError:
        raise RuntimeError("CLUB_MEMBER_MODEL refers to a model that is not installed")
