package main

// This file is yours: migrator wrote it once and never overwrites it. Each handler below stands for
// a Django view of the accounts app whose data access is not migrated yet: it answers 501 with the
// view's name and source until you port it.

import (
	"net/http"
)

// UserCollection stands for the view accounts.views.user_collection at accounts/views.py:72, routed as:
//
//	GET, POST /api/accounts/users/{$} (accounts:user-collection)
//
// The Python branches on request.method: POST.
//
//	@csrf_exempt
//	@require_http_methods(["GET", "POST"])
//	def user_collection(request):
//	    if request.method == "POST":
//	        data = _json_body(request)
//	        if data is None or not data.get("username") or not data.get("password"):
//	            return _bad_request("username and password required")
//	        if User.objects.filter(username__iexact=data["username"]).exists():
//	            return _bad_request("username taken")
//	        user = User.objects.create_user(
//	            username=data["username"], email=data.get("email", ""), password=data["password"]
//	        )
//	        # Profile is created by the post_save receiver; apply opt-in right away.
//	        if data.get("newsletter"):
//	            Profile.objects.filter(user=user).update(newsletter=True)
//	        return JsonResponse({"id": user.pk, "username": user.username}, status=201)
//
//	    users = User.objects.filter(is_active=True)
//	    if request.GET.get("newsletter") in ("0", "1"):
//	        users = users.filter(profile__newsletter=request.GET["newsletter"] == "1")
//	    if request.GET.get("q"):
//	        q = request.GET["q"]
//	        users = users.filter(Q(username__icontains=q) | Q(email__icontains=q) | Q(first_name__icontains=q))
//	    if request.GET.get("joined_year"):
//	        try:
//	            users = users.filter(date_joined__year=int(request.GET["joined_year"]))
//	        except ValueError:
//	            return _bad_request("joined_year must be an integer")
//	    users = users.annotate(order_count=Count("orders")).order_by("username")
//	    return JsonResponse(
//	        {"results": list(users.values("id", "username", "email", "order_count", "profile__loyalty_points"))}
//	    )
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) UserCollection(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "accounts.views.user_collection", "accounts/views.py:72")
}

// UserDetail stands for the view accounts.views.user_detail at accounts/views.py:106, routed as:
//
//	GET /api/accounts/users/{username}/{$} (accounts:user-detail)
//
// Path parameters (read with r.PathValue): username (str).
//
//	@require_GET
//	def user_detail(request, username):
//	    user = get_object_or_404(User.objects.select_related("profile"), username=username)
//	    return JsonResponse(
//	        {
//	            "id": user.pk,
//	            "username": user.username,
//	            "email": user.email,
//	            "date_joined": user.date_joined,
//	            "newsletter": user.profile.newsletter,
//	            "loyalty_points": user.profile.loyalty_points,
//	            "order_numbers": list(user.orders.order_by("id").values_list("number", flat=True)),
//	        }
//	    )
//
// TODO(migrator): port this view; until then it answers 501.
func (s *Server) UserDetail(w http.ResponseWriter, r *http.Request) {
	NotMigrated(w, "accounts.views.user_detail", "accounts/views.py:106")
}
