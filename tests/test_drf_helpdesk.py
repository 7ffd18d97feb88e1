"""django-helpdesk's FollowUpAttachmentViewSet and FollowUpViewSet (bench/corpus/helpdesk) against DRF, signed in.

FollowUpViewSet's serializer nests FollowUpAttachmentSerializer(many=True): each follow-up's attachments, a
query per follow-up (translate/drf_nested), its files' absolute URLs included; a follow-up without any is ``[]``.

Its ``get_queryset`` goes through ``HelpdeskUser(self.request.user).accessible_tickets()`` and its
``get_serializer`` through ``restrict_relation``: both read by load/drf_queryset. With the app's default settings
(per-queue permissions off) every user ``IsAdminUser`` lets in has full access, so the list and the detail are
one QuerySet each (attachments of follow-ups of tickets). The corpus app's Go (net/http) and Django's
runserver start from one seeded SQLite database (copies) and answer the same
reads as a staff user, a superuser, a signed-in user who is not staff, and anonymously, compared exactly.
"""

from __future__ import annotations

import json
import os
import signal
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import REPO
from test_drf_access import _send as send
from test_drf_writes import basic, built_servers, compare_reads, start_on_copies

PROJECT = REPO / "bench" / "corpus" / "helpdesk"
SEED = r"""
import django; django.setup()
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.core.management import call_command
call_command("migrate", verbosity=0)
from helpdesk.models import FollowUp, FollowUpAttachment, Queue, Ticket
for name, staff, root in (("sam", True, False), ("root", True, True), ("ned", False, False)):
    User.objects.create(username=name, is_staff=staff, is_superuser=root,
                        password=PBKDF2PasswordHasher().encode("pw-" + name, "salt" + name, 1000))
q1, q2 = Queue.objects.create(title="One", slug="one"), Queue.objects.create(title="Two", slug="two")
f1 = FollowUp.objects.create(ticket=Ticket.objects.create(title="a", queue=q1), title="f1")
f2 = FollowUp.objects.create(ticket=Ticket.objects.create(title="b", queue=q2), title="f2")
import datetime
FollowUp.objects.create(ticket=Ticket.objects.get(title="a"), title=None, comment="no files", public=True,
                        user=User.objects.get(username="sam"), new_status=3, message_id="<m@x>",
                        time_spent=datetime.timedelta(days=1, seconds=3723, microseconds=5),
                        email_recipients={"to": ["a@x.org", "é@x.org"], "n": 2.5, "ok": True, "none": None})
FollowUpAttachment.objects.bulk_create([  # save() opens the file: the rows alone
    FollowUpAttachment(followup=f, file=f"helpdesk/attachments/x/{f.id}/{name}", filename=name,
                       mime_type="text/plain", size=size)
    for f, name, size in ((f1, "b.txt", 3), (f2, "a b.pdf", 10), (f1, "c.png", 0))])
"""
A = "/helpdesk/api/followups-attachments"
F = "/helpdesk/api/followups"  # FollowUpSerializer: followupattachment_set, a nested many=True (a query per row)
PATHS = [A + "/", A + "/?page_size=1", A + "/?page_size=1&page=3", A + "/?page=2", A + ".json", A + "/2/",
         A + "/2.json", A + "/999/", A + "/x/",
         F + "/", F + "/?page_size=2&page=2", F + ".json", F + "/1/", F + "/3/", F + "/2.json", F + "/999/"]


@pytest.mark.slow
def test_helpdesk_attachments_equal_drf(tmp_path):
    def check(fw, tree, stdout):
        assert "http: migrated helpdesk.views.api.FollowUpAttachmentViewSet, helpdesk.views.api.FollowUpViewSet, " in stdout

    # the corpus app proves the reading of its code: one build, one dialect; the framework x dialect matrix is on
    # the small projects (test_drf_scoped: its shape, net/http and Fiber, SQLite and PostgreSQL; test_drf_destroy)
    with ThreadPoolExecutor(1) as pool:  # generated and built while Django migrates and seeds the database
        building = pool.submit(built_servers, tmp_path, PROJECT, ("nethttp",), check)
        base, procs, _ = start_on_copies(tmp_path, building, "shell.settings", SEED, {"SECRET_KEY": "x"},
                                         project=PROJECT, probe="/helpdesk/api/")
    try:
        failures, statuses = compare_reads(base, ("sam", "root", "ned", ""), PATHS)
        assert "\n".join(failures) == ""
        staff = [200, 200, 200, 404, 200, 200, 200, 404, 404] + [200] * 6 + [404]
        assert statuses == staff + staff + [403] * 16 + [403] * 16
        page = json.loads(send(base["django"], "GET", A + "/", None, basic("sam"))[2])
        assert (page["count"], [r["filename"] for r in page["results"]]) == (3, ["a b.pdf", "b.txt", "c.png"])
        page = json.loads(send(base["django"], "GET", F + "/", None, basic("sam"))[2])  # the nested lists compared
        assert [[a["filename"] for a in r["followupattachment_set"]] for r in page["results"]] == [
            ["b.txt", "c.png"], ["a b.pdf"], []]
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=10)
