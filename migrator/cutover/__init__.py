"""Gradual cut-over, route by route (docs/cutover.md): per-route states in migrator.yaml (``state``),
the facts the other stages wrote (``facts``), gateway configurations (``gateways``), the shadow
comparator generated with the Go service (``shadowdiff``) and ``migrate status`` (``status``).

``plan(...)`` is what both commands start from: every route of the generated service with its wanted
and granted state, and the reports it was decided on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..ir import Diagnostic
from .facts import ParityResult, RouteFact, read_bench, read_parity, read_routes, read_shadow
from .state import Decision, Settings, decide, held_diagnostics, load_settings, unmatched_keys


@dataclass
class CutoverPlan:
    project: str
    settings: Settings
    routes: list[RouteFact] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    parity: dict[str, ParityResult] = field(default_factory=dict)
    bench: dict[str, str] = field(default_factory=dict)
    shadow: dict[str, dict] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)

    @property
    def held(self) -> list[Decision]:
        return [d for d in self.decisions if d.held]


def plan(root: Path, tree: Path, parity: Optional[Path] = None, bench: Optional[Path] = None,
         shadow_log: Optional[Path] = None, config: Optional[Path] = None) -> CutoverPlan:
    """Read migrator.yaml's cutover section and the facts; decide every route's state. Paths given here win
    over the ones migrator.yaml names."""
    settings, diags = load_settings(root, config)
    out = CutoverPlan(project=root.name, settings=settings, diagnostics=diags)
    out.routes = read_routes(tree)
    if not out.routes:
        out.diagnostics.append(Diagnostic(code="CUTOVER_NO_ROUTES", file=str(tree), message="no http routes in "
                                          "the generated tree's migrator-manifest.json", hint="migrate generate PROJECT --out DIR first"))
        return out
    reports = settings.reports
    out.parity = read_parity(parity or reports.get("parity"), out.routes)
    out.bench = read_bench(bench or reports.get("bench"), out.routes)
    out.shadow = read_shadow(shadow_log or reports.get("shadow_log"))
    out.decisions = decide(out.routes, settings, out.parity)
    out.diagnostics += unmatched_keys(settings, out.routes) + held_diagnostics(out.decisions, settings.file)
    return out


def write_gateway(p: CutoverPlan, gateway: str, out: Path) -> list[Path]:
    """Write the gateway's files into ``out`` (created); the paths written."""
    from .gateways import GATEWAYS

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in GATEWAYS[gateway](p.decisions, p.settings, p.project).items():
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    return written
