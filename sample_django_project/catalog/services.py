"""Catalog business logic: product browsing, search, tagging and reviews."""
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Count, F, Max, Min, Q, Sum
from django.utils.text import slugify

from .models import Category, DigitalProduct, FeaturedProduct, Product, Review, Tag

PRODUCT_LIST_FIELDS = ("id", "name", "slug", "price", "stock", "is_featured", "category__slug")

ALLOWED_PRODUCT_ORDERINGS = {
    "name": ("name", "id"),
    "-name": ("-name", "id"),
    "price": ("price", "id"),
    "-price": ("-price", "id"),
    "newest": ("-created_at", "id"),
    "popular": ("-views", "id"),
}


class ServiceError(Exception):
    """Raised for invalid business input; views turn it into a 400."""


# --------------------------------------------------------------------------
# Products
# --------------------------------------------------------------------------

def browse_products(category=None, min_price=None, max_price=None, tag=None,
                    in_stock=False, featured=None, ordering="name", offset=0, size=20):
    qs = Product.objects.filter(is_active=True)
    if category:
        qs = qs.filter(category__slug=category)
    if min_price is not None:
        qs = qs.filter(price__gte=min_price)
    if max_price is not None:
        qs = qs.filter(price__lte=max_price)
    if tag:
        qs = qs.filter(tags__slug__iexact=tag).distinct()
    if in_stock:
        qs = qs.filter(stock__gt=0)
    if featured is not None:
        qs = qs.filter(is_featured=featured)
    qs = qs.order_by(*ALLOWED_PRODUCT_ORDERINGS.get(ordering, ("name", "id")))
    total = qs.count()
    items = list(qs.values(*PRODUCT_LIST_FIELDS)[offset:offset + size])
    return total, items


def get_product_detail(pk):
    product = (
        Product.objects.select_related("category", "category__parent")
        .prefetch_related("tags")
        .get(pk=pk)
    )
    review_count = product.reviews.count()
    rating = product.reviews.aggregate(avg=Avg("rating"))["avg"]
    return product, review_count, rating


def product_by_sku(sku):
    return Product.objects.select_related("category").filter(sku=sku).first()


def register_product_view(pk):
    # Atomic counter bump without a read-modify-write race.
    return Product.objects.filter(pk=pk, is_active=True).update(views=F("views") + 1)


def search_products(text, terms=(), category=None, exclude_inactive=True, limit=50):
    qs = Product.objects.all()
    if exclude_inactive:
        qs = qs.exclude(is_active=False)
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(description__icontains=text))
    if terms:
        # Built dynamically: one OR-ed clause per search term.
        q = Q()
        for term in terms:
            q |= Q(name__icontains=term) | Q(tags__name__iexact=term)
        qs = qs.filter(q).distinct()
    if category:
        qs = qs.filter(Q(category__slug=category) | Q(category__parent__slug=category))
    return list(qs.order_by("name", "id").values("id", "name", "slug", "price")[:limit])


def filter_products_by_attributes(params):
    """Filter on whitelisted columns given as query parameters (built at run time)."""
    allowed = {
        "name": "name__startswith",
        "min_stock": "stock__gte",
        "max_weight": "weight_grams__lte",
        "launched_after": "launch_date__gt",
        "launched_before": "launch_date__lt",
        "color": "attributes__color",
    }
    filters = {}
    for key, lookup in allowed.items():
        value = params.get(key)
        if value not in (None, ""):
            filters[lookup] = value
    return list(Product.objects.filter(**filters).order_by("id").values_list("id", flat=True))


def products_launched_in(year):
    return list(
        Product.objects.filter(launch_date__year=year, is_active=True)
        .order_by("launch_date", "id")
        .values("id", "name", "launch_date")
    )


def cheapest_in_each_category():
    # Hand-written SQL: a window-free "min price per category" report.
    sql = (
        "SELECT p.id, p.name, p.price, p.category_id FROM catalog_product p "
        "WHERE p.is_active = %s AND p.price = ("
        "  SELECT MIN(p2.price) FROM catalog_product p2 "
        "  WHERE p2.category_id = p.category_id AND p2.is_active = %s"
        ") ORDER BY p.category_id, p.id"
    )
    return [
        {"id": p.id, "name": p.name, "price": p.price, "category_id": p.category_id}
        for p in Product.objects.raw(sql, [True, True])
    ]


def lookup_object(kind, value):
    """Generic lookup used by the admin tooling: model chosen at run time."""
    model = {"product": Product, "category": Category, "tag": Tag}[kind]
    return model.objects.filter(slug=value).values().first()


def featured_products(limit=10):
    return list(FeaturedProduct.objects.all().values("id", "name", "price", "views")[:limit])


def restock(pk, quantity):
    if quantity <= 0:
        raise ServiceError("quantity must be positive")
    updated = Product.objects.filter(pk=pk).update(stock=F("stock") + quantity)
    if not updated:
        raise Product.DoesNotExist
    return Product.objects.only("id", "stock").get(pk=pk).stock


def reprice_category(category_slug, percent):
    """Raise or lower every active price in a category (and its sub-categories)."""
    factor = (Decimal(100) + Decimal(percent)) / Decimal(100)
    return Product.objects.filter(
        Q(category__slug=category_slug) | Q(category__parent__slug=category_slug),
        is_active=True,
    ).update(price=F("price") * factor)


def digital_products(max_license_days=None):
    qs = DigitalProduct.objects.select_related("category")
    if max_license_days is not None:
        qs = qs.filter(license_duration__lte=timedelta(days=max_license_days))
    return [
        {
            "id": d.id,
            "name": d.name,
            "download_url": d.download_url,
            "license_duration": d.license_duration,
            "category": d.category.slug,
        }
        for d in qs.order_by("id")
    ]


# --------------------------------------------------------------------------
# Tags
# --------------------------------------------------------------------------

def add_tag(product, tag_name):
    tag_name = (tag_name or "").strip()
    if not tag_name:
        raise ServiceError("tag name required")
    tag, created = Tag.objects.get_or_create(
        slug=slugify(tag_name), defaults={"name": tag_name}
    )
    product.tags.add(tag)
    return tag, created


def remove_tag(product, tag_slug):
    tag = product.tags.filter(slug=tag_slug).first()
    if tag is None:
        return False
    product.tags.remove(tag)
    return True


def popular_tags(limit=10):
    return list(
        Tag.objects.annotate(n=Count("products", filter=Q(products__is_active=True)))
        .filter(n__gt=0)
        .order_by("-n", "name")
        .values("slug", "name", "n")[:limit]
    )


# --------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------

def category_tree():
    roots = (
        Category.objects.filter(parent__isnull=True)
        .prefetch_related("children")
        .annotate(product_count=Count("products"))
        .order_by("sort_order", "name")
    )
    return [
        {
            "id": c.id,
            "slug": c.slug,
            "name": c.name,
            "product_count": c.product_count,
            "children": [{"id": ch.id, "slug": ch.slug, "name": ch.name} for ch in c.children.all()],
        }
        for c in roots
    ]


def category_products(category, include_children=True):
    qs = Product.objects.filter(is_active=True)
    if include_children:
        child_ids = list(category.children.values_list("id", flat=True))
        qs = qs.filter(category_id__in=[category.id, *child_ids])
    else:
        qs = qs.filter(category=category)
    return list(qs.values("id", "name", "price")[:50])


# --------------------------------------------------------------------------
# Reviews
# --------------------------------------------------------------------------

def product_reviews(product, min_rating=None, since=None):
    qs = product.reviews.all().select_related("user")
    if min_rating is not None:
        qs = qs.filter(rating__gte=min_rating)
    if since is not None:
        qs = qs.filter(created_at__date__gte=since)
    return [
        {
            "id": r.id,
            "rating": r.rating,
            "title": r.title,
            "body": r.body,
            "user": r.user.username if r.user else None,
            "created_at": r.created_at,
        }
        for r in qs.order_by("-created_at", "id")
    ]


@transaction.atomic
def create_review(product, user, rating, title, body=""):
    if rating not in Review.Rating.values:
        raise ServiceError("rating must be between 1 and 5")
    if not title:
        raise ServiceError("title required")
    if user is not None and Review.objects.alive().filter(product=product, user=user).exists():
        raise ServiceError("you already reviewed this product")
    return Review.objects.create(product=product, user=user, rating=rating, title=title, body=body)


def all_reviews_queryset(include_deleted=False, rating=None, created_on=None):
    qs = Review.all_objects.all() if include_deleted else Review.objects.alive()
    if rating:
        qs = qs.filter(rating=rating)
    if created_on:
        qs = qs.filter(created_at__date=created_on)
    return qs.select_related("product", "user").order_by("-created_at", "id")


def soft_delete_review(pk):
    # ReviewQuerySet.delete() is a soft delete: it only stamps deleted_at.
    return Review.objects.filter(pk=pk).delete()


def purge_reviews_of_deleted_products():
    return Review.all_objects.filter(product__is_active=False, deleted_at__isnull=False).delete()


# --------------------------------------------------------------------------
# Stats
# --------------------------------------------------------------------------

def catalog_stats():
    totals = Product.objects.filter(is_active=True).aggregate(
        products=Count("id"),
        min_price=Min("price"),
        max_price=Max("price"),
        avg_price=Avg("price"),
        units=Sum("stock"),
    )
    per_category = list(
        Category.objects.annotate(n=Count("products"), units=Sum("products__stock"))
        .order_by("-n", "name")
        .values("slug", "n", "units")
    )
    out_of_stock = Product.objects.filter(stock=0, is_active=True).exists()
    unreviewed = Product.objects.exclude(reviews__isnull=False).count()
    price_bands = {
        "budget": Product.objects.filter(price__lt=10).count(),
        "mid": Product.objects.filter(price__range=(Decimal("10.00"), Decimal("100.00"))).count(),
        "premium": Product.objects.filter(~Q(price__lte=100) & Q(is_active=True)).count(),
    }
    top_rated = list(
        Review.objects.alive()
        .values("product_id", "product__name")
        .annotate(avg=Avg("rating"), n=Count("id"))
        .filter(n__gte=1)
        .order_by("-avg", "product_id")[:5]
    )
    return {
        "totals": totals,
        "per_category": per_category,
        "any_out_of_stock": out_of_stock,
        "unreviewed_products": unreviewed,
        "price_bands": price_bands,
        "top_rated": top_rated,
    }
