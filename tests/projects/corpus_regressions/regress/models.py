import datetime

from django.db import models
from django.utils import timezone


class ParentKey(models.ForeignKey):
    """mptt's TreeForeignKey in miniature: a ForeignKey subclass (Django's ForeignKey has no
    get_internal_type of its own, so the subclass reported its class name and had no Go mapping)."""


class Node(models.Model):
    name = models.CharField(max_length=50)
    parent = ParentKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    # django-todo's Task.created_date: a DateField whose default returns a datetime (kept as its date)
    created = models.DateField(default=timezone.now, null=True, blank=True)
    day = models.DateField(default=datetime.date.today)
    active = models.BooleanField(default=True)


class PeriodicTask(models.Model):
    """django-celery-beat's pair of tables: sqlc names both structs PeriodicTask unless told to keep names."""

    name = models.CharField(max_length=50)


class PeriodicTasks(models.Model):
    ident = models.SmallIntegerField(default=1, primary_key=True, unique=True)
    last_update = models.DateTimeField(null=False)


class Plugin(models.Model):
    """wiki's ArticlePlugin -> ReusablePlugin -> Attachment: multi-table inheritance two levels deep."""

    deleted = models.BooleanField(default=False)


class ReusablePlugin(Plugin):
    label = models.CharField(max_length=20, blank=True)


class Attachment(ReusablePlugin):
    filename = models.CharField(max_length=50, blank=True)


class Mark(models.Model):
    """auditlog's LogEntry.content_type: a foreign key with no reverse accessor still cascades in Django."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")


class Comment(models.Model):
    """django-todo's Comment.date: a field named after an SQL keyword (its parameter is `date_value`) that
    Django fills at save time (default=timezone.now)."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE)
    date = models.DateTimeField(default=timezone.now)
    body = models.TextField(blank=True)


class Stamped(models.Model):
    """wiki's ArticlePlugin.created: a parent whose NOT NULL column Django fills at INSERT only."""

    created = models.DateTimeField(auto_now_add=True)


class StampedChild(Stamped):
    """wiki's ArticleSubscription: get_or_create's INSERT of the child's own table, compared alone
    (parity.insert_alone); Django's save() of the one object first UPDATEd the parent row with a NULL created."""

    note = models.CharField(max_length=20, blank=True)
