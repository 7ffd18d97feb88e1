"""get_queryset / get_serializer overrides read by partial evaluation (load/drf_queryset), django-helpdesk's shape.

``MyTicketViewSet.get_queryset`` (helpdesk's ``UserTicketViewSet``): ``request.user.email`` as the query's parameter,
``Ticket.objects.none()`` when it is empty; the Go reads djauth's user (the one DRF's authentication found).

tests/projects/drf_scoped: ``NoteViewSet.get_queryset`` goes through ``DeskUser(self.request.user)
.accessible_tickets()`` (helpdesk's ``HelpdeskUser``: superuser, a per-queue setting, staff...) behind
``IsAdminUser``, and its ``get_serializer`` narrows the ``ticket`` relation (``restrict_relation``). With per-queue
permissions off every user the permission class lets in has full access, so the QuerySet is one, whatever the
user; with them on (``api.settings_perqueue``) it depends on the user and the view stays a stub, the value named.
Fast: the loader's reading, exactly. Slow: the Go reads (net/http, Fiber) against DRF on SQLite and
PostgreSQL, as a staff user, a superuser, a signed-in user who is not staff, and anonymously.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from conftest import REPO
from test_drf_access import _send as send
from test_drf_writes import basic, built_servers, compare_reads, start_on_copies

PROJECT = REPO / "tests" / "projects" / "drf_scoped"
DYN = ("Ticket.objects.all()", "desk.Ticket", (), (), "desk.Ticket")
MINE = ("Ticket.objects.filter(submitter_email=user_email)", "desk.Ticket", (), (), "desk.Ticket", ["email"], "email")
USER_VALUE = "request.user as a QuerySet argument is a run-time value (not read yet)"


def _views(*settings: str) -> list[dict]:
    """The loader's reading of the project's views under each settings module (the processes side by side)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), str(PROJECT)]))
    procs = [subprocess.Popen([sys.executable, "-m", "migrator.load.drf_views", ".", "--settings", s], cwd=PROJECT,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for s in settings]
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
        out.append({k: (v["scoped"], v["scoped_model"], tuple(v["unread"]), tuple(v["overrides"]), v["model"])
                    + ((v["scoped_user"], v["scoped_empty_unless"]) if v["scoped_user"] else ())
                    for k, v in json.loads(stdout)["views"].items() if k.startswith("desk.")})
        out[-1].update({k + " sets": v["row_attributes"] for k, v in json.loads(stdout)["views"].items()
                        if v["scoped_sets"] or v["object_sets"]})  # what the model methods run on rows set
        out[-1].update({s["name"]: s["rows"] or s["dynamic_reason"] for s in json.loads(stdout)["serializers"]
                        if s["dynamic"]})  # what the serializers' own __init__ add (load/drf_rowfields)
    return out


BUILT = {"method": "Queue.build_api_field", "column": "permission_name",  # helpdesk's build_api_field shape
         "classes": [["", "CharField"], ["desk.view_all", "EmailField"]],
         "args": [[["*"], "label", "self.title"], [["*"], "required", "False"], [["desk.view_all"], "max_length", "60"],
                  [[""], "allow_blank", "True"]]}


def _rows(source: str) -> dict:
    return {"model": "desk.Queue", "source": source, "order_by": ["title"], "prefix": "queue_", "attr": "title",
            "builder": "Queue.build_api_field", "owner": "QueueFieldsSerializer", "built": BUILT, "built_reason": ""}


LABELS = [{"method": "Ticket.set_labels", "model": "desk.Queue", "source": "Queue.objects.order_by('title')",
           "order_by": ["title"], "prefix": "label_", "attr": "title", "related": "ticketlabel_set",
           "related_model": "desk.TicketLabel", "lookup": "queue", "column": "value", "default": None}]
CUSTOM_ATTRS = [{"method": "Ticket.set_custom_field_values", "model": "desk.CustomField",
                 "source": "CustomField.objects.all()", "order_by": ["ordering", "name"], "prefix": "custom_",
                 "attr": "name", "related": "ticketcustomfieldvalue_set", "related_model": "desk.TicketCustomFieldValue",
                 "lookup": "field", "column": "value", "default": None}]
CUSTOM_BUILT = {"method": "CustomField.build_api_field", "column": "data_type", "classes": [[k, c] for k, c in (
    ("varchar", "CharField"), ("text", "CharField"), ("integer", "IntegerField"), ("decimal", "DecimalField"),
    ("list", "ChoiceField"), ("boolean", "BooleanField"), ("date", "DateField"), ("time", "TimeField"),
    ("datetime", "DateTimeField"), ("email", "EmailField"), ("url", "URLField"), ("ipaddress", "IPAddressField"),
    ("slug", "SlugField"))], "args": [
    [["*"], "label", "self.name"], [["*"], "help_text", "''"], [["*"], "required", "self.required"],
    [["varchar", "text"], "max_length", "self.max_length"], [["decimal"], "decimal_places", "self.decimal_places"],
    [["decimal"], "max_digits", "self.max_length"], [["list"], "choices", "self.get_choices()"]]}


def _custom(source: str) -> dict:
    return {"model": "desk.CustomField", "source": source, "order_by": ["ordering", "name"], "prefix": "custom_",
            "attr": "name", "builder": "CustomField.build_api_field", "owner": "BaseCustomSerializer",
            "built": CUSTOM_BUILT, "built_reason": ""}


SERIALIZERS = {  # and DynamicTicketViewSet's get_queryset runs Ticket.set_labels (helpdesk's set_custom_field_values)
    "desk.views.DynamicTicketViewSet sets": LABELS,
    "desk.views.CustomTicketViewSet": ("Ticket.objects.filter(queue__title='one')", "desk.Ticket", (), (),
                                       "desk.Ticket"),
    "desk.views.StaffCustomTicketViewSet": ("", "", (), (), "desk.Ticket"),  # get_object read: no override left
    "desk.views.CustomTicketViewSet sets": CUSTOM_ATTRS, "desk.views.StaffCustomTicketViewSet sets": CUSTOM_ATTRS,
    "BaseCustomSerializer": _custom("CustomField.objects.all()"),
    "PublicCustomSerializer": _custom("CustomField.objects.all().filter(staff_only=False)"),  # helpdesk's BaseTicketSerializer shape read per class; QueueKeysSerializer's loop is another shape
    "QueueFieldsSerializer": _rows("Queue.objects.order_by('title')"),
    "PublicQueueFieldsSerializer": _rows("Queue.objects.order_by('title').filter(permission_name='')"),
    "QueueKeysSerializer": "QueueKeysSerializer.__init__ does not end with one loop over a QuerySet adding one field"}


METHOD_VIEW = {"desk.views.MethodTicketViewSet": ("", "", (), (), "desk.Ticket")}


@pytest.mark.slow  # the loader runs in its own Django process
def test_get_queryset_read():
    assert _views("api.settings", "api.settings_perqueue") == [{
        "desk.views.NoteViewSet": ("Note.objects.filter(ticket__in=Ticket.objects.filter(Q()))", "desk.Note", (), (),
                                   "desk.Note"),
        "desk.views.MyTicketViewSet": MINE, "desk.views.DynamicTicketViewSet": DYN, **SERIALIZERS, **METHOD_VIEW}, {
        "desk.views.NoteViewSet": ("", "", ("get_queryset: " + USER_VALUE, "get_serializer: " + USER_VALUE),
                                   ("get_queryset", "get_serializer"), "desk.Note"),
        "desk.views.MyTicketViewSet": MINE, "desk.views.DynamicTicketViewSet": DYN, **SERIALIZERS, **METHOD_VIEW}]


SEED = r"""
import django; django.setup()
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.core.management import call_command
call_command("migrate", verbosity=0)
from desk.models import Note, Queue, Ticket
for name, staff, root, email in (("sam", True, False, "sam@x.org"), ("root", True, True, ""),
                                 ("ned", False, False, "ned@x.org")):
    User.objects.create(username=name, is_staff=staff, is_superuser=root, email=email,
                        password=PBKDF2PasswordHasher().encode("pw-" + name, "salt" + name, 1000))
q1, q2 = Queue.objects.create(title="one"), Queue.objects.create(title="two", permission_name="desk.q2")
from desk.models import KBItem  # MethodTicketSerializer: a kbitem or none, each status (9: not a choice), on hold
k1, k2 = KBItem.objects.create(title="How to"), KBItem.objects.create(title='Ünï "<b>"')
more = {"a": dict(kbitem=k1, on_hold=True), "b": dict(status=2), "c": dict(kbitem=k2, status=3), "d": dict(status=9),
        "e": dict(kbitem=k2, status=9, on_hold=True)}  # set at creation: an UPDATE moves PostgreSQL's unordered rows
t1, t2, t3 = (Ticket.objects.create(queue=q, title=t, submitter_email=e, **more[t])  # MyTicketViewSet: each email
              for q, t, e in ((q1, "a", "sam@x.org"), (q2, "b", ""), (q2, "c", "sam@x.org")))
for t, e in (("d", "ned@x.org"), ("e", "SAM@x.org"), ("f", "sam@x.org")):  # root's email is "": .none(), not "b"
    Ticket.objects.create(queue=q1, title=t, submitter_email=e, **more.get(t, {}))
for t, text in ((t1, "zeta"), (t2, "alpha"), (t3, "mid"), (t1, "beta"), (t3, "omega")):
    Note.objects.create(ticket=t, text=text)
from desk.models import CustomField, TicketCustomFieldValue
fields = {}  # helpdesk's custom fields, a DRF field class per data_type (CustomField.build_api_field)
for order, (name, kind, extra) in enumerate((
        ("v", "varchar", {}), ("tx", "text", {}), ("n", "integer", {}), ("dec", "decimal", dict(decimal_places=2,
        max_length=5)), ("raw", "decimal", {}), ("ok", "boolean", {}), ("pick", "list", dict(list_values="a\nb c")),
        ("day", "date", {}), ("at", "time", {}), ("when", "datetime", {}), ("mail", "email", {}), ("site", "url", {}),
        ("ip", "ipaddress", {}), ("tag", "slug", {}), ("secret", "varchar", dict(required=True, staff_only=True)),
        ("hidden", "integer", dict(staff_only=True)))):
    fields[name] = CustomField.objects.create(name=name, data_type=kind, ordering=(order * 7) % 5 or None, **extra)
values = {  # t1: a value of each; d (id 4): the edge texts; e (id 5): NULLs and a few; f (id 6): none
    t1.id: dict(v="hello", tx="", n=" 42 ", dec="3.14159", raw="1.50", ok="Yes", pick="b c", day="2026-03-01",
                at="07:08:09", when="2026-03-01T10:00:00Z", mail="a@x.org", site="http://x.org/a", ip="10.0.0.1",
                tag="a-b", secret="s1", hidden="7"),
    4: dict(v="", n="-0", dec="-0.004", raw="1e3", ok="x", pick="", day="", at="", when="", hidden="1_000"),
    5: dict(v=None, n=None, ok="off", dec=None, secret=None)}
for ticket, named in values.items():
    for name, value in named.items():
        TicketCustomFieldValue.objects.create(ticket_id=ticket, field=fields[name], value=value)
"""
N = "/api/notes"
M = "/api/mine"  # MyTicketViewSet: Ticket.objects.filter(submitter_email=request.user.email), .none() when ""
C, S = "/api/custom", "/api/staffcustom"  # custom_<name> keys (helpdesk's BaseTicketSerializer), list / get_object
CUSTOM = [C + "/", C + "/?page=2", C + ".json", C + "/1/", C + "/4/", C + "/2/", C + "/999/",
          S + "/", S + "/?page=2", S + "/?page=3", S + "/1/", S + "/4.json", S + "/5/", S + "/6/", S + "/999/"]
MT = "/api/methods"  # MethodTicketSerializer: helpdesk's 4 SerializerMethodFields (load/drf_method, drf_method)
METHODS = [MT + "/", MT + "/?page=2", MT + "/?page=3", MT + ".json", MT + "/1/", MT + "/3/", MT + "/4/", MT + "/5.json",
           MT + "/999/"]
PATHS = [N + "/", N + "/?page=2", N + "/?page=3", N + "/?page=9", N + "/?page=x", N + ".json", N + "/2/", N + "/2.json",
         N + "/999/", N + "/x/",
         M + "/", M + "/?page=2", M + ".json", M + "/1/", M + "/2/", M + "/4/", M + "/5.json", M + "/999/", M + "/x/"]


@pytest.fixture(scope="module")
def scoped_servers(tmp_path_factory):
    def check(fw, tree, stdout):
        assert ("http: migrated desk.views.CustomTicketViewSet, desk.views.MethodTicketViewSet, "
                "desk.views.MyTicketViewSet, desk.views.NoteViewSet, "
                "desk.views.StaffCustomTicketViewSet, rest_framework.routers.APIRootView\n") in stdout

    # Gin shares the handler core (test_drf_destroy builds all three)
    return built_servers(tmp_path_factory.mktemp("drf-scoped"), PROJECT, ("nethttp", "fiber"), check)


@pytest.mark.slow
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_scoped_reads_equal_drf(tmp_path, scoped_servers, dialect, request):
    if dialect == "sqlite":
        base, procs, _ = start_on_copies(tmp_path, scoped_servers, "api.settings", SEED, {"SECRET_KEY": "x"},
                                         project=PROJECT, probe="/api/")
    else:
        from test_drf_sample import start_postgresql

        base, procs, _ = start_postgresql(tmp_path, scoped_servers, request.getfixturevalue("postgres_server"),
                                          PROJECT, "api.settings", SEED, "/api/")
    try:
        failures, statuses = compare_reads(base, ("sam", "root", "ned", ""), PATHS)
        assert "\n".join(failures) == ""
        staff = [200, 200, 200, 404, 404, 200, 200, 200, 404, 404]
        sam, root, ned = ([200, 200, 200, 200, 404, 404, 404, 404, 404], [200, 404, 200] + [404] * 6,
                          [200, 404, 200, 404, 404, 200, 404, 404, 404])
        assert statuses == staff + sam + staff + root + [403] * 10 + ned + [403] * 19
        page = json.loads(send(base["django"], "GET", N + "/", None, basic("sam"))[2])
        assert (page["count"], [r["text"] for r in page["results"]]) == (5, ["alpha", "beta"])
        mine = [json.loads(send(base["django"], "GET", M + ".json", None, basic(u))[2]) for u in ("sam", "root", "ned")]
        assert [(p["count"], [r["title"] for r in p["results"]]) for p in mine] == [
            (3, ["a", "c"]), (0, []), (1, ["d"])]
        # QueueKeysSerializer's __init__ adds a key per Queue row: a stub (501), never DRF's answer without them
        dyn = [send(base[side], "GET", "/api/dyn/1/", None, basic("sam")) for side in ("django", "nethttp", "fiber")]
        assert [d[0] for d in dyn] == [200, 501, 501] and set(json.loads(dyn[0][2])) == {"id", "title", "queue_1",
                                                                                         "queue_2"}
        failures, statuses = compare_reads(base, ("sam", "ned", ""), CUSTOM)  # the custom_<name> keys
        assert "\n".join(failures) == ""
        custom = [200] * 5 + [404] * 2  # sam, ned: their list and details (queue "one"); the staff viewset: sam
        # its list runs no set_custom_field_values(): the required custom_secret is DRF's AttributeError, a 500
        assert statuses == custom + [500] * 3 + [200] * 4 + [404] + custom + [403] * 8 + [403] * 15
        one = json.loads(send(base["django"], "GET", S + "/1/", None, basic("sam"))[2])
        # CustomField's order is (ordering, name): NULLs first on SQLite, last on PostgreSQL (the Go's SQL is Django's)
        assert list(one)[:2] == ["id", "title"] and sorted(list(one)[2:]) == sorted(f"custom_{n}" for n in (
            "v", "tx", "n", "dec", "raw", "ok", "pick", "day", "at", "when", "mail", "site", "ip", "tag", "secret",
            "hidden")) and (one["custom_dec"], one["custom_n"], one["custom_ok"]) == ("3.14", 42, True)
        listed = json.loads(send(base["django"], "GET", C + "/?page=2", None, basic("ned"))[2])["results"]
        assert [len(r) for r in listed] == [16, 16] and [r["custom_n"] for r in listed] == [None, None]
        failures, statuses = compare_reads(base, ("sam", ""), METHODS)  # SerializerMethodFields read
        assert "\n".join(failures) == ""
        assert statuses == [200] * 8 + [404] + [403] * 9
        # DRF's own answers, so that the rows seen cover each form: a related row per ticket, a kbitem or none, a
        # choice's label, a status that is not a choice (an int as is, its str() when on hold), can_be_resolved
        rows = json.loads(send(base["django"], "GET", MT + "/?page=2", None, basic("sam"))[2])["results"]
        rows += json.loads(send(base["django"], "GET", MT + "/?page=3", None, basic("sam"))[2])["results"][:1]
        assert rows == [
            {"ticket": "3 [two-3]", "id": 3, "title": "c", "queue": {"title": "two", "id": 2},
             "status": "Réouvert <&> - Open dependencies", "kbitem": 'Ünï "<b>"'},  # its note "mid": exists()
            {"ticket": "4 [one-4]", "id": 4, "title": "d", "queue": {"title": "one", "id": 1}, "status": 9,
             "kbitem": ""},
            {"ticket": "5 [one-5]", "id": 5, "title": "e", "queue": {"title": "one", "id": 1},
             "status": "9 - On Hold", "kbitem": 'Ünï "<b>"'}]
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=10)


# fast: the pure parts (no Django process) ------------------------------------------------------------------------

def _restrict(serializer, field_name, queryset):
    """helpdesk's restrict_relation, cut down: looks the field up, raises, sets its queryset."""
    target = getattr(serializer, "child", serializer)
    field = target.fields.get(field_name)
    if field is None:
        raise ValueError(f"no field {field_name!r}")
    field.queryset = queryset


def _restrict_more(serializer, field_name, queryset):
    field = serializer.fields.get(field_name)
    field.queryset = queryset
    field.label = "x"


def _restrict_calls(serializer, field_name, queryset):
    serializer.fields.get(field_name).queryset = list(queryset)


def test_only_sets_queryset():
    from migrator.load.drf_queryset import Unread
    from migrator.load.drf_serializer_read import _only_sets_queryset

    _only_sets_queryset(_restrict)
    for fn, why in ((_restrict_more, "_restrict_more sets `field.label`"),
                    (_restrict_calls, "_restrict_calls calls `list`")):
        with pytest.raises(Unread) as exc:
            _only_sets_queryset(fn)
        assert str(exc.value) == why


def test_settled_forks_on_open_flags():
    from migrator.load.drf_queryset import Fork, Unread, settled

    def full_access(known):  # helpdesk's has_full_access with per-queue permissions off
        for flag in ("is_superuser", "is_staff"):
            if flag not in known:
                raise Fork(flag)
            if known[flag]:
                return "Q()"
        return "Q(pk__in=[])"

    assert settled(full_access, {"is_staff": True}) == "Q()"  # IsAdminUser: superuser or not, full access
    with pytest.raises(Unread) as exc:
        settled(full_access, {})
    assert str(exc.value) == "the answer depends on request.user.is_staff"


def test_scoped_chain_exact():
    from migrator.ir import Arg, Call, QuerySetSite
    from migrator.load.drf_sites import scoped_chain

    at = QuerySetSite(id="v.py:3:1", file="v.py", line=3, column=1, function="V", model="a.M", root="M.objects",
                      chain=(), kind="static")
    assert scoped_chain("M.objects.filter(t__in=T.objects.filter(Q())).order_by('-id')", at) == (
        Call("filter", (Arg("runtime", "T.objects.filter(Q())", "t__in"),), 3, 1),
        Call("order_by", (Arg("runtime", "'-id'"),), 3, 1))
    assert scoped_chain("M.objects.filter(e=user_email).exclude(e='')", at, ("user_email",)) == (
        Call("filter", (Arg("runtime", "user_email", "e", names=("user_email",)),), 3, 1),  # a run-time parameter
        Call("exclude", (Arg("runtime", "''", "e"),), 3, 1))
    assert scoped_chain("M.objects.filter(e=user_email)", at)[0].args[0].names == ()  # not a parameter unless named
    assert scoped_chain("M.objects.filter(**kw)", at) is None
    assert scoped_chain("helper().filter(a=1)", at) is None


def test_settled_text_fork_empty_guard():
    """``if not email: return M.objects.none()`` then a QuerySet over the email: the QuerySet, .none() under ""."""
    from migrator.load.drf_queryset import QS, Fork, Unread, UserValue, settled

    def mine(known, none=".none()", other=""):
        if "email" not in known:
            raise Fork("email")
        if known["email"] == "":
            return QS("Ticket.objects" + none + other, "desk.Ticket")
        return QS("Ticket.objects.filter(submitter_email=user_email)", "desk.Ticket", ("email",))

    assert isinstance(UserValue("email", known=True), UserValue)
    assert settled(mine, {"is_authenticated": True}) == QS(
        "Ticket.objects.filter(submitter_email=user_email)", "desk.Ticket", ("email",), "email")
    for none, other in ((".all()", ""), (".none()", ".filter(a=1)")):  # not .none() last: another QuerySet
        with pytest.raises(Unread) as exc:
            settled(lambda k: mine(k, none, other), {})
        assert str(exc.value) == "the answer depends on request.user.email"


def _sets_values(self):
    for field in self.fields.all():
        try:
            value = self.values.get(field=field).value
        except KeyError:
            value = None
        setattr(self, f"custom_{field.name}", value)


def _saves(self):
    for field in self.fields.all():
        field.save()


def _sets_attr(self):
    self.cache = self.values.filter(a=1)


def test_only_reads():
    from migrator.load.drf_queryset import Unread, only_reads

    only_reads(_sets_values)  # helpdesk's Ticket.set_custom_field_values
    for fn, why in ((_saves, "_saves calls `field.save`"), (_sets_attr, "_sets_attr sets `self.cache`")):
        with pytest.raises(Unread) as exc:
            only_reads(fn)
        assert str(exc.value) == why


def test_user_value_attribute_not_read():
    """``email.lower()``: a method of the user's run-time value is not read (never the dataclass's own attribute)."""
    from migrator.load.drf_queryset import Reader, Unread, UserValue

    for attr in ("lower", "attr"):
        with pytest.raises(Unread) as exc:
            Reader(object, {}).attribute(UserValue("email"), attr)
        assert str(exc.value) == f".{attr} of a run-time value is not read"


def test_loop_shape_read_or_refused():
    import ast

    from migrator.load.drf_queryset import QS, Reader, Unread

    reader = Reader(object, {})
    for src in ("for t in qs:\n    t.m(1)", "for t in qs:\n    other.m()", "for t in qs:\n    t.m()\n    t.n()"):
        with pytest.raises(Unread) as exc:
            reader.loop(QS("M.objects.all()", "a.M"), ast.parse(src).body[0])
        assert str(exc.value) == f"`{src.splitlines()[0]}` is not read (only `for row in qs: row.method()`)"
    with pytest.raises(Unread):  # a list, not a QuerySet
        reader.loop([1], ast.parse("for t in qs:\n    t.m()").body[0])


def test_scoped_reasons():
    from migrator.ir_drf import DRFView
    from migrator.translate.drf_views import scoped_reasons

    view = DRFView("h.V", "ReadOnlyModelViewSet", scoped="T.objects.filter(e=user_email)", scoped_model="h.Ticket",
                   scoped_user=("email",), scoped_empty_unless="email", scoped_sets=("set_custom_field_values",))
    assert scoped_reasons(view) == [
        "get_queryset runs Ticket.set_custom_field_values() on each row: the attributes it sets are not translated yet"]
    two = DRFView("h.V", "ReadOnlyModelViewSet", scoped="T.objects.filter(e=user_email, n=user_username)",
                  scoped_model="h.Ticket", scoped_user=("email", "username"))
    assert scoped_reasons(two) == ["get_queryset filters by request.user.email, request.user.username: more than one "
                                   "value of the user is not generated yet"]
    assert scoped_reasons(DRFView("h.V", "ModelViewSet", scoped="T.objects.all()", scoped_model="h.Ticket")) == []
    assert scoped_reasons(DRFView("h.V", "ModelViewSet", model="h.Ticket", object_sets=("fill",))) == [
        "get_object runs Ticket.fill() on the row: the attributes it sets are not translated yet"]


def test_user_args_of_the_go_view():
    """The Go list call's argument and the detail's Params fields for a get_queryset over request.user.email."""
    from types import SimpleNamespace as NS

    from migrator.ir_drf import DRFView
    from migrator.translate.drf_handlers import _user_args

    get = NS(struct="MyTicketViewSetTicketGetParams", params=(NS(name="UserEmail"), NS(name="Pk")))
    view = DRFView("d.V", "ReadOnlyModelViewSet", scoped="T.objects.filter(e=user_email)", scoped_model="d.Ticket",
                   scoped_user=("email",), scoped_empty_unless="email")
    assert _user_args(view, get) == dict(list="user.Email", struct="MyTicketViewSetTicketGetParams",
                                         detail="UserEmail: user.Email, Pk: pk")
    assert _user_args(DRFView("d.V", "ModelViewSet", scoped="T.objects.all()"), get) == {}


class _Row:
    def fill(self):
        for field in self.fields.all():
            setattr(self, f"custom_{field.name}", None)

    def touch(self):
        self.save()


class _Sets:
    def get_object(self):
        ticket = super().get_object()
        ticket.fill()
        return ticket


class _Touches:
    def get_object(self):
        obj = super().get_object()
        obj.touch()
        return obj


class _Other:
    def get_object(self):
        return super().get_object()


class _Swaps:
    def get_object(self):
        obj = super().get_object()
        obj.fill()
        return obj.parent


def test_read_get_object():
    """helpdesk's TicketViewSet.get_object: DRF's object, then a model method that only reads, returned."""
    from migrator.load.drf_queryset import Unread
    from migrator.load.drf_serializer_read import read_get_object

    assert read_get_object(_Sets, _Row) == ("fill",)
    for view, why in ((_Touches, "_Row.touch calls `self.save`"),
                      (_Other, "get_object does more than return super().get_object() after calls on it"),
                      (_Swaps, "get_object does more than return super().get_object() after calls on it")):
        with pytest.raises(Unread) as exc:
            read_get_object(view, _Row)
        assert str(exc.value) == why


def test_dynamic_serializer_keeps_its_views_stubs():
    """A serializer whose own __init__ may add fields (drf_scoped's QueueKeysSerializer, helpdesk's
    BaseTicketSerializer) is a rule of its views: answering only the declared keys would differ from DRF."""
    from dataclasses import replace

    from migrator.ir_drf import DRFView, FieldBuilder, RowFields, Serializer, SerializerField
    from migrator.load.drf import _own_init
    from migrator.translate.drf_views import view_reasons

    class Keys:  # a project serializer with its own __init__
        def __init__(self):
            pass

    drf_own = type("Plain", (), {"__init__": lambda self: None, "__module__": "rest_framework.serializers"})
    assert (_own_init(type("Sub", (Keys,), {})), _own_init(drf_own), _own_init(type("Sub", (drf_own,), {}))) == (
        "test_dynamic_serializer_keeps_its_views_stubs.<locals>.Keys", "", "")
    field = SerializerField("id", "value", "IntegerField", "id", "AutoField", read_only=True)
    ser = Serializer("QueueKeysSerializer", "desk.views.QueueKeysSerializer", "desk.Ticket", (field,), dynamic="Keys",
                     dynamic_reason="why")
    view = DRFView("desk.views.V", "ReadOnlyModelViewSet", serializer=ser.dotted, model="desk.Ticket")
    assert view_reasons(view, {ser.dotted: ser}) == [
        "serializer QueueKeysSerializer: Keys.__init__ may add fields at run time (not read: why)"]
    rows = RowFields("helpdesk.CustomField", "CustomField.objects.all()", ("ordering",), "custom_", "name",
                     "CustomField.build_api_field", "Base")
    read = Serializer(ser.name, ser.dotted, ser.model, (field,), dynamic="Base", rows=rows)
    assert view_reasons(view, {ser.dotted: read}) == [  # the builder not read: still a rule
        "serializer QueueKeysSerializer: Base.__init__ adds custom_<name> per row of CustomField.objects.all(), "
        "ordered by ordering (read); the value of each, rendered by the field CustomField.build_api_field() builds "
        "(not read: ), is not generated"]
    built = FieldBuilder("CustomField.build_api_field", "data_type", (("text", "CharField"), ("integer", "IntegerField")))
    read = Serializer(ser.name, ser.dotted, ser.model, (field,), dynamic="Base", rows=replace(rows, built=built))
    assert view_reasons(view, {ser.dotted: read}) == []  # both read: generated (translate/drf_rowkeys)
    assert view_reasons(view, {ser.dotted: Serializer(ser.name, ser.dotted, ser.model, (field,))}) == []
