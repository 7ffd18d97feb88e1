package main

// This file is yours: migrator wrote it once and never overwrites it. Each handler below stands for
// a Django view of the orders app whose data access is not migrated yet: it answers 501 with the
// view's name and source until you port it.

import (
	"net/http"
)

// OrderCollectionView stands for the class-based view orders.views.OrderCollectionView at orders/views.py:37, routed as:
//
//	GET, POST /api/orders/{$} (orders:order-collection)
//
//	@method_decorator(csrf_exempt, name="dispatch")
//	class OrderCollectionView(View):
//	    """GET: filtered, paginated order list.  POST: checkout (create an order)."""
//
//	    http_method_names = ["get", "post"]
//
//	    def get(self, request):
//	        params = request.GET
//	        try:
//	            page = max(int(params.get("page", 1)), 1)
//	            size = min(max(int(params.get("size", 20)), 1), 100)
//	            user_id = int(params["user"]) if params.get("user") else None
//	            year = int(params["year"]) if params.get("year") else None
//	            placed_on = date.fromisoformat(params["placed_on"]) if params.get("placed_on") else None
//	            min_total = Decimal(params["min_total"]) if params.get("min_total") else None
//	        except (ValueError, InvalidOperation):
//	            return _bad_request("invalid query parameter")
//	        total, results = services.list_orders(
//	            status=params.get("status"),
//	            email=params.get("email"),
//	            user_id=user_id,
//	            placed_on=placed_on,
//	            year=year,
//	            min_total=min_total,
//	            offset=(page - 1) * size,
//	            size=size,
//	        )
//	        return JsonResponse({"count": total, "page": page, "size": size, "results": results})
//
//	    def post(self, request):
//	        denied = _login_required_json(request)
//	        if denied:
//	            return denied
//	        data = _json_body(request)
//	        if data is None:
//	            return _bad_request("invalid JSON body")
//	        try:
//	            order = services.create_order(
//	                request.user,
//	                data.get("email"),
//	                data.get("items") or [],
//	                note=data.get("note", ""),
//	                shipping_address=data.get("shipping_address"),
//	                coupon_code=data.get("coupon"),
//	            )
//	        except services.OrderError as exc:
//	            return _bad_request(str(exc))
//	        return JsonResponse(services.order_as_dict(services.get_order(order.pk)), status=201)
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) OrderCollectionView(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "orders.views.OrderCollectionView", "orders/views.py:37")
}

// OrderDetail stands for the view orders.views.order_detail at orders/views.py:87, routed as:
//
//	DELETE, GET /api/orders/{pk}/{$} (orders:order-detail)
//
// Path parameters (read with r.PathValue): pk (int).
//
// The Python branches on request.method: DELETE.
//
//	@csrf_exempt
//	@require_http_methods(["GET", "DELETE"])
//	def order_detail(request, pk):
//	    if request.method == "DELETE":
//	        order = get_object_or_404(Order, pk=pk)
//	        try:
//	            services.cancel_order(order)
//	        except services.OrderError as exc:
//	            return _bad_request(str(exc))
//	        return HttpResponse(status=204)
//	    try:
//	        order = services.get_order(pk)
//	    except Order.DoesNotExist:
//	        return JsonResponse({"error": "order not found"}, status=404)
//	    return JsonResponse(services.order_as_dict(order))
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) OrderDetail(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "orders.views.order_detail", "orders/views.py:87")
}

// OrderStatus stands for the view orders.views.order_status at orders/views.py:112, routed as:
//
//	POST /api/orders/{pk}/status/{$} (orders:order-status)
//
// Path parameters (read with r.PathValue): pk (int).
//
//	@csrf_exempt
//	@require_POST
//	def order_status(request, pk):
//	    order = get_object_or_404(Order, pk=pk)
//	    data = _json_body(request)
//	    if data is None or "status" not in data:
//	        return _bad_request("body must be {\"status\": ...}")
//	    try:
//	        services.change_status(order, data["status"])
//	    except services.OrderError as exc:
//	        return _bad_request(str(exc))
//	    return JsonResponse({"id": order.pk, "status": order.status, "placed_at": order.placed_at})
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) OrderStatus(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "orders.views.order_status", "orders/views.py:112")
}

// OrderApplyCoupon stands for the view orders.views.order_apply_coupon at orders/views.py:126, routed as:
//
//	POST /api/orders/{pk}/coupons/{$} (orders:order-apply-coupon)
//
// Path parameters (read with r.PathValue): pk (int).
//
//	@csrf_exempt
//	@require_POST
//	def order_apply_coupon(request, pk):
//	    order = get_object_or_404(Order, pk=pk, status=Order.Status.PENDING)
//	    data = _json_body(request)
//	    if not data or not data.get("code"):
//	        return _bad_request("coupon code required")
//	    try:
//	        link = services.apply_coupon(order, data["code"])
//	    except services.OrderError as exc:
//	        return _bad_request(str(exc))
//	    order.refresh_from_db()
//	    return JsonResponse({"code": link.coupon.code, "discount": link.discount, "total": order.total}, status=201)
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) OrderApplyCoupon(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "orders.views.order_apply_coupon", "orders/views.py:126")
}

// OrderPayment stands for the view orders.views.order_payment at orders/views.py:141, routed as:
//
//	POST /api/orders/{pk}/payments/{$} (orders:order-payment)
//
// Path parameters (read with r.PathValue): pk (int).
//
//	@csrf_exempt
//	@require_POST
//	def order_payment(request, pk):
//	    order = get_object_or_404(Order, pk=pk)
//	    data = _json_body(request)
//	    if data is None:
//	        return _bad_request("invalid JSON body")
//	    try:
//	        amount = Decimal(str(data["amount"]))
//	        transaction_id = uuid.UUID(str(data.get("transaction_id") or uuid.uuid4()))
//	    except (KeyError, InvalidOperation, ValueError):
//	        return _bad_request("amount (decimal) and optional transaction_id (uuid) expected")
//	    try:
//	        payment, created = services.record_payment(
//	            order, data.get("provider", ""), amount, transaction_id, data.get("raw_response")
//	        )
//	    except services.OrderError as exc:
//	        return _bad_request(str(exc))
//	    body = model_to_dict(payment)
//	    body["transaction_id"] = str(payment.transaction_id)
//	    return JsonResponse(body, status=201 if created else 200)
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) OrderPayment(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "orders.views.order_payment", "orders/views.py:141")
}

// MyOrders stands for the view orders.views.my_orders at orders/views.py:171, routed as:
//
//	GET /api/orders/mine/{$} (orders:my-orders)
//
//	@require_GET
//	def my_orders(request):
//	    denied = _login_required_json(request)
//	    if denied:
//	        return denied
//	    status = request.GET.get("status")
//	    if status == "open":
//	        recent = list(
//	            request.user.orders.filter(status__in=[Order.Status.PENDING, Order.Status.PAID])
//	            .order_by("-created_at", "id")
//	            .values("id", "number", "status", "total")[:10]
//	        )
//	        return JsonResponse({"results": recent})
//	    return JsonResponse({"results": services.user_orders(request.user, status)})
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) MyOrders(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "orders.views.my_orders", "orders/views.py:171")
}

// PaymentList stands for the view orders.views.payment_list at orders/views.py:187, routed as:
//
//	GET /api/orders/payments/{$} (orders:payment-list)
//
//	@require_GET
//	def payment_list(request):
//	    try:
//	        results = services.search_payments(request.GET)
//	    except InvalidOperation:
//	        return _bad_request("min_amount must be a decimal number")
//	    return JsonResponse({"results": results})
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) PaymentList(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "orders.views.payment_list", "orders/views.py:187")
}

// CouponList stands for the view orders.views.coupon_list at orders/views.py:196, routed as:
//
//	GET /api/orders/coupons/{$} (orders:coupon-list)
//
//	@require_GET
//	def coupon_list(request):
//	    return JsonResponse({"results": services.active_coupons()})
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) CouponList(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "orders.views.coupon_list", "orders/views.py:196")
}

// CouponBatch stands for the view orders.views.coupon_batch at orders/views.py:209, routed as:
//
//	POST /api/orders/coupons/batch/{$} (orders:coupon-batch)
//
//	@csrf_exempt
//	@require_POST
//	def coupon_batch(request):
//	    data = _json_body(request)
//	    try:
//	        prefix = data["prefix"]
//	        count = int(data["count"])
//	        percent = int(data["percent_off"])
//	    except (TypeError, KeyError, ValueError):
//	        return _bad_request("prefix, count and percent_off required")
//	    if not (1 <= count <= 100 and 1 <= percent <= 100) or not prefix.replace("-", "").isalnum():
//	        return _bad_request("count/percent_off out of range or bad prefix")
//	    created = services.bulk_create_coupons(prefix.lower(), count, percent)
//	    return JsonResponse({"created": [c.code for c in created]}, status=201)
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) CouponBatch(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "orders.views.coupon_batch", "orders/views.py:209")
}

// Maintenance stands for the view orders.views.maintenance at orders/views.py:225, routed as:
//
//	POST /api/orders/maintenance/{$} (orders:maintenance)
//
//	@csrf_exempt
//	@require_http_methods(["POST"])
//	def maintenance(request):
//	    return JsonResponse(
//	        {
//	            "expired_coupons": services.expire_coupons(),
//	            "purged_orders": services.purge_stale_orders(),
//	        }
//	    )
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) Maintenance(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "orders.views.maintenance", "orders/views.py:225")
}

// OrderStats stands for the view orders.views.order_stats at orders/views.py:236, routed as:
//
//	GET /api/orders/stats/{$} (orders:stats)
//
//	@require_GET
//	def order_stats(request):
//	    day = request.GET.get("day")
//	    try:
//	        day = date.fromisoformat(day) if day else None
//	    except ValueError:
//	        return _bad_request("day must be YYYY-MM-DD")
//	    return JsonResponse(services.order_stats(day))
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) OrderStats(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "orders.views.order_stats", "orders/views.py:236")
}

// NewsletterReport stands for the view orders.views.newsletter_report at orders/views.py:251, routed as:
//
//	GET /api/orders/reports/newsletter/{$} (orders:newsletter-report)
//
//	@require_GET
//	def newsletter_report(request):
//	    since = request.GET.get("since")
//	    try:
//	        since = date.fromisoformat(since) if since else None
//	    except ValueError:
//	        return _bad_request("since must be YYYY-MM-DD")
//	    return JsonResponse(services.newsletter_orders(since))
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) NewsletterReport(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "orders.views.newsletter_report", "orders/views.py:251")
}

// AttentionReport stands for the view orders.views.attention_report at orders/views.py:261, routed as:
//
//	GET /api/orders/reports/attention/{$} (orders:attention-report)
//
//	@require_GET
//	def attention_report(request):
//	    return JsonResponse({"results": services.orders_needing_attention()})
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) AttentionReport(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "orders.views.attention_report", "orders/views.py:261")
}
