import uuid

from django.db import models

from common.models import Stamp


class Base(models.Model):
    """Abstract, with its own primary key: every concrete descendant uses it."""

    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=50)

    class Meta:
        abstract = True


class Timestamped(Base):
    """Abstract over abstract: adds fields, inherits Base's."""

    created = models.DateTimeField(auto_now_add=True)
    rank = models.IntegerField(default=0)

    class Meta(Base.Meta):
        abstract = True
        ordering = ["rank"]


class Article(Timestamped):
    body = models.TextField()


class Plain(Base, Stamp):
    pass


class Renamed(Base):
    """Overrides a field of its abstract base: Base's columns are written into the struct, not embedded."""

    name = models.CharField(max_length=99)


class Coded(models.Model):
    code = models.CharField(max_length=10, primary_key=True)

    class Meta:
        abstract = True


class Shelf(Coded):
    label = models.CharField(max_length=20)


class Book(Coded):
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE, related_name="books")
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True)
