"""``migrate status``: per route, its state (wanted and granted), migrated or stub, the last parity result,
the last bench figure and the shadow differences seen; as a table, JSON or Markdown (STATUS_FORMATS)."""

from __future__ import annotations

import json
from typing import Callable

from . import CutoverPlan


def rows(p: CutoverPlan) -> list[dict]:
    out = []
    for d in p.decisions:
        r, par = d.route, p.parity.get(d.route.django)
        shadow = p.shadow.get(r.django, {})
        state = d.state + (f" {d.percent}%" if d.state == "canary" else "")
        wanted = d.wanted.state + (f" {d.wanted.percent}%" if d.wanted.state == "canary" else "")
        out.append({"route": r.django, "name": r.name, "view": r.view, "state": state, "wanted": wanted,
                    "forced": d.wanted.force, "held": d.held, "go": r.status,
                    "stubbed_methods": list(r.stubbed_methods), "parity": par.result if par else "not run",
                    "parity_detail": par.detail if par else "", "bench": p.bench.get(r.django, ""),
                    "shadow_differences": shadow.get("differences", 0), "shadow_noise": shadow.get("noise", 0),
                    "shadow_last": shadow.get("last", "")})
    return out


def _cells(row: dict) -> list[str]:
    state = row["state"] + (f" (wanted {row['wanted']})" if row["held"] else "") + (" forced" if row["forced"] else "")
    shadow = str(row["shadow_differences"]) if row["shadow_differences"] or row["shadow_noise"] else ""
    return [row["route"], state, row["go"], row["parity"], row["bench"], shadow]


HEAD = ["route", "state", "go", "parity", "bench (Go vs Django)", "requests differing in shadow"]


def table(p: CutoverPlan) -> str:
    cells = [HEAD] + [_cells(r) for r in rows(p)]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEAD))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n" + summary(p) + "\n"


def summary(p: CutoverPlan) -> str:
    count = {s: sum(1 for d in p.decisions if d.state == s) for s in ("django", "shadow", "canary", "go")}
    return (f"{len(p.decisions)} routes: " + ", ".join(f"{n} {s}" for s, n in count.items()) +
            f"; {sum(1 for r in p.routes if r.status == 'migrated')} migrated, "
            f"{sum(1 for r in p.routes if r.status == 'partial')} partly migrated, "
            f"{sum(1 for d in p.held if d.state == 'shadow')} held at shadow"
            + (f", {sum(1 for d in p.held if d.state == 'django')} kept on Django (they render HTML)"
               if any(d.state == "django" for d in p.held) else ""))


def markdown(p: CutoverPlan) -> str:
    lines = [f"# Cut-over status: {p.project}", "", "| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") if i else f"`{c}`" for i, c in enumerate(_cells(r))) + " |"
              for r in rows(p)]
    return "\n".join(lines + ["", summary(p)]) + "\n"


def as_json(p: CutoverPlan) -> str:
    return json.dumps({"project": p.project, "routes": rows(p), "summary": summary(p),
                       "diagnostics": [d.render() for d in p.diagnostics]}, indent=2, ensure_ascii=False) + "\n"


STATUS_FORMATS: dict[str, Callable[[CutoverPlan], str]] = {"table": table, "json": as_json, "markdown": markdown}
