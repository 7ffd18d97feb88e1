package main

// This file is yours: migrator wrote it once and never overwrites it. Each handler below stands for
// a Django view of the catalog app whose data access is not migrated yet: it answers 501 with the
// view's name and source until you port it.

import (
	"net/http"
)

// ProductList stands for the view catalog.views.product_list at catalog/views.py:66, routed as:
//
//	GET /api/catalog/products/{$} (catalog:product-list)
//
//	@require_GET
//	def product_list(request):
//	    try:
//	        min_price = _decimal_param(request, "min_price")
//	        max_price = _decimal_param(request, "max_price")
//	        page = _int_param(request, "page", 1, minimum=1)
//	        size = _int_param(request, "size", 20, minimum=1, maximum=100)
//	    except ValueError as exc:
//	        return _bad_request(str(exc))
//	    featured = request.GET.get("featured")
//	    total, items = services.browse_products(
//	        category=request.GET.get("category"),
//	        min_price=min_price,
//	        max_price=max_price,
//	        tag=request.GET.get("tag"),
//	        in_stock=request.GET.get("in_stock") in ("1", "true"),
//	        featured=None if featured is None else featured in ("1", "true"),
//	        ordering=request.GET.get("ordering", "name"),
//	        offset=(page - 1) * size,
//	        size=size,
//	    )
//	    return JsonResponse({"count": total, "page": page, "size": size, "results": items})
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) ProductList(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "catalog.views.product_list", "catalog/views.py:66")
}

// ProductDetail stands for the view catalog.views.product_detail at catalog/views.py:90, routed as:
//
//	GET /api/catalog/products/{pk}/{$} (catalog:product-detail)
//
// Path parameters (read with r.PathValue): pk (int).
//
//	@require_GET
//	def product_detail(request, pk):
//	    try:
//	        product, review_count, rating = services.get_product_detail(pk)
//	    except Product.DoesNotExist:
//	        return JsonResponse({"error": "product not found"}, status=404)
//	    services.register_product_view(pk)
//	    data = _product_payload(product)
//	    data["review_count"] = review_count
//	    data["average_rating"] = rating
//	    return JsonResponse(data)
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) ProductDetail(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "catalog.views.product_detail", "catalog/views.py:90")
}

// ProductSearch stands for the view catalog.views.product_search at catalog/views.py:117, routed as:
//
//	GET /api/catalog/products/search/{$} (catalog:product-search)
//
//	@require_GET
//	def product_search(request):
//	    text = request.GET.get("q", "").strip()
//	    terms = [t for t in request.GET.getlist("term") if t.strip()]
//	    if not text and not terms:
//	        return _bad_request("q or term is required")
//	    results = services.search_products(text, terms=terms, category=request.GET.get("category"))
//	    return JsonResponse({"count": len(results), "results": results})
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) ProductSearch(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "catalog.views.product_search", "catalog/views.py:117")
}

// ProductFilter stands for the view catalog.views.product_filter at catalog/views.py:127, routed as:
//
//	GET /api/catalog/products/filter/{$} (catalog:product-filter)
//
//	@require_GET
//	def product_filter(request):
//	    ids = services.filter_products_by_attributes(request.GET)
//	    return JsonResponse({"ids": ids})
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) ProductFilter(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "catalog.views.product_filter", "catalog/views.py:127")
}

// CheapestProducts stands for the view catalog.views.cheapest_products at catalog/views.py:138, routed as:
//
//	GET /api/catalog/products/cheapest/{$} (catalog:product-cheapest)
//
//	@require_GET
//	def cheapest_products(request):
//	    return JsonResponse({"results": services.cheapest_in_each_category()})
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) CheapestProducts(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "catalog.views.cheapest_products", "catalog/views.py:138")
}

// DigitalProducts stands for the view catalog.views.digital_products at catalog/views.py:152, routed as:
//
//	GET /api/catalog/products/digital/{$} (catalog:product-digital)
//
//	@require_GET
//	def digital_products(request):
//	    try:
//	        max_days = _int_param(request, "max_license_days", None, minimum=0)
//	    except ValueError as exc:
//	        return _bad_request(str(exc))
//	    return JsonResponse({"results": services.digital_products(max_days)})
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) DigitalProducts(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "catalog.views.digital_products", "catalog/views.py:152")
}

// CategoryReprice stands for the view catalog.views.category_reprice at catalog/views.py:176, routed as:
//
//	POST /api/catalog/categories/{slug}/reprice/{$} (catalog:category-reprice)
//
// Path parameters (read with r.PathValue): slug (slug).
//
//	@csrf_exempt
//	@require_POST
//	def category_reprice(request, slug):
//	    data = _json_body(request)
//	    percent = None if data is None else data.get("percent")
//	    if not isinstance(percent, (int, float)) or not -90 <= percent <= 500:
//	        return _bad_request("percent must be a number between -90 and 500")
//	    get_object_or_404(Category, slug=slug)
//	    updated = services.reprice_category(slug, percent)
//	    return JsonResponse({"updated": updated})
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) CategoryReprice(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "catalog.views.category_reprice", "catalog/views.py:176")
}

// Lookup stands for the view catalog.views.lookup at catalog/views.py:216, routed as:
//
//	GET /api/catalog/lookup/{kind}/{value}/{$} (catalog:lookup)
//
// Path parameters (read with r.PathValue): kind (str), value (str).
//
//	@require_GET
//	def lookup(request, kind, value):
//	    if kind not in ("product", "category", "tag"):
//	        return _bad_request("kind must be product, category or tag")
//	    obj = services.lookup_object(kind, value)
//	    if obj is None:
//	        return JsonResponse({"error": f"{kind} not found"}, status=404)
//	    return JsonResponse(obj)
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) Lookup(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "catalog.views.lookup", "catalog/views.py:216")
}

// CategoryList stands for the view catalog.views.category_list at catalog/views.py:230, routed as:
//
//	GET /api/catalog/categories/{$} (catalog:category-list)
//
//	@require_GET
//	def category_list(request):
//	    return JsonResponse({"results": services.category_tree()})
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) CategoryList(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "catalog.views.category_list", "catalog/views.py:230")
}

// CategoryDetail stands for the view catalog.views.category_detail at catalog/views.py:235, routed as:
//
//	GET /api/catalog/categories/{slug}/{$} (catalog:category-detail)
//
// Path parameters (read with r.PathValue): slug (slug).
//
//	@require_GET
//	def category_detail(request, slug):
//	    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
//	    data = model_to_dict(category)
//	    data["parent"] = category.parent.slug if category.parent else None
//	    data["children"] = list(category.children.order_by("sort_order", "name").values("id", "slug", "name"))
//	    data["products"] = services.category_products(category, include_children=request.GET.get("deep", "1") == "1")
//	    return JsonResponse(data)
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) CategoryDetail(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "catalog.views.category_detail", "catalog/views.py:235")
}

// ProductReviewsView stands for the class-based view catalog.views.ProductReviewsView at catalog/views.py:249, routed as:
//
//	GET, HEAD, OPTIONS, POST /api/catalog/products/{pk}/reviews/{$} (catalog:product-reviews)
//
// Path parameters (read with r.PathValue): pk (int).
//
//	@method_decorator(csrf_exempt, name="dispatch")
//	class ProductReviewsView(View):
//	    """GET: live reviews of a product.  POST: add a review."""
//
//	    def get(self, request, pk):
//	        product = get_object_or_404(Product, pk=pk)
//	        min_rating = request.GET.get("min_rating")
//	        since = request.GET.get("since")
//	        try:
//	            min_rating = int(min_rating) if min_rating else None
//	            since = date.fromisoformat(since) if since else None
//	        except ValueError:
//	            return _bad_request("invalid min_rating or since")
//	        return JsonResponse({"product": product.pk, "results": services.product_reviews(product, min_rating, since)})
//
//	    def post(self, request, pk):
//	        product = get_object_or_404(Product, pk=pk, is_active=True)
//	        data = _json_body(request)
//	        if data is None:
//	            return _bad_request("invalid JSON body")
//	        user = request.user if request.user.is_authenticated else None
//	        try:
//	            review = services.create_review(
//	                product, user, data.get("rating"), data.get("title", ""), data.get("body", "")
//	            )
//	        except services.ServiceError as exc:
//	            return _bad_request(str(exc))
//	        return JsonResponse(model_to_dict(review), status=201)
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) ProductReviewsView(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "catalog.views.ProductReviewsView", "catalog/views.py:249")
}

// ReviewList stands for the view catalog.views.review_list at catalog/views.py:279, routed as:
//
//	GET /api/catalog/reviews/{$} (catalog:review-list)
//
//	@require_GET
//	def review_list(request):
//	    created_on = request.GET.get("date")
//	    try:
//	        created_on = date.fromisoformat(created_on) if created_on else None
//	        page_number = int(request.GET.get("page", 1))
//	    except ValueError:
//	        return _bad_request("invalid date or page")
//	    qs = services.all_reviews_queryset(
//	        include_deleted=request.GET.get("include_deleted") == "1",
//	        rating=request.GET.get("rating"),
//	        created_on=created_on,
//	    )
//	    paginator = Paginator(qs, 10)
//	    try:
//	        page = paginator.page(page_number)
//	    except EmptyPage:
//	        return JsonResponse({"error": "page out of range"}, status=404)
//	    results = [
//	        {
//	            "id": r.id,
//	            "product": r.product.name,
//	            "user": r.user.username if r.user else None,
//	            "rating": r.rating,
//	            "title": r.title,
//	            "deleted": r.deleted_at is not None,
//	        }
//	        for r in page.object_list
//	    ]
//	    return JsonResponse({"count": paginator.count, "num_pages": paginator.num_pages, "page": page.number, "results": results})
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) ReviewList(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "catalog.views.review_list", "catalog/views.py:279")
}

// CatalogStats stands for the view catalog.views.catalog_stats at catalog/views.py:325, routed as:
//
//	GET /api/catalog/stats/{$} (catalog:stats)
//
//	@require_GET
//	def catalog_stats(request):
//	    return JsonResponse(services.catalog_stats())
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) CatalogStats(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "catalog.views.catalog_stats", "catalog/views.py:325")
}
