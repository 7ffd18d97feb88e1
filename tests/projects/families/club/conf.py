from django.conf import settings


class ClubSettings:
    """An app-settings object (django-oauth-toolkit style): BADGE_MODEL reads CLUB_BADGE_MODEL."""

    def __getattr__(self, name):
        return getattr(settings, "CLUB_" + name, {"BADGE_MODEL": "club.Badge", "TEAM_MODEL": "club.Team"}.get(name))


club_settings = ClubSettings()
