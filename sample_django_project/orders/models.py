import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Sum
from django.utils import timezone

from catalog.base import TimeStampedModel
from catalog.models import Product


def generate_order_number():
    """Human-friendly unique order number, e.g. ORD-20260301-1A2B3C4D."""
    return f"ORD-{timezone.now():%Y%m%d}-{uuid.uuid4().hex[:8].upper()}"


class Coupon(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    description = models.CharField(max_length=200, blank=True)
    percent_off = models.SmallIntegerField()
    valid_until = models.DateField()
    max_uses = models.PositiveIntegerField(default=100)
    times_used = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code


class Order(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PAID = "paid", "Paid"
        SHIPPED = "shipped", "Shipped"
        CANCELLED = "cancelled", "Cancelled"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="orders")
    number = models.CharField(max_length=32, unique=True, default=generate_order_number)
    status = models.CharField(max_length=16, choices=Status.choices, default="pending", db_index=True)
    email = models.EmailField()
    total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    note = models.TextField(blank=True)
    shipping_address = models.JSONField(null=True, blank=True)
    placed_at = models.DateTimeField(null=True, blank=True)
    coupons = models.ManyToManyField(Coupon, through="OrderCoupon", related_name="orders", blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["status", "placed_at"], name="order_status_placed_idx"),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        if self.status in (self.Status.PAID, self.Status.SHIPPED) and self.placed_at is None:
            self.placed_at = timezone.now()
        super().save(*args, **kwargs)

    def recalculate_total(self, save=True):
        """Sum of line totals minus coupon discounts (never below zero)."""
        gross = self.lines.aggregate(
            gross=Sum(F("quantity") * F("unit_price"), output_field=models.DecimalField())
        )["gross"] or Decimal("0.00")
        discount = self.order_coupons.aggregate(d=Sum("discount"))["d"] or Decimal("0.00")
        self.total = max(gross - discount, Decimal("0.00")).quantize(Decimal("0.01"))
        if save:
            self.save(update_fields=["total", "updated_at"])
        return self.total


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_lines")
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["id"]
        unique_together = [("order", "product")]

    def __str__(self):
        return f"{self.quantity} x {self.product_id}"

    @property
    def line_total(self):
        return self.quantity * self.unit_price


class OrderCoupon(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="order_coupons")
    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="order_coupons")
    applied_at = models.DateTimeField(default=timezone.now)
    discount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        ordering = ["applied_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "coupon"], name="uniq_coupon_per_order"),
        ]


class Payment(models.Model):
    class Provider(models.TextChoices):
        STRIPE = "stripe", "Stripe"
        PAYPAL = "paypal", "PayPal"
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        GIFT_CARD = "gift_card", "Gift card"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    provider = models.CharField(max_length=20, choices=Provider.choices)
    transaction_id = models.UUIDField(default=uuid.uuid4, unique=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    paid_at = models.DateTimeField(null=True, blank=True)
    raw_response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "payments"
        ordering = ["id"]

    def __str__(self):
        return f"{self.provider}:{self.transaction_id}"
