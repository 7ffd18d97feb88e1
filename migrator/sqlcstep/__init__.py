"""The sqlc step (between translate and emit): the Plan's queries -> `sqlc generate` once per dialect -> typed
results: the Go files sqlc wrote, the signatures of each package (plan.GoPackage), and the queries sqlc
rejected, each mapped to its query (SQLC_REJECTED) and left out.

The dialects run side by side; sqlc's result is cached per query (perquery.py), so regenerating after a change
runs sqlc on the changed queries only, and not at all when none changed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from ..ir import Diagnostic, Project
from ..plan import GoPackage, Plan
from .getone import FILE as GETONE, getone_file
from .gopkg import parse_go_package
from .perquery import run_package
from .runner import Run

if TYPE_CHECKING:  # importing inputs imports the translate stage and sqlglot (0.1 to 0.2 s): not before it is used,
    from .inputs import Inputs  # so that sqlcstep.prestart can start sqlc while Django boots (generate.py)


@dataclass
class SqlcResult:
    """What the step hands on: per dialect the queries sqlc accepted and the sites left out (the Plan's plus
    SQLC_REJECTED), the Go files sqlc wrote, the packages' signatures, and the step's diagnostics."""

    queries: dict[str, list] = field(default_factory=dict)
    skipped: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)  # sqlc.yaml, schemas, query files of the accepted queries
    packages: dict[str, GoPackage] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ran: bool = False  # sqlc was asked (False: run_sqlc=False, the Plan's queries as they are)
    failed: bool = False  # sqlc wrote no Go for some dialect
    cached: int = 0  # dialects answered from the cache alone (sqlc not started)


def not_run(plan: Plan, inputs: Inputs) -> SqlcResult:
    """The result without sqlc: every query of the Plan, no Go (the speed benchmark measures the tool alone)."""
    queries = {d: list(plan.queries[d]) for d in plan.dialects}
    return SqlcResult(queries=queries, skipped={d: list(plan.skipped[d]) for d in plan.dialects},
                      inputs=inputs.written(queries))


def run_step(project: Project, plan: Plan, inputs: Inputs, warm: Optional[dict] = None) -> SqlcResult:
    """sqlc on every dialect of the Plan, the dialects in parallel; ``warm``: sqlc already started per dialect
    (prestart.Prestart)."""
    from concurrent.futures import ThreadPoolExecutor

    from .inputs import PACKAGES

    result = SqlcResult(ran=True)
    dialects = list(plan.dialects)
    with ThreadPoolExecutor(max_workers=max(1, len(dialects))) as pool:  # sqlc runs in its own processes
        outcomes = list(pool.map(lambda d: _one_dialect(plan, inputs, d, (warm or {}).get(d)), dialects))
    errors = []
    for d, (queries, skipped, files, diags, error, cached) in sorted(zip(dialects, outcomes)):
        result.queries[d], result.skipped[d] = queries, skipped
        result.files.update(files)
        result.diagnostics += diags
        result.cached += cached
        errors += [error.strip()] if error and error.strip() not in errors else []
        text = "\n".join(t for p, t in sorted(files.items()) if p.startswith(f"sqlc/{PACKAGES[d]}/"))
        result.packages[d] = parse_go_package(text)
    result.queries = {d: result.queries[d] for d in dialects}
    result.skipped = {d: result.skipped[d] for d in dialects}
    result.inputs = inputs.written(result.queries)
    if errors:
        result.failed = True
        result.files = {}  # as one sqlc run over every dialect: no package when sqlc fails
        result.packages = {d: GoPackage() for d in dialects}
        result.diagnostics.append(Diagnostic(
            code="SQLC_FAILED", message=f"sqlc generate failed, no query package written: {chr(10).join(errors)[:2000]}",
            hint="run `sqlc generate` in the output directory to see the error"))
    return result


def translate_and_run(project: Project, compiled: list, dialects: tuple[str, ...], user_types: dict, module: str,
                      schema: dict, run: bool = True, timings: Optional[dict] = None,
                      structs: Optional[dict] = None, prestart=None) -> tuple[Plan, SqlcResult]:
    """The translate stage's Plan of the sqlc queries, then this step on it (or its inputs only, without ``run``):
    what the sqlc and http targets render. Generate and analyze both call it. ``prestart``: a
    ``prestart.Prestart`` made for the same project, module, dialects and schema (its inputs and started sqlc)."""
    from ..translate.sqlc import translate_project
    from .inputs import Inputs

    clock = time.perf_counter()
    plan = translate_project(project, compiled, dialects, user_types, structs)
    inputs = prestart.inputs if prestart is not None else Inputs(project, module, dialects, schema)
    middle = time.perf_counter()
    result = run_step(project, plan, inputs, prestart.warm if prestart else None) if run else not_run(plan, inputs)
    if timings is not None:
        timings["translate"] = round(middle - clock, 4)
        timings["sqlc"] = round(time.perf_counter() - middle, 4)
    return plan, result


def _one_dialect(plan: Plan, inputs: Inputs, d: str, warm=None):
    """sqlc on one dialect's queries, per query (perquery.py): only the queries it has not seen run."""
    from .inputs import NO_QUERY, PACKAGES

    queries, skipped = list(plan.queries[d]), list(plan.skipped[d])
    run = run_package(d, PACKAGES[d], inputs.package_base(d), [(q.name, inputs.query_file(q)) for q in queries],
                      NO_QUERY, warm)
    diags: list[Diagnostic] = []
    for i, msg in sorted(run.rejected.items()):
        q = queries[i]
        skipped.append((q.site, "SQLC_REJECTED", f"{q.name}: {msg}"))
        site = inputs.sites[q.site]
        diags.append(Diagnostic(
            code="SQLC_REJECTED", file=site["file"], line=site["line"], severity="warning",
            message=f"sqlc ({d}) rejected query {q.name}, left out: {msg}",
            hint="the query stays in sqlc/UNTRANSLATED.md; port it by hand"))
    queries = [q for i, q in enumerate(queries) if i not in run.rejected]
    getone = getone_file(d, PACKAGES[d], queries, run.files.get(f"sqlc/{PACKAGES[d]}/{d}.sql.go", ""))
    if getone and not run.error:
        run.files[f"sqlc/{PACKAGES[d]}/{GETONE}"] = getone
    return queries, skipped, run.files, diags, run.error, int(not run.ran)


__all__ = ["Run", "SqlcResult", "not_run", "run_step", "translate_and_run"]
