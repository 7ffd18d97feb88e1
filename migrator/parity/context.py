"""What parity's checks share: the check registry, a case, the options, the context a check runs in (its
Django side, its Go programs, built once per run), the report, and the step timeout. The runner and every
check import it; it imports neither (so the checks and the runner do not import each other)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from .scratch import Scratch

CHECKS: dict[str, Callable[["Context"], list["Case"]]] = {}
STATUSES = ("passed", "failed", "skipped", "noise", "intended", "note")
DATA_MODES = ("auto", "generated", "fixtures", "both")
PROGRAMS = {"gormcheck": "./gorm/cmd/gormcheck", "sqlccheck": "./sqlc/cmd/sqlccheck"}


def go_build_env() -> dict[str, str]:
    """The environment of parity's ``go build``s. ``-trimpath``: without it a package's folder is part of its key in
    Go's build cache, so a tree in a new folder (every run's scratch tree, the mutants' copy) compiled each of its
    packages again although an identical tree had been built before; with it, unchanged packages come from the
    cache whatever the folder. It only drops the file system's paths from the binary (its panics name files by
    module path), which no check reads."""
    return {**os.environ, "GOFLAGS": "-mod=mod -trimpath"}


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
    mutate: tuple[str, ...] = ()  # the checks --mutants derives mutants of (default: every check that runs)
    framework: str = "nethttp"  # the http target's framework of the tree parity generates (migrator.frameworks)


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
    second_url: str = ""  # --data both: a database holding the generated rows only (runner._second_database)
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

    @property
    def django_root(self) -> Path:
        """Where Django runs: a copy of the project in the work directory (sandbox.py), never the project."""
        from .sandbox import project_copy

        return project_copy(self.root, self.work)

    def django_env(self) -> dict:
        from .sandbox import env

        return {**_env(), **env(self.work)}

    def django(self, database: str, command: str, *args: str):
        try:
            proc = subprocess.run([sys.executable, "-m", "migrator.parity.django_side", str(self.django_root),
                                   "--settings", self.settings, "--database", database, command, *args],
                                  capture_output=True, text=True, env=self.django_env(), timeout=STEP_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"django_side {command} did not finish in {STEP_TIMEOUT:g} s "
                               "(MIGRATOR_PARITY_TIMEOUT): a project receiver or lock waiting?") from exc
        if proc.returncode != 0:
            raise RuntimeError(self._failure(command, proc.stderr))
        return json.loads(proc.stdout)

    def _failure(self, command: str, stderr: str) -> str:
        from .sandbox import map_back

        tail = map_back("\n".join(stderr.strip().splitlines()[-4:]), self.root, self.work)
        return f"django_side {command} failed:\n{tail}"

    def django_batch(self, jobs: list[dict], keep_going: bool = False) -> list:
        """Several django_side commands, each against its own database, in one process. With keep_going, a job
        that fails answers the message a process of its own would have raised (a str) and the others still run."""
        from .django_side import FAILED

        if not jobs:
            return []
        path = self.tmp("batch.json")
        path.write_text(json.dumps([{**j, "keep_going": True} if keep_going else j for j in jobs]))
        results = self.django(jobs[0]["database"], "batch", str(path))
        return [self._failure(j["command"], r[FAILED]) if isinstance(r, dict) and FAILED in r else r
                for j, r in zip(jobs, results)]

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
        env = go_build_env()
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
