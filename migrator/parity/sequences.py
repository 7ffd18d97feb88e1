"""The statements of a prefetch_related sequence, compared on their own (the `queries` check).

A QuerySet with prefetch_related runs several SELECTs: the first reads the objects (with select_related's
joins), each later one reads the related rows of the objects found (`... WHERE "orders_orderline"."order_id"
IN (...)`). The generated Go has one query per statement; before, only the sequence as a whole was a
thing parity could not run, so every mutant of these statements was `not compared`.

- the first statement is the site's chain without its prefetch_related calls (Django compiles the same
  SELECT for it): compared as an ordinary read (``without_prefetch``);
- a later statement with one list parameter: Django evaluates the site with each parameter set while every
  statement is recorded (django_eval._statement); the recorded statement's rows (read again through its
  model, so Django's converters apply) are compared with the Go query given the ids Django bound. A
  parameter set for which Django does not run the statement (no parent found) gives no case.
"""

from __future__ import annotations

import json

from .context import Case, Context
from .boundary import field_values
from .values import compare, param_sets

PREFETCH = "prefetch_related"


def is_prefetch(q, sites: dict) -> bool:
    site = sites.get(q.site)
    return bool(q.part and q.part.endswith(" select") and site is not None
                and any(c.method == PREFETCH for c in site.chain))


def first_reads(queries, sites: dict) -> list:
    """The first statement of each prefetch_related sequence: a read of the chain without prefetch_related."""
    return [q for q in queries if q.part.startswith("1/") and is_prefetch(q, sites)]


def later_reads(queries, sites: dict) -> list:
    """Later statements of a prefetch_related sequence whose one parameter is the list of parent ids."""
    return [q for q in queries if is_prefetch(q, sites) and not q.part.startswith("1/")
            and len(q.params) == 1 and q.params[0].is_list and q.django_sql]


MAX_PARENTS = 100


def _value_sets(first, dump, field_types) -> list[dict]:
    """The first statement's parameter sets, then each of the first MAX_PARENTS values of every parameter's
    field: a later statement runs only for a parent that has related rows (an order with lines)."""
    sets = param_sets(first, dump, field_types)
    base = sets[0] if sets else {}
    for p in first.params:
        if p.field and not p.is_list:
            sets += [{**base, p.sentinel: v} for v in field_values(p.kind, p.field, dump)[:MAX_PARENTS]]
    out: list[dict] = []
    for s in sets:
        if s not in out:
            out.append(s)
    return out


def without_prefetch(site: dict) -> dict:
    """The site's chain without its prefetch_related calls: Django's first statement of the sequence."""
    return {**site, "chain": [c for c in site["chain"] if c["method"] != PREFETCH]}


def compare_later(ctx: Context, queries, all_queries, dump, field_types) -> list[Case]:
    """One case per later statement and distinct id list Django bound (see the module docstring)."""
    from migrator.ir import to_dict

    sites = {s.id: s for s in ctx.project.querysets}
    firsts = {q.site: q for q in all_queries if q.part.startswith("1/") and q.site in sites}
    by_site: dict[str, list] = {}
    for q in queries:
        if q.site in firsts:
            by_site.setdefault(q.site, []).append(q)
    meta, dj_cases = [], []  # one Django evaluation per site and parameter set, for all its later statements
    for site, later in by_site.items():
        first = firsts[site]
        for values in _value_sets(first, dump, field_types):
            meta.append((later, values))
            dj_cases.append({"site": to_dict(sites[site]), "values": values, "statements": [q.django_sql for q in later],
                             "kinds": {p.sentinel: p.kind for p in first.params}})
    if not meta:
        return []
    ctx.progress(f"queries: {len(meta)} prefetch sequences through Django (twice), then Go")
    path = ctx.tmp("prefetch-dj.json")
    path.write_text(json.dumps(dj_cases))
    runs = [ctx.django(ctx.url, "querysets", str(path)) for _ in range(2)]
    results = []  # (query, values, django result, second django result), per statement
    for (later, values), d, d2 in zip(meta, *runs):
        for i, q in enumerate(later):  # a failed evaluation is one {"error"} for all the statements
            results.append((q, values, d if isinstance(d, dict) else d[i], d2 if isinstance(d2, dict) else d2[i]))
    cases: list[Case] = []
    chosen, seen, absent = [], set(), {}
    for q, values, d, d2 in results:
        if "absent" in d or "error" in d:
            absent.setdefault(q.name, d.get("absent") or d.get("error", ""))
            continue
        key = (q.name, json.dumps(d["params"]))
        if key in seen:
            continue
        seen.add(key)
        if json.dumps(d, sort_keys=True) != json.dumps(d2, sort_keys=True):
            cases.append(Case(check="queries", name=f"{q.name} {d['params']}", status="noise", operation=q.sql,
                              detail=f"the two Django runs disagree: {str(d)[:300]} / {str(d2)[:300]}"))
            continue
        chosen.append((q, values, d))
    for name, why in sorted(absent.items()):
        if not any(q.name == name for q, _v, _d in chosen):
            cases.append(Case(check="queries", name=name, status="skipped", reason=f"prefetch statement: {why[:200]}"))
    if not chosen:
        return cases
    go_cases = [{"query": q.name, "params": d["params"]} for q, _v, d in chosen]
    go_file = ctx.tmp("prefetch-go.json")
    go_file.write_text(json.dumps(go_cases))
    go_results = ctx.go("sqlccheck", ctx.url, str(go_file))
    reads = ctx.query_runs.setdefault("reads", [])
    for (q, values, d), g, go_case in zip(chosen, go_results, go_cases):
        dj = {"rows": d["rows"], "ordered": d["ordered"]}
        why = compare(q, dj, g)
        reads.append({"query": q, "values": {**values, "<ids>": d["params"]}, "go_case": go_case, "django": dj,
                      "passed": not why})
        cases.append(Case(check="queries", name=f"{q.name} {json.dumps(d['params'])}",
                          status="failed" if why else "passed", detail=why, operation=q.sql))
    return cases
