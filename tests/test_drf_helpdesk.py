"""django-helpdesk's FollowUpAttachmentViewSet, FollowUpViewSet and UserTicketViewSet (bench/corpus/helpdesk) against
DRF, signed in.

UserTicketViewSet's PublicTicketListingSerializer has 4 SerializerMethodFields read into value trees
(load/drf_method) and generated (translate/drf_method): the queue's row per ticket, a kbitem or none, get_status
with can_be_resolved's exists() per ticket; its list filters by request.user.email.

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
# UserTicketViewSet (request.user.email): sam's 2 tickets (a kbitem, on hold, an open dependency; a closed status with
# an open dependency), ned's 1; root has no email (.none()); a custom field non-staff users see, one they do not
from helpdesk.models import CustomField, KBCategory, KBItem, TicketCustomFieldValue, TicketDependency
User.objects.filter(username="sam").update(email="sam@x.org")
User.objects.filter(username="ned").update(email="ned@x.org")
kb = KBItem.objects.create(category=KBCategory.objects.create(name="c", title="C", slug="c", description="d"),
                           title='How "<to>"', question="q", answer="a")
t3 = Ticket.objects.create(title="c", queue=q1, submitter_email="sam@x.org", kbitem=kb, on_hold=True)
t4 = Ticket.objects.create(title="d", queue=q2, submitter_email="sam@x.org", status=Ticket.CLOSED_STATUS)
t5 = Ticket.objects.create(title="e", queue=q1, submitter_email="ned@x.org", status=Ticket.REOPENED_STATUS)
TicketDependency.objects.create(ticket=t3, depends_on=t5)
TicketDependency.objects.create(ticket=t4, depends_on=t5)
TicketDependency.objects.create(ticket=t5, depends_on=t4)  # a closed one: t5 can be resolved
v = CustomField.objects.create(name="v", label="V", data_type="varchar", max_length=20, ordering=1)
CustomField.objects.create(name="s", label="S", data_type="integer", staff_only=True, ordering=2)
TicketCustomFieldValue.objects.create(ticket=t3, field=v, value="hello")
"""
A = "/helpdesk/api/followups-attachments"
F = "/helpdesk/api/followups"  # FollowUpSerializer: followupattachment_set, a nested many=True (a query per row)
U = "/helpdesk/api/user_tickets"  # UserTicketViewSet: its 4 SerializerMethodFields (load/drf_method, drf_method)
USER = [U + "/", U + "/?page_size=1&page=2", U + ".json", U + "/3/", U + "/4.json", U + "/5/", U + "/999/"]
PATHS = [A + "/", A + "/?page_size=1", A + "/?page_size=1&page=3", A + "/?page=2", A + ".json", A + "/2/",
         A + "/2.json", A + "/999/", A + "/x/",
         F + "/", F + "/?page_size=2&page=2", F + ".json", F + "/1/", F + "/3/", F + "/2.json", F + "/999/"]


@pytest.mark.slow
def test_helpdesk_attachments_equal_drf(tmp_path):
    def check(fw, tree, stdout):
        assert "http: migrated helpdesk.views.api.FollowUpAttachmentViewSet, helpdesk.views.api.FollowUpViewSet, " \
               "helpdesk.views.api.UserTicketViewSet, " in stdout

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
        failures, statuses = compare_reads(base, ("sam", "root", "ned", ""), USER)
        assert "\n".join(failures) == ""
        assert statuses == [200] * 5 + [404] * 2 + [200, 404, 200] + [404] * 4 + [200, 404, 200, 404, 404, 200, 404] \
            + [403] * 7
        mine = json.loads(send(base["django"], "GET", U + "/", None, basic("sam"))[2])["results"]
        assert [{k: r[k] for k in ("ticket", "queue", "status", "kbitem", "custom_v")} for r in mine] == [
            {"ticket": "4 [two-4]", "queue": {"title": "Two", "id": 2}, "status": "Closed - Open dependencies",
             "kbitem": "", "custom_v": None},
            {"ticket": "3 [one-3]", "queue": {"title": "One", "id": 1}, "status": "Open - On Hold - Open dependencies",
             "kbitem": 'How "<to>"', "custom_v": "hello"}]
        ned = json.loads(send(base["django"], "GET", U + "/5/", None, basic("ned"))[2])
        assert (ned["status"], "custom_v" in ned) == ("Reopened", False)  # the detail runs no set_custom_field_values
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=10)
