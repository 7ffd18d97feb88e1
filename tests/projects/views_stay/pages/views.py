from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.generic import ListView

from .models import Note


def home(request):
    """Stays: a template."""
    return render(request, "pages/home.html", {"count": Note.objects.count()})


class NoteList(ListView):
    """Stays: a generic ListView (pages/note_list.html)."""
    model = Note


def new_note(request):
    """Stays: a form post that redirects, the form re-rendered otherwise."""
    if request.method == "POST":
        title = request.POST.get("title", "")
        if title:
            Note.objects.create(title=title)
            return redirect("notes")
    return render(request, "pages/new.html", {"title": request.POST.get("title", "")})


def card(request, pk):
    """Stays: a template rendered to a string, answered as HTML."""
    html = render_to_string("pages/card.html", {"note": get_object_or_404(Note, pk=pk)})
    return HttpResponse(html)


def note_detail(request, pk):
    """Does not stay: an HTML path and a JSON path."""
    note = get_object_or_404(Note, pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse({"id": note.pk, "title": note.title})
    return render(request, "pages/note.html", {"note": note})


class NoteDiff(ListView):
    """Does not stay: a ListView whose render_to_response answers JSON (wiki's DiffView shape)."""
    model = Note

    def render_to_response(self, context, **kwargs):
        return JsonResponse({"titles": [n.title for n in context["object_list"]]})


def note_count(request):
    """Does not stay: JSON only (the http target migrates it)."""
    return JsonResponse({"count": Note.objects.count()})
