import json

from django.db.models import F
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Item


def _json_body(request):
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


@csrf_exempt
@require_POST
def restock(request, pk):
    data = _json_body(request)
    if data is None or not isinstance(data.get("quantity"), int):
        return JsonResponse({"error": "body must be {\"quantity\": <int>}"}, status=400)
    if data["quantity"] <= 0:
        return JsonResponse({"error": "quantity must be positive"}, status=400)
    updated = Item.objects.filter(pk=pk).update(stock=F("stock") + data["quantity"])
    if not updated:
        return JsonResponse({"error": "item not found"}, status=404)
    return JsonResponse({"id": pk, "stock": Item.objects.only("id", "stock").get(pk=pk).stock})
