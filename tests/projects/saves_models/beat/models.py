"""Primary keys that are not AutoFields, so 0 and "" are keys like any other (django_celery_beat's
PeriodicTasks: ident = SmallIntegerField(primary_key=True, default=1)). GORM took a zero key for an absent one:
its Create left the column out of the INSERT, and its Save INSERTed instead of updating the row."""

from django.db import models


class Tick(models.Model):
    ident = models.SmallIntegerField(default=1, primary_key=True, unique=True)
    last_update = models.DateTimeField()


class Code(models.Model):
    code = models.CharField(primary_key=True, max_length=10)
    label = models.CharField(max_length=20)


class Place(models.Model):
    """An AutoField key whose row 0 exists (django.contrib.sites' Site, row 0 written by parity's data): 0 is a
    key like any other once given; GORM's Save took it for absent and INSERTed a new row where Django updates."""
    domain = models.CharField(max_length=20, unique=True)
