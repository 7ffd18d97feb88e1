from functools import wraps

from django.contrib.syndication.views import Feed
from django.http import JsonResponse
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from .models import Entry


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
