from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from taggit.managers import TaggableManager


class Comment(models.Model):
    """Points at any model: content_type + object_id."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    text = models.TextField()


class Note(models.Model):
    title = models.CharField(max_length=50)
    tags = TaggableManager(blank=True)  # over taggit's generic TaggedItem
    comments = GenericRelation(Comment)


class Page(models.Model):
    """A second model tagged through the same TaggedItem table: its rows must not show up on Note."""

    title = models.CharField(max_length=50)
    tags = TaggableManager(blank=True)
    comments = GenericRelation(Comment)
