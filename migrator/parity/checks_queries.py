"""The `queries` check: every generated sqlc query does what its QuerySet does through Django.

Reads: each read query with several parameter sets (values from the loaded data, values matching
nothing, NULL for every optional filter) runs through the generated Go (sqlccheck) and, twice,
through Django (the same chain interpreted with the real values). One case per query and parameter
set; the normalised results must be equal, in order where the SQL orders. A result that differs
between the two Django runs is noise, not a mismatch.

Writes: each write query runs on its own copy of the database through Go, and through Django on two
more; the rows afterwards must be equal (columns whose value the Go caller supplies for a value Django
computes while saving, and columns that differ between the two Django runs, are not compared), and an
UPDATE/DELETE must report the same row count. Same rules as tests/test_query_parity.py. The INSERT of a
get_or_create / update_or_create / bulk_create is such a write too, with Django writing one object
(insert_alone).
"""

from __future__ import annotations

import json
import re

from ..equivalence import unique_sets
from .context import Case, Context, register
from .insert_alone import InsertAlone, alone_inserts, django_case
from .ranges import field_type
from .sequences import compare_later, first_reads, is_prefetch, later_reads, without_prefetch
from .values import (both_raised, compare, error_kind, first_difference, go_value, noisy_fields, param_sets,
                     read_queries, sqlite_text, write_param_sets, write_queries)

NOW = "2026-11-27T10:00:00Z"
RANDOM_ORDER = re.compile(r"\bORDER\s+BY\s+RAND(?:OM)?\(\)", re.I)  # order_by("?") on every backend
# the internal types whose Field.empty_strings_allowed is true: without a default and not null, Django saves ''
EMPTY_STRING_TYPES = frozenset({"CharField", "TextField", "SlugField", "FilePathField", "FileField"})
# what a Go caller passes for a default Django computes by calling a function (helpdesk's UserSettings: a
# boolean from its settings): a value its Go parameter type can hold; the written column is not compared
CALLABLE_STAND_INS = {"BooleanField": False, "IntegerField": 0, "BigIntegerField": 0, "SmallIntegerField": 0,
                      "PositiveIntegerField": 0, "PositiveSmallIntegerField": 0, "PositiveBigIntegerField": 0,
                      "FloatField": 0.0, "DecimalField": 0.0, "TimeField": "00:00:00"}


def stand_in_text(f, name: str, i: int) -> str:
    """The text a Go caller passes for a computed value parity cannot derive (a callable default's result, the
    column masked): one the column accepts, as Django's value is: a choice when the field has choices, else
    `go-<name>-<i>` cut to its max_length (a varchar(16) refuses a longer one on PostgreSQL and MySQL)."""
    if f is not None and f.choices:
        return str(f.choices[0].value)
    text, suffix = f"go-{name}", f"-{i}"
    if f is not None and f.max_length and len(text) + len(suffix) > f.max_length:
        return (text[:max(f.max_length - len(suffix), 0)] + suffix)[-f.max_length:]
    return text + suffix


def _cases(ctx: Context, q, values, params_of):
    from migrator.ir import to_dict

    sites = {s.id: s for s in ctx.project.querysets}
    params = params_of(q, values)
    single = len(params) == 1 and not (ctx.dialect == "mysql" and _macro_uses(q) > 1)
    arg = None if not params else (next(iter(params.values())) if single else params)
    if isinstance(q, InsertAlone):  # the INSERT alone: Django writes one object with the same values
        return {"query": q.name, "params": arg}, django_case(q, values)
    site = to_dict(sites[q.site])
    if is_prefetch(q, sites):
        site = without_prefetch(site)
    elif q.part.endswith(" select"):
        site = lookup_site(site)
    elif q.result == "delete_ids":
        site = delete_rows(site)
    return ({"query": q.name, "params": arg},
            {"site": site, "values": values, "kinds": {p.sentinel: p.kind for p in q.params}})


def delete_rows(site: dict) -> dict:
    """The rows a ``delete()`` removes, as a read of its own: the chain with ``delete()`` replaced by
    ``values_list("pk")``, what load.compile compiled the statement from (the Go side selects those ids, then its
    on_delete helper deletes them). Before, the statement was never compared: postman's 24 mutants of it were
    `not compared`."""
    *body, _last = site["chain"]
    pk = {"kind": "literal", "source": "'pk'", "keyword": "", "value": "pk", "names": []}
    return {**site, "chain": [*body, {"method": "values_list", "args": [pk], "line": 0, "column": 0, "condition": ""}]}


LOOKUPS = ("get_or_create", "update_or_create")
GET_FOR_MODEL = "get_for_model"  # ContentType.objects.get_for_model(): get(app_label=, model=), then get_or_create


def lookup_site(site: dict) -> dict:
    """The read a get_or_create / update_or_create starts with, as a site of its own: Django runs
    ``get(**lookup)`` first (update_or_create: ``select_for_update().get(**lookup)``), so the chain ends in
    ``get`` with the same lookup arguments, without ``defaults`` / ``create_defaults``.
    ``get_for_model(x)`` starts with ``get(app_label=..., model=...)`` of x's meta: which values is known in
    the Django process only (load.canonical), so the site is marked and django_eval.first_select rewrites it."""
    if site["chain"] and site["chain"][0]["method"] == GET_FOR_MODEL:
        return {**site, "first_select": True}
    *body, last = site["chain"]
    args = [a for a in last["args"] if a.get("keyword") not in ("defaults", "create_defaults")]
    return {**site, "chain": [*body, {**last, "method": "get", "args": args}]}


def sequence_reads(queries, sites: dict) -> list:
    """The first statement of a get_or_create / update_or_create / get_for_model: a SELECT whose Django
    equivalent is the ``get()`` the call starts with (lookup_site), so it is compared as a read of its own."""
    return [q for q in queries if q.part.startswith("1/") and q.part.endswith(" select") and q.command == "one"
            and q.site in sites and sites[q.site].chain and (sites[q.site].chain[-1].method in LOOKUPS
                                                            or sites[q.site].chain[0].method == GET_FOR_MODEL)]


def _macro_uses(q) -> int:
    """How many placeholders the query's parameters make: sqlc's MySQL engine gives a query a Params struct as
    soon as it has two, even when both are the same ``sqlc.narg(x)`` (an optional filter's ``x IS NULL OR``)."""
    return len(re.findall(r"sqlc\.(?:n?arg|slice)\(", q.sql))


def tree_sql(ctx: Context) -> dict[str, str]:
    """Query name -> the SQL inside the tree's Go code (what actually runs, even in an edited tree)."""
    out = {}
    from ..dialects import DIALECTS

    pkg = DIALECTS[ctx.dialect].sqlc_package if ctx.dialect in DIALECTS else ""
    for path in sorted((ctx.tree / "sqlc" / pkg).glob("*.sql.go")):
        for block in path.read_text(encoding="utf-8").split("-- name: ")[1:]:
            head, _, rest = block.partition("\n")
            out[head.split()[0]] = rest.split("`", 1)[0].strip()
    return out


def _op(ctx: Context, q) -> str:
    if ctx._tree_sql is None:
        ctx._tree_sql = tree_sql(ctx)
    return f"{ctx._tree_sql.get(q.name, q.sql)}\n-- Django: {q.site}"


def _label(q, values) -> str:
    return f"{q.name} {json.dumps(values, ensure_ascii=False, default=str)}"


@register("queries")
def check_queries(ctx: Context) -> list[Case]:
    queries = ctx.generated.emitted.queries.get(ctx.dialect, [])
    if not ctx.has_program("sqlccheck"):
        return [Case(check="queries", name="sqlc", status="skipped", reason="the tree has no sqlc target")]
    field_types = {f"{m.label}.{f.name}": field_type(f.internal_type, f.field_class)
                   for m in ctx.project.models for f in m.fields}
    dump = ctx.django(ctx.url, "dump")
    cases: list[Case] = []
    sites = {s.id: s for s in ctx.project.querysets}
    sequence = sequence_reads(queries, sites) + first_reads(queries, sites)
    later = later_reads(queries, sites)
    alone = alone_inserts(queries, sites, ctx.project.models)  # get_or_create's / bulk_create's INSERT
    for q in queries:
        if q in sequence or q in later or any(a.name == q.name for a in alone):
            continue
        if q.part and not q.part.startswith("1/1"):
            cases.append(Case(check="queries", name=q.name, status="skipped", operation=q.sql,
                              reason=f"statement {q.part}: run as part of its sequence, not compared on its own"))
    deletes = [q for q in queries if q.result == "delete_ids" and not q.part]  # the ids a delete() removes
    cases += _reads(ctx, read_queries(queries) + sequence + deletes, dump, field_types)
    cases += compare_later(ctx, later, queries, dump, field_types)
    writes = [q for q in write_queries(queries) if all(a.name != q.name for a in alone)]
    cases += _writes(ctx, writes + alone, dump, field_types)
    return cases


def _reads(ctx, queries, dump, field_types) -> list[Case]:
    def params_of(q, values):
        return {p.name: go_value(p, values[p.sentinel], field_types, ctx.dialect) for p in q.params}

    go_cases, dj_cases, meta = [], [], []
    for q in queries:
        for values in param_sets(q, dump, field_types):
            g, d = _cases(ctx, q, values, params_of)
            go_cases.append(g)
            dj_cases.append(d)
            meta.append((q, values))
    ctx.query_runs["reads"] = []
    if not meta:
        return []
    cases = _run_reads(ctx, ctx.url, meta, go_cases, dj_cases)
    alone = [i for i, (q, _v) in enumerate(meta) if not q.params]  # decided by the data alone: a second database
    if ctx.second_url and alone:
        cases += _run_reads(ctx, ctx.second_url, [meta[i] for i in alone], [go_cases[i] for i in alone],
                            [dj_cases[i] for i in alone], " [generated rows only]")
    return cases


def _run_reads(ctx, url, meta, go_cases, dj_cases, where: str = "") -> list[Case]:
    ctx.progress(f"queries: {len(meta)} read runs through Go and Django (twice){where}")
    go_file, dj_file = ctx.tmp("reads-go.json"), ctx.tmp("reads-dj.json")
    go_file.write_text(json.dumps(go_cases))
    dj_file.write_text(json.dumps(dj_cases))
    go_results = ctx.go("sqlccheck", url, str(go_file))
    dj_runs = [ctx.django(url, "querysets", str(dj_file)) for _ in range(2)]
    cases = []
    reads = ctx.query_runs["reads"]
    for (q, values), g, d, d2, go_case in zip(meta, go_results, *dj_runs, go_cases):
        name = _label(q, values) + where
        if json.dumps(d, sort_keys=True) != json.dumps(d2, sort_keys=True):
            cases.append(Case(check="queries", name=name, status="noise", operation=_op(ctx, q),
                              detail=f"the two Django runs disagree: {str(d)[:300]} / {str(d2)[:300]}"))
            continue
        why = compare(q, d, g, decimal_text=ctx.dialect == "mysql")  # MySQL's untyped AVG (values.norm)
        if why and RANDOM_ORDER.search(q.sql):
            cases.append(Case(check="queries", name=name, status="noise", operation=_op(ctx, q),
                              detail=f"ordered at random (`order_by('?')`): which matching row comes first is not "
                                     f"compared ({why[:200]})"))
            continue
        reads.append({"query": q, "values": values, "go_case": go_case, "django": d, "passed": not why, "url": url})
        cases.append(Case(check="queries", name=name, status="failed" if why else "passed", detail=why,
                          operation=_op(ctx, q)))
    return cases


def _writes(ctx, queries, dump, field_types) -> list[Case]:
    columns = {(m.db_table, f.column): f for m in ctx.project.models if m.kind == "concrete"
               for f in m.fields if f.column}
    by_label = {f"{m.label}.{f.name}": f for m in ctx.project.models if m.kind == "concrete" for f in m.fields}
    now = sqlite_text(NOW) if ctx.dialect == "sqlite" else NOW

    def computed_value(q, p, i):
        """What a Go caller passes for a value Django computes at save time: the field's default, or now."""
        table, name = re.split(r'["`]', q.sql)[1], p.name  # the first quoted name (backticks on MySQL)
        # the parameter's own field: its name may differ from the column's (`date` -> date_value, a keyword);
        # a computed value's source names it: "<date: computed by Django at save time>"
        named = re.match(r"<(\w+)", p.source)
        f = by_label.get(p.field) or columns.get((table, named.group(1) if named else name)) or columns.get((table, name))
        updating = q.sql.lstrip().upper().startswith("UPDATE")  # defaults apply to inserts only
        if f is not None and (f.auto_now or f.auto_now_add or (updating and f.internal_type == "DateTimeField")):
            return now
        if f is not None and f.default.kind == "literal":
            return float(f.default.value) if f.internal_type == "DecimalField" else f.default.value
        if f is not None and f.default.kind == "none" and f.null:
            return None
        if f is not None and f.default.kind == "none" and f.internal_type in EMPTY_STRING_TYPES:
            return ""  # Django's implicit default of a string field (Field.get_default: empty_strings_allowed)
        if f is not None and f.internal_type == "DateTimeField":
            return now
        if f is not None and f.internal_type == "DateField":  # default=date.today and the like
            return NOW[:10]
        if f is not None and f.default.kind == "callable" and f.internal_type in CALLABLE_STAND_INS:
            return CALLABLE_STAND_INS[f.internal_type]  # a value of the column's Go type (the column is masked)
        return stand_in_text(f, name, i)

    def params_for(q, i):
        computed = {p.name for p in q.params if p.source.startswith("<")}

        def params_of(q, values):
            return {p.name: (computed_value(q, p, i) if p.name in computed
                             else go_value(p, values[p.sentinel], field_types, ctx.dialect)) for p in q.params}
        return params_of, computed

    together = {m.label: unique_sets(m) for m in ctx.project.models if m.kind == "concrete"}
    sets = {q.name: write_param_sets(q, dump, by_label, together=together) for q in queries}
    pending = [(i, q, 0) for i, q in enumerate(queries)]
    cases: list[Case] = []
    extras = []
    ctx.progress(f"queries: {len(pending)} write queries, each on three copies")
    while pending:
        retry = []
        for (i, q, k), res in zip(pending, _write_round(ctx, [(i, q, sets[q.name][k], *params_for(q, i))
                                                                for i, q, k in pending])):
            g, d = res["go"], res["django"]
            if "error" in d and "error" in g and k + 1 < len(sets[q.name]):
                retry.append((i, q, k + 1))  # this set writes nothing on either side: try the next one
                continue
            cases.append(_write_case(ctx, q, sets[q.name][k], res))
            extras += [(i, q, values) for values in extra_write_sets(q, dump, sets[q.name], k)]
        pending = retry
    if extras:  # a second look at each write: the rows that stand out, another row's values
        ctx.progress(f"queries: {len(extras)} more write runs (boundary rows)")
        for (i, q, values), res in zip(extras, _write_round(ctx, [(1000 * (n + 1) + i, q, values, *params_for(q, i))
                                                                   for n, (i, q, values) in enumerate(extras)])):
            res["extra"] = True
            cases.append(_write_case(ctx, q, values, res))
    return cases


EXTRA_WRITES = 2


def extra_write_sets(q, dump: dict, sets: list[dict], done: int) -> list[dict]:
    """Up to EXTRA_WRITES more parameter sets for a write that succeeded with sets[done]: per parameter, the
    value of a row that stands out (boundary.minority_values: the inactive product, the soft-deleted review; for
    a field of another model, related_minority: the inactive product's category), then the next set from other rows. A condition the first set satisfies anyway (`is_active`, `stock >= ?1`)
    is tried where it does not hold."""
    from .boundary import minority_values, related_minority

    base, out = sets[done], []
    for p in q.params:
        if p.field and not p.is_list and not p.source.startswith("<"):
            for v in minority_values(p.kind, p.field, dump) + related_minority(p.kind, p.field, q.model, dump):
                candidate = {**base, p.sentinel: v}
                if candidate != base and candidate not in out:
                    out.append(candidate)
                    break
    out += [s for s in sets[done + 1:] if s not in out][:1]
    return out[:EXTRA_WRITES]


def _write_round(ctx, items) -> list[dict]:
    """Each (index, query, values, params_of, computed) on three fresh copies (Go, Django twice): the results
    and the dumps afterwards. Kept on the context for the mutation run, which reruns Go only."""
    runs = []
    for i, q, values, params_of, computed in items:
        g, d = _cases(ctx, q, values, params_of)
        dbs = [ctx.scratch.copy(ctx.url, f"w{i}_{side}") for side in ("go", "dj1", "dj2")]
        files = [ctx.tmp(f"w{i}-go.json"), ctx.tmp(f"w{i}-dj.json")]
        files[0].write_text(json.dumps([g]))
        files[1].write_text(json.dumps([d]))
        runs.append((q, computed, dbs, files))
    go_results = [ctx.go("sqlccheck", dbs[0], str(files[0]))[0] for _q, _c, dbs, files in runs]
    # one Django process for the round, the jobs in the order three processes ran them (Django's first run of every
    # write, its second, then the dumps of the three copies): 12 of the 18 Django boots of the sample's check saved
    jobs = [{"database": dbs[k], "command": "querysets", "args": [str(files[1])]}
            for k in (1, 2) for _q, _c, dbs, files in runs]
    done = ctx.django_batch(jobs + [{"database": db, "command": "dump"} for *_x, dbs, _f in runs for db in dbs])
    dj_results, afters = (done[:len(runs)], done[len(runs):len(jobs)]), done[len(jobs):]
    out = []
    for n, (q, computed, dbs, files) in enumerate(runs):
        after_go, after_dj, after_dj2 = afters[3 * n:3 * n + 3]
        # masked: the columns the Go caller fills for a value Django computes, in the written table only
        skip = noisy_fields(after_dj, after_dj2) | {(q.model, c) for c in computed}
        res = {"query": q.name, "go": go_results[n], "django": dj_results[0][n][0], "django2": dj_results[1][n][0],
               "after_go": after_go, "after_django": after_dj, "skip": skip, "go_case": files[0]}
        ctx.query_runs.setdefault("writes", {}).setdefault(q.name, []).append(res)
        out.append(res)
        for db in dbs:
            ctx.scratch.drop(db)
    return out


def judge_write(q, res: dict) -> str:
    """'' when Go's write (res["go"], res["after_go"]) matches Django's, else where it differs."""
    g, d = res["go"], res["django"]
    if ("error" in g) != ("error" in d):
        return f"go {g} / django {d}"
    if "error" in g and res.get("extra"):  # a second look: the first set wrote, failing alike is an answer
        return both_raised(d["error"], g["error"])
    if "error" in g:  # nothing was written: same failure or not, the write was never compared
        return (both_raised(d["error"], g["error"]) or f"both sides failed the same way ({error_kind(d['error'])}) "
                f"for every parameter set tried: the write never succeeded, so nothing was compared; the data "
                f"needs a row it can write ({d['error'][:160]})")
    diff = first_difference(res["after_go"], res["after_django"], res["skip"])
    if diff:
        return f"the database differs after the write: go != django: {diff}"
    dj_rows = d.get("value")
    if isinstance(dj_rows, list):  # delete() returns (count, per model)
        dj_rows = dj_rows[0]
    if dj_rows is not None and q.command == "execrows" and g.get("value") != dj_rows:
        return f"{g.get('value')} rows through Go, {dj_rows} through Django"
    return ""


def _write_case(ctx, q, values, res) -> Case:
    d = res["django"]
    if "error" in d and d["error"].startswith(("NotTranslated", "KeyError: 'no value")):
        return Case(check="queries", name=_label(q, values), status="skipped", operation=_op(ctx, q),
                    reason=f"Django cannot run this statement's source with values ({d['error'][:160]}): not compared")
    why = judge_write(q, res)
    if why and isinstance(q, InsertAlone) and "error" in res["go"] and not res.get("extra") and not both_raised(
            d["error"], res["go"]["error"]):  # skipped as before, with what the data lacks (a free one-to-one target)
        return Case(check="queries", name=_label(q, values), status="skipped", operation=_op(ctx, q),
                    reason=f"the INSERT alone: no parameter set of the data lets Django write the object "
                           f"({d['error'][:160]}); generated data (--data generated / both) adds the row it needs")
    return Case(check="queries", name=_label(q, values), status="failed" if why else "passed", detail=why,
                operation=_op(ctx, q))
