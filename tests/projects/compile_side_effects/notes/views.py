from django.http import JsonResponse

from .models import Badge, Dated, Exported, Logged, Member, Note, Slugged, Stamped, Tag


def add_note(request):
    title = request.GET.get("title", "")
    note = Note.objects.create(title=title, body="")
    tag, _ = Tag.objects.get_or_create(name=title)
    note.tags.add(tag)
    Slugged.objects.create(title=title)
    Stamped.objects.create(title=title)
    Exported.objects.create(title=title)
    return JsonResponse({"id": note.id})


def add_member(request):
    name = request.GET.get("name", "")
    member = Member.objects.create(name=name)
    Member.objects.filter(pk=member.pk).update(rank=1)
    Badge.objects.create(name=name)
    Dated.objects.create(title=name)
    Logged.objects.create(title=name)
    return JsonResponse({"id": member.id})


def list_notes(request):
    return JsonResponse({"titles": list(Note.objects.filter(title=request.GET.get("q")).values_list("title", flat=True))})


def stuck_notes(request):
    return JsonResponse({"n": Note.objects.filter(mood="stuck").count()})


def stubborn_notes(request):
    return JsonResponse({"n": Note.objects.filter(mood="stubborn").count()})


def crashing_notes(request):
    return JsonResponse({"n": Note.objects.filter(mood="crash").count()})


def drop_note(request, pk):
    Note.objects.filter(pk=pk).delete()
    return JsonResponse({})
