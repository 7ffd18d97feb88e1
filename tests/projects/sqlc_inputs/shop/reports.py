"""Queries sqlc cannot take: each is left out with its reason, the others stay."""
from django.db.models import F

from .models import Item, PriceSummary


def summary(price_unit):
    # the table is a database view Django does not create: sqlc rejects the query (SQLC_REJECTED)
    return list(PriceSummary.objects.filter(price_unit=price_unit).values("price_unit", "total"))


def accented(price):
    # a non-ASCII alias: fine on PostgreSQL, NON_ASCII on SQLite
    return list(Item.objects.filter(price=price).annotate(unité=F("price_unit")).values("id", "unité"))


def after_rejected(order):
    return Item.objects.filter(order__lt=order, name="naïve").exists()
