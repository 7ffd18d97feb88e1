"""`migrate generate`: load, translate, emit, then write the tree (or diff it with --check)."""

from __future__ import annotations

import re
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .config import load_config
from .dialects import DEFAULT
from .emit import Emitted, Options, emit, emit_benchmarks_if
from .emit.manifest import produced
from .gofmt import FormatError
from .ir import Diagnostic, Project
from .plan import Plan
from .translate.types import conversion_diagnostics
from .load import LoadError, load_project
from .toolchain import needed, require
from .write import WriteReport, write_tree

# sqlglot, the translators and the templates are imported while Django boots (``_import_the_rest``), not before the
# Django process starts: importing them first put 0.3 to 0.6 s before Django's boot, the run's critical path


DIALECTS = DEFAULT  # the registry's default dialects (dialects.py); --dialect mysql adds MySQL
# what generate could not do as asked: exit 2 (the tree is incomplete or would not build)
FATAL = {
    "USER_FILE": "a file the user owns is in the way",
    "EMIT_FAILED": "a template produced Go that does not parse (our bug)",
    "UNKNOWN_FIELD_TYPE": "a column is left out of a struct",
    "MODEL_READ_FAILED": "a model could not be read",
    "SQLC_FAILED": "sqlc wrote no Go for a dialect",
    "URLCONF_IMPORT": "the URLconf does not import: the http target has no routes",
}


@dataclass
class GenerateResult:
    project: Optional[Project]
    out: Path
    emitted: Emitted = field(default_factory=Emitted)
    report: WriteReport = field(default_factory=WriteReport)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase (bench/generate_speed.py)
    manifest: dict = field(default_factory=dict)  # what the run produced, per target (write.MANIFEST_JSON)

    @property
    def exit_code(self) -> int:
        if self.project is None or any(d.code in FATAL for d in self.diagnostics):
            return 2
        return 1 if self.report.stale and self.check else 0

    check: bool = False


def _translate_and_emit(project: Project, wanted: tuple[str, ...], options: Options, compiled_later, run_sqlc: bool,
                        timings: dict, drf=None, prestart=None) -> Emitted:
    """translate -> sqlc step -> emit. The GORM models are translated and emitted while Django compiles the
    sites (in the session's process); the queries are translated once that is done, sqlc runs on them, the
    views are planned with what sqlc accepted, and the other targets are rendered."""
    from .sqlcstep import translate_and_run
    from .translate.auth import plan_auth
    from .translate.gorm import translate_models
    from .translate.http_stage import plan_http

    clock = time.perf_counter()
    options.auth = plan_auth(project)  # djauth's user model: written with the common files, whatever the targets
    if "gorm" in wanted:
        options.gorm = translate_models(project, options.user_types)
        timings["translate:gorm"] = round(time.perf_counter() - clock, 4)
    out = emit(project, ("gorm",) if "gorm" in wanted else (), options, timings)
    if "sqlc" in wanted:
        clock = time.perf_counter()
        options.compiled = compiled_later()
        timings["compile"] = round(time.perf_counter() - clock, 4)
        structs = {s.label: s.name for s in options.gorm.structs} if options.gorm else None
        options.plan, options.sqlc = translate_and_run(project, options.compiled, options.dialects, options.user_types,
                                                       options.module, options.schema, run_sqlc, timings, structs,
                                                       prestart)
    if "http" in wanted:
        clock = time.perf_counter()
        options.http = plan_http(project, options.routes, options.sqlc, options.dialects, bool(options.compiled),
                                 options.framework, drf)
        timings["translate:http"] = round(time.perf_counter() - clock, 4)
    options.plan = options.plan or Plan(dialects=tuple(options.dialects))
    options.plan.gorm, options.plan.http = options.gorm, options.http  # the whole Plan (plan.to_json)
    out = emit(project, tuple(t for t in wanted if t != "gorm"), options, timings, before=out)
    return emit_benchmarks_if(project, options, wanted, out)


def prestarted(project: Project, options: Options, run_sqlc: bool = True, early=None):
    """``with prestarted(...) as prestart``: sqlc's inputs, and sqlc started on what it reads first when it will
    run (see sqlcstep.prestart); ``early``: a ``prestart.Early`` started before the load."""
    from .sqlcstep.inputs import Inputs
    from .sqlcstep.prestart import Prestart

    return Prestart(Inputs(project, options.module, options.dialects, options.schema),
                    options.dialects if run_sqlc else (), _site_files(project) if run_sqlc else (), early)


def _site_files(project: Project) -> tuple[str, ...]:
    """The files holding the project's QuerySet sites, found under the root or a ``--source`` tree's base (a name
    not found stays as it is: the prestart then counts it as changed)."""
    from .load.sources import resolve_sources

    trees = resolve_sources(Path(project.root), project.sources)[0] if project.sources else []
    bases = [Path(project.root)] + [Path(t.base) for t in trees]
    found = set()
    for rel in {s.file for s in project.querysets}:
        found.add(str(next((b / rel for b in bases if (b / rel).is_file()), rel)))
    return tuple(sorted(found))


def _import_the_rest() -> None:
    """The modules the steps after the load import, imported by this process while Django boots (after the parse:
    it would wait for Django's process otherwise)."""
    from . import templating
    from .sqlcstep import inputs  # noqa: F401  (the translate stage and sqlglot; jinja2 below)
    from .translate import auth, gorm, http_stage  # noqa: F401

    templating.environment()


def default_module(project: Project) -> str:
    base = project.settings_module.split(".")[0]
    return re.sub(r"[^a-z0-9_]", "", base.lower()) + "go"


def generate(root: Path | str, out: Path | str = "generated", targets: tuple[str, ...] = ("all",),
             dialects: tuple[str, ...] = DIALECTS, check: bool = False, module: Optional[str] = None,
             settings: Optional[str] = None, framework: str = "nethttp", run_sqlc: bool = True,
             sources: tuple[str, ...] = (), include_tests: bool = False) -> GenerateResult:
    """``run_sqlc=False`` leaves out running the sqlc binary (the speed benchmark measures the tool alone).
    ``sources``/``include_tests``: see ``load_project`` (added to migrator.yaml's)."""
    root, out = Path(root).resolve(), Path(out).resolve()
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 4)
        clock = now

    from .emit import ALL
    from .load.drf_once import drf_read
    from .load import Session, compile_sites_later, load_routes
    from .load.drf_sites import with_drf_sites
    from .load.path_sites import with_path_sites
    from .load.save_sites import with_derived_sites

    wanted = ALL if "all" in targets else targets
    if "http" in wanted and "gorm" not in wanted:  # the server opens the database with the gorm package
        targets = wanted = (*wanted, "gorm")
    when = (("--target sqlc or all",) if "sqlc" in wanted and run_sqlc else ()) + (
        ("--dialect postgresql",) if "postgresql" in dialects else ()) + (
        ("--dialect mysql",) if "mysql" in dialects else ())
    tools = require("generate", *needed("generate", when))
    if tools:  # before Django loads: a missing tool is a message, not a traceback halfway through emitting
        return GenerateResult(project=None, out=out, diagnostics=tools, check=check)
    config, config_diags = load_config(root)
    with Session(routes="http" in wanted, drf="sqlc" in wanted) as session, ExitStack() as stack:  # one Django process: load, compile, routes
        from .sqlcstep.prestart import Early  # (sqlglot is not imported by it: that is _import_the_rest's, below)

        # sqlc's slow engine on the last run's schema (sqlcstep/prestart.Early), started with Django's boot: its
        # start is about 1.5 s of CPU, and after a one-view edit it was the last thing the sqlc step waited for
        early = stack.enter_context(Early(root, tuple(dialects) if "sqlc" in wanted and run_sqlc else ()))
        early.start()
        try:
            project = load_project(root, settings, schema=True, session=session,
                                   idle=_import_the_rest, **config.scan_options(sources, include_tests))
        except LoadError as exc:
            return GenerateResult(project=None, out=out, diagnostics=config_diags + list(exc.diagnostics), check=check)
        drf = drf_read(project, session) if "sqlc" in wanted else None  # read once, in the session's Django
        project = with_drf_sites(project, drf) if drf is not None else project  # DRF's get_object queries
        project = with_derived_sites(with_path_sites(project)) if "sqlc" in wanted else project  # per if/elif path, ...
        lap("load")
        # Django compiles every site in the session's process while this one emits the GORM models
        compiled_later = compile_sites_later(project, session=session, dialects=tuple(dialects)) if "sqlc" in wanted else list
        routes, route_diags = load_routes(project, session=session) if "http" in wanted else ([], [])
        options = Options(module=module or default_module(project), dialects=tuple(dialects),
                          schema={k: list(v) for k, v in project.schema.items()}, user_types=config.types,
                          framework=framework, routes=routes)
        # sqlc's slow engine starts now, on sqlc.yaml and the schema, and waits for the queries (sqlcstep/prestart)
        prestart = stack.enter_context(prestarted(project, options, run_sqlc, early)) if "sqlc" in wanted else None
        result = GenerateResult(project=project, out=out, check=check, timings=timings,
                                diagnostics=[d for d in project.diagnostics] + config_diags + route_diags
                                + conversion_diagnostics(list(project.models), config.types))
        lap("start")
        try:
            result.emitted = _translate_and_emit(project, wanted, options, compiled_later, run_sqlc, timings, drf,
                                                 prestart)
        except FormatError as exc:  # our bug: a template produced Go that does not parse
            result.diagnostics.append(Diagnostic(code="EMIT_FAILED", message=str(exc)))
            return result
        clock = time.perf_counter()
    result.diagnostics += result.emitted.diagnostics
    if options.compiled:
        from .load import compile_diagnostics

        result.diagnostics += compile_diagnostics(project, options.compiled)
    result.manifest = produced(framework, result.emitted)
    result.report = write_tree(out, result.emitted.files, check=check, targets=wanted, produced=result.manifest)
    lap("write")
    result.diagnostics += result.report.refused
    return result
