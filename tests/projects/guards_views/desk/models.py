from django.db import models


class Ticket(models.Model):
    title = models.CharField(max_length=50)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
