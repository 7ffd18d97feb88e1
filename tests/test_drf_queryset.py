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


HELPDESK_VIEWSET = r"""
import json, os, sys
sys.path.insert(0, os.getcwd())
os.environ["DJANGO_SETTINGS_MODULE"] = "shell.settings"
import django; django.setup()
from helpdesk.views.api import TicketViewSet
from migrator.load.drf_views import read_overrides
left, scoped, unread, sets = read_overrides(os.getcwd(), TicketViewSet, ("get_queryset", "get_serializer", "get_object"),
                                            ("rest_framework.permissions.IsAdminUser",))
print(json.dumps({"left": left, "unread": unread, "sets": sets}))
"""


@pytest.mark.slow
def test_helpdesk_ticketviewset_stops_at_query_params_only():
    """django-helpdesk's TicketViewSet (bench/corpus/helpdesk): get_object and get_serializer (HelpdeskUser.get_queues'
    unused comprehension) are read; get_queryset's request.query_params status filter is what is left."""
    import json
    import subprocess
    import sys

    from conftest import REPO

    proc = subprocess.run([sys.executable, "-c", HELPDESK_VIEWSET], cwd=REPO / "bench" / "corpus" / "helpdesk",
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"left": ["get_queryset"], "sets": ["set_custom_field_values"],
                                       "unread": ["get_queryset: .query_params of a run-time value is not read"]}
