from datetime import date

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from .models import Note


def _notes(rating=None, since=None):
    qs = Note.objects.select_related("author")
    if rating is not None:
        qs = qs.filter(rating__gte=rating)
    if since is not None:
        qs = qs.filter(created_at__date__gte=since)
    return [{"id": n.id, "rating": n.rating, "author": n.author.name if n.author else None} for n in qs.order_by("id")]


@require_GET
def note_list(request):
    rating = request.GET.get("rating")
    since = request.GET.get("since")
    try:
        rating = int(rating) if rating else None
        since = date.fromisoformat(since) if since else None
        page = min(max(int(request.GET.get("page", 1)), 1), 100)
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"page": page, "results": _notes(rating, since)})


@require_GET
def note_count(request, rating=None, minimum=3):
    """Served by two routes that pass it no argument: Django calls it with its defaults (django-nyt's
    get_notifications on ^json/get/$), so one handler serves both."""
    notes = Note.objects.filter(rating__gte=minimum)
    return JsonResponse({"count": notes.count(), "rating": rating, "minimum": minimum})
