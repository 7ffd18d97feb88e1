"""`migrate generate`: load, translate, emit, then write the tree (or diff it with --check)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .config import load_config
from .emit import Emitted, Options, emit
from .emit.gofile import FormatError
from .ir import Diagnostic, Project
from .load import LoadError, load_project
from .write import WriteReport, write_tree

DIALECTS = ("sqlite", "postgresql")


@dataclass
class GenerateResult:
    project: Optional[Project]
    out: Path
    emitted: Emitted = field(default_factory=Emitted)
    report: WriteReport = field(default_factory=WriteReport)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.project is None or any(d.code in ("USER_FILE", "EMIT_FAILED", "UNKNOWN_FIELD_TYPE")
                                       for d in self.diagnostics):
            return 2  # nothing generated, a user file in the way, or a column left out of a struct
        return 1 if self.report.stale and self.check else 0

    check: bool = False


def default_module(project: Project) -> str:
    base = project.settings_module.split(".")[0]
    return re.sub(r"[^a-z0-9_]", "", base.lower()) + "go"


def generate(root: Path | str, out: Path | str = "generated", targets: tuple[str, ...] = ("all",),
             dialects: tuple[str, ...] = DIALECTS, check: bool = False, module: Optional[str] = None,
             settings: Optional[str] = None, framework: str = "nethttp") -> GenerateResult:
    root, out = Path(root).resolve(), Path(out).resolve()
    try:
        project = load_project(root, settings, schema=True)
    except LoadError as exc:
        return GenerateResult(project=None, out=out, diagnostics=list(exc.diagnostics), check=check)
    config, config_diags = load_config(root)
    from .emit import ALL
    from .load import compile_sites, load_routes

    wanted = ALL if "all" in targets else targets
    if "http" in wanted and "gorm" not in wanted:  # the server opens the database with the gorm package
        targets = wanted = (*wanted, "gorm")
    compiled = compile_sites(project) if "sqlc" in wanted else []
    routes, route_diags = load_routes(project) if "http" in wanted else ([], [])
    options = Options(module=module or default_module(project), dialects=tuple(dialects),
                      schema={k: list(v) for k, v in project.schema.items()}, user_types=config.types,
                      framework=framework, compiled=compiled, routes=routes)
    result = GenerateResult(project=project, out=out, check=check,
                            diagnostics=[d for d in project.diagnostics] + config_diags + route_diags)
    try:
        result.emitted = emit(project, tuple(targets), options)
    except FormatError as exc:  # our bug: a template produced Go that does not parse
        result.diagnostics.append(Diagnostic(code="EMIT_FAILED", message=str(exc)))
        return result
    result.diagnostics += result.emitted.diagnostics
    result.report = write_tree(out, result.emitted.files, check=check)
    result.diagnostics += result.report.refused
    return result
