from django.conf import settings
from django.db import models
from django.utils import timezone


def tickets_per_page_default():
    return 25


def show_list_default():
    return True


class Ticket(models.Model):
    title = models.CharField(max_length=40)
    queue = models.CharField(max_length=20)
    voted_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True)

    class Meta:
        ordering = ["title"]


class Comment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    message_id = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True)


class CC(models.Model):
    """helpdesk's TicketCC: nothing makes (ticket, user) unique, so get_or_create's get() can find several."""
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    email = models.EmailField(blank=True, null=True)


class Prefs(models.Model):
    """helpdesk's UserSettings: defaults Django computes by calling a function at save time (a foreign key
    here, not its one-to-one: every generated user has its row, so no create could succeed)."""
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    show_list = models.BooleanField(default=show_list_default)
    per_page = models.IntegerField(default=tickets_per_page_default)
    layout = models.CharField(max_length=16, default="tabs")


class Vote(models.Model):
    """organizations' OrganizationUser: a time Django computes while saving next to a runtime boolean."""
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    created = models.DateTimeField(default=timezone.now)
    up = models.BooleanField(default=False)
