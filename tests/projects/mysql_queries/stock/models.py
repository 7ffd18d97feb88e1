from django.db import models


class Shelf(models.Model):
    slug = models.SlugField(max_length=20, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE)


class Item(models.Model):
    shelf = models.ForeignKey(Shelf, on_delete=models.CASCADE)
    score = models.IntegerField()
    active = models.BooleanField(default=True)
