from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=50)
    price = models.IntegerField()
    price_unit = models.CharField(max_length=10)
    primary = models.BooleanField(default=False)
    order = models.IntegerField(default=0)
    user = models.CharField(max_length=30, blank=True)


class PriceSummary(models.Model):
    """Unmanaged, over a database view Django does not create: sqlc knows no such table."""
    price_unit = models.CharField(max_length=10)
    total = models.IntegerField()

    class Meta:
        managed = False
        db_table = "shop_price_summary"
