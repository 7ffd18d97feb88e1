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
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from ..toolchain import needed, require
from .scratch import Scratch, Unavailable

CHECKS: dict[str, Callable[["Context"], list["Case"]]] = {}
STATUSES = ("passed", "failed", "skipped", "noise", "intended", "note")
DATA_MODES = ("auto", "generated", "fixtures", "both")
PROGRAMS = {"gormcheck": "./gorm/cmd/gormcheck", "sqlccheck": "./sqlc/cmd/sqlccheck"}


def register(name: str):
    def wrap(fn):
        CHECKS[name] = fn
        return fn
    return wrap


class CannotRun(Exception):
    """Parity could not run at all (exit 2)."""


@dataclass
class Case:
    check: str
    name: str
    status: str = "passed"  # passed | failed | skipped | noise | intended | note (not a behaviour difference)
    detail: str = ""  # for a failure: where the two sides first differ, both values
    operation: str = ""  # the SQL or operation that was run
    reason: str = ""  # intended difference / skip reason


@dataclass
class Options:
    root: Path
    generated: Optional[Path] = None
    no_generate: bool = False
    database: Optional[str] = None
    only: tuple[str, ...] = ()
    fixtures: tuple[Path, ...] = ()
    seed: Optional[int] = None  # None: 0, and not "given" (see data)
    data: str = "auto"  # generated | fixtures | both | auto (fixtures when there are any, else generated)
    rows: int = 5
    settings: Optional[str] = None
    mutants: int = 0  # > 0: derive mutants of the tree and report how many the checks kill (mutation.py)
    mutant_seed: int = 0


@dataclass
class Context:
    root: Path
    settings: str
    dialect: str
    tree: Path
    work: Path
    bin: Path
    generated: object  # migrator.generate.GenerateResult: the IR and the translated queries
    scratch: Scratch
    url: str = ""  # the database Django migrated and loaded
    data: str = ""  # "fixtures: ..." or "generated (seed N)"
    progress: Callable[[str], None] = lambda msg: None
    _n: int = 0
    _tree_sql: Optional[dict] = None  # query name -> SQL in the tree (checks_queries)
    go_problem: str = ""  # why Go cannot be used (missing, too old): the checks that build a program cannot run
    query_runs: dict = field(default_factory=dict)  # what the queries check ran, for the mutation run (mutation.py)

    @property
    def project(self):
        return self.generated.project

    def tmp(self, name: str) -> Path:
        self._n += 1
        return self.work / f"{self._n:04d}-{name}"

    def django(self, database: str, command: str, *args: str):
        try:
            proc = subprocess.run([sys.executable, "-m", "migrator.parity.django_side", str(self.root), "--settings",
                                   self.settings, "--database", database, command, *args],
                                  capture_output=True, text=True, env=_env(), timeout=STEP_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"django_side {command} did not finish in {STEP_TIMEOUT:g} s "
                               "(MIGRATOR_PARITY_TIMEOUT): a project receiver or lock waiting?") from exc
        if proc.returncode != 0:
            tail = "\n".join(proc.stderr.strip().splitlines()[-4:])
            raise RuntimeError(f"django_side {command} failed:\n{tail}")
        return json.loads(proc.stdout)

    def django_batch(self, jobs: list[dict]) -> list:
        """Several django_side commands, each against its own database, in one process."""
        if not jobs:
            return []
        path = self.tmp("batch.json")
        path.write_text(json.dumps(jobs))
        return self.django(jobs[0]["database"], "batch", str(path))

    def has_program(self, program: str) -> bool:
        """The tree has the package of this checker program (the target was generated)."""
        return (self.tree / PROGRAMS[program]).is_dir()

    def go(self, program: str, *args: str):
        """Run a checker program of the tree, building it on first use (CannotRun when it does not build)."""
        if self.go_problem:
            raise CannotRun(self.go_problem)
        _build(self.tree, self.bin, program, self.progress)
        try:
            proc = subprocess.run([str(self.bin / program), *args], capture_output=True, text=True, timeout=STEP_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"{program} {args[0]} did not finish in {STEP_TIMEOUT:g} s (MIGRATOR_PARITY_TIMEOUT)") from exc
        if proc.returncode != 0:
            raise RuntimeError(f"{program} {args[0]} failed:\n{proc.stderr.strip()[-3000:]}")
        return json.loads(proc.stdout)


@dataclass
class Report:
    project: str
    dialect: str
    database: str
    tree: str
    data: str = ""
    cases: list[Case] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    intended: tuple[dict, ...] = ()
    error: str = ""  # why nothing could run
    total_seconds: float = 0.0
    could_not_run: dict[str, str] = field(default_factory=dict)  # check -> why it could not run
    diagnostics: list = field(default_factory=list)  # migrator.ir.Diagnostic: data that could not be loaded...
    mutation: dict = field(default_factory=dict)  # --mutants: mutation.summarise()

    def summary(self) -> dict:
        out = {}
        for check in self.seconds:
            counts = {s: 0 for s in STATUSES}
            for c in self.cases:
                if c.check == check:
                    counts[c.status] += 1
            counts["seconds"] = round(self.seconds[check], 2)
            out[check] = counts
        return out

    @property
    def exit_code(self) -> int:
        if any(c.status == "failed" for c in self.cases):
            return 1
        return 2 if self.error or self.could_not_run else 0


# seconds one Django or Go step of parity (a process it starts) may take: MIGRATOR_PARITY_TIMEOUT, default 900
STEP_TIMEOUT = float(os.environ.get("MIGRATOR_PARITY_TIMEOUT", "") or 900)


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH", "DJANGO_SETTINGS_MODULE")}
    pkg_parent = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (pkg_parent, env.get("PYTHONPATH", "")) if p)
    return env


def _load_checks() -> None:
    from . import checks_models, checks_queries, checks_schema  # noqa: F401  (they register themselves)
    from . import checks_http  # noqa: F401  (registers "http", run last: it starts both servers)

    import importlib
    import importlib.util

    for extra in ("http",):  # checks added later register themselves the same way when their module exists
        if importlib.util.find_spec(f"{__package__}.{extra}") is not None:
            importlib.import_module(f"{__package__}.{extra}")


def _tree(opts: Options, work: Path, progress) -> tuple[object, Path]:
    """The generate result (IR + queries) and the tree to build; generates when needed."""
    from ..generate import generate

    if opts.generated is not None and opts.generated.is_dir() and any(opts.generated.iterdir()):
        tree = opts.generated.resolve()
        progress(f"checking {tree}")
        # check mode writes nothing but still translates: the queries parity runs come from it
        result = generate(opts.root, tree, targets=("all",), check=True, settings=opts.settings)
        if result.project is None:
            raise CannotRun("the project does not load: " + "; ".join(d.render() for d in result.diagnostics))
        if not result.report.stale or opts.no_generate:
            return result, tree
    elif opts.no_generate:
        raise CannotRun(f"--no-generate needs an existing tree in --generated (got {opts.generated})")
    tree = (opts.generated or work / "tree").resolve()
    progress(f"generating {tree}")
    result = generate(opts.root, tree, targets=("all",), settings=opts.settings)
    if result.exit_code != 0:
        raise CannotRun("generate failed: " + "; ".join(d.render() for d in result.diagnostics if d.severity == "error"))
    return result, tree


def _build(tree: Path, bin_dir: Path, program: str, progress) -> None:
    """go build one checker program (once per run); CannotRun for the check that needs it when it fails."""
    if (bin_dir / program).exists():
        return
    failed = bin_dir / f"{program}.failed"
    if failed.exists():
        raise CannotRun(failed.read_text())
    pkg = PROGRAMS[program]
    if shutil.which("go") is None:
        reason = f"no Go toolchain: `go` is not on PATH (needed to build {program})"
    elif not (tree / pkg).is_dir():
        reason = f"the tree has no {pkg}"
    else:
        bin_dir.mkdir(parents=True, exist_ok=True)
        progress(f"go build {program}")
        env = {**os.environ, "GOFLAGS": "-mod=mod"}
        try:
            proc = subprocess.run(["go", "build", "-o", str(bin_dir / program), pkg], cwd=tree, env=env,
                                  capture_output=True, text=True, timeout=STEP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc = None
        if proc is not None and proc.returncode == 0:
            return
        reason = (f"go build {pkg} failed in {tree}:\n{proc.stderr.strip()[-2000:]}" if proc is not None
                  else f"go build {pkg} did not finish in {STEP_TIMEOUT:g} s")
    bin_dir.mkdir(parents=True, exist_ok=True)
    failed.write_text(reason)
    raise CannotRun(reason)


def project_fixtures(root: Path) -> list[Path]:
    """The project's own fixtures: <root>/fixtures/*.json, else <app>/fixtures/*.json."""
    found = sorted(Path(p) for p in glob.glob(str(root / "fixtures" / "*.json")))
    return found or sorted(Path(p) for p in glob.glob(str(root / "*" / "fixtures" / "*.json")))


def _load_data(ctx: Context, opts: Options, report: Report) -> None:
    """Fill the migrated database: fixtures (one by one; a stale one is skipped with a diagnostic), data
    generated from the models, or both. Nothing here stops the run: a problem is a diagnostic."""
    from ..ir import Diagnostic
    from .boundary import bounds_file

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
    elif opts.seed is not None:
        report.diagnostics.append(Diagnostic(
            code="PARITY_SEED_UNUSED", severity="warning", file=str(ctx.root),
            message=f"--seed {opts.seed} has no effect: the data are the project's fixtures only",
            hint="--data generated or --data both uses generated data"))
    ctx.data = "; ".join(parts)


def run(opts: Options, progress: Callable[[str], None] = lambda msg: None) -> Report:
    from ..config import load_config

    started = time.monotonic()
    _load_checks()
    wanted = [c for c in CHECKS if not opts.only or c in opts.only]
    config, _ = load_config(Path(opts.root))
    report = Report(project=str(opts.root), dialect="postgresql" if opts.database else "sqlite",
                    database=opts.database or "sqlite (scratch files)", tree="", intended=config.intended)
    if opts.data not in DATA_MODES:
        report.error = f"--data {opts.data!r}: expected one of {', '.join(DATA_MODES[1:])}"
        return report
    unknown = [c for c in opts.only if c not in CHECKS]
    if unknown:
        report.error = f"unknown check(s) {', '.join(unknown)}; known: {', '.join(CHECKS)}"
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
        generated, tree = _tree(opts, work, progress)
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
            report.seconds[name] = time.monotonic() - t0
            progress(f"{name}: done")
        if opts.mutants > 0 and not report.could_not_run:
            from .mutation import run_mutants

            try:
                report.mutation = run_mutants(ctx, opts.mutants, opts.mutant_seed, set(wanted))
            except (CannotRun, RuntimeError) as exc:
                report.could_not_run["mutants"] = str(exc)
        if wanted and set(report.could_not_run) == set(wanted):
            report.error = "no check could run (the reason of each is below)"
    except CannotRun as exc:
        report.error = str(exc)
    finally:
        if scratch is not None:
            scratch.close()
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
