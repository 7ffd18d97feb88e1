from django.db import models

from .fields import ChecksumField, EmptyNullCharField, LowerEmailField, PlainSlugField


class Person(models.Model):
    name = models.CharField(max_length=50)
    nickname = EmptyNullCharField(max_length=30, null=True, blank=True)
    email = LowerEmailField()
    handle = PlainSlugField()
    checksum = ChecksumField(max_length=64, blank=True)
