from django.db import models


class Event(models.Model):
    title = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)
    size = models.IntegerField(default=0)
    owner = models.CharField(max_length=50, null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
