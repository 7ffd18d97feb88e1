"""DRF writes (translate/drf_writes): a ModelViewSet's create / update / partial_update / destroy against DRF.

The oracle is DRF itself: Django's runserver and the generated Go servers (net/http and Fiber) start from
copies of one SQLite database and receive the same sequence of requests (valid writes, each kind of
validation error, bodies that are not JSON or not an object, 404s); every answer is compared exactly
(status, keys, their order, JSON types, values) and, after each request, the note table of each database.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, go
from migrator.parity.http import compare_answers, fetch

PROJECT = REPO / "tests" / "projects" / "drf_api"
SEED = r"""
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from shop.models import Note
Note.objects.create(title="first", body="b", priority=2, stars=3)
Note.objects.create(title="second", stars=5, done=True)
Note.objects.create(title="third", stars=1)
from shop.models import Tag
Tag.objects.create(slug="red")
Tag.objects.create(slug="blue")
"""

N = "/api/notes/"
T = "/api/tags/"
REQUESTS = [
    ("POST", N, {"title": "a note", "body": "text", "priority": 3, "stars": 4, "done": True}),
    ("POST", N, {"title": "  trimmed  ", "stars": "2"}),  # defaults for body, priority, done; "2" is an integer
    ("POST", N, {}),  # title and stars required, in the serializer's order
    ("POST", N, {"title": "x" * 21, "stars": 0, "priority": 9, "done": "maybe"}),  # every field wrong at once
    ("POST", N, {"title": "   ", "stars": 6}),  # blank, max_value
    ("POST", N, {"title": 7, "stars": 3.0, "priority": "2", "done": "yes"}),  # DRF's coercions
    ("POST", N, {"title": [1], "stars": "x", "priority": True, "done": 2}),
    ("POST", N, {"title": None, "stars": None, "priority": 2.5, "done": None}),
    ("POST", N, {"title": "ok", "stars": " 5 ", "priority": "1", "done": 0, "id": 99, "unknown": 1}),
    ("POST", N, {"title": "ok", "stars": "1_0"}),
    ("POST", N, {"title": "ok", "stars": True}),
    ("POST", N, {"title": "x" * 20, "stars": 1}), ("POST", N, {"title": "a\u0000b", "stars": 1}),
    ("POST", N, {"title": {"a": 1}, "stars": [2], "priority": [1]}),
    ("POST", N, "not json"), ("POST", N, "[]"), ("POST", N, '"text"'), ("POST", N, "3"), ("POST", N, "{} x"),
    ("POST", N, "  nope"), ("POST", N, "null"), ("POST", N, ""),
    ("POST", "/api/notes.json/", {"title": "suffix", "stars": 2}),
    ("PUT", N + "1/", {"title": "put", "stars": 2}),  # the others keep their values
    ("PUT", N + "1/", {"title": "put"}),  # stars required on a full update
    ("PATCH", N + "2/", {"done": "false"}),
    ("PATCH", N + "2/", {}),
    ("PATCH", N + "2/", {"stars": 9, "title": ""}),
    ("PATCH", N + "2/", "not json"),
    ("PUT", N + "999/", {"title": "x", "stars": 1}), ("PATCH", N + "abc/", {"title": "x"}),
    ("PATCH", N + "999/", "not json"),  # get_object before the body is read: 404
    ("DELETE", N + "3/", None), ("DELETE", N + "3/", None), ("DELETE", N + "x/", None),
    ("GET", N, None), ("GET", N + "1/", None), ("GET", N + "2.json", None),
    # a unique SlugField: DRF's UniqueValidator (first), max_length, null characters, the slug pattern (last)
    ("POST", T, {"slug": "new-tag"}), ("POST", T, {"slug": "new-tag"}), ("POST", T, {"slug": " red "}),
    ("POST", T, {"slug": "bad slug!"}), ("POST", T, {"slug": "!" * 51}), ("POST", T, {"slug": "x" * 51}),
    ("POST", T, {"slug": "a\u0000b"}), ("POST", T, {"slug": 12}), ("POST", T, {"slug": "é"}), ("POST", T, {"slug": ""}),
    ("POST", T, {"slug": "  spaced_1  "}), ("POST", T, {}),
    ("PUT", T + "1/", {"slug": "red"}),  # its own value: the row is excluded
    ("PUT", T + "1/", {"slug": "blue"}), ("PATCH", T + "2/", {}), ("PATCH", T + "2/", {"slug": "new-tag"}),
    ("PATCH", T + "2/", {"slug": "navy"}), ("PATCH", T + "9/", {"slug": "x"}), ("GET", T, None),
]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def _rows(db) -> list:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT id, title, body, priority, stars, done FROM shop_note ORDER BY id").fetchall() + \
            c.execute("SELECT id, slug FROM shop_tag ORDER BY id").fetchall()


def _send(base: str, method: str, path: str, body) -> tuple:
    raw = None if body is None else (body if isinstance(body, str) else json.dumps(body)).encode()
    if raw is None and method in ("POST", "PUT", "PATCH"):
        raw = b""
    return fetch(base, method, path, body=raw)


def _tree(tmp_path, framework: str):
    """The project's Go, generated and built for one framework: the server binary."""
    out = tmp_path / framework
    proc = subprocess.run([sys.executable, "-m", "migrator", "generate", str(PROJECT), "--out", str(out),
                           "--settings", "api.settings_writes", "--framework", framework], cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "http: migrated rest_framework.routers.APIRootView, shop.views.NoteViewSet, shop.views.TagWrites\n" in proc.stdout
    sql = (out / "sqlc" / "queries" / "sqlite.sql").read_text()  # the derived sites of DRF's writes
    for line in ('INSERT INTO "shop_note" ("title", "body", "priority", "stars", "done") VALUES (sqlc.arg(title), '
                 'sqlc.arg(body), sqlc.arg(priority), sqlc.arg(stars), sqlc.arg(done)) RETURNING "shop_note"."id";',
                 'DELETE FROM "shop_note" WHERE "shop_note"."id" = sqlc.arg(pk);'):
        assert line in sql
    go("build", "-o", str(tmp_path / f"server-{framework}"), "./http", cwd=out)
    return tmp_path / f"server-{framework}"


def built_servers(root: Path, project: Path, frameworks: tuple[str, ...], check) -> dict:
    """framework -> the server binary of ``project`` generated (every target) and built for it under ``root``; the
    frameworks side by side (each generate is one Python process, each build mostly one link: two cores overlap
    them). ``check(framework, tree, stdout)`` asserts on each generated tree before its build."""
    from concurrent.futures import ThreadPoolExecutor

    def one(fw: str) -> Path:
        tree = root / fw
        proc = subprocess.run([sys.executable, "-m", "migrator", "generate", str(project), "--out", str(tree / "t"),
                               "--framework", fw], cwd=REPO, capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stderr
        check(fw, tree / "t", proc.stdout)
        go("build", "-o", str(tree / "server"), "./http", cwd=tree / "t")
        return tree / "server"

    with ThreadPoolExecutor(len(frameworks)) as pool:
        return dict(zip(frameworks, pool.map(one, frameworks)))


def _start(argv: list[str], env: dict, cwd=None) -> subprocess.Popen:
    return subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def few_iterations(folder) -> str:
    """A settings line keeping the seeds' 1000 PBKDF2 iterations: with Django's default hasher the first sign-in
    re-hashes the password at its default (a million iterations), so every later Basic request costs a second or
    more of CPU on Django's side. The hasher module goes in ``folder`` (on the Django side's path); start_sides
    gives the Go servers the same (PASSWORD_PBKDF2_ITERATIONS), or they re-hash as Django does."""
    (Path(folder) / "few_iterations.py").write_text(
        "from django.contrib.auth.hashers import PBKDF2PasswordHasher\n\n\n"
        "class FewIterations(PBKDF2PasswordHasher):\n    iterations = 1000\n")
    return "PASSWORD_HASHERS = ['few_iterations.FewIterations']\n"


def basic(user: str) -> dict:
    """The Basic credentials of a seeded user (password ``pw-<user>``); none for "" (anonymous)."""
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:pw-{user}".encode()).decode()} if user else {}


def compare_reads(base: dict, users: tuple[str, ...], paths: list[str]) -> tuple[list[str], list[int]]:
    """Each user (Basic; "" anonymous) GETs each path from Django and every Go side, answers compared exactly:
    (the differences, Django's statuses in order)."""
    from test_drf_access import _send as send  # it imports this module

    failures, statuses = [], []
    for user in users:
        for path in paths:
            d = send(base["django"], "GET", path, None, basic(user))
            statuses.append(d[0])
            for fw in (side for side in base if side != "django"):
                g = send(base[fw], "GET", path, None, basic(user))
                if compare_answers("GET", path, d, g, strict=True):
                    failures.append(f"{fw} as {user or 'anonymous'}: GET {path}: django {d[0]} {d[2][:200]!r} "
                                    f"!= go {g[0]} {g[2][:200]!r}")
    return failures, statuses


def start_on_copies(tmp_path, servers: dict, settings: str, seed: str, go_env: dict | None = None,
                    project=PROJECT, probe: str = "/api/"):
    """Django's runserver (``settings``, a settings module of ``project``, on tmp_path/dj.db seeded by the script
    ``seed``) and each Go server binary on its own copy of that database, all answering: (base URLs by side,
    processes, the seed's stdout). The caller stops the processes (os.killpg). ``servers`` may be a Future of
    that mapping (the binaries built while the seed runs)."""
    (tmp_path / "test_settings.py").write_text(
        f"from {settings} import *  # noqa\n"
        f"DATABASES = {{'default': {{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(tmp_path / 'dj.db')!r}}}}}\n"
        "ALLOWED_HOSTS = ['localhost']\n" + few_iterations(tmp_path))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(project)]),
               DJANGO_SETTINGS_MODULE="test_settings")
    done = subprocess.run([sys.executable, "-c", seed], cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    servers = servers.result() if hasattr(servers, "result") else servers
    for fw in servers:
        shutil.copy(tmp_path / "dj.db", tmp_path / f"{fw}.db")
    base, procs = start_sides(project, env, servers, {fw: f"sqlite://{tmp_path / f'{fw}.db'}" for fw in servers},
                              go_env, probe)
    return base, procs, done.stdout


def start_sides(project, env: dict, servers: dict, databases: dict, go_env: dict | None, probe: str):
    """Django's runserver of ``project`` (``env``: its settings) and each Go server binary on its database URL,
    all answering: (base URLs by side, processes)."""
    ports = {side: _free_port() for side in ("django", *servers)}
    procs = [_start([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{ports['django']}"], env, project)]
    for fw, binary in servers.items():
        procs.append(_start([str(binary)], {"DATABASE_URL": databases[fw], "PORT": str(ports[fw]), "HOST": "127.0.0.1",
                                            "LOG_LEVEL": "error", "PASSWORD_PBKDF2_ITERATIONS": "1000",  # few_iterations
                                            **(go_env or {})}))
    base = {side: f"http://127.0.0.1:{port}" for side, port in ports.items()}
    try:
        _wait(base["django"] + probe, procs[0])
        for fw, p in zip(servers, procs[1:]):
            _wait(base[fw] + "/healthz", p)
    except Exception:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        raise
    return base, procs


@pytest.mark.slow
def test_drf_writes_equal_drf(tmp_path):
    """Django and the two Go servers (net/http, Fiber), each on its copy of the database, the same requests."""
    servers = {fw: _tree(tmp_path, fw) for fw in ("nethttp", "fiber")}
    base, procs, _ = start_on_copies(tmp_path, servers, "api.settings_writes", SEED)
    try:
        failures = []
        for method, path, body in REQUESTS:
            d = _send(base["django"], method, path, body)
            for fw in servers:
                g = _send(base[fw], method, path, body)
                if compare_answers(method, path, d, g, strict=True):
                    failures.append(f"{fw}: {method} {path} {body!r}: django {d[0]} {d[2][:300]!r} != go {g[0]} {g[2][:300]!r}")
                if _rows(tmp_path / "dj.db") != _rows(tmp_path / f"{fw}.db"):
                    failures.append(f"{fw}: {method} {path} {body!r}: the tables differ afterwards")
        assert failures == []
        dup = _send(base["django"], "POST", T, {"slug": "blue!" + "x" * 50})  # the oracle answers what the Go must
        assert (dup[0], json.loads(dup[2])) == (400, {"slug": ["Ensure this field has no more than 50 characters.",
                                                                 "Enter a valid \"slug\" consisting of letters, numbers, "
                                                                 "underscores or hyphens."]})
        assert json.loads(_send(base["nethttp"], "PATCH", T + "2/", {"slug": "red"})[2]) == \
            {"slug": ["tag with this slug already exists."]}
        assert len(_rows(tmp_path / "dj.db")) == 3 + 6 - 1 + 2 + 3  # notes: seeds, valid creates, one destroy; tags
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=10)


def test_write_refusals_and_field_specs():
    """The fast tier: which writable fields the Go validates, and the reason a write stays a stub."""
    from migrator.ir_drf import DRFView, Serializer, SerializerField as F
    from migrator.translate.drf_writes import NotWritten, _spec, _validate, plan_writes

    title = F("title", "value", "CharField", source="title", required=True, max_length=20)
    stars = F("stars", "value", "IntegerField", source="stars", required=True, min_value=1, max_value=5)
    kind = F("kind", "value", "ChoiceField", source="kind", choices=(1, 2))
    params = {"title": ("Title", "string"), "stars": ("Stars", "int64"), "kind": ("Kind", "int64")}
    stmts, keys, queries = _validate(Serializer("S", "s.S", "a.M", (title, stars, kind)), params)
    assert queries == []
    assert keys == {"title": "str", "stars": "int", "kind": "int"}
    assert stmts[2].startswith('if v, ok, errs := (drfjson.Field{Required: false, AllowBlank: false, MaxLength: -1, '
                               'MinLength: -1, Choices: []string{"1", "2"}}).Choice(data, "kind", partial); ok {')
    assert "w.Kind = drfjson.ChoiceInt(*v)" in stmts[2]
    assert _spec(stars) == ("drfjson.Field{Required: true, AllowBlank: false, MaxLength: -1, MinLength: -1, "
                            "MinValue: drfjson.Int(1), MaxValue: drfjson.Int(5)}")
    for field, why in [(F("p", "value", "DecimalField", source="p"), "a DecimalField is not validated by the generated Go yet"),
                       (F("t", "value", "CharField", source="t", allow_null=True), "nullable"),
                       (F("s", "value", "SlugField", source="s"), "a SlugField is not validated by the generated Go yet"),
                       (F("t", "value", "CharField", source="t", write_reason="validators UniqueValidator"),
                        "validators UniqueValidator"),
                       (F("x", "value", "CharField", source="x"), "no string column x in the write query"),
                       (F("t", "value", "SlugField", source="t", pattern="^[a-z]+$"), "the pattern ^[a-z]+$"),
                       (F("t", "value", "CharField", source="t", unique_message="m"), "no query of its UniqueValidator in the store")]:
        with pytest.raises(NotWritten) as exc:
            _validate(Serializer("S", "s.S", "a.M", (field,)), {"t": ("T", "string")})
        assert str(exc.value) in (f"field S.{field.name}: {why}", f"field {field.name}: {why}")
    _unique_slug_spec()
    view = DRFView("v.V", "ModelViewSet", write_overrides=("perform_create",))
    with pytest.raises(NotWritten, match="^overrides perform_create$"):
        plan_writes(view, Serializer("S", "s.S", "a.M"), {"POST": "create"}, None, {}, None)
    with pytest.raises(NotWritten, match=r"^the serializer's own validation is not translated: def validate_title\(self"):
        plan_writes(DRFView("v.V", "ModelViewSet"), Serializer("S", "s.S", "a.M", validation="def validate_title(self, v):\n"
                                                               "    return v\n"), {"POST": "create"}, None, {}, None)


def _unique_slug_spec():
    """A unique SlugField: the slug pattern and the UniqueValidator's two queries (the row excluded on an update)."""
    from migrator.ir_drf import Serializer, SerializerField as F
    from migrator.translate.drf_writes import _validate
    from migrator.translate.handlers_store import Param, StoreMethod

    slug = F("slug", "value", "SlugField", source="slug", required=True, max_length=50, pattern=r"^[-a-zA-Z0-9_]+\n?\z",
             pattern_message="bad slug", unique_message="tag with this slug already exists.")
    found = {"/unique_slug": StoreMethod("TagExists", (Param("slug", "string", "", {}),), "", "int64", "", {}),
             "/unique_slug_other": StoreMethod("TagExists2", (Param("Slug", "string", "slug", {}), Param("Pk", "int64", "pk", {})),
                                               "TagExists2Params", "int64", "", {})}
    stmts, keys, queries = _validate(Serializer("S", "s.S", "a.M", (slug,)), {"slug": ("Slug", "string")}, found)
    assert (keys, queries) == ({"slug": "str"}, ["TagExists", "TagExists2"])
    assert stmts == ['if v, ok, errs := (drfjson.Field{Required: true, AllowBlank: false, MaxLength: 50, MinLength: -1, '
                     'Pattern: drfjson.SlugPattern, PatternMessage: "bad slug", Unique: func(v string) bool {\n'
                     '\t\tif pk == nil {\n\t\t\treturn drfjson.Exists(s.Store.TagExists(ctx, v))\n\t\t}\n'
                     '\t\treturn drfjson.Exists(s.Store.TagExists2(ctx, TagExists2Params{Slug: v, Pk: *pk}))\n\t}, '
                     'UniqueMessage: "tag with this slug already exists."}).Char(data, "slug", partial); ok {\n'
                     '\t\tw.Slug = *v\n\t} else {\n\t\te.Add("slug", errs)\n\t}']


def test_validators_the_go_runs():
    """The loader's reading of a writable field's validators (load/drf._validators), on stand-in validators:
    a UniqueValidator first, DRF's slug pattern last; anything else, or either elsewhere, keeps the write a stub."""
    import re
    from types import SimpleNamespace as NS

    from migrator.load import drf

    UniqueValidator = type("UniqueValidator", (), {})
    RegexValidator = type("RegexValidator", (), {})
    MaxLengthValidator = type("MaxLengthValidator", (), {})
    model = object()
    qs = NS(model=model, all=lambda: NS(query="Q"))
    unique = UniqueValidator()
    unique.__dict__.update(queryset=qs, lookup="exact", message="tag with this slug already exists.")
    slug = RegexValidator()
    slug.__dict__.update(regex=re.compile(r"^[-a-zA-Z0-9_]+$"), inverse_match=False, message="bad slug")
    field = NS(source="slug", source_attrs=["slug"], validators=[unique, MaxLengthValidator(), slug])
    manager = NS(all=lambda: NS(query="Q"))
    fake = NS(_default_manager=manager)
    qs.model = fake
    assert drf._validators(field, fake) == ({"unique_message": "tag with this slug already exists.",
                                             "pattern": r"^[-a-zA-Z0-9_]+\n?\z", "pattern_message": "bad slug"}, "")
    assert drf._validators(NS(**{**field.__dict__, "validators": [MaxLengthValidator(), unique]}), fake)[1] == \
        "validators UniqueValidator"  # not first: not the ModelSerializer's
    other = RegexValidator()
    other.__dict__.update(regex=re.compile(r"^\d+$"), inverse_match=False, message="m")
    assert drf._validators(NS(**{**field.__dict__, "validators": [other]}), fake)[1] == "validators RegexValidator"
    scoped = UniqueValidator()
    scoped.__dict__.update(queryset=NS(model=fake, all=lambda: NS(query="Q2")), lookup="exact", message="m")
    assert drf._validators(NS(**{**field.__dict__, "validators": [scoped]}), fake)[1] == "validators UniqueValidator"
