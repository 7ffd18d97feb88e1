"""`migrate parity`: generate (or reuse) the Go tree, build its check programs, load a scratch database
with Django, run every registered check and collect one result per case.

A check is a function ``check(ctx: Context) -> list[Case]`` registered in ``CHECKS`` (``@register("name")``);
checks_schema, checks_models and checks_queries register themselves on import, and an ``http`` check
plugs in the same way. A setup problem every check needs (database unreachable, the project does not
load or migrate) raises ``CannotRun``: the command exits 2 with the reason. A problem one check needs
(``go build`` of its checker program, no Go toolchain, a checker program that crashes) raises
``CannotRun`` inside that check: it is reported as "could not run" with the reason and the other checks
run. Each check builds only the Go program it uses (``Context.go`` builds on first use).

Exit codes: 1 when a case failed (a real mismatch, and nothing else); otherwise 2 when a check could not
run (or nothing could), 0 when every check ran and passed.
"""

from __future__ import annotations

import glob
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable

from ..toolchain import needed, require
from .sandbox import side_effect_diagnostics
from .scratch import Scratch, Unavailable
from .context import (  # noqa: F401  (re-exported: the CLI, bench and tests import them from the runner)
    CHECKS, DATA_MODES, PROGRAMS, STATUSES, STEP_TIMEOUT, CannotRun, Case, Context, Options, Report, _build, _env,
    register,
)

def _load_checks() -> None:
    from . import checks_models, checks_queries, checks_schema  # noqa: F401  (they register themselves)
    from . import checks_http  # noqa: F401  (registers "http", run last: it starts both servers)

    import importlib
    import importlib.util

    for extra in ("http",):  # checks added later register themselves the same way when their module exists
        if importlib.util.find_spec(f"{__package__}.{extra}") is not None:
            importlib.import_module(f"{__package__}.{extra}")


def _tree(opts: Options, work: Path, progress, dialect: str = "sqlite") -> tuple[object, Path]:
    """The generate result (IR + queries) and the tree to build; generates when needed (with the database's
    dialect added when it is not a default one: MySQL)."""
    from ..generate import DIALECTS, generate

    dialects = DIALECTS + ((dialect,) if dialect not in DIALECTS else ())
    if opts.generated is not None and opts.generated.is_dir() and any(opts.generated.iterdir()):
        tree = opts.generated.resolve()
        progress(f"checking {tree}")
        # check mode writes nothing but still translates: the queries parity runs come from it
        result = generate(opts.root, tree, targets=("all",), dialects=dialects, check=True, settings=opts.settings,
                          framework=opts.framework)
        if result.project is None:
            raise CannotRun("the project does not load: " + "; ".join(d.render() for d in result.diagnostics))
        if not result.report.stale or opts.no_generate:
            return result, tree
    elif opts.no_generate:
        raise CannotRun(f"--no-generate needs an existing tree in --generated (got {opts.generated})")
    tree = (opts.generated or work / "tree").resolve()
    progress(f"generating {tree}")
    result = generate(opts.root, tree, targets=("all",), dialects=dialects, settings=opts.settings,
                      framework=opts.framework)
    if result.exit_code != 0:
        raise CannotRun("generate failed: " + "; ".join(d.render() for d in result.diagnostics if d.severity == "error"))
    return result, tree


def project_fixtures(root: Path) -> list[Path]:
    """The project's own fixtures: <root>/fixtures/*.json, else <app>/fixtures/*.json."""
    found = sorted(Path(p) for p in glob.glob(str(root / "fixtures" / "*.json")))
    return found or sorted(Path(p) for p in glob.glob(str(root / "*" / "fixtures" / "*.json")))


def _load_data(ctx: Context, opts: Options, report: Report) -> None:
    """Fill the migrated database: fixtures (one by one; a stale one is skipped with a diagnostic), data
    generated from the models, or both. Nothing here stops the run: a problem is a diagnostic."""
    from ..ir import Diagnostic
    from .bounds import bounds_file

    fixtures = [Path(f).resolve() for f in opts.fixtures] or project_fixtures(ctx.root)
    mode = opts.data if opts.data != "auto" else ("fixtures" if fixtures else "generated")
    seed = opts.seed or 0
    parts = []
    if mode in ("fixtures", "both"):
        if not fixtures:
            report.diagnostics.append(Diagnostic(
                code="PARITY_NO_FIXTURES", severity="warning", file=str(ctx.root),
                message=f"--data {mode}: the project has no fixtures/*.json (nor <app>/fixtures/*.json)",
                hint="give them with --fixture FILE, or use --data generated"))
        else:
            progress = ctx.progress
            progress("loading " + ", ".join(f.name for f in fixtures))
            try:
                res = ctx.django(ctx.url, "loadfixtures", *[str(f) for f in fixtures])
            except RuntimeError as exc:
                res = {"loaded": [], "skipped": [{"fixture": str(f), "error": str(exc)} for f in fixtures]}
            for sk in res["skipped"]:
                report.diagnostics.append(Diagnostic(
                    code="PARITY_FIXTURE_SKIPPED", severity="warning", file=sk["fixture"],
                    message=f"not loaded: {sk['error']}",
                    hint="the fixture does not match the models any more (regenerate it with dumpdata); "
                         "the other fixtures are loaded"))
            parts.append("fixtures: " + (", ".join(res["loaded"]) or "none loaded")
                         + (f" ({len(res['skipped'])} skipped)" if res["skipped"] else ""))
    if mode in ("generated", "both"):
        ctx.progress(f"generating data (seed {seed})")
        try:
            made = ctx.django(ctx.url, "generate", str(seed), str(opts.rows), str(bounds_file(ctx)))
        except RuntimeError as exc:
            made = {"rows": {}, "skipped": [f"the generator stopped: {exc}"]}
        for why in made["skipped"]:
            report.diagnostics.append(Diagnostic(code="PARITY_ROW_SKIPPED", severity="info", file=str(ctx.root),
                                                 message=f"generated data: {why}"))
        parts.append(f"generated from the models (seed {seed}): {sum(made['rows'].values())} rows"
                     + (f", {len(made['skipped'])} skipped" if made["skipped"] else ""))
        if mode == "both" and fixtures:
            _second_database(ctx, opts, seed, report)
    elif opts.seed is not None:
        report.diagnostics.append(Diagnostic(
            code="PARITY_SEED_UNUSED", severity="warning", file=str(ctx.root),
            message=f"--seed {opts.seed} has no effect: the data are the project's fixtures only",
            hint="--data generated or --data both uses generated data"))
    ctx.data = "; ".join(parts)


def _second_database(ctx: Context, opts: Options, seed: int, report: Report) -> None:
    """--data both: a second database with the generated rows only. A read without parameters is decided by
    the data alone, and the fixtures can decide it for every mutant (an active product out of stock makes
    `is_active AND stock = 0` true whatever the Go side drops; 20 fixture profiles fill a `LIMIT 10`, so the
    row on the bound never shows): the queries check runs those reads on both databases. Here the rows such an
    `.exists()` finds are turned round (boundary_rows.exists_rows), so the two databases answer it both ways."""
    from ..ir import Diagnostic
    from .bounds import bounds_file

    try:
        url = ctx.scratch.fresh("generated")
        ctx.django(url, "migrate")
        ctx.django(url, "generate", str(seed), str(opts.rows), str(bounds_file(ctx, second=True)))
    except RuntimeError as exc:
        report.diagnostics.append(Diagnostic(code="PARITY_ROW_SKIPPED", severity="info", file=str(ctx.root),
                                             message=f"no second database of generated rows: {exc}"))
        return
    ctx.second_url = url


def _refused(opts: Options, wanted: list[str]) -> str:
    """Why the options refuse the run before anything starts ("" when they do not)."""
    if opts.data not in DATA_MODES:
        return f"--data {opts.data!r}: expected one of {', '.join(DATA_MODES[1:])}"
    unknown = [c for c in opts.only if c not in CHECKS]
    if unknown:
        return f"unknown check(s) {', '.join(unknown)}; known: {', '.join(CHECKS)}"
    idle = [c for c in opts.mutate if c not in wanted]
    if idle:
        return f"--mutate {', '.join(idle)}: only the mutants of a check that runs are judged ({', '.join(wanted)})"
    return ""


def run(opts: Options, progress: Callable[[str], None] = lambda msg: None) -> Report:
    from ..config import load_config
    from ..dialects import for_url

    started = time.monotonic()
    _load_checks()
    wanted = [c for c in CHECKS if not opts.only or c in opts.only]
    config, _ = load_config(Path(opts.root))
    report = Report(project=str(opts.root), dialect=for_url(opts.database),
                    database=opts.database or "sqlite (scratch files)", tree="", intended=config.intended)
    report.error = _refused(opts, wanted)
    if report.error:
        return report
    # what every check needs refuses the run; Go only the checks that build a program (could not run),
    # psycopg only a PostgreSQL run
    tools = require("parity", *[t for t in needed("parity") if t != "go" and (t != "psycopg" or opts.database)])
    if tools:
        report.error = "\n".join(d.render() for d in tools)
        return report
    go_problem = "\n".join(d.render() for d in require("parity", "go"))
    work = Path(tempfile.mkdtemp(prefix="migrator-parity-"))
    scratch = None
    try:
        try:
            scratch = Scratch(opts.database, work / "db")
        except Unavailable as exc:
            raise CannotRun(str(exc)) from exc
        generated, tree = _tree(opts, work, progress, scratch.dialect)
        report.tree = str(tree) + ("" if opts.generated else " (temporary, removed at the end)")
        bin_dir = work / "bin"
        ctx = Context(root=Path(opts.root).resolve(), settings=generated.project.settings_module,
                      dialect=scratch.dialect, tree=tree, work=work, bin=bin_dir, generated=generated,
                      scratch=scratch, progress=progress, go_problem=go_problem)
        progress("migrating the scratch database")
        ctx.url = scratch.fresh("loaded")
        try:
            ctx.django(ctx.url, "migrate")
        except RuntimeError as exc:
            raise CannotRun(f"Django could not migrate the scratch database: {exc}") from exc
        _load_data(ctx, opts, report)
        report.data = ctx.data
        for name in wanted:
            t0 = time.monotonic()
            progress(f"{name}: running")
            try:
                cases = CHECKS[name](ctx)
            except (CannotRun, RuntimeError) as exc:  # not a mismatch: this check could not run, others do
                report.could_not_run[name] = str(exc)
            else:
                report.cases += apply_intended(cases, config.intended, name)
                # what already fails on the tree as it is: a mutant is not killed by these
                ctx.query_runs.setdefault("failed", set()).update(c.name for c in cases if c.status == "failed")
                if name == "schema":  # a failing table's differences: a schema mutant is judged by a change in them
                    ctx.query_runs["schema_diffs"] = {c.name: c.detail for c in cases if c.status == "failed"}
                ctx.query_runs.setdefault("skipped", set()).update(c.name for c in cases if c.status == "skipped")
            report.seconds[name] = time.monotonic() - t0
            progress(f"{name}: done")
        if opts.mutants > 0 and not report.could_not_run:
            from .mutation import run_mutants

            try:
                report.mutation = run_mutants(ctx, opts.mutants, opts.mutant_seed, set(opts.mutate or wanted))
            except (CannotRun, RuntimeError) as exc:
                report.could_not_run["mutants"] = str(exc)
        if wanted and set(report.could_not_run) == set(wanted):
            report.error = "no check could run (the reason of each is below)"
    except CannotRun as exc:
        report.error = str(exc)
    finally:
        if scratch is not None:
            scratch.close()
        report.diagnostics += side_effect_diagnostics(Path(opts.root), work)  # writes refused (sandbox.py)
        shutil.rmtree(work, ignore_errors=True)
        report.total_seconds = time.monotonic() - started
    return report


def _matches(entry: dict, case: Case) -> bool:
    target = entry.get("query") or entry.get("case") or entry.get("model") or entry.get("table") or ""
    return bool(target) and (case.name == target or case.name.startswith(f"{target} ") or f" {target} " in
                             f" {case.name} ")


def apply_intended(cases: list[Case], intended: tuple[dict, ...], check: str) -> list[Case]:
    """Failures declared in migrator.yaml become `intended` (with the reason); a declaration matching no
    failure is listed too, so none is ever dropped silently."""
    entries = [e for e in intended if e.get("check", check) == check]
    used = set()
    for case in cases:
        if case.status != "failed":
            continue
        for i, e in enumerate(entries):
            if _matches(e, case):
                case.status, case.reason = "intended", str(e.get("reason", "(no reason given)"))
                used.add(i)
                break
    for i, e in enumerate(entries):
        if i not in used:
            target = e.get("query") or e.get("case") or e.get("model") or e.get("table") or "?"
            cases.append(Case(check=check, name=str(target), status="intended",
                              reason=f"declared ({e.get('reason', 'no reason given')}) but not observed: "
                                     "the two sides agree, the declaration can go"))
    return cases
