"""Order workflow: checkout, status transitions, coupons, payments and reports."""
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from catalog.models import Product

from .models import Coupon, Order, OrderCoupon, OrderLine, Payment

User = get_user_model()

ORDER_LIST_FIELDS = ("id", "number", "status", "email", "total", "placed_at", "user__username")

# Allowed status transitions.
TRANSITIONS = {
    Order.Status.PENDING: {Order.Status.PAID, Order.Status.CANCELLED},
    Order.Status.PAID: {Order.Status.SHIPPED, Order.Status.CANCELLED},
    Order.Status.SHIPPED: set(),
    Order.Status.CANCELLED: set(),
}


class OrderError(Exception):
    """Invalid order operation; rendered as HTTP 400."""


def list_orders(status=None, email=None, user_id=None, placed_on=None, year=None,
                min_total=None, offset=0, size=20):
    qs = Order.objects.select_related("user")
    if status:
        qs = qs.filter(status__in=status.split(","))
    if email:
        qs = qs.filter(email__iexact=email)
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    if placed_on is not None:
        qs = qs.filter(placed_at__date=placed_on)
    if year is not None:
        qs = qs.filter(placed_at__year=year)
    if min_total is not None:
        qs = qs.filter(total__gte=min_total)
    qs = qs.order_by("-created_at", "id")
    return qs.count(), list(qs.values(*ORDER_LIST_FIELDS)[offset:offset + size])


def get_order(pk):
    return (
        Order.objects.select_related("user", "user__profile")
        .prefetch_related("lines__product", "payments", "order_coupons__coupon")
        .get(pk=pk)
    )


def order_as_dict(order):
    return {
        "id": order.id,
        "number": order.number,
        "status": order.status,
        "email": order.email,
        "user": order.user.username,
        "total": order.total,
        "note": order.note,
        "shipping_address": order.shipping_address,
        "placed_at": order.placed_at,
        "created_at": order.created_at,
        "lines": [
            {
                "product_id": line.product_id,
                "product": line.product.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "line_total": line.line_total,
            }
            for line in order.lines.all()
        ],
        "payments": [
            {"provider": p.provider, "amount": p.amount, "paid_at": p.paid_at, "transaction_id": p.transaction_id}
            for p in order.payments.all()
        ],
        "coupons": [
            {"code": oc.coupon.code, "discount": oc.discount, "applied_at": oc.applied_at}
            for oc in order.order_coupons.all()
        ],
    }


@transaction.atomic
def create_order(user, email, items, note="", shipping_address=None, coupon_code=None):
    if not items:
        raise OrderError("order needs at least one item")
    quantities = {}
    for item in items:
        try:
            pid, qty = int(item["product_id"]), int(item.get("quantity", 1))
        except (KeyError, TypeError, ValueError):
            raise OrderError("each item needs product_id and quantity")
        if qty <= 0:
            raise OrderError("quantity must be positive")
        quantities[pid] = quantities.get(pid, 0) + qty

    products = Product.objects.select_for_update().filter(pk__in=quantities, is_active=True).in_bulk()
    missing = set(quantities) - set(products)
    if missing:
        raise OrderError(f"unknown or inactive products: {sorted(missing)}")

    order = Order.objects.create(
        user=user,
        email=email or user.email,
        note=note,
        shipping_address=shipping_address,
    )
    OrderLine.objects.bulk_create(
        [
            OrderLine(order=order, product=products[pid], quantity=qty, unit_price=products[pid].price)
            for pid, qty in sorted(quantities.items())
        ]
    )
    for pid, qty in quantities.items():
        # Decrement only if enough stock is left (guard in the WHERE clause).
        if not Product.objects.filter(pk=pid, stock__gte=qty).update(stock=F("stock") - qty):
            raise OrderError(f"not enough stock for product {pid}")
    if coupon_code:
        apply_coupon(order, coupon_code)
    order.recalculate_total()
    return order


def change_status(order, new_status):
    if new_status not in Order.Status.values:
        raise OrderError(f"unknown status {new_status!r}")
    if new_status != order.status and new_status not in TRANSITIONS[order.status]:
        raise OrderError(f"cannot go from {order.status} to {new_status}")
    order.status = new_status
    order.save()
    if new_status == Order.Status.PAID:
        # Loyalty: one point per whole currency unit spent.
        from accounts.models import Profile
        Profile.objects.filter(user_id=order.user_id).update(
            loyalty_points=F("loyalty_points") + int(order.total)
        )
    return order


@transaction.atomic
def cancel_order(order):
    if order.status == Order.Status.SHIPPED:
        raise OrderError("shipped orders cannot be cancelled")
    if order.status == Order.Status.CANCELLED:
        return order
    for product_id, qty in order.lines.values_list("product_id", "quantity"):
        Product.objects.filter(pk=product_id).update(stock=F("stock") + qty)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.CANCELLED, updated_at=timezone.now())
    order.refresh_from_db()
    return order


def purge_stale_orders(older_than_days=30):
    """Hard-delete abandoned pending orders that never got any line."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _ = Order.objects.filter(
        status=Order.Status.PENDING, created_at__lt=cutoff, lines__isnull=True
    ).delete()
    return deleted


def apply_coupon(order, code):
    today = timezone.localdate()
    try:
        coupon = Coupon.objects.get(code__exact=code, is_active=True, valid_until__gte=today)
    except Coupon.DoesNotExist:
        raise OrderError("invalid or expired coupon")
    if coupon.times_used >= coupon.max_uses:
        raise OrderError("coupon exhausted")
    gross = order.lines.aggregate(
        g=Sum(F("quantity") * F("unit_price"), output_field=DecimalField())
    )["g"] or Decimal("0")
    discount = (gross * coupon.percent_off / Decimal(100)).quantize(Decimal("0.01"))
    try:
        with transaction.atomic():
            link = OrderCoupon.objects.create(order=order, coupon=coupon, discount=discount)
    except IntegrityError:
        raise OrderError("coupon already applied")
    Coupon.objects.filter(pk=coupon.pk).update(times_used=F("times_used") + 1)
    order.recalculate_total()
    return link


def record_payment(order, provider, amount, transaction_id, raw_response=None):
    if provider not in Payment.Provider.values:
        raise OrderError("unknown provider")
    payment, created = Payment.objects.update_or_create(
        transaction_id=transaction_id,
        defaults={
            "order": order,
            "provider": provider,
            "amount": amount,
            "paid_at": timezone.now(),
            "raw_response": raw_response,
        },
    )
    paid = order.payments.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    if order.status == Order.Status.PENDING and paid >= order.total:
        change_status(order, Order.Status.PAID)
    return payment, created


def search_payments(params):
    """Payments filtered by whichever query parameters were supplied."""
    filters = {}
    if params.get("provider"):
        filters["provider"] = params["provider"]
    if params.get("email"):
        filters["order__user__email"] = params["email"]
    if params.get("min_amount"):
        filters["amount__gte"] = Decimal(params["min_amount"])
    if params.get("unpaid") == "1":
        filters["paid_at__isnull"] = True
    if params.get("status"):
        filters["order__status"] = params["status"]
    return list(
        Payment.objects.filter(**filters)
        .order_by("id")
        .values("id", "order__number", "provider", "amount", "paid_at", "transaction_id")
    )


def active_coupons(today=None):
    today = today or timezone.localdate()
    return list(
        Coupon.objects.filter(is_active=True, valid_until__gte=today)
        .exclude(times_used__gte=F("max_uses"))
        .annotate(order_count=Count("orders", distinct=True))
        .order_by("code")
        .values("code", "description", "percent_off", "valid_until", "max_uses", "times_used", "order_count")
    )


def order_stats(day=None):
    totals = Order.objects.exclude(status=Order.Status.CANCELLED).aggregate(
        revenue=Sum("total"), orders=Count("id")
    )
    by_status = {
        row["status"]: row["n"]
        for row in Order.objects.values("status").annotate(n=Count("id")).order_by("status")
    }
    daily = list(
        Order.objects.filter(placed_at__isnull=False)
        .annotate(day=TruncDate("placed_at"))
        .values("day")
        .annotate(revenue=Sum("total"), n=Count("id"))
        .order_by("day")
    )
    best_sellers = list(
        OrderLine.objects.filter(order__status__in=[Order.Status.PAID, Order.Status.SHIPPED])
        .values("product_id", "product__name")
        .annotate(units=Sum("quantity"))
        .order_by("-units", "product_id")[:10]
    )
    result = {"totals": totals, "by_status": by_status, "daily": daily, "best_sellers": best_sellers}
    if day is not None:
        start = datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
        result["day"] = {
            "date": day,
            "orders": Order.objects.filter(placed_at__range=(start, start + timedelta(days=1))).count(),
            "first": Order.objects.filter(placed_at__date=day).order_by("placed_at").values_list("number", flat=True).first(),
            "last": Order.objects.filter(placed_at__date=day).order_by("placed_at").values_list("number", flat=True).last(),
        }
    return result


def top_customers(limit=10):
    return list(
        User.objects.filter(orders__status__in=[Order.Status.PAID, Order.Status.SHIPPED])
        .annotate(spent=Sum("orders__total"), n_orders=Count("orders"))
        .order_by("-spent", "id")
        .values("id", "username", "email", "spent", "n_orders")[:limit]
    )


def newsletter_orders(since=None):
    """Recent orders from customers who opted in to the newsletter."""
    qs = OrderLine.objects.filter(order__user__profile__newsletter=True)
    if since is not None:
        qs = qs.filter(order__placed_at__date__gte=since)
    emails = list(
        qs.values_list("order__user__email", flat=True).distinct().order_by("order__user__email")
    )
    products = list(
        qs.filter(product__name__contains=" ").values_list("product__name", flat=True).distinct().order_by("product__name")
    )
    return {"emails": emails, "multiword_products": products}


def orders_needing_attention():
    """Pending for a day or more, or paid but with no payment recorded."""
    day_ago = timezone.now() - timedelta(days=1)
    stale_pending = Q(status=Order.Status.PENDING) & Q(created_at__lte=day_ago)
    paid_without_payment = Q(status=Order.Status.PAID) & ~Q(payments__paid_at__isnull=False)
    return list(
        Order.objects.filter(stale_pending | paid_without_payment)
        .distinct()
        .order_by("id")
        .values("id", "number", "status")
    )


def user_orders(user, status=None):
    qs = user.orders.all()
    if status == "draft":
        qs = qs.filter(placed_at__isnull=True)
    elif status:
        qs = qs.filter(status=status)
    return list(qs.order_by("-placed_at", "id").values(*ORDER_LIST_FIELDS))


def orders_by_customer_email(email):
    return list(
        OrderLine.objects.filter(order__user__email__iexact=email)
        .order_by("order_id", "id")
        .values("order__number", "product_id", "quantity", "unit_price")
    )


def expire_coupons(today=None):
    today = today or timezone.localdate()
    return Coupon.objects.filter(valid_until__lt=today, is_active=True).update(is_active=False)


def bulk_create_coupons(prefix, count, percent_off, valid_days=30):
    valid_until = timezone.localdate() + timedelta(days=valid_days)
    existing = set(Coupon.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    new = [
        Coupon(code=f"{prefix}-{i:03d}", percent_off=percent_off, valid_until=valid_until, max_uses=1)
        for i in range(1, count + 1)
        if f"{prefix}-{i:03d}" not in existing
    ]
    return Coupon.objects.bulk_create(new)
