"""Per-route cut-over state from ``migrator.yaml``'s ``cutover:`` section, and the guard that keeps a
route that is not ready from taking Go traffic.

    cutover:
      upstreams: {django: "127.0.0.1:8000", go: "127.0.0.1:8080", shadowdiff: "127.0.0.1:8090"}
      listen: "80"                   # where the gateway listens
      gateway: migrator-gateway      # Gateway API: the Gateway the HTTPRoutes attach to
      parity: parity.json            # the last `migrate parity --json` report (relative to this file)
      bench: bench.json              # the last `migrate bench --json` report (optional)
      shadow_log: shadowdiff.jsonl   # the comparator's differences (optional)
      routes:                        # key: a Django route, a URL name or a dotted view; * and ? as in globs
        "api/catalog/tags/": go
        "catalog:product-by-*": {canary: 30}
        "api/orders/*": shadow
        "accounts.views.profile_detail": {state: canary, percent: 10, force: true}

A route no key names stays ``django``. An exact key wins over a pattern; among patterns the first listed.
A route goes past ``shadow`` only when it is migrated (no method answering 501) and its last parity run
passed, or when its entry says ``force: true``; otherwise it is held at ``shadow`` and the tool says why.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

from ..config import FILENAME
from ..ir import Diagnostic
from .facts import ParityResult, RouteFact

STATES = ("django", "shadow", "canary", "go")
DEFAULT_UPSTREAMS = {"django": "127.0.0.1:8000", "go": "127.0.0.1:8080", "shadowdiff": "127.0.0.1:8090"}


@dataclass(frozen=True)
class Wanted:
    state: str = "django"
    percent: int = 0  # canary: the share of requests sent to Go
    force: bool = False
    key: str = ""  # the migrator.yaml key that set it ("" for the default)
    line: int = 0


@dataclass(frozen=True)
class Settings:
    upstreams: dict = field(default_factory=lambda: dict(DEFAULT_UPSTREAMS))
    reports: dict = field(default_factory=dict)  # parity / bench / shadow_log -> Path (absolute)
    entries: tuple[tuple[str, Wanted], ...] = ()  # in file order
    listen: str = "80"  # where the gateway listens (nginx `listen`, Envoy's listener)
    gateway: str = "migrator-gateway"  # Gateway API: the Gateway the HTTPRoutes attach to
    file: str = FILENAME


@dataclass(frozen=True)
class Decision:
    route: RouteFact
    wanted: Wanted
    state: str  # what the gateway gets: wanted.state, or "shadow" when held
    percent: int
    held: str = ""  # why the route is held at shadow ("" when not held)

    @property
    def go_share(self) -> int:
        return {"go": 100, "canary": self.percent}.get(self.state, 0)


def _entry(key: str, value, line: int, rel: str) -> tuple[Optional[Wanted], Optional[Diagnostic]]:
    bad = Diagnostic(code="CUTOVER_STATE", file=rel, line=line, message=f"cutover.routes[{key!r}]: {value!r} is not "
                     "a state", hint="django, shadow, go, {canary: 30}, or {state: go, force: true}")
    if isinstance(value, str):
        return (Wanted(value, key=key, line=line), None) if value in ("django", "shadow", "go") else (None, bad)
    if not isinstance(value, dict) or not set(value) <= {"state", "canary", "percent", "force"}:
        return None, bad
    state = value.get("state", "canary" if "canary" in value else None)
    percent = value.get("canary", value.get("percent", 0 if state != "canary" else None))
    if state not in STATES or not isinstance(value.get("force", False), bool):
        return None, bad
    if state == "canary" and (isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100):
        return None, Diagnostic(code="CUTOVER_STATE", file=rel, line=line, message=f"cutover.routes[{key!r}]: a canary "
                                "needs a whole percentage from 0 to 100", hint="{canary: 30}")
    return Wanted(state, percent if state == "canary" else 0, bool(value.get("force", False)), key, line), None


def load_settings(root: Path, path: Optional[Path] = None) -> tuple[Settings, list[Diagnostic]]:
    """The ``cutover:`` section of migrator.yaml (defaults when the file or the section is missing)."""
    path = path or root / FILENAME
    rel = path.name if path.parent == root else str(path)
    if not path.is_file():
        return Settings(file=rel), []
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return Settings(file=rel), [Diagnostic(code="CONFIG_SYNTAX", file=rel, line=mark.line + 1 if mark else 0,
                                               message=f"invalid YAML: {exc}")]
    section = _child(node, "cutover")
    if section is None:
        return Settings(file=rel), []
    data = yaml.safe_load(yaml.serialize(section)) or {}
    if not isinstance(data, dict):
        return Settings(file=rel), [Diagnostic(code="CONFIG_SHAPE", file=rel, line=section.start_mark.line + 1,
                                               message="cutover: expected a mapping")]
    diags, entries = [], []
    routes = _child(section, "routes")
    for key_node, value_node in (routes.value if routes is not None and routes.id == "mapping" else ()):
        wanted, diag = _entry(str(key_node.value), yaml.safe_load(yaml.serialize(value_node)),
                              key_node.start_mark.line + 1, rel)
        entries.append((str(key_node.value), wanted)) if wanted else diags.append(diag)
    upstreams = {**DEFAULT_UPSTREAMS, **{str(k): str(v) for k, v in (data.get("upstreams") or {}).items()}}
    reports = {k: (path.parent / str(data[k])).resolve() for k in ("parity", "bench", "shadow_log") if data.get(k)}
    return Settings(upstreams=upstreams, reports=reports, entries=tuple(entries), file=rel,
                    listen=str(data.get("listen", "80")), gateway=str(data.get("gateway", "migrator-gateway"))), diags


def _child(node, key: str):
    if node is None or node.id != "mapping":
        return None
    return next((v for k, v in node.value if k.value == key), None)


def wanted_for(route: RouteFact, entries: tuple[tuple[str, Wanted], ...]) -> Wanted:
    """The state migrator.yaml asks for: an exact key (route, URL name, view), else the first matching pattern."""
    names = [n for n in (route.django, route.name, route.view) if n]
    exact = next((w for k, w in entries if k in names), None)
    if exact is not None:
        return exact
    return next((w for k, w in entries if any(fnmatch.fnmatchcase(n, k) for n in names)), Wanted())


def why_not_ready(route: RouteFact, parity: ParityResult) -> str:
    """Why a route cannot take Go traffic yet ("" when it can)."""
    if route.status == "stub":
        return "its view is a stub in Go (answers 501)"
    if route.status == "partial":
        return f"{', '.join(route.stubbed_methods)} still answer 501 in Go"
    if parity.result == "partly covered":
        return f"some of its requests answer 501 in Go: {parity.detail}"
    if parity.result != "passed":
        return f"its last parity run {'failed' if parity.result == 'failed' else 'did not check it'}" + (
            f": {parity.detail}" if parity.detail else "")
    return ""


def decide(routes: list[RouteFact], settings: Settings, parity: dict[str, ParityResult]) -> list[Decision]:
    out = []
    for r in routes:
        w = wanted_for(r, settings.entries)
        if r.status == "django" and w.state != "django" and not w.force:  # renders HTML: Django keeps serving it
            glob = any(c in w.key for c in "*?[")  # a pattern's other routes move; this one stays without a warning
            out.append(Decision(route=r, wanted=w, state="django", percent=0,
                                held="" if glob else f"its view stays in Django ({r.reason or 'renders HTML'})"))
            continue
        why = "" if w.state in ("django", "shadow") or w.force else why_not_ready(r, parity.get(r.django, ParityResult("not run")))
        out.append(Decision(route=r, wanted=w, state="shadow" if why else w.state, percent=0 if why else w.percent,
                            held=why))
    return out


def held_diagnostics(decisions: list[Decision], file: str) -> list[Diagnostic]:
    return [Diagnostic(code="CUTOVER_HELD", file=file, line=d.wanted.line, severity="warning",
                       message=f"{d.route.django}: held at {d.state} instead of "
                               f"{d.wanted.state if d.wanted.state != 'canary' else f'canary {d.wanted.percent}%'}: {d.held}",
                       hint=(f"leave it on Django, or set force: true on {d.wanted.key!r}" if d.state == "django"
                             else f"fix it and re-run parity, or set force: true on {d.wanted.key!r}"))
            for d in decisions if d.held]


def unmatched_keys(settings: Settings, routes: list[RouteFact]) -> list[Diagnostic]:
    """A key that names no route is a typo until proven otherwise."""
    out = []
    for key, w in settings.entries:
        if not any(wanted_for(r, ((key, w),)) is w for r in routes):
            out.append(Diagnostic(code="CUTOVER_NO_ROUTE", file=settings.file, line=w.line, severity="warning",
                                  message=f"cutover.routes[{key!r}] matches no route of the generated service",
                                  hint="a Django route (api/catalog/tags/), a URL name or a dotted view; * globs"))
    return out
