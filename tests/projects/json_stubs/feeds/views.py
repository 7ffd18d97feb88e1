from functools import wraps

import dateutil.parser
from django.contrib.syndication.views import Feed
from django.http import JsonResponse
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Calendar, Entry, Event
from .names import EVENT_TITLE


def check_permissions(function):  # django-scheduler's check_calendar_permissions, reduced
    @wraps(function)
    def decorator(request, *args, **kwargs):
        return function(request, *args, **kwargs)

    return decorator


@csrf_exempt
def count(request):
    return JsonResponse({"count": Entry.objects.count()})


@check_permissions
def guarded(request):
    return JsonResponse({"count": Entry.objects.count()})


def occurrences(request):
    return JsonResponse({"count": Entry.objects.count()})


class UnreadView(View):
    def get(self, request):
        return JsonResponse({"unread": Entry.objects.filter(read=False).count()})


def listing(request):
    return JsonResponse({"count": Entry.objects.count()})


def kwargs_view(request, *args, **kwargs):  # django-helpdesk's create_ticket
    return JsonResponse({"count": Entry.objects.count()})


class LatestFeed(Feed):  # the URLconf holds an instance (django-activity-stream's feeds)
    title = "entries"
    link = "/feed/"

    def items(self):
        return Entry.objects.all()


def pick(request, pk=None):  # django-nyt's goto: a route without the argument, one with it
    if pk is None:
        return JsonResponse({"count": Entry.objects.count()})
    return JsonResponse({"agent": request.META.get("HTTP_USER_AGENT")})  # read on pick/<int:pk>/ only


@require_POST
def select_create(request):  # django-scheduler's api_select_create: a form write through a helper
    start = request.POST.get("start")
    calendar_slug = request.POST.get("calendar_slug")
    return JsonResponse(_select_create(start, calendar_slug))


def _select_create(start, calendar_slug):
    start = dateutil.parser.parse(start)
    calendar = Calendar.objects.get(slug=calendar_slug)
    Event.objects.create(start=start, title=EVENT_TITLE, calendar=calendar)
    return {"status": "OK"}


@require_POST
def select_echo(request):  # the parsed datetime answered: Python's naive datetime is not read
    return JsonResponse({"start": dateutil.parser.parse(request.POST.get("start"))})
