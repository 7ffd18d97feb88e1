from django.conf import settings


class ClubSettings:
    """An app-settings object (django-oauth-toolkit style): BADGE_MODEL reads CLUB_BADGE_MODEL."""

    def __getattr__(self, name):
        return getattr(settings, "CLUB_" + name, {"BADGE_MODEL": "club.Badge", "TEAM_MODEL": "club.Team"}.get(name))


club_settings = ClubSettings()


def _user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


Users = _user_model()  # a project's own re-export of the user model (through a wrapper)


def _plain():
    from django.contrib.auth import get_user_model as gum

    return gum()
