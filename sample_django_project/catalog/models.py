import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from .base import TimeStampedModel


class Category(TimeStampedModel):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    description = models.TextField(blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="uniq_category_name_per_parent"),
        ]

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Product(TimeStampedModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, blank=True)
    description = models.TextField(blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    stock = models.PositiveIntegerField(default=0)
    weight_grams = models.FloatField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_featured = models.BooleanField(default=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    tags = models.ManyToManyField(Tag, blank=True, related_name="products")
    sku = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, db_column="sku_code")
    attributes = models.JSONField(default=dict, blank=True)
    image = models.FileField(upload_to="products/", blank=True)
    views = models.BigIntegerField(default=0)
    launch_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["category", "is_active"], name="product_cat_active_idx"),
            models.Index(fields=["price"], name="product_price_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200] or uuid.uuid4().hex[:12]
        super().save(*args, **kwargs)

    @property
    def in_stock(self):
        return self.stock > 0


class DigitalProduct(Product):
    """A downloadable product (multi-table inheritance on Product)."""

    download_url = models.URLField()
    file = models.FileField(upload_to="downloads/", blank=True)
    license_duration = models.DurationField(null=True, blank=True)
    max_downloads = models.PositiveIntegerField(default=5)

    class Meta:
        ordering = ["name"]


class FeaturedProductManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(is_featured=True)


class FeaturedProduct(Product):
    """Proxy exposing only featured products."""

    objects = FeaturedProductManager()

    class Meta:
        proxy = True
        ordering = ["-views", "name"]


class ReviewQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)

    def delete(self):
        """Soft delete: mark rows as deleted instead of removing them."""
        return self.update(deleted_at=timezone.now())

    def hard_delete(self):
        return super().delete()


class ReviewManager(models.Manager.from_queryset(ReviewQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Review(TimeStampedModel):
    class Rating(models.IntegerChoices):
        TERRIBLE = 1, "Terrible"
        POOR = 2, "Poor"
        AVERAGE = 3, "Average"
        GOOD = 4, "Good"
        EXCELLENT = 5, "Excellent"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    rating = models.SmallIntegerField(choices=Rating.choices, db_index=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewManager()
    all_objects = models.Manager()

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "user"],
                condition=Q(deleted_at__isnull=True),
                name="uniq_live_review_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.rating}/5)"

    def soft_delete(self):
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at", "updated_at"])
