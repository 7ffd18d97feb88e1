import datetime

from django.db.models import F
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Event
from .settings import CHECK_EVENT_PERM_FUNC


@require_POST
def api_move_or_resize_by_code(request):
    user = request.user
    id = request.POST.get("id")
    delta = datetime.timedelta(minutes=int(request.POST.get("delta")))
    resize = bool(request.POST.get("resize", False))
    return JsonResponse(_api_move_or_resize_by_code(user, id, delta, resize))


def _api_move_or_resize_by_code(user, id, delta, resize):
    response_data = {}
    response_data["status"] = "PERMISSION DENIED"
    event = Event.objects.get(id=id)
    if not resize:
        event.start += delta
    event.end += delta
    if CHECK_EVENT_PERM_FUNC(event.calendar, user):
        event.save()
        response_data["status"] = "OK"
    return response_data


@require_POST
def api_move_open(request):
    """The move without the permission callback: the row's save() reached without signing in."""
    delta = datetime.timedelta(minutes=int(request.POST.get("delta")))
    event = Event.objects.get(id=request.POST.get("id"))
    if not bool(request.POST.get("resize", False)):
        event.start -= delta
    event.end += delta
    event.save()
    return JsonResponse({"status": "OK", "end": event.end})


@require_POST
def api_shift_occurrences(request):
    """django-scheduler's event branch: the event saved, then its occurrences moved by F() + a timedelta, where a
    resize leaves ``dts = 0``: an integer Django adds to a datetime column (SQLite stores the integer, PostgreSQL
    answers 500), which the Go answers 501 before any write."""
    delta = datetime.timedelta(minutes=int(request.POST.get("delta")))
    resize = bool(request.POST.get("resize", False))
    event = Event.objects.get(id=request.POST.get("id"))
    dts = 0
    dte = delta
    if not resize:
        event.start += delta
        dts = delta
    event.end = event.end + delta
    event.save()
    event.occurrence_set.all().update(original_start=F("original_start") + dts, original_end=F("original_end") + dte)
    return JsonResponse({"status": "OK"})
