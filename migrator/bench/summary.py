"""Rounds -> medians per stack, ratios (Go relative to Django, larger is better for Go), goals, floors, and
where the time goes (CPU per request of the server, its PostgreSQL backends and the load generator).

The floor (``floor/main.go``: one pgx connection, one statement per request) bounds what Go can reach on
the machine: each goal is reported with the ratio the floor itself reaches against the same Django run."""

from __future__ import annotations

import math
import statistics

from .coldstart import PHASES, steps

# Published claims for Go against Django on the same business logic, as ratios (larger is better for Go).
CLAIMS = {"cold_start": 4.8, "memory": round(1 / (1 - 0.62), 2)}  # 4.8x faster; 62% less memory = 2.63x
CLAIM_TEXT = {"cold_start": "4.8x faster", "memory": "62% less"}
# The goals on the sample: ratios at least this (gorm_vs_sqlc: GORM's time at most this x sqlc's).
# cpu_per_request is judged on the endpoint where Go's advantage is smallest (every endpoint must meet it).
GOALS = {"cold_start": 30.0, "memory": 4.0, "memory_after_load": 4.0, "cpu_per_request": 15.0,
         "throughput": 3.0, "p99_equal_load": 3.0}
GORM_GOAL = 1.3
RATIO_TEXT = {"cold_start": "cold start", "memory": "memory (PSS) after warm-up", "memory_after_load":
              "memory (PSS) after the load", "cpu_per_request": "server CPU per request (every endpoint)",
              "throughput": "throughput at saturation", "p99_equal_load": "p99 at an equal load"}


def _median(values) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def _geomean(values) -> float:
    values = [v for v in values if v and v > 0 and math.isfinite(v)]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def _ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b and math.isfinite(a) and math.isfinite(b) else float("nan")


def _mib(runs: list[dict], key: str, part: str | None = None) -> float:
    return round(_median((r.get(key, {}).get(part) if part else r.get(key)) for r in runs) / 1024, 2)


def _stack(runs: list[dict], name: str, cores: int) -> dict:
    mine = [r for r in runs if r["stack"] == name]
    out = {"cold_start_ms": round(_median(r["cold_start_s"] for r in mine) * 1000, 2), "endpoints": {}}
    if not any("pss_kib" in r for r in mine):
        return out
    out.update({"pss_mib": _mib(mine, "pss_kib"), "pss_after_load_mib": _mib(mine, "pss_after_load_kib"),
                "db_connections": max(r["db_connections"] for r in mine)})
    for key, part in (("anon", "Pss_Anon"), ("file", "Pss_File")):
        out[f"pss_{key}_mib"] = _mib(mine, "pss_parts_kib", part)
        out[f"pss_after_load_{key}_mib"] = _mib(mine, "pss_after_load_parts_kib", part)
    for e in mine[0]["endpoints"]:
        sat = [r["endpoints"][e]["saturation"] for r in mine]
        n = [max(s["requests"], 1) for s in sat]
        out["endpoints"][e] = {
            "saturation": {"rps": round(_median(s["rps"] for s in sat), 1),
                           "p50_ms": round(_median(s["p50_ms"] for s in sat), 3),
                           "p99_ms": round(_median(s["p99_ms"] for s in sat), 3),
                           "errors": sum(s["errors"] + s["non_2xx"] for s in sat)},
            # where the time goes at saturation: CPU milliseconds per request, and how busy the machine was
            "cpu_ms_per_request": {
                "server": round(_median(s["server_cpu_s"] / k * 1000 for s, k in zip(sat, n)), 4),
                "postgresql": round(_median(s["db_cpu_s"] / k * 1000 for s, k in zip(sat, n)), 4),
                "loadgen": round(_median(s["cpu_s"] / k * 1000 for s, k in zip(sat, n)), 4)},
            "cores_busy": round(_median((s["server_cpu_s"] + s["db_cpu_s"] + s["cpu_s"]) / sat[0]["seconds"]
                                        for s in sat), 2),
            "cores": cores,
        }
        eq = [r["endpoints"][e]["equal_load"] for r in mine if "equal_load" in r["endpoints"][e]]
        if eq:
            out["endpoints"][e]["equal_load"] = {
                "rate": round(eq[0]["rate"], 1), "rps": round(_median(s["rps"] for s in eq), 1),
                "p50_ms": round(_median(s["p50_ms"] for s in eq), 3), "p99_ms": round(_median(s["p99_ms"] for s in eq), 3),
                "errors": sum(s["errors"] + s["non_2xx"] + s["unsent"] for s in eq)}
    return out


def _floor(runs: list[dict], cores: int) -> dict:
    """The floor's figures, and Go's start-up phases (medians per phase)."""
    fl = _stack(runs, "floor", cores) if any(r["stack"] == "floor" for r in runs) else {}
    one = next(iter(fl.get("endpoints", {}).values()), {})  # the floor serves one statement
    out = {"cold_start_ms": fl.get("cold_start_ms"), "pss_mib": fl.get("pss_mib"),
           "pss_anon_mib": fl.get("pss_anon_mib"), "pss_file_mib": fl.get("pss_file_mib"),
           "pss_after_load_mib": fl.get("pss_after_load_mib"),
           "server_cpu_ms_per_request": one.get("cpu_ms_per_request", {}).get("server"),
           "rps": one.get("saturation", {}).get("rps")}
    nodb = [r["cold_start_s"] for r in runs if r["stack"] == "floor_nodb"]
    out["cold_start_nodb_ms"] = round(_median(nodb) * 1000, 2) if nodb else None
    phases = [r["phases_ms"] for r in runs if r["stack"] == "go_phases" and r.get("phases_ms")]
    med = {k: round(_median(p.get(k) for p in phases), 2) for k in PHASES if any(k in p for p in phases)}
    return {**out, "go_phases_ms": med, "go_steps_ms": steps(med) if "main" in med else []}


def summarise(meta: dict, runs: list[dict], gobench: dict) -> dict:
    endpoints = [e["name"] for e in meta["endpoints"]]
    cores = meta["machine"]["cores"]
    quick = bool(meta.get("config", {}).get("quick"))
    dj, go, floor = _stack(runs, "django", cores), _stack(runs, "go", cores), _floor(runs, cores)
    by_endpoint = {}
    for e in endpoints:
        d, g = dj["endpoints"][e], go["endpoints"][e]
        by_endpoint[e] = {"throughput": _ratio(g["saturation"]["rps"], d["saturation"]["rps"]),
                          "p99_equal_load": _ratio(d["equal_load"]["p99_ms"], g["equal_load"]["p99_ms"]),
                          "cpu_per_request": _ratio(d["cpu_ms_per_request"]["server"], g["cpu_ms_per_request"]["server"])}
    ratios = {"cold_start": _ratio(dj["cold_start_ms"], go["cold_start_ms"]), "memory": _ratio(dj["pss_mib"], go["pss_mib"]),
              "memory_after_load": _ratio(dj["pss_after_load_mib"], go["pss_after_load_mib"]),
              "cpu_per_request": min((r["cpu_per_request"] for r in by_endpoint.values()), default=float("nan")),
              "throughput": round(_geomean(r["throughput"] for r in by_endpoint.values()), 2),
              "p99_equal_load": round(_geomean(r["p99_equal_load"] for r in by_endpoint.values()), 2)}
    # what the floor reaches against the same Django: the best each ratio can be on this machine
    floor_cpu = floor.get("server_cpu_ms_per_request")
    at_floor = {"cold_start": _ratio(dj["cold_start_ms"], floor.get("cold_start_ms") or float("nan")),
                "memory": _ratio(dj["pss_mib"], floor.get("pss_mib") or float("nan")),
                "memory_after_load": _ratio(dj["pss_after_load_mib"], floor.get("pss_after_load_mib") or float("nan")),
                "cpu_per_request": min((_ratio(dj["endpoints"][e]["cpu_ms_per_request"]["server"], floor_cpu or float("nan"))
                                        for e in endpoints), default=float("nan"))}
    goals = [{"name": k, "text": RATIO_TEXT[k], "goal": v, "measured": ratios[k], "floor": at_floor.get(k),
              "met": None if quick else ratios[k] >= v, "claim": CLAIMS.get(k)} for k, v in GOALS.items()]
    reads = gobench.get("reads", [])
    if reads:
        worst = max(r["ratio"] for r in reads)
        goals.append({"name": "gorm_vs_sqlc", "text": "GORM / sqlc per single-row read (at most)", "goal": GORM_GOAL,
                      "measured": worst, "met": None if quick else worst <= GORM_GOAL, "claim": None, "floor": None})
    return {**meta, "django": dj, "go": go, "floor": floor, "ratios": ratios, "ratios_by_endpoint": by_endpoint,
            "ratios_at_floor": at_floor, "claims": CLAIMS, "goals": goals, "judged": not quick, "gorm_vs_sqlc": gobench,
            "rounds": runs, "where_the_time_goes": where_the_time_goes(dj, go, floor, ratios, reads)}


def where_the_time_goes(dj: dict, go: dict, floor: dict, ratios: dict, reads: list[dict]) -> list[str]:
    """One line per missed goal, from the measurements (never a reason that was not measured)."""
    notes = []
    for e, g in go["endpoints"].items():
        d = dj["endpoints"][e]
        cg, cd = g["cpu_ms_per_request"], d["cpu_ms_per_request"]
        notes.append(f"{e}: CPU per request at saturation: Go server {cg['server']} ms, its PostgreSQL backends "
                     f"{cg['postgresql']} ms, the load generator {cg['loadgen']} ms ({g['saturation']['rps']:.0f} req/s, "
                     f"{g['cores_busy']} of {g['cores']} cores busy). Django: server {cd['server']} ms, PostgreSQL "
                     f"{cd['postgresql']} ms, load generator {cd['loadgen']} ms ({d['saturation']['rps']:.0f} req/s). "
                     f"Floor (one connection, one statement): server {floor.get('server_cpu_ms_per_request')} ms.")
    if floor.get("go_steps_ms"):
        notes.append(f"cold start: Go {go['cold_start_ms']} ms, floor {floor['cold_start_ms']} ms (without a database "
                     f"{floor['cold_start_nodb_ms']} ms), Django {dj['cold_start_ms']} ms. Go's start-up, split (a start "
                     "with LOG_LEVEL=debug and GODEBUG=inittrace=1, ms): "
                     + "; ".join(f"{name} {ms}" for name, ms in floor["go_steps_ms"]) + ".")
    notes.append(f"memory: Go {go['pss_mib']} MiB PSS ({go['pss_anon_mib']} anonymous: heap, stacks; {go['pss_file_mib']} "
                 f"file-backed: the executable's pages in use), after the load {go['pss_after_load_mib']} MiB "
                 f"({go['pss_after_load_anon_mib']} + {go['pss_after_load_file_mib']}); floor {floor.get('pss_mib')} MiB "
                 f"({floor.get('pss_anon_mib')} + {floor.get('pss_file_mib')}); Django {dj['pss_mib']} MiB "
                 f"({dj['pss_anon_mib']} + {dj['pss_file_mib']}; gunicorn master and workers, --preload), after the load "
                 f"{dj['pss_after_load_mib']} MiB.")
    for r in (r for r in reads if r["ratio"] > GORM_GOAL):
        notes.append(f"GORM {r['read']}: {r['gorm_us']} µs against sqlc {r['sqlc_us']} µs per read; "
                     f"{r['gorm_allocs']} allocations ({r['gorm_bytes']} B) against {r['sqlc_allocs']} "
                     f"({r['sqlc_bytes']} B): database/sql + GORM's statement building, callbacks and reflection.")
    return notes
