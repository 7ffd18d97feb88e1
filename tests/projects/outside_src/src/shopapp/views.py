from django.http import JsonResponse

from .models import Item


def items(request):
    rows = Item.objects.filter(price__gte=1).order_by("name").values("name", "price")
    return JsonResponse({"items": [dict(r, price=str(r["price"])) for r in rows]})
