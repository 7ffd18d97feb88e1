"""Load stage: a Django project directory -> IR.

``load_project`` finds the settings module, boots Django in a child process (``worker``) to read
the app registry, then scans the project's own sources with libcst (``scanner``) for QuerySet sites.
Problems in the user's project become diagnostics; an app whose models raise is reported and left
out, and the rest is analysed.
"""

from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional

from ..ir import App, Diagnostic, Model, Project, from_dict

_SETTINGS_RE = re.compile(r"""DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]""")


class LoadError(Exception):
    """The project could not be analysed at all; carries the diagnostics that say why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.render() for d in diagnostics))
        self.diagnostics = diagnostics


def find_settings(root: Path) -> tuple[Optional[str], list[Diagnostic]]:
    """The settings module named by manage.py (os.environ.setdefault), like Django's own template."""
    manage = root / "manage.py"
    if not manage.is_file():
        candidates = sorted(p for p in root.glob("*/manage.py"))
        if not candidates:
            return None, [Diagnostic(
                code="NO_PROJECT", file=str(root), message="no manage.py found: not a Django project directory",
                hint="pass the directory that holds manage.py, or --settings MODULE")]
        manage = candidates[0]
    text = manage.read_text(encoding="utf-8", errors="replace")
    m = _SETTINGS_RE.search(text)
    if not m:
        line = next((i for i, l in enumerate(text.splitlines(), 1) if "DJANGO_SETTINGS_MODULE" in l), 1)
        return None, [Diagnostic(
            code="NO_SETTINGS", file=manage.name, line=line,
            message="manage.py does not name a settings module", hint="pass --settings MODULE")]
    return m.group(1), []


def _worker(root: Path, settings: str, exclude: list[str], schema: bool, env: Optional[dict],
            while_waiting: Optional[Callable[[], None]] = None, compile_file: Optional[str] = None,
            routes: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "result.json")
        cmd = [sys.executable, "-m", "migrator.load.worker", str(root), "--settings", settings, "--out", out]
        for app in exclude:
            cmd += ["--exclude-app", app]
        if schema:
            cmd.append("--schema")
        if compile_file:
            cmd += ["--compile", compile_file]
        if routes:
            cmd.append("--routes")
        pkg_parent = str(Path(__file__).resolve().parents[2])
        run_env = dict(os.environ if env is None else env)
        run_env["PYTHONPATH"] = os.pathsep.join(p for p in (pkg_parent, run_env.get("PYTHONPATH", "")) if p)
        proc = subprocess.Popen(cmd, cwd=root, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if while_waiting is not None:  # the other core parses sources while Django boots
            while_waiting()
        stdout, stderr = proc.communicate()
        if not os.path.exists(out):
            tail = (stderr or stdout).strip().splitlines()[-3:]
            return {"fatal": True, "diagnostics": [{
                "code": "LOADER_CRASH", "message": "the Django loader process died: " + " | ".join(tail),
                "file": "", "line": 0, "column": 0, "severity": "error", "hint": ""}]}
        with open(out, encoding="utf-8") as fh:
            return json.load(fh)


def load_registry(root: Path, settings: Optional[str] = None, *, schema: bool = False,
                  env: Optional[dict] = None,
                  while_waiting: Optional[Callable[[], None]] = None) -> tuple[dict, list[Diagnostic]]:
    """Boot Django for ``root`` and return the worker's result, leaving out apps that fail to import."""
    root = root.resolve()
    diags: list[Diagnostic] = []
    if not root.is_dir():
        raise LoadError([Diagnostic(code="NO_PROJECT", file=str(root), message="no such directory")])
    if settings is None:
        settings, found = find_settings(root)
        if settings is None:
            raise LoadError(found)
    excluded: list[str] = []
    while True:
        result = _worker(root, settings, excluded, schema, env, while_waiting)
        while_waiting = None
        diags += [from_dict(Diagnostic, d) for d in result.get("diagnostics", [])]
        if not result.get("fatal"):
            break
        app = result.get("failed_app")
        if not app or app in excluded:
            raise LoadError(diags)
        excluded.append(app)
    result["settings_module"] = settings
    return result, diags


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Loading builds large structures that hold no reference cycles (libcst trees, the IR) and frees
    little until it is done: the cyclic GC would only scan them again and again (~20% of the parse)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_project(root: Path | str, settings: Optional[str] = None, *, scan: bool = True, schema: bool = False,
                 env: Optional[dict] = None) -> Project:
    root = Path(root).resolve()
    parsed: list = []

    def parse() -> None:
        from .scanner import parse_sources

        parsed.append(parse_sources(root))

    with _gc_paused():
        result, diags = load_registry(root, settings, schema=schema, env=env, while_waiting=parse if scan else None)
        models = tuple(from_dict(Model, m) for m in result["models"])
        apps = tuple(from_dict(App, a) for a in result["apps"])
        sites: list = []
        files = 0
        if scan:
            from .scanner import Index, scan_parsed

            sources, scan_diags, files = parsed[0]
            sites = scan_parsed(Index.build(apps, models), sources)
            diags += scan_diags
    return Project(
        root=str(root),
        settings_module=result["settings_module"],
        django_version=result.get("django_version", ""),
        apps=apps,
        models=models,
        querysets=tuple(sites),
        diagnostics=tuple(diags),
        files_scanned=files,
        databases=result.get("databases", {}),
        schema={k: tuple(v) for k, v in (result.get("schema") or {}).items()},
    )


def compile_sites(project: Project, env: Optional[dict] = None) -> list[dict]:
    """Django's SQL for every static and conditional site, per dialect (see load.compile)."""
    from ..ir import to_dict

    sites = [to_dict(s) for s in project.querysets if s.kind in ("static", "conditional")]
    if not sites:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sites.json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(sites, fh)
        result = _worker(Path(project.root), project.settings_module, [], False, env, compile_file=path)
    return result.get("compiled", [])


def load_routes(project: Project, env: Optional[dict] = None) -> tuple[list[dict], list[Diagnostic]]:
    """Every endpoint of the project's URLconf, includes followed, with its view (see load.urls)."""
    result = _worker(Path(project.root), project.settings_module, [], False, env, routes=True)
    diags = [from_dict(Diagnostic, d) for d in result.get("diagnostics", [])]
    if result.get("fatal"):  # already reported by load_project; say what it means here
        return [], [Diagnostic(code="ROUTES_UNAVAILABLE", severity="warning",
                               message="the URLconf could not be read: the http target has no routes",
                               hint="fix the errors above")]
    return result.get("routes", []), [d for d in diags if d.code.startswith(("ROUTE", "URLCONF"))]
