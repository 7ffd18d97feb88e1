"""Typer wiring only: every command calls a library function that the tests call too."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .dialects import NAMES as DIALECT_NAMES
from .frameworks import NAMES as FRAMEWORK_NAMES
from .report import RENDERERS

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Move a Django application's data layer to Go (sqlc, GORM, net/http) and prove parity.")

Format = enum.Enum("Format", {k: k for k in RENDERERS}, type=str)

SOURCE_HELP = ("More code to scan, outside the project directory: an installed package (todo) or a directory "
               "(../src), repeatable; added to migrator.yaml's `sources:`. Its apps count as the project's.")
TESTS_HELP = "Also scan test code (tests.py, test_*.py, tests/, conftest.py), left out by default."


def _progress(msg: str) -> None:
    if sys.stderr.isatty():
        typer.echo(f"\r\033[K{msg}", err=True, nl=False)


def _details(diagnostics, verbose: bool) -> None:
    """--verbose: what a diagnostic keeps beyond its line (the loader's traceback of a model it could not read)."""
    for d in diagnostics if verbose else ():
        if d.detail:
            typer.echo(f"{d.render()}\n{d.detail.rstrip()}", err=True)


def _progress_done() -> None:
    """Clear the progress line before the command prints its result."""
    if sys.stderr.isatty():
        typer.echo("\r\033[K", err=True, nl=False)


@app.callback(invoke_without_command=True)
def _root(version: bool = typer.Option(False, "--version", help="Print the version and exit.")) -> None:
    if version:
        typer.echo(__version__)
        raise typer.Exit()


@app.command()
def analyze(
    project_dir: Path = typer.Argument(Path("."), help="Directory holding manage.py."),
    settings: Optional[str] = typer.Option(None, "--settings", help="Settings module (default: from manage.py)."),
    format: Format = typer.Option("table", "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report here instead of stdout."),
    sqlc: bool = typer.Option(False, "--sqlc", help="Also compile every site with Django and report which the "
                              "sqlc target translates, and why not (slower: Django compiles each site)."),
    http: bool = typer.Option(False, "--http", help="Also report, per view, whether the http target migrates it "
                              "or leaves a 501 stub, and why (implies --sqlc; runs sqlc)."),
    source: Optional[list[str]] = typer.Option(None, "--source", help=SOURCE_HELP),
    include_tests: bool = typer.Option(False, "--include-tests", help=TESTS_HELP),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also print each diagnostic's details "
                                 "(e.g. the traceback of a model the loader could not read)."),
) -> None:
    """Every model, field, relation and QuerySet site, each classified, with file:line."""
    from .analyze import analyze as run

    result = run(project_dir, settings, progress=_progress, sqlc=sqlc, http=http, sources=tuple(source or ()),
                 include_tests=include_tests)
    _progress_done()
    text = RENDERERS[format.value](result)
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
    else:
        typer.echo(text, nl=False)
    if format.value != "table" or output:
        for d in result.diagnostics:
            typer.echo(d.render(), err=True)
    _details(result.diagnostics, verbose)
    raise typer.Exit(0 if result.ok else 2)


Target = enum.Enum("Target", {k: k for k in ("all", *__import__("migrator.emit", fromlist=["TARGETS"]).TARGETS)},
                   type=str)
Dialect = enum.Enum("Dialect", {d: d for d in DIALECT_NAMES}, type=str)  # the registry (dialects.py)
Framework = enum.Enum("Framework", {k: k for k in FRAMEWORK_NAMES}, type=str)


@app.command()
def generate(
    project_dir: Path = typer.Argument(Path("."), help="Directory holding manage.py."),
    target: list[Target] = typer.Option(["all"], "--target", "-t", help="What to generate (repeatable)."),
    dialect: Optional[list[Dialect]] = typer.Option(None, "--dialect", help="Database(s) to generate for "
                                                    "(default: sqlite and postgresql)."),
    out: Path = typer.Option(Path("generated"), "--out", "-o", help="Output directory (a Go module)."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 and print the diff when stale."),
    module: Optional[str] = typer.Option(None, "--module", help="Go module path (default: <settings package>go)."),
    settings: Optional[str] = typer.Option(None, "--settings", help="Settings module (default: from manage.py)."),
    framework: Framework = typer.Option("nethttp", "--framework", help="HTTP framework of the http target."),
    source: Optional[list[str]] = typer.Option(None, "--source", help=SOURCE_HELP),
    include_tests: bool = typer.Option(False, "--include-tests", help=TESTS_HELP),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also print each diagnostic's details "
                                 "(e.g. the traceback of a model the loader could not read)."),
) -> None:
    """Write the Go side: Django's schema per dialect, GORM models, sqlc queries, an HTTP service."""
    from .generate import DIALECTS, generate as run

    dialects = tuple(d.value for d in dialect) if dialect else DIALECTS
    result = run(project_dir, out, tuple(t.value for t in target), dialects, check, module, settings,
                 framework=framework.value, sources=tuple(source or ()), include_tests=include_tests)
    for d in result.diagnostics:
        typer.echo(d.render(), err=True)
    _details(result.diagnostics, verbose)
    if result.project is None:
        raise typer.Exit(2)
    r = result.report
    for note in result.emitted.notes:
        typer.echo(note)
    if check:
        if r.stale:
            typer.echo(r.diff, nl=False)
            typer.echo(f"{out} is stale: {len(r.written) + len(r.removed)} file(s) differ; run migrate generate", err=True)
        else:
            typer.echo(f"{out} is current ({len(r.unchanged)} generated files)")
    else:
        typer.echo(f"{out}: {len(r.written)} written, {len(r.unchanged)} unchanged, {len(r.removed)} removed, "
                   f"{len(r.scaffolds_kept)} scaffolds kept")
    raise typer.Exit(result.exit_code)


Check = enum.Enum("Check", {k: k for k in ("schema", "models", "queries", "http")}, type=str)


@app.command()
def parity(
    project_dir: Path = typer.Argument(Path("."), help="Directory holding manage.py."),
    generated: Optional[Path] = typer.Option(None, "--generated", help="The Go tree: reused when current, "
                                             "(re)generated otherwise (default: a temporary directory)."),
    no_generate: bool = typer.Option(False, "--no-generate", help="Use the --generated tree as it is, even stale."),
    database: Optional[str] = typer.Option(None, "--database", help="postgresql://user@host:port/name or mysql://...: "
                                           "scratch databases on that server (default: SQLite files)."),
    only: Optional[list[Check]] = typer.Option(None, "--only", help="Run only this check (repeatable)."),
    fixture: Optional[list[Path]] = typer.Option(None, "--fixture", help="Fixture to load (repeatable; default: "
                                                 "the project's fixtures/*.json, else generated data)."),
    data: str = typer.Option("auto", "--data", help="generated | fixtures | both: the data loaded before the checks "
                             "(default: the fixtures when there are any, else generated from the models)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed of the generated data (default 0)."),
    junit: Optional[Path] = typer.Option(None, "--junit", help="Write JUnit XML here."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the JSON report here."),
    settings: Optional[str] = typer.Option(None, "--settings", help="Settings module (default: from manage.py)."),
    mutants: int = typer.Option(0, "--mutants", help="Derive N mutants of the tree and report how many the "
                                "checks kill: the parity strength (docs/parity.md)."),
    mutant_seed: int = typer.Option(0, "--mutant-seed", help="Seed choosing the --mutants (default 0)."),
    mutate: Optional[list[Check]] = typer.Option(None, "--mutate", help="With --mutants: derive them from this check "
                                                 "only (repeatable; default: every check that runs)."),
    strength: bool = typer.Option(False, "--strength", help="With --mutants: list every query and model, weakest "
                                  "first, with the data that would kill each survivor."),
    framework: Framework = typer.Option("nethttp", "--framework", help="HTTP framework of the Go tree the http "
                                        "check serves (generated with it)."),
) -> None:
    """Run Django and the generated Go against the same database; exit 1 on any difference, 2 if it cannot run."""
    from .parity import report as render
    from .parity.runner import Options, run

    opts = Options(root=project_dir.resolve(), generated=generated, no_generate=no_generate, database=database,
                   only=tuple(c.value for c in only or ()), fixtures=tuple(fixture or ()), seed=seed, data=data,
                   settings=settings, mutants=mutants, mutant_seed=mutant_seed,
                   mutate=tuple(c.value for c in mutate or ()),
                   framework=framework.value)
    result = run(opts, progress=_progress)
    _progress_done()
    typer.echo(render.text(result), nl=False)
    if result.mutation:
        typer.echo(render.strength(result, weakest=strength), nl=False)
    if junit:
        junit.write_text(render.junit(result), encoding="utf-8")
    if json_out:
        json_out.write_text(render.as_json(result), encoding="utf-8")
    raise typer.Exit(result.exit_code)


@app.command()
def bench(
    project_dir: Path = typer.Argument(Path("."), help="Directory holding manage.py."),
    database: Optional[str] = typer.Option(None, "--database", help="postgresql://user@host:port/name or mysql://...: "
                                           "both stacks run on a scratch database created there (required)."),
    endpoint: Optional[list[str]] = typer.Option(None, "--endpoint", help="Path to load (repeatable; default: a "
                                                 "migrated list view and a migrated detail view)."),
    duration: Optional[float] = typer.Option(None, "--duration", help="Seconds per load run (default 10; quick 1.5)."),
    repeat: Optional[int] = typer.Option(None, "--repeat", help="Rounds, stacks alternating (default 3; quick 1)."),
    quick: bool = typer.Option(False, "--quick", help="Short runs for CI (under a minute)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the JSON report here."),
    markdown: Optional[Path] = typer.Option(None, "--markdown", help="Write the Markdown report here (and its chart, "
                                            "the same name with .svg)."),
    settings: Optional[str] = typer.Option(None, "--settings", help="Settings module (default: from manage.py)."),
    generated: Optional[Path] = typer.Option(None, "--generated", help="The Go tree: reused when current, "
                                             "(re)generated otherwise (default: a temporary directory)."),
) -> None:
    """Django under gunicorn against the generated Go service on one PostgreSQL: cold start, memory, throughput, latency."""
    from .bench import report as render
    from .bench.runner import Options, run
    from .parity.runner import CannotRun

    opts = Options(root=project_dir.resolve(), database=database, endpoints=tuple(endpoint or ()), duration=duration,
                   repeat=repeat, quick=quick, settings=settings, generated=generated)
    try:
        result = run(opts, progress=_progress)
    except CannotRun as exc:
        _progress_done()
        typer.echo(f"migrate bench cannot run: {exc}", err=True)
        raise typer.Exit(2)
    _progress_done()
    typer.echo(render.text(result), nl=False)
    if json_out:
        json_out.write_text(render.as_json(result), encoding="utf-8")
    if markdown:
        render.write_markdown(result, markdown)
    raise typer.Exit(0)


Gateway = enum.Enum("Gateway", {k: k for k in __import__("migrator.cutover.gateways", fromlist=["GATEWAYS"]).GATEWAYS},
                     type=str)
StatusFormat = enum.Enum("StatusFormat", {k: k for k in ("table", "json", "markdown")}, type=str)
CUTOVER_REPORTS = {
    "parity": "The last `migrate parity --json` report (default: migrator.yaml's cutover.parity).",
    "bench": "The last `migrate bench --json` report (default: cutover.bench).",
    "shadow_log": "The shadow comparator's JSON lines (default: cutover.shadow_log).",
    "config": "The migrator.yaml to read (default: the project's).",
}


def _cutover_plan(project_dir: Path, generated: Path, parity: Optional[Path], bench: Optional[Path],
                  shadow_log: Optional[Path], config: Optional[Path]):
    from .cutover import plan

    p = plan(project_dir.resolve(), generated, parity=parity, bench=bench, shadow_log=shadow_log,
             config=config.resolve() if config else None)
    for d in p.diagnostics:
        typer.echo(d.render(), err=True)
    if not p.ok:
        raise typer.Exit(2)
    return p


@app.command()
def cutover(
    project_dir: Path = typer.Argument(Path("."), help="Directory holding manage.py and migrator.yaml."),
    gateway: list[Gateway] = typer.Option(..., "--gateway", "-g", help="Gateway to write the config of (repeatable)."),
    generated: Path = typer.Option(Path("generated"), "--generated", help="The generated Go tree (its http routes)."),
    out: Path = typer.Option(Path("cutover"), "--out", "-o", help="Directory to write the configs into."),
    parity: Optional[Path] = typer.Option(None, "--parity", help=CUTOVER_REPORTS["parity"]),
    config: Optional[Path] = typer.Option(None, "--config", help=CUTOVER_REPORTS["config"]),
) -> None:
    """Gateway configs from migrator.yaml's per-route states (django, shadow, canary N, go); exit 1 when a
    route was held at shadow (a stub, or parity not passed, and not forced), 2 when it cannot run."""
    from .cutover import write_gateway
    from .cutover.status import summary

    p = _cutover_plan(project_dir, generated, parity, None, None, config)
    for g in dict.fromkeys(x.value for x in gateway):
        for path in write_gateway(p, g, out):
            typer.echo(f"wrote {path}")
    typer.echo(summary(p))
    raise typer.Exit(1 if p.held else 0)


@app.command()
def status(
    project_dir: Path = typer.Argument(Path("."), help="Directory holding manage.py and migrator.yaml."),
    generated: Path = typer.Option(Path("generated"), "--generated", help="The generated Go tree (its http routes)."),
    format: StatusFormat = typer.Option("table", "--format", "-f", help="Output format."),
    parity: Optional[Path] = typer.Option(None, "--parity", help=CUTOVER_REPORTS["parity"]),
    bench: Optional[Path] = typer.Option(None, "--bench", help=CUTOVER_REPORTS["bench"]),
    shadow_log: Optional[Path] = typer.Option(None, "--shadow-log", help=CUTOVER_REPORTS["shadow_log"]),
    check: bool = typer.Option(False, "--check", help="Exit 1 when a route is set beyond shadow but is not ready "
                               "(CI: a stub, or parity not passed, and not forced)."),
    config: Optional[Path] = typer.Option(None, "--config", help=CUTOVER_REPORTS["config"]),
) -> None:
    """Per route: cut-over state, migrated or stub, last parity result, last bench figure, shadow differences."""
    from .cutover.status import STATUS_FORMATS

    p = _cutover_plan(project_dir, generated, parity, bench, shadow_log, config)
    typer.echo(STATUS_FORMATS[format.value](p), nl=False)
    raise typer.Exit(1 if check and p.held else 0)


@app.command()
def drf(
    project_dir: Path = typer.Argument(Path("."), help="Directory holding manage.py."),
    settings: Optional[str] = typer.Option(None, "--settings", help="Settings module (default: manage.py's)."),
) -> None:
    """Django REST framework: per GET endpoint, whether a Go handler can answer it (or why it stays a stub),
    and the serializers' Go response types."""
    from .drf_report import drf_report

    r = drf_report(project_dir, settings)
    for d in r.diagnostics:
        typer.echo(d.render(), err=True)
    if any(d.severity == "error" for d in r.diagnostics):
        raise typer.Exit(1)
    typer.echo(r.text(), nl=False)


@app.command()
def doctor() -> None:
    """The external tools (Go, gofmt, sqlc, PostgreSQL client, gunicorn): found where, which version, needed by
    which command; exit 0 when analyze, generate and parity can run, else 2."""
    from .toolchain import doctor as run

    text, code = run()
    typer.echo(text, nl=False)
    raise typer.Exit(code)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
