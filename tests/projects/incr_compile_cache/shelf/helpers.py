from django.db.models import Q


def recent_q():
    return Q(year__gte=2000)
