"""Query parity: every generated sqlc read query returns what its QuerySet returns through Django.

For each query and dialect, several parameter sets (values from the fixture, values that match
nothing, NULL for every optional filter, an empty list for __in) run through the generated Go
(sqlccheck, by reflection over the sqlc Queries) and through Django (the same chain, interpreted
with real values), and the normalised results must be equal: in order where the SQL orders.
"""

from __future__ import annotations

import json
import subprocess

from conftest import SAMPLE, django_side

from migrator.parity import values as V  # the comparison `migrate parity` makes
from migrator.parity.values import compare, go_value, param_sets, sqlite_text


def read_queries(generated, dialect):
    return V.read_queries(generated.emitted.queries[dialect])


def run_parity(generated, tree, dialect, url, queries, tmp_path) -> tuple[list[str], int]:
    """Run each query through sqlccheck (Go, built in ``tree``) and Django; the differences found."""
    from migrator.ir import to_dict

    project = generated.project
    field_types = {f"{m.label}.{f.name}": f.internal_type for m in project.models for f in m.fields}
    sites = {s.id: s for s in project.querysets}
    dump = django_side(SAMPLE, "shopapi.settings", url, "dump")
    go_cases, dj_cases, meta = [], [], []
    for q in queries:
        for values in param_sets(q, dump):
            params = {p.name: go_value(p, values[p.sentinel], field_types, dialect) for p in q.params}
            arg = None if not params else (next(iter(params.values())) if len(params) == 1 else params)
            go_cases.append({"query": q.name, "params": arg})
            dj_cases.append({"site": to_dict(sites[q.site]), "values": values,
                             "kinds": {p.sentinel: p.kind for p in q.params}})
            meta.append((q, values))
    (tmp_path / "go.json").write_text(json.dumps(go_cases))
    (tmp_path / "dj.json").write_text(json.dumps(dj_cases))
    proc = subprocess.run([str(tree / "bin" / "sqlccheck"), url, str(tmp_path / "go.json")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    go_results = json.loads(proc.stdout)
    dj_results = django_side(SAMPLE, "shopapi.settings", url, "querysets", str(tmp_path / "dj.json"))
    failures = []
    for (q, values), g, d in zip(meta, go_results, dj_results):
        why = compare(q, d, g)
        if why:
            failures.append(f"{q.name} ({q.site}) with {values}: {why}")
    return failures, len(meta)


def test_every_read_query_matches_django(sample_generated, loaded_db, tmp_path):
    dialect, url, _ = loaded_db
    queries = read_queries(sample_generated, dialect)
    assert len(queries) >= 65
    failures, checked = run_parity(sample_generated, sample_generated.out, dialect, url, queries, tmp_path)
    assert checked >= 2 * len(queries)
    assert not failures, f"{len(failures)} of {checked} query runs differ:\n" + "\n".join(failures[:40])


MUTANTS = [  # (what the generated SQL says, what the mutant says): an operator flip, a dropped condition,
    # and two columns of a select_related join swapped (Django's side reads the joined columns too)
    ('"catalog_product"."price" < \'10\'', '"catalog_product"."price" > \'10\''),
    ('WHERE "accounts_profile"."user_id" = ?1', 'WHERE ?1 = ?1'),
    ('"catalog_category"."name", "catalog_category"."slug"', '"catalog_category"."slug", "catalog_category"."name"'),
]


def test_a_flipped_operator_dropped_condition_or_swapped_join_column_is_caught(sample_generated, tmp_path):
    """Mutation check on SQLite: change the SQL inside the generated Go, rebuild, parity must fail."""
    import shutil

    from conftest import go
    from migrator.sqlcstep.getone import query_of, wrapped_gets

    db = str(tmp_path / "db.sqlite3")
    django_side(SAMPLE, "shopapi.settings", db, "migrate")
    django_side(SAMPLE, "shopapi.settings", db, "loaddata", str(SAMPLE / "fixtures" / "sample.json"))
    by_name = {q.name: q for q in read_queries(sample_generated, "sqlite")}
    source = (sample_generated.out / "sqlc" / "sqlitedb" / "sqlite.sql.go").read_text()
    wrapped = wrapped_gets(sample_generated.out / "sqlc" / "sqlitedb")
    for original, mutated in MUTANTS:
        blocks = {b.split()[0]: b for b in source.split("-- name: ")[1:]}
        # a get() reaches sqlc as <Name>Rows (sqlcstep/getone.py): the query is <Name>
        query = {n: query_of(n, wrapped) for n in blocks}
        sqlc_name = next(n for n, b in blocks.items() if query[n] in by_name and original in b.split("`")[0])
        name = query[sqlc_name]
        mutant = tmp_path / f"mutant_{name}"
        shutil.copytree(sample_generated.out, mutant, ignore=shutil.ignore_patterns("bin"))
        gofile = mutant / "sqlc" / "sqlitedb" / "sqlite.sql.go"
        text = gofile.read_text()
        start = text.index(f"-- name: {sqlc_name} ")
        end = text.index("`", start)
        block = text[start:end]
        gofile.write_text(text[:start] + block.replace(original, mutated, 1) + text[end:])
        go("build", "-o", str(mutant / "bin" / "sqlccheck"), "./sqlc/cmd/sqlccheck", cwd=mutant)
        work = tmp_path / f"work_{name}"
        work.mkdir()
        failures, _ = run_parity(sample_generated, mutant, "sqlite", db, [by_name[name]], work)
        assert failures, f"the mutant of {name} went unnoticed"


NOW = "2026-11-27T10:00:00Z"


def write_queries(generated, dialect):
    return V.write_queries(generated.emitted.queries[dialect])


def test_every_write_query_leaves_the_database_django_leaves(sample_generated, loaded_db, tmp_path):
    """Each write query on its own copy of the database, through Go and through Django: same rows after."""
    from migrator.ir import to_dict

    dialect, url, copy = loaded_db
    queries = write_queries(sample_generated, dialect)
    assert len(queries) >= 12
    project = sample_generated.project
    field_types = {f"{m.label}.{f.name}": f.internal_type for m in project.models for f in m.fields}
    columns = {(m.db_table, f.column): f for m in project.models if m.kind == "concrete" for f in m.fields if f.column}
    sites = {s.id: s for s in project.querysets}
    dump = django_side(SAMPLE, "shopapi.settings", url, "dump")
    failures = []

    def computed_value(q, name, i):
        """What a Go caller passes for a value Django computes at save time: the field's default, or now."""
        table = q.sql.split('"')[1]
        f = columns.get((table, name))
        updating = q.sql.lstrip().upper().startswith("UPDATE")  # defaults apply to inserts only
        if f is not None and (f.auto_now or f.auto_now_add or (updating and f.internal_type == "DateTimeField")):
            return sqlite_text(NOW) if dialect == "sqlite" else NOW
        if f is not None and f.default.kind == "literal":
            return float(f.default.value) if f.internal_type == "DecimalField" else f.default.value
        if f is not None and f.default.kind == "none" and f.null:
            return None
        if f is not None and f.internal_type == "DateTimeField":
            return sqlite_text(NOW) if dialect == "sqlite" else NOW
        return f"go-{name}-{i}"

    runs = []  # (query, go's database, Django's database, computed params, go's result): Go first, on every copy
    for i, q in enumerate(queries):
        values = param_sets(q, dump)[0]
        params = {}
        computed = set()
        for p in q.params:
            if p.source.startswith("<"):  # a value Django computes while saving: the Go caller passes it
                computed.add(p.name)
                params[p.name] = computed_value(q, p.name, i)
            else:
                params[p.name] = go_value(p, values[p.sentinel], field_types, dialect)
        arg = None if not params else (next(iter(params.values())) if len(params) == 1 else params)
        go_db, dj_db = copy(f"w{i}go"), copy(f"w{i}dj")
        (tmp_path / f"go{i}.json").write_text(json.dumps([{"query": q.name, "params": arg}]))
        (tmp_path / f"dj{i}.json").write_text(json.dumps([{"site": to_dict(sites[q.site]), "values": values,
                                                           "kinds": {p.sentinel: p.kind for p in q.params}}]))
        proc = subprocess.run([str(sample_generated.out / "bin" / "sqlccheck"), go_db, str(tmp_path / f"go{i}.json")],
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        runs.append((q, go_db, dj_db, computed, json.loads(proc.stdout)[0]))
    # then ONE Django process (django_side's batch: each job on its own database) runs each write on Django's copy
    # and dumps both copies: the same jobs as a process per step, without booting Django three times per query
    jobs = [job for i, (q, go_db, dj_db, _, _) in enumerate(runs) for job in (
        {"database": dj_db, "command": "querysets", "args": [str(tmp_path / f"dj{i}.json")]},
        {"database": go_db, "command": "dump"}, {"database": dj_db, "command": "dump"})]
    (tmp_path / "batch.json").write_text(json.dumps(jobs))
    done = django_side(SAMPLE, "shopapi.settings", url, "batch", str(tmp_path / "batch.json"))
    assert len(done) == 3 * len(runs)
    for n, (q, go_db, dj_db, computed, go_result) in enumerate(runs):
        dj_result, after = done[3 * n][0], done[3 * n + 1:3 * n + 3]
        if ("error" in go_result) != ("error" in dj_result):
            failures.append(f"{q.name}: go {go_result} / django {dj_result}")
            continue
        masked = computed | {"created_at", "updated_at", "number", "id"}
        for side in after:
            for rows in side.values():
                for row in rows:
                    for k in masked & set(row):
                        row[k] = "<masked>" if row[k] is not None else None
        if after[0] != after[1]:
            label = next(lab for lab in after[0] if after[0][lab] != after[1].get(lab))
            diff = [(a, b) for a, b in zip(after[0][label], after[1][label]) if a != b][:1]
            failures.append(f"{q.name} ({q.site}): {label} differs after the write: {diff or 'row count'}")
        dj_rows = dj_result.get("value")
        if isinstance(dj_rows, list):  # delete() returns (count, per model)
            dj_rows = dj_rows[0]
        if dj_rows is not None and q.command == "execrows" and go_result.get("value") != dj_rows:
            failures.append(f"{q.name}: {go_result.get('value')} rows through Go, {dj_result['value']} through Django")
    assert not failures, "\n".join(failures)
