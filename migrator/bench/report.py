"""The bench result as a terminal table, JSON and Markdown (with the chart written next to it)."""

from __future__ import annotations

import json
import math
from pathlib import Path


def _x(v: float) -> str:
    return f"{v:g}x" if isinstance(v, (int, float)) and math.isfinite(v) else "n/a"


def _f(v) -> str:
    return f"{v:g}" if isinstance(v, (int, float)) and math.isfinite(v) else ""


def _rows(result: dict) -> list[tuple[str, ...]]:
    """(what, Django, Go, floor, Go vs Django)."""
    dj, go, fl, r = result["django"], result["go"], result.get("floor", {}), result["ratios"]
    rows = [("cold start to the first database-backed 200 (ms)", _f(dj["cold_start_ms"]), _f(go["cold_start_ms"]),
             _f(fl.get("cold_start_ms")), _x(r["cold_start"]))]
    for when, key in (("after warm-up", "pss"), ("after the load", "pss_after_load")):
        rows.append((f"memory, PSS {when} (MiB)", _f(dj[f"{key}_mib"]), _f(go[f"{key}_mib"]),
                     _f(fl.get(f"{key}_mib")), _x(r["memory" if key == "pss" else "memory_after_load"])))
        rows.append((f"  of which anonymous / file-backed (MiB)", f"{_f(dj[f'{key}_anon_mib'])} / {_f(dj[f'{key}_file_mib'])}",
                     f"{_f(go[f'{key}_anon_mib'])} / {_f(go[f'{key}_file_mib'])}",
                     f"{_f(fl.get('pss_anon_mib'))} / {_f(fl.get('pss_file_mib'))}" if key == "pss" else "", ""))
    rows.append(("database connections held", str(dj["db_connections"]), str(go["db_connections"]), "1", ""))
    allocs = result["gorm_vs_sqlc"].get("allocations", {}).get("endpoints", [])
    for i, (e, by) in enumerate(result["ratios_by_endpoint"].items()):
        d, g = dj["endpoints"][e], go["endpoints"][e]
        rows.append((f"{e}: server CPU per request (ms)", _f(d["cpu_ms_per_request"]["server"]),
                     _f(g["cpu_ms_per_request"]["server"]), _f(fl.get("server_cpu_ms_per_request")), _x(by["cpu_per_request"])))
        if i < len(allocs) and allocs[i]:
            rows.append((f"{e}: Go allocations (bytes) per request", "", f"{allocs[i]['allocs']} ({allocs[i]['bytes']})", "", ""))
        rows.append((f"{e}: saturation req/s", _f(d["saturation"]["rps"]), _f(g["saturation"]["rps"]), "",
                     _x(by["throughput"])))
        rows.append((f"{e}: saturation p50 / p99 (ms)", f"{d['saturation']['p50_ms']:g} / {d['saturation']['p99_ms']:g}",
                     f"{g['saturation']['p50_ms']:g} / {g['saturation']['p99_ms']:g}", "", ""))
        rows.append((f"{e}: at {d['equal_load']['rate']:g} req/s p50 / p99 (ms)",
                     f"{d['equal_load']['p50_ms']:g} / {d['equal_load']['p99_ms']:g}",
                     f"{g['equal_load']['p50_ms']:g} / {g['equal_load']['p99_ms']:g}", "", _x(by["p99_equal_load"])))
    return rows


def _verdict(g: dict) -> str:
    return "not judged (--quick)" if g["met"] is None else ("met" if g["met"] else "MISSED")


def text(result: dict) -> str:
    rows = [("", "Django", "Go", "floor", "Go vs Django"), *_rows(result)]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)) for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    t = result["tool"]
    lines += ["", f"tool: analyse {t['analyze_s']:.2f} s + generate {t['generate_s']:.2f} s = {t['total_s']:.2f} s"]
    for read in result["gorm_vs_sqlc"].get("reads", []):
        lines.append(f"GORM vs sqlc {read['read']}: {read['gorm_us']} µs / {read['sqlc_us']} µs = {read['ratio']}x")
    lines.append("")
    for g in result["goals"]:
        floor = f"; the floor reaches {_x(g['floor'])}" if g.get("floor") else ""
        lines.append(f"{_verdict(g)}: {g['text']}: {_x(g['measured'])} "
                     f"({'at most' if g['name'] == 'gorm_vs_sqlc' else 'goal'} {g['goal']:g}x{floor})")
    for note in result["where_the_time_goes"]:
        lines.append(f"  - {note}")
    m = result["machine"]
    lines.append(f"\n{m['cores']} cores ({m.get('cpu', m['arch'])}), PostgreSQL {m.get('postgresql', '?')}, "
                 f"{m.get('go', 'go ?')}; {result['config']['repeat']} round(s) of {result['config']['duration_s']:g} s "
                 f"per load run; {result['seconds']:g} s in all")
    return "\n".join(lines) + "\n"


def as_json(result: dict) -> str:
    def clean(v):
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v

    return json.dumps(clean(result), indent=2) + "\n"


def markdown(result: dict, chart_name: str) -> str:
    m, c = result["machine"], result["config"]
    out = ["# `migrate bench`: Django against the generated Go service", "",
           f"Project `{Path(result['project']).name}`. Machine: {m['arch']}, {m['cores']} cores "
           f"({m.get('cpu', '?')}), Python {m['python']}, {m.get('go', 'go ?')}, PostgreSQL {m.get('postgresql', '?')}"
           f"{', load average ' + ' '.join(map(str, m['load_average'])) if m.get('load_average') else ''}. "
           f"{c['repeat']} round(s), stacks alternating, one at a time; {c['duration_s']:g} s per load run, "
           f"{c['connections']} keep-alive connections at saturation; medians.", "",
           f"Django: {c['django']['server']}, {c['django']['workers']} workers x {c['django']['threads']} threads, "
           f"DEBUG off, persistent connections. Go: {c['go']['server']}, {c['go']['pool']}.", "", f"![ratios]({chart_name})", "",
           "| | Django | Go | floor | Go vs Django |", "|---|---:|---:|---:|---:|"]
    out += [f"| {' | '.join(r)} |" for r in _rows(result)]
    if not result.get("judged", True):
        out += ["", "`--quick`: one short round, a smoke test; no goal is judged on it."]
    out += ["", "| goal | measured | the floor reaches | published claim | |", "|---|---:|---:|---:|---|"]
    for g in result["goals"]:
        bound = "at most" if g["name"] == "gorm_vs_sqlc" else "at least"
        verdict = {"met": "met", "MISSED": "**missed**"}.get(_verdict(g), _verdict(g))
        out.append(f"| {g['text']}: {bound} {g['goal']:g}x | {_x(g['measured'])} | {_x(g['floor']) if g.get('floor') else ''} | "
                   f"{_x(g['claim']) if g['claim'] else ''} | {verdict} |")
    fl = result.get("floor", {})
    if fl.get("go_steps_ms"):
        out += ["", f"Go's cold start step by step (a start with `LOG_LEVEL=debug GODEBUG=inittrace=1`, medians; "
                f"floor {_f(fl['cold_start_ms'])} ms, without a database {_f(fl['cold_start_nodb_ms'])} ms):", "",
                "| step | ms |", "|---|---:|"] + [f"| {name} | {ms:g} |" for name, ms in fl["go_steps_ms"]]
    al = result["gorm_vs_sqlc"].get("allocations", {})
    if al.get("httptest"):
        out += ["", f"Go allocations per request: the handler chain through `httptest` (no network), of which the test's "
                f"request and recorder alone are {al['httptest']['allocs']} ({al['httptest']['bytes']} B)."]
    reads = result["gorm_vs_sqlc"].get("reads", [])
    if reads:
        out += ["", "GORM against sqlc, `go test -bench` in the generated `bench/` package, on one shared pool of one connection:", "",
                "| read | sqlc (µs) | GORM (µs) | GORM / sqlc | allocs sqlc / GORM |", "|---|---:|---:|---:|---:|"]
        out += [f"| {r['read']} | {r['sqlc_us']} | {r['gorm_us']} | {r['ratio']}x | {r['sqlc_allocs']} / "
                f"{r['gorm_allocs']} |" for r in reads]
    t = result["tool"]
    mode = f", {t['generate_mode']}" if t.get("generate_mode", "write") != "write" else ""
    out += ["", f"The tool on this project: analyse {t['analyze_s']:.2f} s, generate {t['generate_s']:.2f} s{mode} "
            f"(every target, sqlc included), {t['total_s']:.2f} s in all."]
    if result["where_the_time_goes"]:
        out += ["", "## Where the time goes", ""] + [f"- {n}" for n in result["where_the_time_goes"]]
    return "\n".join(out) + "\n"


def write_markdown(result: dict, path: Path) -> None:
    """The Markdown report at ``path`` and its chart next to it (``<stem>.svg``)."""
    from .chart import svg

    chart = path.with_suffix(".svg")
    chart.write_text(svg(result), encoding="utf-8")
    path.write_text(markdown(result, chart.name), encoding="utf-8")
