"""Rounds -> medians per stack, ratios (Go relative to Django, larger is better for Go), goals, and where
the time goes (CPU per request of the server, its PostgreSQL backends and the load generator)."""

from __future__ import annotations

import math
import statistics

# Published claims for Go against Django on the same business logic, as ratios (larger is better for Go).
CLAIMS = {"cold_start": 4.8, "memory": round(1 / (1 - 0.62), 2)}  # 4.8x faster; 62% less memory = 2.63x
CLAIM_TEXT = {"cold_start": "4.8x faster", "memory": "62% less"}
# The goals on the sample: ratios at least this (gorm_vs_sqlc: GORM's time at most this x sqlc's).
GOALS = {"cold_start": 20.0, "memory": 4.0, "throughput": 3.0, "p99_equal_load": 3.0}
GORM_GOAL = 1.3
RATIO_TEXT = {"cold_start": "cold start", "memory": "memory (PSS)", "throughput": "throughput at saturation",
              "p99_equal_load": "p99 at an equal load"}


def _median(values) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def _geomean(values) -> float:
    values = [v for v in values if v and v > 0 and math.isfinite(v)]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def _stack(runs: list[dict], name: str, endpoints: list[str], cores: int) -> dict:
    mine = [r for r in runs if r["stack"] == name]
    out = {"cold_start_ms": round(_median(r["cold_start_s"] for r in mine) * 1000, 2),
           "pss_mib": round(_median(r["pss_kib"] for r in mine) / 1024, 2),
           "pss_after_load_mib": round(_median(r["pss_after_load_kib"] for r in mine) / 1024, 2),
           "db_connections": max(r["db_connections"] for r in mine), "endpoints": {}}
    for key, part in (("pss_anon_mib", "Pss_Anon"), ("pss_file_mib", "Pss_File")):
        out[key] = round(_median(r.get("pss_parts_kib", {}).get(part) for r in mine) / 1024, 2)
    for e in endpoints:
        sat = [r["endpoints"][e]["saturation"] for r in mine]
        eq = [r["endpoints"][e]["equal_load"] for r in mine]
        n = [max(s["requests"], 1) for s in sat]
        seconds = sat[0]["seconds"]
        out["endpoints"][e] = {
            "saturation": {"rps": round(_median(s["rps"] for s in sat), 1),
                           "p50_ms": round(_median(s["p50_ms"] for s in sat), 3),
                           "p99_ms": round(_median(s["p99_ms"] for s in sat), 3),
                           "errors": sum(s["errors"] + s["non_2xx"] for s in sat)},
            "equal_load": {"rate": round(eq[0]["rate"], 1), "rps": round(_median(s["rps"] for s in eq), 1),
                           "p50_ms": round(_median(s["p50_ms"] for s in eq), 3),
                           "p99_ms": round(_median(s["p99_ms"] for s in eq), 3),
                           "errors": sum(s["errors"] + s["non_2xx"] + s["unsent"] for s in eq)},
            # where the time goes at saturation: CPU milliseconds per request, and how busy the machine was
            "cpu_ms_per_request": {
                "server": round(_median(s["server_cpu_s"] / k * 1000 for s, k in zip(sat, n)), 3),
                "postgresql": round(_median(s["db_cpu_s"] / k * 1000 for s, k in zip(sat, n)), 3),
                "loadgen": round(_median(s["cpu_s"] / k * 1000 for s, k in zip(sat, n)), 3)},
            "cores_busy": round(_median((s["server_cpu_s"] + s["db_cpu_s"] + s["cpu_s"]) / seconds for s in sat), 2),
            "cores": cores,
        }
    return out


def summarise(meta: dict, runs: list[dict], gobench: dict) -> dict:
    endpoints = [e["name"] for e in meta["endpoints"]]
    cores = meta["machine"]["cores"]
    dj, go = _stack(runs, "django", endpoints, cores), _stack(runs, "go", endpoints, cores)
    by_endpoint = {}
    for e in endpoints:
        d, g = dj["endpoints"][e], go["endpoints"][e]
        by_endpoint[e] = {"throughput": round(g["saturation"]["rps"] / d["saturation"]["rps"], 2),
                          "p99_equal_load": round(d["equal_load"]["p99_ms"] / g["equal_load"]["p99_ms"], 2)
                          if g["equal_load"]["p99_ms"] else float("nan")}
    ratios = {"cold_start": round(dj["cold_start_ms"] / go["cold_start_ms"], 2),
              "memory": round(dj["pss_mib"] / go["pss_mib"], 2),
              "throughput": round(_geomean(r["throughput"] for r in by_endpoint.values()), 2),
              "p99_equal_load": round(_geomean(r["p99_equal_load"] for r in by_endpoint.values()), 2)}
    goals = [{"name": k, "text": RATIO_TEXT[k], "goal": v, "measured": ratios[k], "met": ratios[k] >= v,
              "claim": CLAIMS.get(k)} for k, v in GOALS.items()]
    reads = gobench.get("reads", [])
    if reads:
        worst = max(r["ratio"] for r in reads)
        goals.append({"name": "gorm_vs_sqlc", "text": "GORM / sqlc per single-row read (at most)", "goal": GORM_GOAL,
                      "measured": worst, "met": worst <= GORM_GOAL, "claim": None})
    return {**meta, "django": dj, "go": go, "ratios": ratios, "ratios_by_endpoint": by_endpoint,
            "claims": CLAIMS, "goals": goals, "gorm_vs_sqlc": gobench, "rounds": runs,
            "where_the_time_goes": where_the_time_goes(dj, go, ratios, reads)}


def where_the_time_goes(dj: dict, go: dict, ratios: dict, reads: list[dict]) -> list[str]:
    """One line per missed goal, from the measurements (never a reason that was not measured)."""
    notes = []
    for e, g in go["endpoints"].items():
        d = dj["endpoints"][e]
        cg, cd = g["cpu_ms_per_request"], d["cpu_ms_per_request"]
        if ratios["throughput"] < GOALS["throughput"] or ratios["p99_equal_load"] < GOALS["p99_equal_load"]:
            notes.append(
                f"{e}: at saturation Go served {g['saturation']['rps']:.0f} req/s with {g['cores_busy']} of "
                f"{g['cores']} cores busy; CPU per request: Go server {cg['server']} ms, its PostgreSQL backends "
                f"{cg['postgresql']} ms, the load generator {cg['loadgen']} ms. Django: server {cd['server']} ms, "
                f"PostgreSQL {cd['postgresql']} ms, load generator {cd['loadgen']} ms "
                f"({d['saturation']['rps']:.0f} req/s).")
    if ratios["cold_start"] < GOALS["cold_start"]:
        notes.append(f"cold start: Go {go['cold_start_ms']} ms against Django {dj['cold_start_ms']} ms, both until "
                     "the first database-backed answer (Go: process start, then GORM's ping opens the shared pool's first "
                     "connection, which the first request reuses).")
    if ratios["memory"] < GOALS["memory"]:
        notes.append(f"memory: Go {go['pss_mib']} MiB PSS ({go['pss_anon_mib']} MiB anonymous: heap, stacks; "
                     f"{go['pss_file_mib']} MiB file-backed: the executable's pages in use) against Django "
                     f"{dj['pss_mib']} MiB ({dj['pss_anon_mib']} anonymous, {dj['pss_file_mib']} file-backed; "
                     "gunicorn master and workers, --preload).")
    slow = [r for r in reads if r["ratio"] > GORM_GOAL]
    for r in slow:
        notes.append(f"GORM {r['read']}: {r['gorm_us']} µs against sqlc {r['sqlc_us']} µs per read; "
                     f"{r['gorm_allocs']} allocations ({r['gorm_bytes']} B) against {r['sqlc_allocs']} "
                     f"({r['sqlc_bytes']} B): database/sql + GORM's statement building, callbacks and reflection.")
    return notes
