"""load/compile_cache.py: Django's compile of a site is reused only while everything it read is unchanged.

The project (tests/projects/incr_compile_cache) has a site whose compile runs a helper in a module imported only
when the helper is first needed (shelf/helpers.py, found by the profiler), a site reading a Q constant imported
from another module (shelf/constants.py, found by the site module's imports) and a site in a file nobody imports
(shelf/reports.py). Every cached entry is marked between runs: a result that comes back marked was reused, one
that comes back unmarked was compiled again, and must then be what a compile without the cache gives."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from migrator.load import compile_cache

PROJECT = Path(__file__).parent / "projects" / "incr_compile_cache"
RECENT, CLASSICS, REPORT = "shelf/views.py:8:41", "shelf/views.py:12:41", "shelf/reports.py:5:12"


def _compile(root: Path) -> dict[tuple[str, str], dict]:
    from migrator.load import Session, compile_sites, load_project

    with Session(routes=True) as session:  # the URLconf imported, as generate does
        project = load_project(root, session=session)
        return {(c["site"], c["dialect"]): c for c in compile_sites(project, session=session)}


def _mark(cache: Path) -> int:
    entries = list((cache / "compile").rglob("*.json"))
    for path in entries:
        entry = json.loads(path.read_text())
        entry["result"]["marked"] = True
        path.write_text(json.dumps(entry))
    return len(entries)


def _reused(compiled: dict) -> set[str]:
    return {site for (site, _d), c in compiled.items() if c.get("marked")}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.slow  # Django processes (about 2 s each)
def test_a_site_is_compiled_again_exactly_when_a_file_it_read_changes(tmp_path, monkeypatch):
    root = tmp_path / "incr_compile_cache"
    shutil.copytree(PROJECT, root)
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("MIGRATOR_COMPILE_CACHE", "wait")  # closing waits for the recording: the next run reads it
    cold = _compile(root)
    assert {s for s, _d in cold} == {RECENT, CLASSICS, REPORT} and not any("reason" in c for c in cold.values())
    assert _mark(tmp_path / "cache") == 6  # three sites, two dialects

    assert _reused(_compile(root)) == {RECENT, CLASSICS, REPORT}  # nothing changed: every site reused

    # a file only one site is in
    _edit(root / "shelf" / "reports.py", "published=True", "published=False")
    again = _compile(root)
    assert _reused(again) == {RECENT, CLASSICS}
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", "off")
    fresh = _compile(root)
    assert {k: v for k, v in again.items() if k[0] == REPORT} == {k: v for k, v in fresh.items() if k[0] == REPORT}
    assert 'NOT "shelf_book"."published"' in again[(REPORT, "sqlite")]["statements"][0]["sql"]

    # the helper the manager method calls (another file, imported while compiling). CLASSICS compiled after the
    # helper ran in the same process (the cold run): a value the helper left in memory could be what it read
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cache"))
    _mark(tmp_path / "cache")
    _edit(root / "shelf" / "helpers.py", "year__gte=2000", "year__gt=2000")
    again = _compile(root)
    assert _reused(again) == {REPORT}
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", "off")
    fresh = _compile(root)
    assert {k: v for k, v in again.items() if k[0] != REPORT} == {k: v for k, v in fresh.items() if k[0] != REPORT}
    assert '"year" > %s' in again[(RECENT, "postgresql")]["statements"][0]["sql"]

    # the module a Q constant of the site's module comes from (read, not run): the sites of every module importing
    # it (RECENT's module is CLASSICS's), not the others
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cache"))
    _mark(tmp_path / "cache")
    _edit(root / "shelf" / "constants.py", "year__lt=1900", "year__lte=1900")
    last = _compile(root)
    assert _reused(last) == {REPORT}
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", "off")
    fresh = _compile(root)
    assert {k: v for k, v in last.items() if k[0] == CLASSICS} == {k: v for k, v in fresh.items() if k[0] == CLASSICS}
    assert '"year" <= %s' in last[(CLASSICS, "sqlite")]["statements"][0]["sql"]

    # the default: the session closes without waiting; the recording goes on detached and stores for the next run
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MIGRATOR_COMPILE_CACHE")
    _mark(tmp_path / "cache")
    (root / "shelf" / "reports.py").write_text((root / "shelf" / "reports.py").read_text() + "# edited\n")
    assert _reused(_compile(root)) == {RECENT, CLASSICS}
    deadline = time.monotonic() + 120
    while compile_cache.recording(str(tmp_path / "cache" / "compile")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not list((tmp_path / "cache" / "compile").glob(compile_cache.RECORDER + "*"))  # ended, flag removed
    _mark(tmp_path / "cache")
    assert _reused(_compile(root)) == {RECENT, CLASSICS, REPORT}  # REPORT's new compile was stored


def test_the_imports_of_a_site_module_are_followed_to_project_files(tmp_path, monkeypatch):
    (tmp_path / "app" / "sub").mkdir(parents=True)
    for name in ("app/__init__.py", "app/sub/__init__.py", "app/sub/deep.py", "app/other.py", "app/late.py"):
        (tmp_path / name).write_text("")
    (tmp_path / "app" / "views.py").write_text(
        "import json\nfrom . import other\nfrom .sub.deep import X\n\ndef f():\n    from app import late\n")
    (tmp_path / "app" / "sub" / "deep.py").write_text("from ..other import Y\nimport django.db\n")
    monkeypatch.setattr(compile_cache._BOOT, "bases", (str(tmp_path.resolve()),))
    monkeypatch.setattr(compile_cache._BOOT, "imports", {})
    found = compile_cache.imported(str((tmp_path / "app" / "views.py").resolve()))
    rel = sorted(str(Path(p).relative_to(tmp_path.resolve())) for p in found)
    assert rel == ["app/__init__.py", "app/late.py", "app/other.py", "app/sub/__init__.py", "app/sub/deep.py",
                   "app/views.py"]


def test_the_cache_off_leaves_the_compile_as_it_was(monkeypatch):
    calls = []
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", "off")
    out, after = compile_cache.cached(lambda *a: calls.append(a) or [{"site": "s", "dialect": "sqlite"}],
                                      [{"id": "s"}], ("sqlite",), "/nowhere", None, "cfg.settings")
    after()
    assert out == [{"site": "s", "dialect": "sqlite"}] and len(calls) == 1
    assert compile_cache.recorded(lambda s, d, r: {"site": s["id"]}, {"id": "s"}, "sqlite", "") == {"site": "s"}


def test_bytecode_importlib_caches_is_no_side_effect(monkeypatch, tmp_path):
    """A module imported while compiling (the helper above) has its bytecode cached by importlib: under
    ``__pycache__``, or under PYTHONPYCACHEPREFIX (the test suite's); refused, it turned the site into SIDE_EFFECT."""
    from migrator.load.isolate import _bytecode

    monkeypatch.setattr("sys.pycache_prefix", str(tmp_path / "pyc"))
    assert _bytecode("/p/app/__pycache__/helpers.cpython-311.pyc.1407")
    assert _bytecode(str(tmp_path / "pyc" / "p" / "app" / "helpers.cpython-311.pyc"))
    assert not _bytecode(str(tmp_path / "pycx" / "out.txt")) and not _bytecode("/p/app/helpers.pyc.txt")


def test_the_oldest_entries_are_pruned(tmp_path):
    for i in range(5):
        path = tmp_path / f"{i:02x}" / f"{i}.json"
        path.parent.mkdir()
        path.write_text("{}")
        os.utime(path, ns=(i * 10**9, i * 10**9))
    compile_cache._prune(str(tmp_path), keep=2)
    assert sorted(p.name for p in tmp_path.rglob("*.json")) == ["3.json", "4.json"]


def test_the_cache_is_off_when_asked(tmp_path, monkeypatch):
    """MIGRATOR_COMPILE_CACHE=off: every site compiles, nothing is stored, nothing is forked."""
    monkeypatch.setenv("MIGRATOR_COMPILE_CACHE", "off")
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(compile_cache._BOOT, "bases", (str(tmp_path),))
    calls = []
    out, after = compile_cache.cached(lambda *a: calls.append(a) or [{"site": "s", "dialect": "sqlite"}],
                                      [{"id": "s"}], ("sqlite",), str(tmp_path), None, "cfg.settings", "marker")
    after()
    assert out == [{"site": "s", "dialect": "sqlite"}] and len(calls) == 1
    assert not compile_cache.enabled() and not list(tmp_path.rglob("*.json"))
