from django.db.models import Count, F, Max, Q

from .models import Job, Letter


def zones():
    # DISTINCT over one column: Django appends Meta.ordering's columns to the DISTINCT and drops them from
    # each row, so the rows are distinct over (zone, rank, title): the Go query must return the same rows
    return list(Job.objects.values_list("zone", flat=True).distinct())


def zones_by_title():
    # the same with an explicit order_by, descending
    return list(Job.objects.order_by("-title").values("zone").distinct())


def jobs_with_place():
    # select_related over a nullable relation: the place's NOT NULL decimal and date columns are NULL for a
    # job without a place, on PostgreSQL as on SQLite
    return list(Job.objects.select_related("place"))


def letters_from(name):
    # the sender joined INNER (a filter through it), the recipient LEFT under Django's alias T3: sqlc typed the
    # alias's columns NOT NULL by the first, unaliased join of the same table
    return list(Letter.objects.filter(sender__name=name).select_related("recipient"))


def received_by(person):
    # a root written over several lines: the site's root is one line (it heads the query's comment for sqlc)
    return list(
        person
        .received.select_related("sender")
    )


class Display:
    """postman's DisplayMixin: the query reads self.filter, which each subclass sets before running it."""

    filter: Q

    def get(self):
        return list(Letter.objects.thread(self.filter))


class OneLetter(Display):
    def get(self, letter_id):
        self.filter = Q(pk=letter_id)
        return super().get()


class WholeThread(Display):
    def get(self, thread_id):
        self.filter = Q(thread=thread_id)
        return super().get()


def read_threads(before):
    # postman's cleanup: threads whose every letter was read before a date. The parameter sits in the HAVING of
    # a subquery, which sqlc's SQLite engine does not see: lifted into a WHERE over the grouped rows
    threads = Letter.objects.filter(thread__isnull=False).values("thread").annotate(
        n=Count("pk"), last=Max("read_at"), reads=Count("read_at")).order_by().filter(
        reads=F("n"), last__lte=before).values_list("thread", flat=True)
    return list(Letter.objects.filter(thread__in=threads))
