"""Emit stage: pure functions ``emit(project, options) -> {relative path: GenFile}``.

Emitters never import Django and never touch the filesystem (the write stage does); templates lay
text out, the translators decide names and types. TARGETS is the registry the CLI enum is built from.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Callable, Optional

from ..ir import Diagnostic, Project


@dataclass(frozen=True)
class GenFile:
    text: str
    scaffold: bool = False  # a file the user edits: written only when missing, never overwritten
    target: str = "common"  # what writes it: "common" (every run), a target, or "gorm+sqlc" (both needed)


@dataclass
class Options:
    module: str
    dialects: tuple[str, ...] = ("sqlite", "postgresql")
    schema: dict[str, list[str]] = field(default_factory=dict)  # dialect -> statements (from the loader)
    user_types: dict = field(default_factory=dict)
    framework: str = "nethttp"
    compiled: list = field(default_factory=list)  # per site and dialect: Django's SQL (load.compile)
    run_sqlc: bool = True  # False: write sqlc's inputs but not the Go it generates (benchmarks)
    routes: list = field(default_factory=list)  # the URLconf's endpoints (load.urls), for the http target
    compiled_later: Optional[Callable[[], list]] = None  # waits for `compiled` (Django compiles meanwhile)
    timings: dict = field(default_factory=dict)  # seconds per emit step, for generate's report


@dataclass
class Emitted:
    files: dict[str, GenFile] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one-line summaries generate prints
    queries: dict = field(default_factory=dict)  # sqlc: dialect -> translated queries (parity runs them)
    untranslated: dict = field(default_factory=dict)  # sqlc: dialect -> [(site id, reason, detail)]

    def add(self, other: "Emitted") -> None:
        self.files.update(other.files)
        self.diagnostics += other.diagnostics
        self.notes += other.notes
        self.queries.update(other.queries)
        self.untranslated.update(other.untranslated)


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


def emit(project: Project, targets: tuple[str, ...], options: Options) -> Emitted:
    from .common import emit_common

    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        options.timings[name] = round(options.timings.get(name, 0.0) + now - clock, 4)
        clock = now

    out = emit_common(project, options)
    wanted = ALL if "all" in targets else targets
    lap("emit:common")
    for t in sorted(wanted, key=lambda t: t != "gorm"):  # gorm first: it does not wait for Django's compile
        if t != "gorm" and options.compiled_later is not None:
            options.compiled, options.compiled_later = options.compiled_later(), None
            lap("compile")
        out.add(_owned(TARGETS[t](project, options), t, out))
        lap(f"emit:{t}")
    if "gorm" in wanted and out.queries.get("postgresql"):  # GORM against sqlc as Go benchmarks (migrate bench)
        from .benchmarks import emit_benchmarks

        out.add(_owned(emit_benchmarks(project, options, out.queries["postgresql"]), "gorm+sqlc", out))
    return out


def _owned(emitted: Emitted, target: str, before: Emitted) -> Emitted:
    """Mark the files as written by ``target`` (a file an earlier step wrote, such as go.mod, keeps its owner),
    so that `generate --target X` manages only what X writes (write.write_tree)."""
    emitted.files = {p: replace(f, target=before.files[p].target if p in before.files else target)
                     for p, f in emitted.files.items()}
    return emitted
