"""load/drf_queryset's Reader on small inputs (fast: no Django): what a ``get_queryset`` / ``get_serializer``
override's statements read as, or refuse with Unread."""

from __future__ import annotations

import ast

import pytest

from migrator.load.drf_queryset import QS, Reader, UserValue, Unread

QUEUES = QS("Queue.objects.filter(allow_public_submission=True)", "helpdesk.Queue")


def _read(src: str, **env):
    return Reader(None, {}).expr(ast.parse(src, mode="eval").body, {"__globals__": {}, **env})


def test_a_list_of_a_querysets_rows_is_a_query_nothing_may_use():
    """helpdesk's HelpdeskUser.get_queues() (through TicketViewSet.get_serializer): ``public_ids = [q.pk for q in
    Queue.objects.filter(...)]`` runs a query whose values only a branch the settings leave out would use."""
    rows = _read("[q.pk for q in qs]", qs=QUEUES)
    assert repr(rows) == "the values of [q.pk for q in qs]"
    reader = Reader(None, {})
    with pytest.raises(Unread, match="known only at run time"):
        reader.truth(rows)  # `if public_ids:` would need its values
    with pytest.raises(Unread, match="run-time value"):
        reader.arguments([], {"pk__in": rows})  # `.filter(pk__in=public_ids)` too


@pytest.mark.parametrize("src", [
    "[q.pk for q in qs if q.public]",  # a test per row
    "[q for q in qs]",  # the rows themselves
    "[q.pk for q in qs for r in qs]",
    "[r.pk for q in qs]",  # not the loop's row
    "[q.pk for q in values]",  # not a QuerySet
    "[q.pk for q in mine]",  # a QuerySet over the user's values
    "{q.pk for q in qs}",
])
def test_other_comprehensions_refused(src):
    mine = QS("Ticket.objects.filter(submitter_email=user_email)", "helpdesk.Ticket", user=("email",))
    with pytest.raises(Unread):
        _read(src, qs=QUEUES, values=[1, 2], mine=mine, email=UserValue("email"))
