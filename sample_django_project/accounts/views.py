"""JSON endpoints for users and their profiles."""
import json
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.forms.models import model_to_dict
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from .models import Profile

User = get_user_model()

PROFILE_EDITABLE = ("bio", "website", "birth_date", "newsletter", "phone")


def _bad_request(message):
    return JsonResponse({"error": message}, status=400)


def _json_body(request):
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _profile_payload(profile):
    data = model_to_dict(profile)
    data["username"] = profile.user.username
    data["email"] = profile.user.email
    return data


@csrf_exempt
@require_http_methods(["GET", "PATCH", "POST"])
def profile_detail(request, user_id):
    profile = get_object_or_404(Profile.objects.select_related("user"), user_id=user_id)
    if request.method == "GET":
        return JsonResponse(_profile_payload(profile))
    data = _json_body(request)
    if data is None:
        return _bad_request("invalid JSON body")
    unknown = set(data) - set(PROFILE_EDITABLE)
    if unknown:
        return _bad_request(f"unknown fields: {sorted(unknown)}")
    if data.get("birth_date"):
        try:
            data["birth_date"] = date.fromisoformat(data["birth_date"])
        except (TypeError, ValueError):
            return _bad_request("birth_date must be YYYY-MM-DD")
    Profile.objects.filter(pk=profile.pk).update(**data)
    profile.refresh_from_db()
    return JsonResponse(_profile_payload(profile))


@require_GET
def me(request):
    if not request.user.is_authenticated:
        return JsonResponse({"error": "authentication required"}, status=401)
    profile, _ = Profile.objects.get_or_create(user=request.user)
    data = _profile_payload(profile)
    data["open_orders"] = request.user.orders.exclude(status__in=["shipped", "cancelled"]).count()
    data["reviews"] = request.user.reviews.count()
    return JsonResponse(data)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def user_collection(request):
    if request.method == "POST":
        data = _json_body(request)
        if data is None or not data.get("username") or not data.get("password"):
            return _bad_request("username and password required")
        if User.objects.filter(username__iexact=data["username"]).exists():
            return _bad_request("username taken")
        user = User.objects.create_user(
            username=data["username"], email=data.get("email", ""), password=data["password"]
        )
        # Profile is created by the post_save receiver; apply opt-in right away.
        if data.get("newsletter"):
            Profile.objects.filter(user=user).update(newsletter=True)
        return JsonResponse({"id": user.pk, "username": user.username}, status=201)

    users = User.objects.filter(is_active=True)
    if request.GET.get("newsletter") in ("0", "1"):
        users = users.filter(profile__newsletter=request.GET["newsletter"] == "1")
    if request.GET.get("q"):
        q = request.GET["q"]
        users = users.filter(Q(username__icontains=q) | Q(email__icontains=q) | Q(first_name__icontains=q))
    if request.GET.get("joined_year"):
        try:
            users = users.filter(date_joined__year=int(request.GET["joined_year"]))
        except ValueError:
            return _bad_request("joined_year must be an integer")
    users = users.annotate(order_count=Count("orders")).order_by("username")
    return JsonResponse(
        {"results": list(users.values("id", "username", "email", "order_count", "profile__loyalty_points"))}
    )


@require_GET
def user_detail(request, username):
    user = get_object_or_404(User.objects.select_related("profile"), username=username)
    return JsonResponse(
        {
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "date_joined": user.date_joined,
            "newsletter": user.profile.newsletter,
            "loyalty_points": user.profile.loyalty_points,
            "order_numbers": list(user.orders.order_by("id").values_list("number", flat=True)),
        }
    )


@require_GET
def loyalty_leaderboard(request):
    rows = (
        Profile.objects.filter(loyalty_points__gt=0, user__is_active=True)
        .select_related("user")
        .order_by("-loyalty_points", "user_id")[:10]
    )
    return JsonResponse(
        {"results": [{"username": p.user.username, "points": p.loyalty_points} for p in rows]}
    )


# Views behind Django's auth decorators (added below the others so that earlier line numbers stay put).
from django.contrib.auth.decorators import login_required, permission_required, user_passes_test  # noqa: E402


@login_required
@require_GET
def profile_card(request, user_id):
    """A profile for signed-in users: anonymous requests are redirected to LOGIN_URL with `next`."""
    profile = get_object_or_404(Profile.objects.select_related("user"), user_id=user_id)
    return JsonResponse(_profile_payload(profile))


@permission_required("accounts.change_profile", raise_exception=True)
@require_GET
def profile_review(request, user_id):
    """A profile for moderators: without the permission, 403 (signed in or not)."""
    profile = get_object_or_404(Profile.objects.select_related("user"), user_id=user_id)
    return JsonResponse({"user_id": profile.user_id, "bio": profile.bio, "website": profile.website})


@user_passes_test(lambda u: u.is_active and u.is_staff)
@require_GET
def staff_directory(request):
    """Staff only (user_passes_test): others are redirected to LOGIN_URL."""
    return JsonResponse({"staff": list(User.objects.filter(is_staff=True).values("id", "username"))})
