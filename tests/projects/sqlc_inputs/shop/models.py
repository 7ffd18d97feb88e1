from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=50)
    price = models.IntegerField()
    price_unit = models.CharField(max_length=10)
    primary = models.BooleanField(default=False)
    order = models.IntegerField(default=0)
    user = models.CharField(max_length=30, blank=True)
