from django.db.models import Q
from django.http import JsonResponse

from . import charts
from .models import Event


def events(request):
    owner = request.GET.get("owner")
    # both branches assign: the Go query must not be the else chain alone
    if owner:
        qs = Event.objects.filter(Q(owner=owner) | Q(owner=None)).order_by("-created_at")
    else:
        qs = Event.objects.order_by("-created_at")
    return JsonResponse({"results": list(qs.values("id", "title"))})


def events_by_kind(request):
    n = request.GET.get("n")
    q = Event.objects.all()
    # both branches refine: the else exclude must not become unconditional
    if n:
        q = q.filter(size=n)
    else:
        q = q.exclude(kind__in=["draft", "spam"])
    return JsonResponse({"results": list(q.values("id", "title"))})


def daily_counts(request):
    qs = Event.objects.filter(kind=request.GET.get("kind", "talk"))
    # the helper adds annotate / values_list / order_by: this is not a full evaluation of qs
    return JsonResponse({"days": [[str(d), n] for d, n in charts.daily(qs)]})


def search(request):
    # the one exact conditional shape: stays translated, as optional filters
    qs = Event.objects.all()
    title = request.GET.get("title")
    if title:
        qs = qs.filter(title__icontains=title)
    return list(qs.values("id", "title"))
