import importlib

from django.db import models


def helpers():
    """The helpers module, imported when a method first needs it: not a module Django's setup loads."""
    return importlib.import_module("shelf.helpers")


class BookQuerySet(models.QuerySet):
    def recent(self):
        return self.filter(helpers().recent_q())


class Book(models.Model):
    title = models.CharField(max_length=100)
    year = models.IntegerField()
    published = models.BooleanField(default=False)

    objects = BookQuerySet.as_manager()
