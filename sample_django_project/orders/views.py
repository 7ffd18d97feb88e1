"""JSON endpoints for orders, coupons and payments."""
import json
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation

from django.forms.models import model_to_dict
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .models import Coupon, Order


def _bad_request(message):
    return JsonResponse({"error": message}, status=400)


def _json_body(request):
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _login_required_json(request):
    if not request.user.is_authenticated:
        return JsonResponse({"error": "authentication required"}, status=401)
    return None


@method_decorator(csrf_exempt, name="dispatch")
class OrderCollectionView(View):
    """GET: filtered, paginated order list.  POST: checkout (create an order)."""

    http_method_names = ["get", "post"]

    def get(self, request):
        params = request.GET
        try:
            page = max(int(params.get("page", 1)), 1)
            size = min(max(int(params.get("size", 20)), 1), 100)
            user_id = int(params["user"]) if params.get("user") else None
            year = int(params["year"]) if params.get("year") else None
            placed_on = date.fromisoformat(params["placed_on"]) if params.get("placed_on") else None
            min_total = Decimal(params["min_total"]) if params.get("min_total") else None
        except (ValueError, InvalidOperation):
            return _bad_request("invalid query parameter")
        total, results = services.list_orders(
            status=params.get("status"),
            email=params.get("email"),
            user_id=user_id,
            placed_on=placed_on,
            year=year,
            min_total=min_total,
            offset=(page - 1) * size,
            size=size,
        )
        return JsonResponse({"count": total, "page": page, "size": size, "results": results})

    def post(self, request):
        denied = _login_required_json(request)
        if denied:
            return denied
        data = _json_body(request)
        if data is None:
            return _bad_request("invalid JSON body")
        try:
            order = services.create_order(
                request.user,
                data.get("email"),
                data.get("items") or [],
                note=data.get("note", ""),
                shipping_address=data.get("shipping_address"),
                coupon_code=data.get("coupon"),
            )
        except services.OrderError as exc:
            return _bad_request(str(exc))
        return JsonResponse(services.order_as_dict(services.get_order(order.pk)), status=201)


@csrf_exempt
@require_http_methods(["GET", "DELETE"])
def order_detail(request, pk):
    if request.method == "DELETE":
        order = get_object_or_404(Order, pk=pk)
        try:
            services.cancel_order(order)
        except services.OrderError as exc:
            return _bad_request(str(exc))
        return HttpResponse(status=204)
    try:
        order = services.get_order(pk)
    except Order.DoesNotExist:
        return JsonResponse({"error": "order not found"}, status=404)
    return JsonResponse(services.order_as_dict(order))


@require_GET
def order_by_number(request, number):
    order = get_object_or_404(Order.objects.select_related("user"), number=number)
    data = model_to_dict(order, exclude=["coupons"])
    data["line_count"] = order.lines.count()
    return JsonResponse(data)


@csrf_exempt
@require_POST
def order_status(request, pk):
    order = get_object_or_404(Order, pk=pk)
    data = _json_body(request)
    if data is None or "status" not in data:
        return _bad_request("body must be {\"status\": ...}")
    try:
        services.change_status(order, data["status"])
    except services.OrderError as exc:
        return _bad_request(str(exc))
    return JsonResponse({"id": order.pk, "status": order.status, "placed_at": order.placed_at})


@csrf_exempt
@require_POST
def order_apply_coupon(request, pk):
    order = get_object_or_404(Order, pk=pk, status=Order.Status.PENDING)
    data = _json_body(request)
    if not data or not data.get("code"):
        return _bad_request("coupon code required")
    try:
        link = services.apply_coupon(order, data["code"])
    except services.OrderError as exc:
        return _bad_request(str(exc))
    order.refresh_from_db()
    return JsonResponse({"code": link.coupon.code, "discount": link.discount, "total": order.total}, status=201)


@csrf_exempt
@require_POST
def order_payment(request, pk):
    order = get_object_or_404(Order, pk=pk)
    data = _json_body(request)
    if data is None:
        return _bad_request("invalid JSON body")
    try:
        amount = Decimal(str(data["amount"]))
        transaction_id = uuid.UUID(str(data.get("transaction_id") or uuid.uuid4()))
    except (KeyError, InvalidOperation, ValueError):
        return _bad_request("amount (decimal) and optional transaction_id (uuid) expected")
    try:
        payment, created = services.record_payment(
            order, data.get("provider", ""), amount, transaction_id, data.get("raw_response")
        )
    except services.OrderError as exc:
        return _bad_request(str(exc))
    body = model_to_dict(payment)
    body["transaction_id"] = str(payment.transaction_id)
    return JsonResponse(body, status=201 if created else 200)


@require_GET
def order_lines(request, pk):
    order = get_object_or_404(Order, pk=pk)
    lines = list(order.lines.all().values("id", "product_id", "product__name", "quantity", "unit_price"))
    return JsonResponse({"order": order.number, "lines": lines})


@require_GET
def my_orders(request):
    denied = _login_required_json(request)
    if denied:
        return denied
    status = request.GET.get("status")
    if status == "open":
        recent = list(
            request.user.orders.filter(status__in=[Order.Status.PENDING, Order.Status.PAID])
            .order_by("-created_at", "id")
            .values("id", "number", "status", "total")[:10]
        )
        return JsonResponse({"results": recent})
    return JsonResponse({"results": services.user_orders(request.user, status)})


@require_GET
def payment_list(request):
    try:
        results = services.search_payments(request.GET)
    except InvalidOperation:
        return _bad_request("min_amount must be a decimal number")
    return JsonResponse({"results": results})


@require_GET
def coupon_list(request):
    return JsonResponse({"results": services.active_coupons()})


@require_GET
def coupon_detail(request, code):
    coupon = get_object_or_404(Coupon, code=code)
    data = model_to_dict(coupon)
    data["used_by_orders"] = list(coupon.orders.order_by("id").values_list("number", flat=True))
    return JsonResponse(data)


@csrf_exempt
@require_POST
def coupon_batch(request):
    data = _json_body(request)
    try:
        prefix = data["prefix"]
        count = int(data["count"])
        percent = int(data["percent_off"])
    except (TypeError, KeyError, ValueError):
        return _bad_request("prefix, count and percent_off required")
    if not (1 <= count <= 100 and 1 <= percent <= 100) or not prefix.replace("-", "").isalnum():
        return _bad_request("count/percent_off out of range or bad prefix")
    created = services.bulk_create_coupons(prefix.lower(), count, percent)
    return JsonResponse({"created": [c.code for c in created]}, status=201)


@csrf_exempt
@require_http_methods(["POST"])
def maintenance(request):
    return JsonResponse(
        {
            "expired_coupons": services.expire_coupons(),
            "purged_orders": services.purge_stale_orders(),
        }
    )


@require_GET
def order_stats(request):
    day = request.GET.get("day")
    try:
        day = date.fromisoformat(day) if day else None
    except ValueError:
        return _bad_request("day must be YYYY-MM-DD")
    return JsonResponse(services.order_stats(day))


@require_GET
def top_customers(request):
    return JsonResponse({"results": services.top_customers()})


@require_GET
def newsletter_report(request):
    since = request.GET.get("since")
    try:
        since = date.fromisoformat(since) if since else None
    except ValueError:
        return _bad_request("since must be YYYY-MM-DD")
    return JsonResponse(services.newsletter_orders(since))


@require_GET
def attention_report(request):
    return JsonResponse({"results": services.orders_needing_attention()})


@require_GET
def customer_lines(request, email):
    return JsonResponse({"results": services.orders_by_customer_email(email)})
