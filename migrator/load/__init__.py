"""Load stage: a Django project directory -> IR.

``load_project`` finds the settings module, boots Django in a child process (``worker``, run by ``process``) to read
the app registry, then scans the project's own sources with libcst (``scanner``) for QuerySet sites.
Problems in the user's project become diagnostics; an app whose models raise is reported and left
out, and the rest is analysed.
"""

from __future__ import annotations

import gc
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional

from ..ir import App, Diagnostic, Model, Project, from_dict
from .process import Worker, load_timeout  # noqa: F401 - load_timeout: load.drf_read's import

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
    """One request to a fresh Django process."""
    w = Worker(root, settings, exclude, schema, env, routes=routes, compile_file=compile_file)
    try:
        return w.first(while_waiting)
    finally:
        w.close()


class Session:
    """One Django process for a whole ``generate``: ``load_project``, ``compile_sites`` and ``load_routes``
    given the session use it instead of booting Django three times (about 1.5 s each at 1000 models)."""

    def __init__(self, *, routes: bool = False, env: Optional[dict] = None, drf: bool = False):
        """``drf``: the caller will wait for the DRF read (load.drf_once): a project that installs DRF gets it asked
        as soon as the registry is read, so the Django process collects it while this one scans the sources."""
        self.routes = routes
        self.env = env
        self.drf = drf
        self.worker: Optional[Worker] = None
        self.first: dict = {}
        self.drf_reply: Optional[str] = None  # the early DRF request's result file (drf_once receives it)

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """End the session's Django process, if one runs."""
        if self.worker is not None:
            self.worker.close()
            self.worker = None


def load_registry(root: Path, settings: Optional[str] = None, *, schema: bool = False,
                  env: Optional[dict] = None, while_waiting: Optional[Callable[[], None]] = None,
                  session: Optional[Session] = None) -> tuple[dict, list[Diagnostic]]:
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
        if session is None:
            result = _worker(root, settings, excluded, schema, env, while_waiting)
        else:
            session.close()  # a retry without a failed app starts a new process
            session.worker = Worker(root, settings, excluded, schema, session.env if env is None else env,
                                    routes=session.routes, serve=True)
            result = session.first = session.worker.first(while_waiting)
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
                 env: Optional[dict] = None, session: Optional[Session] = None, sources: tuple[str, ...] = (),
                 include_tests: bool = False, idle: Optional[Callable[[], None]] = None) -> Project:
    """``sources``: more trees to scan (package names or directories, see ``load.sources``); their apps
    count as the project's. ``include_tests``: scan test code too. ``idle``: the caller's work for this process
    while Django boots, run after the parse (this process would wait for Django's process otherwise)."""
    from .sources import ENV, encode, resolve_sources

    root = Path(root).resolve()
    parsed: list = []
    trees, source_diags = resolve_sources(root, sources)
    if trees:  # the worker marks apps inside these trees as project apps and puts them on sys.path
        env = dict(os.environ if env is None else env, **{ENV: encode(trees)})
        if session is not None:
            session.env = dict(session.env or os.environ, **{ENV: encode(trees)})

    def parse() -> None:
        from .scanner import parse_sources

        parsed.append(parse_sources(root, trees, include_tests))

    def meanwhile() -> None:
        if scan:
            parse()
        if idle is not None:
            idle()

    with _gc_paused():
        result, diags = load_registry(root, settings, schema=schema, env=env, while_waiting=meanwhile,
                                      session=session)
        diags = source_diags + diags
        if session is not None and session.drf and session.worker is not None and any(
                a.get("name") == "rest_framework" for a in result["apps"]):
            session.drf_reply = session.worker.send(drf=True)  # answered while the scan below runs
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
        sources=tuple(t.spec for t in trees),
    )


def project_env(project: Project, env: Optional[dict] = None) -> Optional[dict]:
    """The environment of a Django worker for ``project``: its ``--source`` trees included."""
    from .sources import ENV, encode, resolve_sources

    if not project.sources:
        return env
    trees, _ = resolve_sources(Path(project.root), project.sources)
    return dict(os.environ if env is None else env, **{ENV: encode(trees)})


def compile_sites(project: Project, env: Optional[dict] = None, session: Optional[Session] = None,
                  dialects: Optional[tuple[str, ...]] = None) -> list[dict]:
    """Django's SQL for every static and conditional site, per dialect (see load.compile)."""
    return compile_sites_later(project, env, session, dialects)()


def compile_sites_later(project: Project, env: Optional[dict] = None, session: Optional[Session] = None,
                        dialects: Optional[tuple[str, ...]] = None) -> Callable[[], list[dict]]:
    """Start ``compile_sites``; the returned callable waits for its result. In a session, Django compiles
    in its own process while the caller goes on (generate emits the GORM models meanwhile).

    Every site is bounded (MIGRATOR_COMPILE_TIMEOUT, see load.isolate): a site the worker cannot leave
    ends as COMPILE_TIMEOUT, the worker is restarted without it, and the other sites still compile."""
    from ..ir import to_dict
    from .compile_job import DIALECTS, CompileJob, not_compiled

    sites = [to_dict(s) for s in project.querysets if s.kind in ("static", "conditional")]
    if not sites:
        return list
    own = session is None or session.worker is None
    if own:
        worker = Worker(Path(project.root), project.settings_module, [], False, project_env(project, env), serve=True)
        first = worker.first()
        if first.get("fatal"):
            worker.close()
            return lambda: not_compiled(sites, "the Django process did not start: " + "; ".join(
                d["message"] for d in first.get("diagnostics", [])), dialects=dialects or DIALECTS)
    else:
        worker = session.worker
    job = CompileJob(worker, sites, dialects or DIALECTS)

    def wait() -> list[dict]:
        try:
            return job.wait()
        finally:
            if own:
                job.worker.close()
            else:
                session.worker = job.worker  # restarted, maybe
    return wait


def compile_diagnostics(project: Project, compiled: list[dict]) -> list[Diagnostic]:
    """Located diagnostics for what compiling met beyond an untranslated construct (see load.compile_job)."""
    from .compile_job import compile_diagnostics as diagnostics

    return diagnostics(project, compiled)


def load_routes(project: Project, env: Optional[dict] = None,
                session: Optional[Session] = None) -> tuple[list[dict], list[Diagnostic]]:
    """Every endpoint of the project's URLconf, includes followed, with its view (see load.urls)."""
    if session is not None and session.routes and "routes" in session.first:
        return session.first["routes"], []  # its diagnostics are the project's already
    else:
        result = _worker(Path(project.root), project.settings_module, [], False, project_env(project, env), routes=True)
    diags = [from_dict(Diagnostic, d) for d in result.get("diagnostics", [])]
    if result.get("fatal"):  # already reported by load_project; say what it means here
        return [], [Diagnostic(code="ROUTES_UNAVAILABLE", severity="warning",
                               message="the URLconf could not be read: the http target has no routes",
                               hint="fix the errors above")]
    return result.get("routes", []), [d for d in diags if d.code.startswith(("ROUTE", "URLCONF"))]
