from django.db.models import Q

CLASSICS = Q(year__lt=1900)
