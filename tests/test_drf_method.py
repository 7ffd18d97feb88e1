"""A SerializerMethodField's method read into a value tree (load/drf_method), never run: fast tables over a model
table standing in for Django's registry (helpdesk's PublicTicketListingSerializer forms, and their near misses)."""

from __future__ import annotations

import pytest

from migrator.load.drf_method import read_method, related_rows
from migrator.load.drf_queryset import Unread

TICKET_FOR_URL = '@property\ndef ticket_for_url(self):\n    return f"{self.queue.slug}-{self.id}"\n'
def _property(name: str) -> str:
    """A property's source in tests/projects/drf_scoped's Ticket (helpdesk's get_status / can_be_resolved shape)."""
    import ast
    import textwrap

    from conftest import REPO

    text = (REPO / "tests" / "projects" / "drf_scoped" / "desk" / "models.py").read_text()
    ticket = next(n for n in ast.parse(text).body if isinstance(n, ast.ClassDef) and n.name == "Ticket")
    fn = next(n for n in ticket.body if isinstance(n, ast.FunctionDef) and n.name == name)
    return textwrap.dedent("    @property\n" + ast.get_source_segment(text, fn, padded=True))


# helpdesk's Ticket.get_status, whose can_be_resolved runs a query per object
GET_STATUS = _property("get_status")
CAN_BE_RESOLVED = _property("can_be_resolved")
COLUMNS = {("t.Ticket", "id"): ("int", False), ("t.Ticket", "title"): ("str", False),
           ("t.Ticket", "note"): ("str", True), ("t.Ticket", "status"): ("int", False),
           ("t.Ticket", "on_hold"): ("bool", False), ("t.Queue", "id"): ("int", False),
           ("t.Queue", "title"): ("str", False), ("t.Queue", "slug"): ("str", False),
           ("t.Item", "title"): ("str", False)}
FKS = {("t.Ticket", "queue"): ("t.Queue", False), ("t.Ticket", "kbitem"): ("t.Item", True)}
PROPS = {("t.Ticket", "ticket"): '@property\ndef ticket(self):\n    """Doc."""\n    return f"[{self.ticket_for_url}]"\n',
         ("t.Ticket", "ticket_for_url"): TICKET_FOR_URL,
         ("t.Ticket", "loop"): "@property\ndef loop(self):\n    return self.loop\n",
         ("t.Ticket", "busy"): "@property\ndef busy(self):\n    x = len(self.title)\n    return x\n",
         ("t.Ticket", "get_status"): GET_STATUS, ("t.Ticket", "can_be_resolved"): CAN_BE_RESOLVED}
CHOICES = {("t.Ticket", "status"): [[1, "Open"], [2, "Closed"]]}


class _Models:
    def column(self, model, attr):
        return COLUMNS.get((model, attr))

    def foreign_key(self, model, attr):
        return FKS.get((model, attr))

    def prop(self, model, attr):
        return (PROPS[(model, attr)], "t.models") if (model, attr) in PROPS else None

    def model_named(self, module, name):
        return {"Note": "t.Note"}.get(name) if module == "t.models" else None

    def constant(self, module, dotted):
        return "('beta', 'mid')" if (module, dotted) == ("t.models", "Ticket.OPEN_NOTES") else None

    def gettext(self, module, name, text):
        return {"On Hold": "En attente"}.get(text, text) if (module, name) == ("t.models", "_") else None

    def choices(self, model, attr):
        return CHOICES.get((model, attr))


def _read(body: str):
    return read_method(f"def get_x(self, obj):\n    {body}\n", "t.Ticket", _Models())


QUEUE = ["col", ["queue", "slug"], "str", False]
ID = ["col", ["id"], "int", False]


@pytest.mark.parametrize("body, want", [
    ('return obj.title', ["col", ["title"], "str", False]),
    ('return str(obj.id) + " " + obj.ticket',  # helpdesk's get_ticket: the properties read in place
     ["concat", [["str", ID], ["const", " "], ["const", "["], QUEUE, ["const", "-"], ["str", ID], ["const", "]"]]]),
    ('return {"title": obj.queue.title, "id": obj.queue.id}',  # helpdesk's get_queue
     ["dict", [["title", ["col", ["queue", "title"], "str", False]], ["id", ["col", ["queue", "id"], "int", False]]]]),
    ('return obj.kbitem.title if obj.kbitem else ""',  # helpdesk's get_kbitem
     ["if", ["fk", "kbitem"], ["col", ["kbitem", "title"], "str", False], ["const", ""]]),
    ('if obj.kbitem:\n        return obj.kbitem.title\n    return "none"',
     ["if", ["fk", "kbitem"], ["col", ["kbitem", "title"], "str", False], ["const", "none"]]),
    ('if obj.kbitem:\n        return obj.kbitem.title\n    else:\n        return obj.title',
     ["if", ["fk", "kbitem"], ["col", ["kbitem", "title"], "str", False], ["col", ["title"], "str", False]]),
    ('return obj.get_status_display()', ["display", "status", [[1, "Open"], [2, "Closed"]]]),
    ('return obj.get_status_display() + "!"', None),  # an int outside the choices: TypeError
    ('return f"{obj.note}!"', ["concat", [["str", ["col", ["note"], "str", True]], ["const", "!"]]]),  # str(None)
    ('return f"{obj.title}"', ["concat", [["col", ["title"], "str", False]]]),
    # get_status without its query: local names, gettext in the property's module, an if block of assignments
    ('s = obj.get_status_display()\n    if obj.on_hold:\n        s = f"{s} - {h}"\n    return s',
     None),  # h: not a name of the method
    ('return obj.kbitem.title if not obj.kbitem else ""', None),  # `not`: no row proven, AttributeError
])
def test_read(body, want):
    if want is None:
        with pytest.raises(Unread):
            _read(body)
    else:
        assert _read(body) == want


DISPLAY = ["display", "status", [[1, "Open"], [2, "Closed"]]]


def test_status_without_its_query():
    src = GET_STATUS.replace("    if not self.can_be_resolved:\n        status = f\"{status} - {dep_msg}\"\n", "")
    assert src != GET_STATUS
    PROPS[("t.Ticket", "plain_status")] = src.replace("def get_status", "def plain_status")
    try:
        tree = _read("return obj.plain_status")
    finally:
        del PROPS[("t.Ticket", "plain_status")]
    on_hold = ["col", ["on_hold"], "bool", False]
    # a display may be an int (a value outside the choices): str() of it in the f-string
    assert tree == ["if", ["truth", on_hold], ["concat", [["str", DISPLAY], ["const", " - "], ["const", "En attente"]]],
                    DISPLAY]


def test_status_with_its_query():
    """helpdesk's get_status: can_be_resolved's exists(), a query per object, the object's pk its parameter."""
    queries = []
    tree = read_method("def get_x(self, obj):\n    return obj.get_status\n", "t.Ticket", _Models(), "", None, queries)
    on_hold = ["col", ["on_hold"], "bool", False]
    held = ["if", ["truth", on_hold], ["concat", [["str", DISPLAY], ["const", " - "], ["const", "En attente"]]], DISPLAY]
    assert tree == ["if", ["not", ["truth", ["bool", ["not", ["truth", ["exists", 0]]]]]],
                    ["concat", [["str", held], ["const", " - "], ["const", "Open dependencies"]]], held]
    assert queries == [["t.Note", "Note.objects.filter(ticket=instance_id).filter(text__in=('beta', 'mid'))"]]


@pytest.mark.parametrize("prop, why", [
    ("return Note.objects.filter(ticket=self).exists() if self.on_hold else self.on_hold",
     "a query in a conditional branch"),  # Python runs it only when taken
    ("return Other.objects.filter(ticket=self).exists()", "runs a query"),  # not a model of the module
    ("return Note.objects.filter(n=len(self.title)).exists()", r"argument 'len\(self.title\)' is not read"),
    ("return Note.objects.filter(ticket=self).count()", "count.. is not read"),
    ("qs = Note.objects.filter(ticket=self)\n    return qs", "the QuerySet qs as a value"),
])
def test_queries_refused(prop, why):
    PROPS[("t.Ticket", "q")] = f"@property\ndef q(self):\n    {prop}\n"
    try:
        with pytest.raises(Unread, match=why):
            _read("return obj.q")
    finally:
        del PROPS[("t.Ticket", "q")]


@pytest.mark.parametrize("body, why", [
    ('if obj.on_hold:\n        s = "x"\n    return s', "s is set in one branch only"),
    ('s = _("x")\n    return s', r"the call _\('x'\) is not read"),  # the method's module ("") names no gettext
    ('a.b = obj.title\n    return ""', "is not read"),
    ('s = obj.title\n    s += "x"\n    return s', "is not read"),
])
def test_statements_refused(body, why):
    with pytest.raises(Unread, match=why):
        _read(body)


@pytest.mark.parametrize("body, why", [
    ('return obj.kbitem.title', "obj.kbitem may be None"),  # not guarded: Python's AttributeError
    ('return obj.id + " "', "not two texts"),  # int + str: TypeError
    ('return obj.note + "!"', "not two texts"),  # a nullable text: None + str
    ('return obj.loop', "properties nested past"),
    ('return obj.busy', "the property Ticket.busy: the call len(self.title) is not read"),
    ('return obj.missing', "obj.missing is not a column or a property read"),
    ('return obj.queue.nope', "is not a column of t.Queue"),
    ('return f"{obj.id!r}"', "conversion or format"),
    ('return f"{obj.id:>4}"', "conversion or format"),
    ('return {1: obj.title}', "keys are not text literals"),
    ('return obj.title if obj.queue else ""', "a foreign key that is never None"),  # never None: no branch to decide
    ('return obj.get_title_display()', "is not read"),  # no choices
    ('return len(obj.title)', "is not read"),
    ('pass', "is not read"),
    ('if obj.kbitem:\n        return obj.title\n    else:\n        return ""\n    return "x"', "statements after an if"),
])
def test_refused(body, why):
    with pytest.raises(Unread, match=why.replace("(", r"\(").replace(")", r"\)")):
        _read(body)


def test_not_a_method():
    with pytest.raises(Unread, match="not a plain method"):
        read_method("def get_x(obj):\n    return obj.title\n", "t.Ticket", _Models())
    with pytest.raises(Unread, match="not readable"):
        read_method("def get_x(self, obj):\n  return (", "t.Ticket", _Models())


@pytest.mark.parametrize("body, want", [
    ('return str(obj.id) + " " + obj.ticket', ["queue"]),
    ('return obj.kbitem.title if obj.kbitem else obj.queue.title', ["kbitem", "queue"]),  # the test is read first
    ('return {"a": obj.queue.title, "b": obj.queue.id}', ["queue"]),  # one query per object, cached after
    ('return obj.title', []),
])
def test_related_rows(body, want):
    assert related_rows(_read(body)) == want


# the Go of a read tree (translate/drf_method), exact, on a row and related rows as the store declares them ----------

def _go(tree, name="F"):
    from types import SimpleNamespace

    from migrator.translate.drf_method import MethodGo

    row = [("ID", "int64", "id"), ("Title", "string", "title"), ("Note", "*string", "note"), ("Hits", "*int32", "hits"),
           ("OnHold", "bool", "on_hold"), ("Status", "int32", "status"), ("QueueID", "int64", "queue_id"),
           ("KbitemID", "*int64", "kbitem_id")]
    queue = (SimpleNamespace(name="QueueGet", row="Queue"), [("ID", "int64", "id"), ("Title", "string", "title")],
             ("QueueID", "int64"))
    kb = (SimpleNamespace(name="ItemGet", row="Item"), [("Title", "string", "title")], ("KbitemID", "*int64"))
    return MethodGo(row, {"queue": queue, "kbitem": kb}).field(name, "f", tree)


FETCH_QUEUE = ["relQueue, err := s.Store.QueueGet(ctx, int64(row.QueueID))", "if err != nil {\n\t\treturn item, err\n\t}"]
FETCH_KB = ("var relKbitem *Item\n\tif row.KbitemID != nil {\n\t\tr, err := s.Store.ItemGet(ctx, int64(*row.KbitemID))\n"
            "\t\tif err != nil {\n\t\t\treturn item, err\n\t\t}\n\t\trelKbitem = &r\n\t}")


@pytest.mark.parametrize("tree, line, stmts", [
    (["col", ["title"], "str", False], 'F string `json:"f"`', ["item.F = row.Title"]),
    (["col", ["note"], "str", True], 'F *string `json:"f"`', ["item.F = row.Note"]),  # None: null
    (["col", ["hits"], "int", True], 'F *int64 `json:"f"`', ["item.F = drfjson.IntPtr(row.Hits)"]),
    (["concat", [["str", ["col", ["id"], "int", False]], ["const", ' "é"\n'], ["str", ["col", ["on_hold"], "bool", False]]]],
     'F string `json:"f"`', ['item.F = strconv.FormatInt(int64(row.ID), 10) + " \\"é\\"\\n" + drfjson.PyBool(row.OnHold)']),
    (["str", ["col", ["note"], "str", True]], 'F string `json:"f"`',  # str(None) is "None"
     ['item.F = func() string {\n\t\tif row.Note == nil {\n\t\t\treturn "None"\n\t\t}\n\t\treturn *row.Note\n\t}()']),
    (["dict", [["title", ["col", ["queue", "title"], "str", False]], ["id", ["col", ["queue", "id"], "int", False]]]],
     'F struct {\n\t\tTitle string `json:"title"`\n\t\tID int64 `json:"id"`\n\t} `json:"f"`',
     FETCH_QUEUE + ['item.F = struct {\n\t\tTitle string `json:"title"`\n\t\tID int64 `json:"id"`\n\t}'
                    '{Title: relQueue.Title, ID: int64(relQueue.ID)}']),
    (["if", ["fk", "kbitem"], ["col", ["kbitem", "title"], "str", False], ["const", ""]], 'F string `json:"f"`',
     [FETCH_KB, 'item.F = func() string {\n\t\tif relKbitem != nil {\n\t\t\treturn relKbitem.Title\n\t\t}\n\t\t'
                'return ""\n\t}()']),
    (["if", ["not", ["truth", ["col", ["title"], "str", False]]], ["const", "-"], ["col", ["id"], "int", False]],
     'F any `json:"f"`',  # the branches' types differ: any
     ['item.F = func() any {\n\t\tif !(row.Title != "") {\n\t\t\treturn "-"\n\t\t}\n\t\treturn int64(row.ID)\n\t}()']),
    (["display", "status", [[1, "Open"], [2, "Réouvert"]]], 'F any `json:"f"`',  # not a choice: the int itself
     ['item.F = func() any {\n\t\tswitch int64(row.Status) {\n\t\tcase 1:\n\t\t\treturn "Open"\n\t\tcase 2:\n\t\t\t'
      'return "Réouvert"\n\t\t}\n\t\treturn int64(row.Status)\n\t}()']),
    (["concat", [["display", "status", [[1, "Open"]]]]], 'F string `json:"f"`',  # in a text: str() of it
     ['item.F = func() string {\n\t\tswitch int64(row.Status) {\n\t\tcase 1:\n\t\t\treturn "Open"\n\t\t}\n\t\t'
      'return strconv.FormatInt(int64(row.Status), 10)\n\t}()']),
])
def test_go(tree, line, stmts):
    assert _go(tree) == (line, stmts)


def test_go_fetches_each_related_row_once_in_first_use_order():
    from types import SimpleNamespace

    from migrator.translate.drf_method import MethodGo

    row = [("QueueID", "int64", "queue_id"), ("KbitemID", "*int64", "kbitem_id")]
    go = MethodGo(row, {"queue": (SimpleNamespace(name="QueueGet", row="Queue"), [("Title", "string", "title")],
                                  ("QueueID", "int64")),
                        "kbitem": (SimpleNamespace(name="ItemGet", row="Item"), [("Title", "string", "title")],
                                   ("KbitemID", "*int64"))})
    title = ["col", ["queue", "title"], "str", False]
    kb = ["if", ["fk", "kbitem"], ["col", ["kbitem", "title"], "str", False], title]
    first, second, third = go.field("A", "a", title), go.field("B", "b", kb), go.field("C", "c", title)
    assert first[1][:2] == FETCH_QUEUE and second[1][0] == FETCH_KB and len(second[1]) == 2 and len(third[1]) == 1


@pytest.mark.parametrize("tree, why", [
    (["dict", [["a b", ["const", "x"]]]], "the dict key 'a b'"),
    (["dict", [["a", ["const", "x"]], ["a", ["const", "y"]]]], "the dict key 'a'"),  # Python keeps one key
    (["display", "status", [[1, "Open"], ["2", "Closed"]]], "not all texts or all integers"),
    (["display", "hits", [[1, "Open"]]], "nullable column"),
    (["col", ["queue", "slug"], "str", False], "no column queue.slug"),
    (["col", ["user", "name"], "str", False], "no sqlc query of the related row user"),
])
def test_go_refused(tree, why):
    from migrator.translate.drf_method import NotTranslated

    with pytest.raises(NotTranslated, match=why):
        _go(tree)
