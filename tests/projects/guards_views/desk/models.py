from django.conf import settings
from django.db import models


class Ticket(models.Model):
    title = models.CharField(max_length=50)
    done = models.BooleanField(default=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["id"]


class Notice(models.Model):
    """A row whose age naturaltime tells (django-nyt's Notification.created): its rows are written by the test."""
    created = models.DateTimeField()
