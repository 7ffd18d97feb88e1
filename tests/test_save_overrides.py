"""Keys that are their Go zero value, and save() overrides ported to GORM hooks, on real databases (issue 12).

tests/projects/saves_models: `beat` holds primary keys that are not AutoFields (django_celery_beat's
PeriodicTasks.ident, 0 included) and an AutoField's row 0 (sites.Site id 0), `tasks` the save() override families
of the corpus and a delete() override that refuses (assert, raise). The same operations run through Django and
through the generated gormcheck, on SQLite and PostgreSQL; the results and the databases afterwards must be equal."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import uuid

import pytest

from conftest import REPO, django_side, go, run_cli

from migrator.parity.values import both_raised, first_difference

pytestmark = pytest.mark.slow
PROJECT = REPO / "tests" / "projects" / "saves_models"
SETTINGS = "site_cfg.settings"
GUID = "0f0e0d0c-0b0a-4908-8706-050403020100"
LONG = "ünï" * 70  # 210 code points, 350 bytes: cut to 197 code points + "..."

OPS = [
    {"op": "create", "model": "beat.Tick", "values": {"ident": 0, "last_update": "2026-01-01T00:00:00Z"}},
    {"op": "update", "model": "beat.Tick", "pk": 0, "values": {"last_update": "2026-02-02T00:00:00Z"}},
    {"op": "create", "model": "beat.Tick", "values": {"last_update": "2026-03-03T00:00:00Z"}},  # default ident 1
    {"op": "create", "model": "beat.Code", "values": {"code": "", "label": "empty"}},
    {"op": "update", "model": "beat.Code", "pk": "", "values": {"label": "still empty"}},
    {"op": "delete", "model": "beat.Tick", "pk": 0},
    # row 0 of an AutoField key (beat/migrations/0002_place.py writes it): updated, not a new row INSERTed
    {"op": "update", "model": "beat.Place", "pk": 0, "values": {"domain": "zero.example.org"}},
    {"op": "create", "model": "tasks.Task", "values": {"title": "open"}},
    {"op": "create", "model": "tasks.Task", "values": {"title": "done", "completed": True}},
    {"op": "update", "model": "tasks.Task", "pk": 1, "values": {"completed": True}},
    {"op": "create", "model": "tasks.Ticket", "values": {"title": LONG}},
    {"op": "create", "model": "tasks.Ticket", "values": {"title": "x" * 200}},
    {"op": "create", "model": "tasks.Box", "values": {"kind": "imap"}},
    {"op": "create", "model": "tasks.Box", "values": {"kind": "pop", "folder": "", "port": 0, "host": "h"}},
    {"op": "create", "model": "tasks.Box", "values": {"kind": "", "folder": "F", "port": 993, "host": "h"}},
    {"op": "create", "model": "tasks.Note", "values": {}},
    {"op": "create", "model": "tasks.Note", "values": {"stamp": "2026-04-04T04:04:04Z", "day": "2026-04-05"}},
    {"op": "create", "model": "tasks.Invite", "values": {}},
    {"op": "create", "model": "tasks.Invite", "values": {"guid": GUID, "code": "c"}},
    {"op": "create", "model": "tasks.Page", "values": {"locked": True, "depth": 1}},
    {"op": "create", "model": "tasks.Page", "values": {"depth": 3}},
    {"op": "create", "model": "tasks.Page", "values": {"locked": True}},
    {"op": "delete", "model": "tasks.Page", "pk": 1},  # the assert refuses
    {"op": "delete", "model": "tasks.Page", "pk": 2},  # the raise refuses
    {"op": "delete", "model": "tasks.Page", "pk": 3},
]
REFUSED = {len(OPS) - 3: "AssertionError", len(OPS) - 2: "PermissionError"}  # op index -> what Django raises


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    out = tmp_path_factory.mktemp("saves") / "go"
    gen = run_cli("generate", str(PROJECT), "--target", "gorm", "--out", str(out))
    assert gen.returncode == 0, gen.stderr
    note = "5 save() overrides ported, 1 delete() overrides ported, 1 Python hooks left as stubs"
    assert note in gen.stdout + gen.stderr
    go("vet", "./...", cwd=out)
    go("build", "-o", str(out / "bin" / "gormcheck"), "./gorm/cmd/gormcheck", cwd=out)
    return out


def _database(dialect: str, tmp_path, request, name: str) -> str:
    if dialect == "sqlite":
        return str(tmp_path / f"{name}.sqlite3")
    server = request.getfixturevalue("postgres_server")
    db = server.create_db(f"saves_{name}_{uuid.uuid4().hex[:8]}")
    request.addfinalizer(lambda: server.drop_db(db.rsplit("/", 1)[1]))
    return db


def _masked(dump: dict) -> dict:
    """The clock: Django's and Go's now() differ by the time between the two runs, so only set/unset counts."""
    for row in dump["tasks.Task"]:
        row["touched"] = row["touched"] is not None
    dump["tasks.Note"][0] = {"id": 1, "stamp": "<now>", "day": "<today>"}
    first = dump["tasks.Invite"][0]  # random: each side its own uuid4, in the dashed form
    assert re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", first["guid"]) and first["guid"][14] == "4"
    assert re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", first["code"]) and first["code"] != first["guid"]
    dump["tasks.Invite"][0] = {"id": 1, "guid": "<uuid4>", "code": "<uuid4>"}
    return {k: v for k, v in dump.items() if k.startswith(("beat.", "tasks."))}


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_zero_keys_and_ported_overrides_write_what_django_writes(tree, dialect, tmp_path, request):
    go_db, dj_db = (_database(dialect, tmp_path, request, n) for n in ("go", "django"))
    for db in (go_db, dj_db):
        django_side(PROJECT, SETTINGS, db, "migrate")
    ops = tmp_path / "ops.json"
    ops.write_text(json.dumps(OPS))
    proc = subprocess.run([str(tree / "bin" / "gormcheck"), "apply", go_db, str(ops)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    go_results = json.loads(proc.stdout)
    dj_results = django_side(PROJECT, SETTINGS, dj_db, "apply", str(ops))
    for i, raised in REFUSED.items():  # both refused, Go with the Python exception ported (DeleteRefused)
        assert dj_results[i]["error"].startswith(raised + ":"), dj_results[i]
        assert f"delete() override of tasks.Page: {raised} (tasks/models.py:" in go_results[i]["error"], go_results[i]
        assert not both_raised(dj_results[i]["error"], go_results[i]["error"])
        dj_results[i] = go_results[i] = "refused"
    assert not any("error" in r for r in dj_results), dj_results
    assert go_results == dj_results
    after_go, after_dj = django_side(PROJECT, SETTINGS, go_db, "dump"), django_side(PROJECT, SETTINGS, dj_db, "dump")
    assert after_dj["beat.Tick"] == [{"ident": 1, "last_update": "2026-03-03T00:00:00.000000Z"}]
    assert after_dj["beat.Code"] == [{"code": "", "label": "still empty"}]
    assert after_dj["beat.Place"] == [{"id": 0, "domain": "zero.example.org"}]
    tickets = [r["title"] for r in after_dj["tasks.Ticket"]]
    assert tickets == [LONG[:197] + "...", "x" * 200]
    assert [(r["kind"], r["folder"], r["port"], r["host"]) for r in after_dj["tasks.Box"]] == [
        ("imap", "INBOX", 143, None), ("pop", "", 143, "h"), ("", "F", 993, None)]
    assert [r["completed_date"] is not None for r in after_dj["tasks.Task"]] == [True, True]
    assert [(r["id"], r["locked"], r["depth"]) for r in after_dj["tasks.Page"]] == [(1, True, 1), (2, False, 3)]
    assert after_dj["tasks.Invite"][1] == {"id": 2, "guid": GUID, "code": "c"}
    assert after_dj["tasks.Note"][1] == {"id": 2, "stamp": "2026-04-04T04:04:04.000000Z", "day": "2026-04-05"}
    now = datetime.datetime.now(datetime.timezone.utc)
    for side in (after_go, after_dj):  # unset: set to now by the override (Go's zero time would be year 1)
        assert side["tasks.Note"][0]["stamp"][:4] == side["tasks.Note"][0]["day"][:4] == str(now.year)
    diff = first_difference(_masked(after_go), _masked(after_dj))
    assert not diff, diff
