from django.http import JsonResponse

from .constants import CLASSICS
from .models import Book


def recent(request):
    return JsonResponse({"titles": list(Book.objects.recent().values_list("title", flat=True))})


def classics(request):
    return JsonResponse({"titles": list(Book.objects.filter(CLASSICS).values_list("title", flat=True))})
