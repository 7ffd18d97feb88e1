from django.contrib.auth.decorators import login_required, user_passes_test
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from desk.decorators import (auth_required, check_objects, hidden_from_anonymous, json_view, login_required_ajax,
                             member_required, nyt_json_view, owner_only, role_required, staff_check, staff_member_required,
                             superuser_required)
from desk.models import Notice, Ticket


def login_page(request):
    return JsonResponse({"login": True})


@staff_member_required
def staff_board(request):
    return JsonResponse({"board": "staff", "open": Ticket.objects.filter(done=False).count()})


@member_required
def member_board(request):
    return JsonResponse({"board": "member", "open": Ticket.objects.filter(done=False).count()})


@auth_required
def unread(request):
    return JsonResponse({"unread": Ticket.objects.filter(done=False).count()})


@superuser_required
def superuser_board(request):
    return JsonResponse({"board": "superuser", "all": Ticket.objects.count()})


@hidden_from_anonymous
def hidden(request):
    return JsonResponse({"board": "hidden", "done": Ticket.objects.filter(done=True).count()})


@check_objects
def calendar(request):
    return JsonResponse({"board": "calendar", "all": Ticket.objects.count()})


@login_required
@user_passes_test(staff_check)
@role_required(staff=True, message="staff, please")
def role_board(request):
    return JsonResponse({"board": "role", "open": Ticket.objects.filter(done=False).count()})


@login_required_ajax
def ajax_board(request):
    return JsonResponse({"board": "ajax", "open": Ticket.objects.filter(done=False).count()})


@json_view
def wrapped(request):
    return {"board": "wrapped"}


@login_required
@json_view
def wrapped_count(request):
    """json_view below a guard: the view's dict is the JSON answer (under the guard)."""
    if request.GET.get("done"):
        return {"done": Ticket.objects.filter(done=True).count()}
    return {"open": Ticket.objects.filter(done=False).count()}


@json_view
@login_required
def wrapped_outside(request):
    """json_view above a guard: Django would serialise the guard's redirect (a TypeError): not translated."""
    return {"open": 1}


@login_required_ajax
@nyt_json_view
def nyt_count(request, is_viewed=False):
    """django-nyt's get_notifications shape: json.dumps of the view's dict, behind login_required_ajax; a boolean
    optional filter under a test of the argument's constant default."""
    tickets = Ticket.objects.all()
    if is_viewed is not None:
        tickets = tickets.filter(done=is_viewed)
    return {"success": True, "open": tickets.count()}


@owner_only
def owned(request, pk):
    return JsonResponse({"pk": pk})


@require_POST
@login_required
def vote(request):
    return JsonResponse({"voted": Ticket.objects.filter(done=True).count()})


@never_cache
@auth_required
def fresh(request):
    """never_cache outside a project guard: its headers on the guard's 401 too."""
    return JsonResponse({"fresh": Ticket.objects.filter(done=False).count()})


never_cache_m = method_decorator(never_cache)
auth_required_m = method_decorator(auth_required)


class AjaxMixin:
    """django-postman's shape (postman/api_views.py): the decorators on a dispatch only calling super()'s."""

    @never_cache_m
    @auth_required_m
    def dispatch(self, *args, **kwargs):
        return super().dispatch(*args, **kwargs)


class FreshCountView(AjaxMixin, View):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        return JsonResponse({"unread_count": Ticket.objects.filter(done=False).count()})


@login_required_ajax
@nyt_json_view
def nyt_mark(request, id_lte, notification_type_id=None, id_gte=None):
    """django-nyt's mark_read shape: three routes, one of them an unnamed group (``id_lte`` passed positionally),
    one giving no ``id_lte`` (Python's TypeError: Django's 500 below the guard); request.user in an OR of Qs, a
    refinement Django refuses (no ``kind`` field: FieldError) under a test no route makes true, an update on GET."""
    tickets = Ticket.objects.filter(Q(owner=request.user) | Q(title__startswith="shared"), id__lte=id_lte)
    if notification_type_id:
        tickets = tickets.filter(kind__id=notification_type_id)
    if id_gte:
        tickets = tickets.filter(id__gte=id_gte)
    return {"success": True, "marked": tickets.update(done=True)}


def notice_since(request, pk):
    """django-nyt's get_notifications' `since` and `occurrences_msg`: humanize's naturaltime imported in the body,
    the row's age in English, and gettext of a literal formatted with % (tests/test_auth_guards.py writes rows of
    known ages, each far from its text's next unit)."""
    notice = get_object_or_404(Notice, pk=pk)
    from django.contrib.humanize.templatetags.humanize import naturaltime

    return JsonResponse({"id": notice.id, "since": naturaltime(notice.created), "times": _("%d times") % notice.id})
