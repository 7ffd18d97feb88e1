import json

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, ListView, TemplateView

from .models import Card, Note


@method_decorator(csrf_exempt, name="dispatch")
class NoteView(View):
    """GET and POST read; no delete(): DELETE is a 405 with Allow."""

    kind = "note"

    def get(self, request, pk):
        note = get_object_or_404(Note, pk=pk)
        return JsonResponse({"id": note.pk, "title": note.title, "done": note.done, "kind": self.kind})

    def post(self, request, *args, **kwargs):
        note = get_object_or_404(Note, pk=self.kwargs["pk"])
        return JsonResponse({"id": note.pk, "q": self.request.GET.get("q")}, status=201)


class PrivateCountView(LoginRequiredMixin, View):
    raise_exception = True

    def get(self, request):
        return JsonResponse({"count": Note.objects.count()})


@method_decorator(login_required, name="dispatch")
class OpenNotesView(View):
    def get(self, request):
        return JsonResponse({"open": self.open_count()})

    def open_count(self):
        return Note.objects.filter(done=False).count()


class LatestView(View):
    limit = 5  # as_view(limit=1) wins

    def get(self, request):
        return JsonResponse({"limit": self.limit, "done": Note.objects.filter(done=True).count()})


class ArgsView(View):
    def get(self, request, *args, **kwargs):
        return JsonResponse({"args": len(self.args)})


class NotesPage(TemplateView):  # Django's get(): a template
    pass


class OwnDispatchView(View):  # a prelude: dispatch answers, or sets state, then View's dispatch calls get()
    @method_decorator(login_required)
    def dispatch(self, request, *args, **kwargs):
        if request.GET.get("x"):
            return JsonResponse({"x": True})
        self.limit = int(request.GET.get("limit", 1))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return JsonResponse({"count": Note.objects.count(), "limit": self.limit})


class NoteOwnerView(View):  # todo's TaskAutocomplete: dispatch loads the row and checks the user, then get()
    @method_decorator(login_required)
    def dispatch(self, request, pk, *args, **kwargs):
        self.note = get_object_or_404(Note, pk=pk)
        if self.note.done and not request.user.is_staff:
            return JsonResponse({"error": "not yours"}, status=403)
        return super().dispatch(request, pk, *args, **kwargs)

    def get(self, request, pk):
        return JsonResponse({"id": pk, "note": self.describe()})

    def describe(self):  # a helper method: the prelude's state, and self.request (View.setup's)
        return {"title": self.note.title, "staff": self.request.user.is_staff}


class SignedInMixin:  # a base whose dispatch only adds a decorator: View's dispatch behind login_required
    @method_decorator(login_required)
    def dispatch(self, *args, **kwargs):  # super()'s two-argument spelling (dal's ViewMixin): the same call
        return super(SignedInMixin, self).dispatch(*args, **kwargs)


class DoneView(SignedInMixin, View):
    def get(self, request):
        return JsonResponse({"done": Note.objects.filter(done=True).count()})


class LateGuardView(SignedInMixin, View):  # a prelude, then a base's login_required: not before the route
    def dispatch(self, request, *args, **kwargs):
        self.limit = 2
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return JsonResponse({"limit": self.limit})


class FeedView(View):
    """A dispatch that never calls super().dispatch (actstream's JSONActivityFeed): it answers every method."""

    def dispatch(self, request, *args, **kwargs):
        return JsonResponse(feed_payload(*args, **kwargs))


def feed_payload(pk):
    note = get_object_or_404(Note, pk=pk)
    return {"id": note.pk, "title": note.title, "total": Note.objects.count()}


class OptionsView(View):
    """The project's own options(): read as a handler method."""

    def get(self, request):
        return JsonResponse({"done": Note.objects.filter(done=True).count()})

    def options(self, request, *args, **kwargs):
        return JsonResponse({"allow": "GET", "open": Note.objects.filter(done=False).count()})


class NoteJSON(DetailView):
    """wiki's DiffView: Django's BaseDetailView.get() around the project's render_to_response() (JSON)."""

    model = Note

    def render_to_response(self, context, **response_kwargs):
        return JsonResponse({"title": self.object.title})


class ExtraView(View):
    """path(..., {"flag": "x"}): Django passes flag with the URL kwargs."""

    def get(self, request, **kwargs):
        return JsonResponse({"flag": kwargs.get("flag")})


class PreludeListView(ListView):
    """todo's TaskAutocomplete: a prelude the reader refuses, then Django's BaseListView.get(): both named."""

    model = Note

    def dispatch(self, request, *args, **kwargs):
        self.agent = request.META.get("HTTP_USER_AGENT", "")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return Note.objects.filter(title=self.agent)

    def render_to_response(self, context, **response_kwargs):
        return JsonResponse({"n": len(context["object_list"])})


def can_read(card, user):  # todo's user_can_read_task: two relations read lazily, then a row in a QuerySet
    return card.board.group in user.groups.all() or user.is_superuser


class PickMixin:
    """dal's ViewMixin.dispatch as written there: the method test, the `forward` JSON (its two 400s; nesting past
    Python's recursion limit is a RecursionError, Django's 500), `q`, then View's dispatch."""

    http_method_allowed = ("GET", "POST")

    def dispatch(self, request, *args, **kwargs):
        if request.method.upper() not in self.http_method_allowed:
            return HttpResponseNotAllowed(self.http_method_allowed)
        try:
            self.forwarded = json.loads(getattr(request, request.method).get("forward", "{}"))
        except ValueError:
            return HttpResponseBadRequest("Invalid JSON data")
        if not isinstance(self.forwarded, dict):
            return HttpResponseBadRequest("Not a JSON object")
        self.q = request.GET.get("q", "")
        return super(PickMixin, self).dispatch(request, *args, **kwargs)


class CardView(PickMixin, View):
    """todo's TaskAutocomplete: the prelude loads the row and raises PermissionDenied (Django's 403 page), then
    dal's ViewMixin.dispatch (PickMixin): `request.method.upper()` against a class tuple, HttpResponseNotAllowed
    (HEAD: 405), the `forward` JSON."""

    @method_decorator(login_required)
    def dispatch(self, request, pk, *args, **kwargs):
        self.card = get_object_or_404(Card, pk=pk)
        if not can_read(self.card, request.user):
            raise PermissionDenied
        return super().dispatch(request, pk, *args, **kwargs)

    def get(self, request, pk):
        return JsonResponse({"title": self.card.title, "board": self.card.board.name, "q": self.q})


class OpenCardView(View):
    """can_read without a login guard: AnonymousUser's user.groups is an EmptyManager, its all() empty (no 500)."""

    def get(self, request, pk):
        card = get_object_or_404(Card, pk=pk)
        return JsonResponse({"title": card.title, "readable": can_read(card, request.user)})


class CardListView(View):
    """django-nyt's get_notifications shape: prefetch_related of a nullable relation and of its row's own relation
    (Django: the cards, then the boards their keys name, then those boards' groups: three queries, none per card),
    each card's related rows read under a test of the nullable one."""

    def get(self, request):
        cards = Card.objects.order_by("-id").prefetch_related("board", "board__group")
        return JsonResponse({"cards": [{"pk": c.pk, "title": c.title, "board": c.board.name if c.board else None,
                                        "group": c.board.group.name if c.board else None} for c in cards[:10]]})
