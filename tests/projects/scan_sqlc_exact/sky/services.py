from .models import Job


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
