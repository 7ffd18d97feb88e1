from django.db.models import Avg, F, Q

from .models import Item


def bump_shelf(slug):
    # an update over a join: Django filters by `id IN (SELECT U0.id ... U1 ... U2)`, capitalised aliases that
    # sqlc's MySQL engine could not resolve ("table alias "u1" does not exist")
    return Item.objects.filter(Q(shelf__slug=slug) | Q(shelf__parent__slug=slug), active=True).update(
        score=F("score") + 1)


def page(shelf_id, offset, size):
    # two variable bounds beside a filter: LIMIT ? OFFSET ? (sqlc's MySQL parser takes no sqlc.arg() there)
    return list(Item.objects.filter(shelf_id=shelf_id).order_by("id").values("id", "score")[offset:offset + size])


def mean_score(shelf_id):
    # AVG over an integer field: Django returns float() of MySQL's DECIMAL text; NULL over no rows
    return Item.objects.filter(shelf_id=shelf_id).aggregate(avg=Avg("score"))["avg"]


def mean_per_shelf():
    return list(Item.objects.values("shelf_id").annotate(avg=Avg("score")).order_by("-avg", "shelf_id"))
