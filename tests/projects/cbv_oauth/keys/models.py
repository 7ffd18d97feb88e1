from django.db import models


class Client(models.Model):
    """A model of the project's own, so the tree has a store (the views read none)."""

    name = models.CharField(max_length=50)
