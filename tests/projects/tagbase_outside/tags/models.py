from django.db import models
from taggit.models import TagBase


class MyTag(TagBase):
    """taggit's abstract TagBase, while taggit itself is not installed: Django leaves its app_label None."""

    weight = models.IntegerField(default=0)


class Note(models.Model):
    title = models.CharField(max_length=50)


class BrokenField(models.CharField):
    """A field that raises while the loader reads it: only its model must be left out."""

    def get_internal_type(self):
        raise RuntimeError("this field cannot say its type")


class Broken(models.Model):
    value = BrokenField(max_length=10)
