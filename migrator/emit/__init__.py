"""Emit stage: pure functions ``emit(project, options) -> {relative path: GenFile}``.

Emitters never import Django and never touch the filesystem (the write stage does); templates lay
text out, the translators decide names and types. TARGETS is the registry the CLI enum is built from.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Optional

from ..dialects import DEFAULT
from ..ir import Diagnostic, Project
from ..plan import Plan

if TYPE_CHECKING:
    from ..sqlcstep import SqlcResult
    from ..translate.gorm import GormModel
    from ..translate.http_stage import HTTPPlan


@dataclass(frozen=True)
class GenFile:
    text: str
    scaffold: bool = False  # a file the user edits: written only when missing, never overwritten
    target: str = "common"  # what writes it: "common" (every run), a target, or "gorm+sqlc" (both needed)


@dataclass
class Options:
    module: str
    dialects: tuple[str, ...] = DEFAULT
    schema: dict[str, list[str]] = field(default_factory=dict)  # dialect -> statements (from the loader)
    user_types: dict = field(default_factory=dict)
    framework: str = "nethttp"
    routes: list = field(default_factory=list)  # the URLconf's endpoints (load.urls), for the http target
    compiled: list = field(default_factory=list)  # per site and dialect: Django's SQL (load.compile)
    plan: Optional[Plan] = None  # the translate stage's decisions (the sqlc and http targets need it)
    sqlc: Optional[SqlcResult] = None  # the sqlc step's result (sqlcstep), before emit
    gorm: Optional[GormModel] = None  # the GORM structs (translate.gorm.translate_models), for gorm and bench
    http: Optional[HTTPPlan] = None  # routes and migrated views (translate.http_stage.plan_http), for http
    auth: Optional[object] = None  # the user model djauth is rendered for (translate.auth.plan_auth), every target


@dataclass
class Emitted:
    files: dict[str, GenFile] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one-line summaries generate prints
    queries: dict = field(default_factory=dict)  # sqlc: dialect -> translated queries (parity runs them)
    untranslated: dict = field(default_factory=dict)  # sqlc: dialect -> [(site id, reason, detail)]
    views: Optional[list] = None  # http: per view, migrated or stub, its routes (emit.manifest.view_entries)

    def add(self, other: "Emitted") -> None:
        self.files.update(other.files)
        self.diagnostics += other.diagnostics
        self.notes += other.notes
        self.queries.update(other.queries)
        self.untranslated.update(other.untranslated)
        if other.views is not None:
            self.views = other.views


def _gorm(project: Project, options: Options) -> Emitted:
    from .gorm import emit_gorm

    return emit_gorm(project, options)


def _sqlc(project: Project, options: Options) -> Emitted:
    from .sqlc import emit_sqlc

    return emit_sqlc(project, options)


def _http(project: Project, options: Options) -> Emitted:
    from .http import emit_http

    return emit_http(project, options)


TARGETS: dict[str, Callable[[Project, Options], Emitted]] = {"gorm": _gorm, "sqlc": _sqlc, "http": _http}
# Target aliases: what `--target all` means.
ALL = ("gorm", "sqlc", "http")


def emit(project: Project, targets: tuple[str, ...], options: Options, timings: Optional[dict] = None,
         before: Optional[Emitted] = None) -> Emitted:
    """The files of ``targets`` (and, without ``before``, the common ones), added to ``before``: generate emits
    the GORM models while Django compiles, then the targets that need the Plan and the sqlc step's result."""
    from .common import emit_common

    timings = {} if timings is None else timings
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(timings.get(name, 0.0) + now - clock, 4)
        clock = now

    out = before if before is not None else emit_common(project, options)
    lap("emit:common")
    for t in sorted(targets, key=lambda t: t != "gorm"):
        out.add(_owned(TARGETS[t](project, options), t, out))
        lap(f"emit:{t}")
    return out


def emit_benchmarks_if(project: Project, options: Options, wanted: tuple[str, ...], out: Emitted) -> Emitted:
    """GORM against sqlc as Go benchmarks (migrate bench), when both targets ran and PostgreSQL has queries."""
    if "gorm" in wanted and out.queries.get("postgresql"):
        from .benchmarks import emit_benchmarks

        out.add(_owned(emit_benchmarks(project, options, out.queries["postgresql"]), "gorm+sqlc", out))
    return out


def emit_all(project: Project, targets: tuple[str, ...], options: Options) -> Emitted:
    """Every file of ``targets`` in one call (the Plan and sqlc result already in ``options``)."""
    wanted = ALL if "all" in targets else targets
    return emit_benchmarks_if(project, options, wanted, emit(project, wanted, options))


def _owned(emitted: Emitted, target: str, before: Emitted) -> Emitted:
    """Mark the files as written by ``target`` (a file an earlier step wrote, such as go.mod, keeps its owner),
    so that `generate --target X` manages only what X writes (write.write_tree)."""
    emitted.files = {p: replace(f, target=before.files[p].target if p in before.files else target)
                     for p, f in emitted.files.items()}
    return emitted
