"""What the cut-over knows per route, read from what the other stages write (never from Django itself):

- the routes, in Django's order, and whether each view is migrated or a stub: ``read_routes(tree)``,
  from the JSON manifest generate writes (``migrator-manifest.json``, its ``http`` section: the reader parity
  uses too);
- the last parity result per route: ``read_parity(path)``, from ``migrate parity --json``;
- the last bench figure per route: ``read_bench(path)``, from ``migrate bench --json``;
- the shadow differences per route: ``read_shadow(path)``, the comparator's JSON lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
SAFE = ("GET", "HEAD", "OPTIONS")  # the methods a mirror may send twice

@dataclass(frozen=True)
class RouteFact:
    index: int  # position in Django's URLconf order
    django: str  # the route as Django spells it: the route's identity in migrator.yaml and every report
    name: str  # namespace:name, or ""
    view: str  # dotted Python view
    methods: tuple[str, ...]  # what the view accepts; () when it does not restrict them
    regex: str  # the whole path as Django matches it (RE2/PCRE syntax, anchored)
    status: str  # migrated | partial (some methods still answer 501) | stub | django (renders HTML: stays in Django)
    stubbed_methods: tuple[str, ...] = ()  # partial: the methods Go still answers 501 for
    reason: str = ""  # django: why the view stays in Django (translate.stays)

    def matches(self, path: str) -> bool:
        return re.fullmatch(self.regex.removeprefix("^").removesuffix("$"), path) is not None


def read_routes(tree: Path) -> list[RouteFact]:
    """Every route of the generated http service, migrated or not, in Django's order, from the ``http`` section of
    the tree's JSON manifest (write.PRODUCED; empty when the tree has none)."""
    from ..write import read_produced

    out = []
    for v in read_produced(tree).get("http", {}).get("views", []):
        stubbed = tuple(sorted(v.get("stubbed_methods") or ())) if v["status"] == "migrated" else ()
        status = ("django" if v["status"] == "django" else "stub") if v["status"] != "migrated" else (
            "partial" if stubbed else "migrated")
        for r in v["routes"]:
            out.append(RouteFact(index=r["index"], django=r["django"], name=r.get("name", ""), view=v["view"],
                                 methods=tuple(r["methods"]), regex=r["regex"], status=status, stubbed_methods=stubbed,
                                 reason=v.get("reason", "") if status == "django" else ""))
    return sorted(out, key=lambda r: r.index)


@dataclass(frozen=True)
class ParityResult:
    result: str  # passed | failed | not run (the http check did not run) | not covered | partly covered
    detail: str = ""


# the http check's reason for a request a migrated view answers 501 (parity.checks_http: an input the port does not
# cover, such as a path of the view that is not translated): Go traffic would get that 501 instead of Django's answer
UNCOVERED = "not covered by the Go port (501)"


def read_parity(path: Optional[Path], routes: Iterable[RouteFact]) -> dict[str, ParityResult]:
    """route -> its last parity result, from ``migrate parity --json`` (the http check's cases name
    their route in ``operation``: "view (route)"). Without a report every route is "not run"."""
    routes = list(routes)
    if path is None or not path.is_file():
        return {r.django: ParityResult("not run", "no parity report (migrate parity --json FILE)") for r in routes}
    data = json.loads(path.read_text(encoding="utf-8"))
    http = (data.get("summary") or {}).get("http")
    if http is None or "http" in (data.get("could_not_run") or {}):
        why = (data.get("could_not_run") or {}).get("http", "the report has no http check")
        return {r.django: ParityResult("not run", why.splitlines()[0] if why else "") for r in routes}
    failed: dict[str, list[str]] = {}
    uncovered: dict[str, list[str]] = {}  # requests the Go port answers 501 (an input it does not cover)
    for case in data.get("cases", []):
        m = re.search(r"\((.*)\)$", case.get("operation", ""))
        if m and case.get("check") == "http" and case.get("status") == "failed":
            failed.setdefault(m.group(1), []).append(case.get("name", ""))
        elif m and case.get("check") == "http" and case.get("status") == "skipped" and case.get(
                "reason", "").startswith(UNCOVERED):
            uncovered.setdefault(m.group(1), []).append(case.get("name", ""))
    out = {}
    for r in routes:
        if r.django in failed:
            out[r.django] = ParityResult("failed", "; ".join(failed[r.django][:3]))
        elif r.django in uncovered:
            out[r.django] = ParityResult("partly covered", f"{len(uncovered[r.django])} requests answered 501 by Go "
                                         f"(inputs the port does not cover): {'; '.join(uncovered[r.django][:3])}")
        elif r.status in ("stub", "django"):
            out[r.django] = ParityResult("not covered", "a stub: parity compares migrated views only")
        else:
            out[r.django] = ParityResult("passed", f"{http.get('passed', 0)} http cases passed in the report")
    return out


def read_bench(path: Optional[Path], routes: Iterable[RouteFact]) -> dict[str, str]:
    """route -> "throughput 3.1x, p99 2.0x lower (/api/catalog/tags/)" (Go relative to Django), from
    ``migrate bench --json``: an endpoint is named by its Django route, or by a path given with --endpoint."""
    if path is None or not path.is_file():
        return {}
    routes = list(routes)
    data = json.loads(path.read_text(encoding="utf-8"))
    paths = {e["name"]: (e.get("paths") or [e["name"]])[0] for e in data.get("endpoints") or []}
    by_name = {r.django: r for r in routes}
    out = {}
    for name, ratio in (data.get("ratios_by_endpoint") or {}).items():
        route = by_name.get(name) or route_of(paths.get(name, name), routes)
        if route is not None and route.django not in out:
            out[route.django] = (f"throughput {ratio.get('throughput')}x, p99 {ratio.get('p99_equal_load')}x "
                                 f"lower ({paths.get(name, name)})")
    return out


def route_of(path: str, routes: Iterable[RouteFact]) -> Optional[RouteFact]:
    """The route Django resolves ``path`` to: the first whose regex matches, in Django's order."""
    path = path.split("?", 1)[0]
    return next((r for r in routes if r.matches(path)), None)


def read_shadow(path: Optional[Path]) -> dict[str, dict]:
    """route -> {"differences", "noise", "last"} from the comparator's JSON lines: one line per compared request
    that showed a difference or Django's own noise (``route`` is the Django route, ``differences`` a list).
    How many requests were compared in all is on the comparator's metrics endpoint."""
    out: dict[str, dict] = {}
    if path is None or not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        s = out.setdefault(rec.get("route") or "(no route)", {"differences": 0, "noise": 0, "last": ""})
        if rec.get("differences"):
            s["differences"] += 1
            s["last"] = f"{rec.get('method')} {rec.get('path')}: {rec['differences'][0]}"
        if rec.get("noise"):
            s["noise"] += 1
    return out
