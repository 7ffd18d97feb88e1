"""Chart helpers: they refine the QuerySet they are given."""
from django.db.models import Count
from django.db.models.functions import TruncDate


def daily(qs):
    return list(qs.annotate(day=TruncDate("created_at")).values_list("day").annotate(n=Count("id")).order_by("day"))
