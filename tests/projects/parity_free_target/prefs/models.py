from django.conf import settings
from django.db import models


class UserSettings(models.Model):
    """One per user (helpdesk.UserSettings): the receiver below writes it with each new user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="usersettings")
    tickets_per_page = models.IntegerField(default=25)
    theme = models.CharField(max_length=20, default="light")


def create_usersettings(sender, instance, created, **kwargs):
    if created:
        UserSettings.objects.create(user=instance)
