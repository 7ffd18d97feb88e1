"""JSON endpoints for the product catalog."""
import json
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.paginator import EmptyPage, Paginator
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .models import Category, Product, Review


def _bad_request(message):
    return JsonResponse({"error": message}, status=400)


def _json_body(request):
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _decimal_param(request, name):
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"{name} must be a decimal number")


def _int_param(request, name, default, minimum=0, maximum=None):
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    value = int(raw)  # ValueError handled by callers
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{name} out of range")
    return value


def _product_payload(product):
    data = model_to_dict(product, exclude=["image", "tags"])
    data["sku"] = str(product.sku)
    data["category"] = {"id": product.category_id, "slug": product.category.slug, "name": product.category.name}
    data["tags"] = [t.slug for t in product.tags.all()]
    data["image"] = product.image.name or None
    data["created_at"] = product.created_at
    data["updated_at"] = product.updated_at
    return data


# --------------------------------------------------------------------------
# Products
# --------------------------------------------------------------------------

@require_GET
def product_list(request):
    try:
        min_price = _decimal_param(request, "min_price")
        max_price = _decimal_param(request, "max_price")
        page = _int_param(request, "page", 1, minimum=1)
        size = _int_param(request, "size", 20, minimum=1, maximum=100)
    except ValueError as exc:
        return _bad_request(str(exc))
    featured = request.GET.get("featured")
    total, items = services.browse_products(
        category=request.GET.get("category"),
        min_price=min_price,
        max_price=max_price,
        tag=request.GET.get("tag"),
        in_stock=request.GET.get("in_stock") in ("1", "true"),
        featured=None if featured is None else featured in ("1", "true"),
        ordering=request.GET.get("ordering", "name"),
        offset=(page - 1) * size,
        size=size,
    )
    return JsonResponse({"count": total, "page": page, "size": size, "results": items})


@require_GET
def product_detail(request, pk):
    try:
        product, review_count, rating = services.get_product_detail(pk)
    except Product.DoesNotExist:
        return JsonResponse({"error": "product not found"}, status=404)
    services.register_product_view(pk)
    data = _product_payload(product)
    data["review_count"] = review_count
    data["average_rating"] = rating
    return JsonResponse(data)


@require_GET
def product_by_slug(request, slug):
    product = get_object_or_404(Product.objects.select_related("category"), slug=slug, is_active=True)
    return JsonResponse(_product_payload(product))


@require_GET
def product_by_sku(request, sku):
    product = services.product_by_sku(sku)
    if product is None:
        raise Http404("no product with that SKU")
    return JsonResponse(_product_payload(product))


@require_GET
def product_search(request):
    text = request.GET.get("q", "").strip()
    terms = [t for t in request.GET.getlist("term") if t.strip()]
    if not text and not terms:
        return _bad_request("q or term is required")
    results = services.search_products(text, terms=terms, category=request.GET.get("category"))
    return JsonResponse({"count": len(results), "results": results})


@require_GET
def product_filter(request):
    ids = services.filter_products_by_attributes(request.GET)
    return JsonResponse({"ids": ids})


@require_GET
def products_launched(request, year):
    return JsonResponse({"year": int(year), "results": services.products_launched_in(int(year))})


@require_GET
def cheapest_products(request):
    return JsonResponse({"results": services.cheapest_in_each_category()})


@require_GET
def featured_products(request):
    try:
        limit = _int_param(request, "limit", 10, minimum=1, maximum=50)
    except ValueError as exc:
        return _bad_request(str(exc))
    return JsonResponse({"results": services.featured_products(limit)})


@require_GET
def digital_products(request):
    try:
        max_days = _int_param(request, "max_license_days", None, minimum=0)
    except ValueError as exc:
        return _bad_request(str(exc))
    return JsonResponse({"results": services.digital_products(max_days)})


@csrf_exempt
@require_POST
def product_restock(request, pk):
    data = _json_body(request)
    if data is None or not isinstance(data.get("quantity"), int):
        return _bad_request("body must be {\"quantity\": <int>}")
    try:
        stock = services.restock(pk, data["quantity"])
    except services.ServiceError as exc:
        return _bad_request(str(exc))
    except Product.DoesNotExist:
        return JsonResponse({"error": "product not found"}, status=404)
    return JsonResponse({"id": pk, "stock": stock})


@csrf_exempt
@require_POST
def category_reprice(request, slug):
    data = _json_body(request)
    percent = None if data is None else data.get("percent")
    if not isinstance(percent, (int, float)) or not -90 <= percent <= 500:
        return _bad_request("percent must be a number between -90 and 500")
    get_object_or_404(Category, slug=slug)
    updated = services.reprice_category(slug, percent)
    return JsonResponse({"updated": updated})


@csrf_exempt
@require_POST
def product_add_tag(request, pk):
    product = get_object_or_404(Product, pk=pk)
    data = _json_body(request)
    if data is None:
        return _bad_request("invalid JSON body")
    try:
        tag, created = services.add_tag(product, data.get("tag"))
    except services.ServiceError as exc:
        return _bad_request(str(exc))
    return JsonResponse({"tag": tag.slug, "created": created}, status=201 if created else 200)


@csrf_exempt
@require_http_methods(["DELETE"])
def product_remove_tag(request, pk, tag_slug):
    product = get_object_or_404(Product, pk=pk)
    if not services.remove_tag(product, tag_slug):
        return JsonResponse({"error": "product has no such tag"}, status=404)
    return HttpResponse(status=204)


@require_GET
def tag_list(request):
    return JsonResponse({"results": services.popular_tags(limit=20)})


@require_GET
def lookup(request, kind, value):
    if kind not in ("product", "category", "tag"):
        return _bad_request("kind must be product, category or tag")
    obj = services.lookup_object(kind, value)
    if obj is None:
        return JsonResponse({"error": f"{kind} not found"}, status=404)
    return JsonResponse(obj)


# --------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------

@require_GET
def category_list(request):
    return JsonResponse({"results": services.category_tree()})


@require_GET
def category_detail(request, slug):
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    data = model_to_dict(category)
    data["parent"] = category.parent.slug if category.parent else None
    data["children"] = list(category.children.order_by("sort_order", "name").values("id", "slug", "name"))
    data["products"] = services.category_products(category, include_children=request.GET.get("deep", "1") == "1")
    return JsonResponse(data)


# --------------------------------------------------------------------------
# Reviews
# --------------------------------------------------------------------------

@method_decorator(csrf_exempt, name="dispatch")
class ProductReviewsView(View):
    """GET: live reviews of a product.  POST: add a review."""

    def get(self, request, pk):
        product = get_object_or_404(Product, pk=pk)
        min_rating = request.GET.get("min_rating")
        since = request.GET.get("since")
        try:
            min_rating = int(min_rating) if min_rating else None
            since = date.fromisoformat(since) if since else None
        except ValueError:
            return _bad_request("invalid min_rating or since")
        return JsonResponse({"product": product.pk, "results": services.product_reviews(product, min_rating, since)})

    def post(self, request, pk):
        product = get_object_or_404(Product, pk=pk, is_active=True)
        data = _json_body(request)
        if data is None:
            return _bad_request("invalid JSON body")
        user = request.user if request.user.is_authenticated else None
        try:
            review = services.create_review(
                product, user, data.get("rating"), data.get("title", ""), data.get("body", "")
            )
        except services.ServiceError as exc:
            return _bad_request(str(exc))
        return JsonResponse(model_to_dict(review), status=201)


@require_GET
def review_list(request):
    created_on = request.GET.get("date")
    try:
        created_on = date.fromisoformat(created_on) if created_on else None
        page_number = int(request.GET.get("page", 1))
    except ValueError:
        return _bad_request("invalid date or page")
    qs = services.all_reviews_queryset(
        include_deleted=request.GET.get("include_deleted") == "1",
        rating=request.GET.get("rating"),
        created_on=created_on,
    )
    paginator = Paginator(qs, 10)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        return JsonResponse({"error": "page out of range"}, status=404)
    results = [
        {
            "id": r.id,
            "product": r.product.name,
            "user": r.user.username if r.user else None,
            "rating": r.rating,
            "title": r.title,
            "deleted": r.deleted_at is not None,
        }
        for r in page.object_list
    ]
    return JsonResponse({"count": paginator.count, "num_pages": paginator.num_pages, "page": page.number, "results": results})


@csrf_exempt
@require_http_methods(["GET", "DELETE"])
def review_detail(request, pk):
    if request.method == "DELETE":
        if not services.soft_delete_review(pk):
            return JsonResponse({"error": "review not found"}, status=404)
        return HttpResponse(status=204)
    review = get_object_or_404(Review.objects.select_related("product"), pk=pk)
    data = model_to_dict(review)
    data["product_name"] = review.product.name
    data["created_at"] = review.created_at
    return JsonResponse(data)


@require_GET
def catalog_stats(request):
    return JsonResponse(services.catalog_stats())
