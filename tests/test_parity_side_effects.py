"""`migrate parity` never writes into the user's project, nor anywhere outside its temporary folders
(migrator/parity/sandbox.py). tests/projects/parity_side_effects has receivers that write a "search index"
under BASE_DIR, save a file through the storage (MEDIA_ROOT), fill a file cache, send an e-mail over SMTP
and append to an absolute path: after parity, the project is byte-identical and the absolute path and the
cache folder do not exist; the refused write is a located PARITY_SIDE_EFFECT warning."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

SIDEFX = REPO / "tests" / "projects" / "parity_side_effects"
RECEIVERS = SIDEFX / "sidefx" / "receivers.py"
MACHINA = REPO / "bench" / "corpus" / "machina"


def snapshot(root: Path) -> dict[str, str]:
    """Every path under root (directories too) and the bytes of every file."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            out[os.path.relpath(os.path.join(dirpath, name), root) + "/"] = "dir"
        for name in filenames:
            path = os.path.join(dirpath, name)
            out[os.path.relpath(path, root)] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return out


def audit_line() -> int:
    lines = RECEIVERS.read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if "open(settings.AUDIT_LOG" in line)


def outside(tmp_path: Path) -> dict:
    """The project's absolute places outside itself, pointed into this test's folder."""
    return {"SIDEFX_AUDIT_LOG": str(tmp_path / "outside" / "audit.log"),
            "SIDEFX_CACHE_DIR": str(tmp_path / "outside" / "cache")}


# --- fast: what moves, what is copied, what is refused ------------------------------------------


def test_settings_that_point_outside_move_into_the_work_directory(tmp_path):
    from migrator.parity.sandbox import settings_overrides

    work = tmp_path / "work"
    values = {"MEDIA_ROOT": "/srv/media", "FILE_UPLOAD_TEMP_DIR": None, "STATIC_ROOT": str(work / "static"),
              "CACHES": {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                     "LOCATION": "/var/tmp/c"},
                         "db": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"},
                         "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                    "LOCATION": "redis://10.0.0.1"}},
              "LOGGING": {"version": 1, "handlers": {"f": {"class": "logging.FileHandler", "filename": "/var/log/a.log"},
                                                     "c": {"class": "logging.StreamHandler"}}}}
    got = settings_overrides(values, work)
    moved = work / "sandbox" / "moved"
    assert got == {
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": str(moved / "media_root"),
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                               "LOCATION": str(moved / "cache" / "default")},
                   "db": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"},
                   "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "parity-shared"}},
        "LOGGING": {"version": 1, "handlers": {"f": {"class": "logging.FileHandler",
                                                     "filename": str(moved / "logs" / "f-a.log")},
                                               "c": {"class": "logging.StreamHandler"}}},
    }
    # a setting already inside the work directory (the project's copy) stays as it is
    assert settings_overrides({"MEDIA_ROOT": str(work / "sandbox" / "tree" / "p" / "media")}, work) == {
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}


def test_the_copy_leaves_out_vcs_virtualenvs_and_large_files_and_links_neighbours(tmp_path):
    from migrator.parity import sandbox

    root = tmp_path / "src" / "proj"
    for rel in ("app/models.py", ".git/HEAD", "node_modules/x.js", "env/pyvenv.cfg", "app/__pycache__/m.pyc"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")
    (root / "media").mkdir()
    with open(root / "media" / "big.bin", "wb") as fh:
        fh.truncate(sandbox.MAX_FILE + 1)
    (tmp_path / "src" / "shared.py").write_text("VALUE = 1\n")
    copy = sandbox.project_copy(root, tmp_path / "work")
    assert sorted(str(p.relative_to(copy)) for p in copy.rglob("*")) == ["app", "app/models.py", "media"]
    assert (copy.parent / "shared.py").is_symlink() and (copy.parent / "shared.py").read_text() == "VALUE = 1\n"
    assert sandbox.map_back(f"File \"{copy}/app/models.py\"", root, tmp_path / "work") == \
        f"File \"{root.resolve()}/app/models.py\""


def test_every_moved_setting_is_documented():
    from migrator.parity.sandbox import OVERRIDES

    text = (REPO / "docs" / "parity.md").read_text()
    section = text.split("## What parity touches", 1)[1].split("\n## ", 1)[0]
    assert [name for name in OVERRIDES if f"`{name}`" not in section] == []


@pytest.mark.slow
def test_receivers_write_in_the_copy_and_outside_writes_are_refused(tmp_path, monkeypatch):
    """The Django side (migrate, then a save() through `apply`) with the sandbox: every receiver runs, what it
    writes under BASE_DIR lands in the copy, the cache in the work directory, the absolute path nowhere."""
    from migrator.parity.context import Context
    from migrator.parity.sandbox import side_effect_diagnostics

    for k, v in outside(tmp_path).items():
        monkeypatch.setenv(k, v)
    before = snapshot(SIDEFX)
    work = tmp_path / "work"
    work.mkdir()
    ctx = Context(root=SIDEFX, settings="sidefxproj.settings", dialect="sqlite", tree=tmp_path, work=work,
                  bin=work / "bin", generated=None, scratch=None)
    db = str(work / "db.sqlite3")
    assert ctx.django(db, "migrate") == {"ok": True}
    ops = work / "ops.json"
    ops.write_text(json.dumps([{"op": "create", "model": "sidefx.Note", "values": {"title": "hello"}}]))
    assert ctx.django(db, "apply", str(ops)) == [{"pk": 1}]
    copy = ctx.django_root
    assert (copy / "index" / "notes.txt").read_text() == "1 hello\n"
    assert (copy / "index" / "migrated.txt").read_text() == "migrated\n"
    assert (copy / "media" / "notes" / "1.txt").read_text() == "hello"
    assert len(list((work / "sandbox" / "moved" / "cache" / "default").iterdir())) == 1
    assert not (tmp_path / "outside").exists()
    assert snapshot(SIDEFX) == before
    diags = [d.render() for d in side_effect_diagnostics(SIDEFX, work)]
    assert diags == [f"{RECEIVERS}:{audit_line()}:1: warning[PARITY_SIDE_EFFECT]: refused open of "
                     f"{tmp_path / 'outside' / 'audit.log'} (2 times): parity writes only inside its temporary work "
                     "directory, so what Django did after this may differ from a real run (point this path at a "
                     "setting parity moves (MEDIA_ROOT, CACHES, LOGGING: see docs/parity.md, \"What parity "
                     "touches\") or below BASE_DIR)"]


@pytest.mark.slow
def test_parity_leaves_the_project_byte_identical(tmp_path):
    """The whole command (generate, migrate with post_migrate receivers, data, the schema check): exit 0, the
    project unchanged, nothing outside, the refused write reported at its line. On main it writes index/
    into the project, fills the cache folder outside, and fails to migrate (the SMTP e-mail)."""
    before = snapshot(SIDEFX)
    out = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "migrator", "parity", str(SIDEFX), "--only", "schema",
                           "--json", str(out)], cwd=REPO, capture_output=True, text=True, timeout=600,
                          env={**os.environ, **outside(tmp_path)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert snapshot(SIDEFX) == before
    assert not (tmp_path / "outside").exists()
    diags = json.loads(out.read_text())["diagnostics"]
    assert [(d["code"], d["file"], d["line"]) for d in diags] == [
        ("PARITY_SIDE_EFFECT", str(RECEIVERS), audit_line())]


@pytest.mark.slow
def test_machina_search_index_receivers_write_in_the_copy(tmp_path):
    """django-machina's haystack receivers update the Whoosh index at BASE_DIR / "whoosh_index" (tracked in
    git to catch this): a saved post reaches the copy's index, `git status` of the app stays empty."""
    from migrator.parity.context import Context

    project = snapshot(MACHINA)
    work = tmp_path / "work"
    work.mkdir()
    ctx = Context(root=MACHINA, settings="shell.settings", dialect="sqlite", tree=tmp_path, work=work,
                  bin=work / "bin", generated=None, scratch=None)
    db = str(work / "db.sqlite3")
    ctx.django(db, "migrate")
    ctx.django(db, "generate", "0", "2")
    posts = ctx.django(db, "dump")["forum_conversation.Post"]
    ops = work / "ops.json"
    ops.write_text(json.dumps([{"op": "update", "model": "forum_conversation.Post", "pk": posts[0]["id"], "values": {}},
                               {"op": "delete", "model": "forum_conversation.Post", "pk": posts[-1]["id"]}]))
    index = ctx.django_root / "whoosh_index"
    before = snapshot(index)
    # the shell has no search template: the update's receiver opens the index, then fails (as in Django)
    assert ctx.django(db, "apply", str(ops)) == [{"error": "TemplateDoesNotExist: forum_search/post_text.txt"},
                                                 {"deleted": posts[-1]["id"]}]
    assert snapshot(index) != before  # the receivers wrote the index, in the copy
    assert snapshot(MACHINA) == project
    if (REPO / ".git").exists():  # a checkout: what CI's reviewers look at
        status = subprocess.run(["git", "status", "--porcelain", "--ignored", str(MACHINA)], cwd=REPO,
                                capture_output=True, text=True, check=True)
        assert status.stdout == ""
