from django.db import models


class Stamp(models.Model):
    """An abstract base in an app that has no concrete model: its struct must still be written."""

    stamp = models.CharField(max_length=20, blank=True)

    class Meta:
        abstract = True
