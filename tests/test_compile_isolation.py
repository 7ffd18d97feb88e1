"""Compiling a site has no effect outside its process, and ends: signal receivers are recorded, not run;
files, sockets and processes are refused; a save() override the write depends on is named; a stuck site
ends as a located COMPILE_TIMEOUT after a bound and the others still compile (issue 11: haystack's
Whoosh receivers deadlocked `analyze --sqlc`, `generate` and `parity` and wrote an index into the project).

The project (tests/projects/compile_side_effects) has a pre_save receiver that blocks for ever on a
lock another thread holds, a post_save receiver that takes a file lock and writes into the project,
save() overrides (one runs a query, one strips the title it is given, one writes a file), and two QuerySet methods that
never return (one swallows every exception, the time limit's included) and one that ends the process;
and receivers that write rows (give_card through a helper, slug_badge setting the row in pre_save): those
writes are RECEIVER_WRITES, not translated (the Go query would not do what the receiver does); a save()
override that sets an unset date (Dated: SAVE_OVERRIDE) next to a default callable's stamp (Logged: translated).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow  # every test here starts Django, sqlc, Go or the CLI (tests/conftest.py)

PROJECT = REPO / "tests" / "projects" / "compile_side_effects"
BOUND = 90  # seconds: a hang fails the test instead of the run


def snapshot(root: Path) -> dict[str, str]:
    """Every file under root (bytecode caches aside: Python's import writes them, as manage.py does) -> sha256."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture
def project(tmp_path) -> Path:
    dst = tmp_path / "project"
    shutil.copytree(PROJECT, dst, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    return dst


def migrate(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MIGRATOR_COMPILE_TIMEOUT": "1", "PYTHONPATH": str(REPO)}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    # a new session: on a hang the test kills the whole group, not only the CLI
    proc = subprocess.Popen([sys.executable, "-m", "migrator", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=BOUND)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.communicate()
        pytest.fail(f"migrate {' '.join(args)} did not finish within {BOUND} s")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


# the sites whose compile never returns (notes/models.py TrapField)
STUCK, STUBBORN, CRASH = '"stuck"', '"stubborn"', '"crash"'


def site_line(project: Path, text: str) -> int:
    lines = (project / "notes" / "views.py").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_analyze_sqlc_is_bounded_isolated_and_reports(project, tmp_path):
    before = snapshot(project)
    report = tmp_path / "report.json"
    proc = migrate("analyze", "--sqlc", str(project), "-f", "json", "-o", str(report), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert snapshot(project) == before, "compiling wrote into the project"
    data = json.loads(report.read_text())
    diags = data["diagnostics"]

    def codes_at(text: str) -> set[str]:
        line = site_line(project, text)
        return {d["code"] for d in diags if d["file"] == "notes/views.py" and d["line"] == line}

    # the stuck sites: located timeouts, one through the in-process limit, one through the worker restart
    stuck = [d for d in diags if d["code"] == "COMPILE_TIMEOUT"]
    assert {d["line"] for d in stuck} == {site_line(project, STUCK), site_line(project, STUBBORN)}
    assert all(d["severity"] == "error" for d in stuck)
    assert any("notes/models.py:" in d["message"] for d in stuck)  # where in the project it hung
    assert codes_at(CRASH) == {"LOADER_CRASH"}  # the process died on it: restarted, the rest compiled
    assert "SAVE_OVERRIDE" in codes_at("Slugged.objects.create")
    assert "SAVE_OVERRIDE" in codes_at("Stamped.objects.create")
    assert "SIDE_EFFECT" in codes_at("Exported.objects.create")
    # receivers that write rows (read from their Python, not run): the write is not translated
    assert "RECEIVER_WRITES" in codes_at("Member.objects.create")
    assert "RECEIVER_WRITES" in codes_at("Badge.objects.create")
    receivers = " ".join(d["message"] for d in diags if d["code"] == "SIGNAL_NOT_RUN")
    for name in ("index_note", "block_forever", "touch_index", "write_beside"):
        assert name in receivers

    untranslated = {d: {u["site"].rsplit(":", 1)[0]: (u["reason"], u["detail"]) for u in v["untranslated"]}
                    for d, v in data["summary"]["sqlc"].items()}
    for dialect, by_site in untranslated.items():
        assert by_site[f"notes/views.py:{site_line(project, STUCK)}"][0] == "COMPILE_TIMEOUT"
        assert by_site[f"notes/views.py:{site_line(project, STUBBORN)}"][0] == "COMPILE_TIMEOUT"
        reason, detail = by_site[f"notes/views.py:{site_line(project, 'Slugged.objects.create')}"]
        assert reason == "SAVE_OVERRIDE" and "notes/models.py:" in detail, detail
        assert by_site[f"notes/views.py:{site_line(project, 'Exported.objects.create')}"][0] == "SIDE_EFFECT"
        assert by_site[f"notes/views.py:{site_line(project, CRASH)}"][0] == "LOADER_CRASH"
        reason, detail = by_site[f"notes/views.py:{site_line(project, 'Member.objects.create')}"]
        assert reason == "RECEIVER_WRITES" and "give_card" in detail, detail
        assert "Card.objects.get_or_create(member=member) (writes rows)" in detail, detail  # through _issue_card
        # a save() override that sets an unset date to now: not a stamp on both sides, the plain save binds NULL
        reason, detail = by_site[f"notes/views.py:{site_line(project, 'Dated.objects.create')}"]
        assert reason == "SAVE_OVERRIDE" and "notes.models.Dated.save" in detail and "parameter 2" in detail, detail
        reason, detail = by_site[f"notes/views.py:{site_line(project, 'Badge.objects.create')}"]
        assert reason == "RECEIVER_WRITES" and "badge.slug = badge.name.lower()" in detail, detail
        # the rest compiled, the sites after the stuck ones included
        reason, detail = by_site[f"notes/views.py:{site_line(project, 'Stamped.objects.create')}"]
        assert reason == "SAVE_OVERRIDE" and "given other values" in detail, detail  # .strip() of a probe title
        for text in ("Note.objects.create", "Tag.objects.get_or_create", "note.tags.add",
                     "Note.objects.filter(title", "Note.objects.filter(pk=pk).delete",
                     "Member.objects.filter(pk=member.pk).update",  # an UPDATE sends no signal
                     "Logged.objects.create"):  # its default=timezone.now changes on every compile, both ways
            assert f"notes/views.py:{site_line(project, text)}" not in by_site, (dialect, text)
    assert data["summary"]["sqlc"]["sqlite"]["translated"] == data["summary"]["sqlc"]["sqlite"]["sites"] - 9


def test_generate_sqlc_is_bounded_isolated_and_reports(project, tmp_path):
    before = snapshot(project)
    out = tmp_path / "out"
    proc = migrate("generate", str(project), "--target", "sqlc", "-o", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert snapshot(project) == before, "compiling wrote into the project"
    assert "error[COMPILE_TIMEOUT]" in proc.stderr
    assert f"notes/views.py:{site_line(project, STUCK)}:" in proc.stderr
    untranslated = (out / "sqlc" / "UNTRANSLATED.md").read_text()
    for code in ("COMPILE_TIMEOUT", "SAVE_OVERRIDE", "SIDE_EFFECT", "RECEIVER_WRITES"):
        assert f"`{code}`" in untranslated
    queries = "\n".join(p.read_text() for p in (out / "sqlc").rglob("*.sql"))
    assert "notes_note" in queries and "notes_logged" in queries  # the writes without effects translated
