"""One function per construct; the line of each site is pinned by tests/test_compile_constructs.py."""
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from .models import Board, Grant, Note, Poster, Shift, Show, Slot, Tag

OPEN = Q(active=True) | Q(public=True)


def same_day(other):
    return list(Show.objects.filter(day=other.start.date()))


def at_doors(doors):
    return list(Slot.objects.filter(doors=doors))


def in_month(year, month):
    return list(Show.objects.filter(start__year=year, start__month=month))


def on_parts(day, week_day, quarter):
    return list(Show.objects.filter(start__day=day, start__week_day=week_day, start__quarter=quarter))


def matching(title, since):
    by_title = Q(title__icontains=title)
    recent = Q(start__gte=since)
    return list(Show.objects.filter(by_title | recent))


def open_shows():
    return list(Show.objects.filter(OPEN))


def widened(flag):
    q = Q(active=True)
    if flag:
        q |= Q(public=True)
    return list(Show.objects.filter(q))


def first_show():
    return Show.objects.order_by("start")[0]


def add_note(show, text):
    return show.notes.create(text=text)


def tag_show(show, tag):
    show.tags.add(tag)


def new_tag(code, label):
    return Tag.objects.create(code=code, label=label)


def flagged(active, public):
    return list(Show.objects.filter(active=active, public=public))


def show_type():
    return ContentType.objects.get_for_model(Show)


def type_of(obj):
    return ContentType.objects.get_for_model(obj)


def current_site():
    return Site.objects.get_current()


def nothing():
    return list(Show.objects.none())


def new_board(name):
    return Board.objects.create(name=name)


def either(title):
    return list(Show.objects.filter(title=title).union(Show.objects.filter(public=True)))


def with_notes():
    return list(Show.objects.filter(Exists(Note.objects.filter(show=OuterRef("pk")))))


def noted(text):
    return list(Show.objects.filter(id__in=Note.objects.filter(text=text).values("show_id")))


def poster_revisions(poster: Poster):
    return list(poster.revision_set.all())


def poster_shows(poster: Poster, show_id):
    return list(poster.shows.filter(id=show_id))


def noted_where(text, active):
    notes = Note.objects.filter(text=text)
    if active:
        notes = notes.filter(show__active=True)
    return list(Show.objects.filter(id__in=notes.values("show_id")))


def listed(first, pk):
    shown = Show.objects.listed(first)
    return get_object_or_404(Show, shown, pk=pk)


class ShowView:
    filter: Q  # each subclass sets its own in dispatch()

    def shows(self, text):
        return list(Show.objects.titled(text, self.filter))


def retitle(shows):
    for show in shows:
        show.title = show.title.upper()
    Show.objects.bulk_update(shows, ["title", "day"])


def by_spec(show):
    spec = {"title": show.title, "day": show.day}
    if not Show.objects.filter(**spec).exists():
        return Show(**spec)
    return Show.objects.get(**spec)


def by_grown_spec(title, day):
    spec = {"title": title}
    if day:
        spec["day"] = day
    return list(Show.objects.filter(**spec))


def by_defaults(title, values):
    return Show.objects.update_or_create(title=title, defaults=values)


def noted_local(text):
    notes = Note.objects.filter(text=text).values("show_id")
    return list(Show.objects.filter(id__in=notes))


def noted_local_q(text, title):
    notes = Note.objects.filter(text=text).values("show_id")
    return list(Show.objects.filter(Q(id__in=notes) | Q(title=title)))


def noted_maybe(text, flag):
    if flag:
        notes = Note.objects.filter(text=text).values("show_id")
    else:
        notes = Note.objects.values("show_id")
    return list(Show.objects.filter(id__in=notes))


def noted_rebound(text, other):
    notes = Note.objects.filter(text=text).values("show_id")
    text = other
    return list(Show.objects.filter(id__in=notes, title=text))


def untag(show):
    show.tags.clear()


def retag(show, tags):
    show.tags.set(tags)


def with_note_shows():
    return list(Show.objects.prefetch_related("notes__show"))


def poster_tags(poster: Poster):
    return list(Poster.objects.prefetch_related("shows__tags"))


def notes_with_show():
    return list(Note.objects.prefetch_related("show"))


def show_with_notes(pk):
    return Show.objects.prefetch_related("notes").get(pk=pk)


def stale_titles(before):
    # postman's cleanup: an annotation (Max of a DateTimeField) compared with a runtime datetime; its stand-in
    # was an int (COMPILE_FAILED: fromisoformat) before
    return list(Show.objects.values("title").annotate(last=Max("start")).order_by().filter(last__lte=before)
                .values_list("title", flat=True))


def distinct_titles():
    # distinct() ordered by a column it does not return: Django selects `start` too and drops it from each row
    return list(Show.objects.order_by("start").values("title").distinct())


def postpone(pk, delta):
    # schedule's move: a runtime timedelta added to a datetime column; its stand-in was a datetime (on PostgreSQL
    # `timestamptz + timestamptz`, which Django's own run refused) before
    return Show.objects.filter(pk=pk).update(start=F("start") + delta)


def total_length(pk):
    # helpdesk's time_spent: SUM of a DurationField, which the PostgreSQL query returns untyped (an interval)
    return Shift.objects.filter(pk__gte=pk).aggregate(Sum("length"))


def grant(label, resource):
    return Grant.objects.create(label=label, resource=resource)
