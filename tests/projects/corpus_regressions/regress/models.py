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
