"""DRF serializers -> Go response types: table tests on tiny in-memory IR, the loader on helpdesk's real
serializers, and (slow) the rendered Go compiled and marshalled in DRF's key order."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, go
from migrator.ir_drf import DRFSettings, Serializer, SerializerField as F
from migrator.translate.drf_types import go_structs, struct_names

TZ = DRFSettings()
NAIVE = DRFSettings(use_tz=False)

# (field, settings) -> (Go type, format, stub?)
CASES = [
    (F("id", "value", "IntegerField", internal_type="AutoField"), TZ, ("int64", "", False)),
    (F("name", "value", "CharField", internal_type="CharField"), TZ, ("string", "", False)),
    (F("note", "value", "CharField", internal_type="TextField", null=True), TZ, ("*string", "", False)),
    (F("price", "value", "DecimalField", internal_type="DecimalField", decimal_places=2), TZ,
     ("string", "drfjson.Decimal({v}.String(), 2)", False)),
    (F("price", "value", "DecimalField", internal_type="DecimalField", decimal_places=2, coerce_to_string=False),
     TZ, ("json.Number", "drfjson.Decimal({v}.String(), 2)", False)),
    (F("at", "value", "DateTimeField", internal_type="DateTimeField", format="iso-8601"), TZ,
     ("string", "drfjson.DateTime({v}, loc)", False)),
    (F("at", "value", "DateTimeField", internal_type="DateTimeField", format="iso-8601"), NAIVE,
     ("string", "drfjson.NaiveDateTime({v})", False)),
    (F("at", "value", "DateTimeField", internal_type="DateTimeField", format="none"), TZ, ("any", "", True)),
    (F("day", "value", "DateField", internal_type="DateField", format="iso-8601", null=True), TZ,
     ("*string", "drfjson.Date({v}.Time())", False)),
    (F("sku", "value", "UUIDField", internal_type="UUIDField", format="hex"), TZ,
     ("string", 'drfjson.UUID({v}.String(), "hex")', False)),
    (F("status", "value", "ChoiceField", internal_type="PositiveSmallIntegerField"), TZ, ("int64", "", False)),
    (F("kind", "value", "ChoiceField", internal_type="CharField"), TZ, ("string", "", False)),
    (F("w", "value", "FloatField", internal_type="FloatField", null=True), TZ, ("*drfjson.Float", "", False)),
    (F("attrs", "value", "JSONField", internal_type="JSONField", null=True), TZ, ("json.RawMessage", "", False)),
    (F("big", "value", "BigIntegerField", internal_type="BigAutoField", coerce_to_string=False), TZ,
     ("int64", "", False)),
    (F("big", "value", "BigIntegerField", internal_type="BigIntegerField", coerce_to_string=True), TZ,
     ("string", "strconv.FormatInt({v}, 10)", False)),
    (F("on", "value", "BooleanField", internal_type="BooleanField"), TZ, ("bool", "", False)),
    (F("category", "pk", "PrimaryKeyRelatedField", internal_type="BigAutoField", null=True), TZ, ("*int64", "", False)),
    (F("tags", "pk", "ManyRelatedField", internal_type="AutoField", many=True), TZ, ("[]int64", "", False)),
    (F("owner", "pk", "PrimaryKeyRelatedField", internal_type="UUIDField"), TZ,
     ("string", 'drfjson.UUID({v}.String(), "hex_verbose")', False)),
    (F("tags", "slug", "ManyRelatedField", many=True, slug_field="slug"), TZ, ("[]string", "", False)),
    (F("spent", "value", "DurationField", internal_type="DurationField"), TZ,
     ("string", "drfjson.Duration({v}.Microseconds())", False)),  # duration_string
    (F("f", "value", "FileField", internal_type="FileField", format="url:/media/"), TZ,
     ("*string", 'drfjson.FileURL(host, "/media/", {v})', False)),  # build_absolute_uri(storage.url(name)), null if ""
    (F("f", "value", "ImageField", internal_type="FileField", format="name", null=True), TZ,
     ("*string", "drfjson.FileName({v})", False)),  # use_url off: the name (never **string)
    (F("total", "method", "SerializerMethodField", python="def get_total(self, o):\n    return 1\n"), TZ,
     ("any", "", True)),
    (F("lines", "nested", "ListSerializer", many=True, serializer="app.s.LineSerializer"), TZ,
     ("[]LineSerializer", "", False)),
    (F("line", "nested", "LineSerializer", null=True, serializer="app.s.LineSerializer"), TZ,
     ("*LineSerializer", "", False)),
    (F("other", "nested", "ListSerializer", many=True, serializer="app.s.PlainSerializer"), TZ, ("any", "", True)),
]


@pytest.mark.parametrize("field,settings,expected", CASES, ids=[f"{c[0].name}-{c[0].drf_class}" for c in CASES])
def test_field_go_type(field, settings, expected):
    line = Serializer("LineSerializer", "app.s.LineSerializer", "app.Line")
    structs, _ = go_structs((Serializer("S", "app.s.S", "app.M", (field,)), line), settings)
    (got,) = next(s for s in structs if s.name == "S").fields
    assert (got.go_type, got.format, bool(got.stub)) == expected
    assert got.json == field.name


def test_order_kept_write_only_dropped_stubs_reported():
    s = Serializer("S", "app.s.S", "app.M", (
        F("b", "value", "CharField", internal_type="CharField"),
        F("password", "stub", "CharField", write_only=True, reason="write_only"),
        F("a", "method", "SerializerMethodField", python="def get_a(self, o):\n    return 1\n"),
        F("a_", "value", "CharField", internal_type="CharField")), "app/s.py", 3)
    (st,), diags = go_structs((s,), TZ)
    assert [(f.json, f.name) for f in st.fields] == [("b", "B"), ("a", "A"), ("a_", "A2")]
    assert [d.render() for d in diags] == [
        "app/s.py:3:1: info[DRF_FIELD_STUB]: S.a: SerializerMethodField: port the Python method"]
    assert st.fields[1].python.startswith("def get_a")


def test_struct_names_numbered_on_collision():
    sers = (Serializer("ItemSerializer", "b.api.ItemSerializer", "b.Item"),
            Serializer("ItemSerializer", "a.api.ItemSerializer", "a.Item"))
    assert struct_names(sers) == {"a.api.ItemSerializer": "ItemSerializer", "b.api.ItemSerializer": "ItemSerializer2"}


HELPDESK_SCRIPT = r"""
import json, os, sys
sys.path.insert(0, os.getcwd())
os.environ["DJANGO_SETTINGS_MODULE"] = "shell.settings"
import django; django.setup()
from migrator.load.drf import read_serializers
sers, diags = read_serializers(os.getcwd(), ["helpdesk"])
print(json.dumps({"sers": {s.name: [[f.name, f.kind, f.drf_class, f.null, f.many] for f in s.fields] for s in sers},
                  "diags": sorted(d.code + " " + d.message.split(":")[0] for d in diags),
                  "managers": sorted(f"{s.name}.{f.name}" for s in sers for f in s.fields if f.related_manager),
                  "read": sorted(f"{s.name}.{f.name} {f.kind} {f.source}" for s in sers for f in s.fields
                                 if f.python and f.kind not in ("method", "expr")),
                  "trees": {f"{s.name}.{f.name}": json.loads(f.expr) for s in sers for f in s.fields if f.kind == "expr"},
                  "unread": {f"{s.name}.{f.name}": f.reason for s in sers for f in s.fields if f.kind == "method"},
                  "queries": sorted({q for s in sers for f in s.fields for q in f.row_queries})}))
"""


@pytest.mark.slow
def test_loader_reads_helpdesk_serializers():
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", HELPDESK_SCRIPT], cwd=REPO / "bench" / "corpus" / "helpdesk",
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert sorted(got["sers"]) == ["DatatablesTicketSerializer", "FollowUpAttachmentSerializer", "FollowUpSerializer",
                                   "PublicTicketListingSerializer", "TicketSerializer", "UserSerializer"]
    assert got["sers"]["FollowUpSerializer"] == [
        ["id", "value", "IntegerField", False, False], ["ticket", "pk", "PrimaryKeyRelatedField", False, False],
        ["user", "pk", "PrimaryKeyRelatedField", True, False], ["title", "value", "CharField", True, False],
        ["comment", "value", "CharField", True, False], ["public", "value", "BooleanField", False, False],
        ["new_status", "value", "ChoiceField", True, False], ["time_spent", "value", "DurationField", True, False],
        ["attachments", "stub", "ListField", False, False],
        ["followupattachment_set", "nested", "ListSerializer", False, True],
        ["date", "value", "DateTimeField", False, False], ["message_id", "value", "CharField", True, False],
        ["email_recipients", "value", "JSONField", True, False]]
    assert got["diags"] == ["DRF_DYNAMIC_FIELDS PublicTicketListingSerializer",
                            "DRF_DYNAMIC_FIELDS TicketSerializer"]
    # the related managers DRF calls .all() on (a reverse foreign key to the pk): a query per object
    assert got["managers"] == ["FollowUpSerializer.followupattachment_set", "TicketSerializer.followup_set"]
    # the SerializerMethodFields that return a column as is (get_submitter: obj.submitter_email); 14 others stay stubs
    assert got["read"] == ["DatatablesTicketSerializer.submitter value submitter_email",
                           "PublicTicketListingSerializer.submitter value submitter_email"]
    # the methods read into value trees (load/drf_method), the model's properties read in place: through the real
    # helpdesk models, so a change of what Django reports (a column's type, the properties' source) shows here
    pid, queue = ["col", ["id"], "int", False], lambda c, t: ["col", ["queue", c], t, False]
    trees = {"ticket": ["concat", [["str", pid], ["const", " "], ["const", "["], queue("slug", "str"), ["const", "-"],
                                   ["str", pid], ["const", "]"]]],
             "queue": ["dict", [["title", queue("title", "str")], ["id", queue("id", "int")]]],
             "kbitem": ["if", ["fk", "kbitem"], ["col", ["kbitem", "title"], "str", False], ["const", ""]]}
    # get_status: the display, " - On Hold" (gettext_lazy in LANGUAGE_CODE), can_be_resolved's exists() per ticket
    status = got["trees"].pop("PublicTicketListingSerializer.status")
    assert got["trees"].pop("DatatablesTicketSerializer.status") == status
    assert got["trees"] == {f"{s}.{k}": v for s in ("DatatablesTicketSerializer", "PublicTicketListingSerializer")
                            for k, v in trees.items()}
    assert status[:2] == ["if", ["not", ["truth", ["bool", ["not", ["truth", ["exists", 0]]]]]]] \
        and status[2][1][1:] == [["const", " - "], ["const", "Open dependencies"]] and "On Hold" in json.dumps(status)
    assert got["queries"] == ["helpdesk.TicketDependency=TicketDependency.objects.filter(ticket=instance_id)"
                              ".filter(depends_on__status__in=(1, 2))"]
    assert sorted(got["unread"]) == [f"DatatablesTicketSerializer.{f}" for f in (
        "assigned_to", "last_followup", "priority_badge_class", "row_class", "status_badge_class", "time_spent")]


GO_MAIN = """package main

import (
	"encoding/json"
	"fmt"

	"drfcheck/serializers"
)

func main() {
	b, err := json.Marshal(serializers.S{Lines: []serializers.LineSerializer{{}}})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
}
"""


@pytest.mark.slow
def test_rendered_structs_build_and_keep_drf_key_order(tmp_path):
    from migrator.emit.drf import drf_files

    line = Serializer("LineSerializer", "app.s.LineSerializer", "app.Line",
                      (F("qty", "value", "IntegerField", internal_type="IntegerField"),))
    first = {c[0].name: c[0] for c in reversed(CASES) if c[0].name not in ("lines", "line")}  # one per key
    fields = tuple(first[n] for n in dict.fromkeys(c[0].name for c in CASES) if n in first) + (CASES[-3][0],)
    (s_lines, s), _ = go_structs((line, Serializer("S", "app.s.S", "app.M", fields)), TZ)
    for path, text in drf_files((s_lines, s), "drfcheck").items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    (tmp_path / "go.mod").write_text("module drfcheck\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text(GO_MAIN)
    go("vet", "./...", cwd=tmp_path)
    out = json.loads(go("run", ".", cwd=tmp_path).stdout, object_pairs_hook=list)
    assert [k for k, _ in out] == [f.json for f in s.fields]
    assert [k for k, _ in dict(out)["lines"][0]] == ["qty"]
