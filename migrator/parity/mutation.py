"""`migrate parity --mutants N`: how much would parity catch? Mutants derived from the tree that runs.

Each mutant is one small change to the generated code (mutate_sql for the SQL of every sqlc query of
the dialect that runs, mutate_go for GORM column tags, JSON keys and on_delete helpers). A mutant is
**killed** when a case that passes on the tree as it is fails on the mutant, **survived** otherwise
(with the data row that would kill it), **equivalent** only with a proof that no data can tell it
apart, and **not compared** when its statement is not run on its own by any check.

Cheap by construction: Django's side of every case was computed once by the checks (Context.query_runs);
a mutant changes only Go. Mutants of different queries (or models) share a round: one copy of the tree,
one `go build` of the checker program, each case judged against its own mutant only.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import mutate_go, mutate_handlers, mutate_schema, mutate_sql
from ..sqlcstep.getone import query_of, wrapped_gets
from .context import PROGRAMS, STEP_TIMEOUT, CHECKS, Context, go_build_env
from ..equivalence import keys
from .values import compare

SQL_FILES = {"sqlite": "sqlc/sqlitedb/sqlite.sql.go", "postgresql": "sqlc/pgdb/postgresql.sql.go"}


@dataclass
class Mutant:
    id: str
    target: str  # the query name, or the model label (GORM)
    check: str  # queries | models
    path: str  # relative to the tree
    kind: str
    what: str
    original: str  # text that occurs once in `path`
    mutated: str
    equivalent: str = ""
    status: str = ""  # killed | survived | equivalent | not-compared
    detail: str = ""  # killed: the case that failed; survived / not-compared: why
    hint: str = ""  # survived: the data that would kill it


def sql_mutants(tree: Path, dialect: str, types: dict, unique: frozenset = frozenset(),
                pks: frozenset = frozenset()) -> list[Mutant]:
    path = SQL_FILES[dialect]
    text = (tree / path).read_text(encoding="utf-8")
    wrapped = wrapped_gets((tree / path).parent)
    out = []
    for block in text.split("-- name: ")[1:]:
        head, _, rest = block.partition("\n")
        name, command = head.split()[0], head.split()[1].lstrip(":")
        get = query_of(name, wrapped) != name
        name = query_of(name, wrapped)  # a get(): sqlc's <Name>Rows under the query's own method
        sql = rest.split("`", 1)[0]
        original = f"-- name: {head}\n{sql}`"
        for n, m in enumerate(mutate_sql.mutants(sql, command, types, unique, pks, get=get)):
            out.append(Mutant(id=f"{name}#{n}", target=name, check="queries", path=path, kind=m.kind, what=m.what,
                              original=original, mutated=f"-- name: {head}\n{m.sql}`", equivalent=m.equivalent))
    return out


def go_mutants(tree: Path) -> list[Mutant]:
    return [Mutant(id=m.id, target=m.model, check="models", path=m.path, kind=m.kind, what=m.what,
                   original=m.original, mutated=m.mutated) for m in mutate_go.mutants(tree)]


def schema_mutants(tree: Path, dialect: str) -> list[Mutant]:
    path = f"schema/{dialect}.sql"
    f = tree / path
    if not f.is_file():
        return []
    return [Mutant(id=f"{m.table}:{m.kind}:{n}", target=m.table, check="schema", path=path, kind=m.kind, what=m.what,
                   original=m.original, mutated=m.mutated)
            for n, m in enumerate(mutate_schema.mutants(f.read_text(encoding="utf-8")))]


def handler_mutants(tree: Path) -> list[Mutant]:
    return [Mutant(id=m.id, target=m.view, check="http", path=m.path, kind=m.kind, what=m.what,
                   original=m.original, mutated=m.mutated) for m in mutate_handlers.mutants(tree)]


def seed_mutants(tree: Path, dialect: str) -> list[Mutant]:
    """The hand-written seeds of mutants.py whose text is in this tree (and of this dialect's SQL file).
    A seed inside one query's SQL targets that query; any other (a djtypes helper, a checker program)
    can change every case: target "*", judged alone."""
    from .mutants import MUTANTS

    out = []
    wrapped = wrapped_gets((tree / SQL_FILES[dialect]).parent)
    for s in MUTANTS:
        f = tree / s.path
        if s.path in SQL_FILES.values() and s.path != SQL_FILES[dialect] or not f.is_file() \
                or s.dialect not in ("", dialect):
            continue
        text = f.read_text(encoding="utf-8")
        if text.count(s.original) != 1:
            continue
        target = "*"
        if s.path == SQL_FILES[dialect]:
            at = text.index(s.original)
            target = text[:at].rsplit("-- name: ", 1)[1].split()[0]
            target = query_of(target, wrapped)
        elif s.check == "models" and "/models/" in s.path:
            owner = re.findall(r"// (?:\w+ maps|Delete\w+ deletes) (\w+\.\w+)", text[:text.index(s.original)])
            target = owner[-1] if owner else "*"
        out.append(Mutant(id=f"seed:{s.name}", target=target, check=s.check, path=s.path, kind=s.kind,
                          what=f"seed {s.name}", original=s.original, mutated=s.mutated))
    return out


def select(mutants: list[Mutant], n: int, seed: int) -> list[Mutant]:
    """n mutants spread over the targets (round robin over shuffled targets), deterministic for a seed."""
    rng = random.Random(seed)
    by_target: dict[str, list[Mutant]] = {}
    for m in mutants:
        by_target.setdefault(m.target, []).append(m)
    for ms in by_target.values():
        rng.shuffle(ms)
    order = sorted(by_target)
    rng.shuffle(order)
    picked: list[Mutant] = []
    depth = 0
    while len(picked) < n and any(len(by_target[t]) > depth for t in order):
        picked += [by_target[t][depth] for t in order if len(by_target[t]) > depth][:n - len(picked)]
        depth += 1
    return picked


def rounds(mutants: list[Mutant]) -> list[list[Mutant]]:
    """At most one mutant per target in a round, so each failure points at one mutant; a mutant that can
    touch every case (target "*") runs alone."""
    out: list[list[Mutant]] = [[m] for m in mutants if m.target == "*"]
    for m in (m for m in mutants if m.target != "*"):
        for r in out:
            if all(x.target not in (m.target, "*") for x in r):
                r.append(m)
                break
        else:
            out.append([m])
    return out


def _apply(tree: Path, originals: dict[str, str], mutants: list[Mutant]) -> None:
    for rel, text in originals.items():
        for m in mutants:
            if m.path == rel:
                assert text.count(m.original) == 1, f"mutant {m.id}: original text not unique in {rel}"
                text = text.replace(m.original, m.mutated)
        (tree / rel).write_text(text, encoding="utf-8")


def _build(tree: Path, program: str, out: Path) -> str:
    env = go_build_env()
    proc = subprocess.run(["go", "build", "-o", str(out), PROGRAMS[program]], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=STEP_TIMEOUT)
    return "" if proc.returncode == 0 else proc.stderr.strip()[-1500:]


def _run(binary: Path, *args: str):
    proc = subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=STEP_TIMEOUT)
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout)


def _queries_round(ctx: Context, tree: Path, binary: Path, mutants: list[Mutant]) -> None:
    from .checks_queries import judge_write

    every = mutants[0] if mutants[0].target == "*" else None
    targets = {m.target: m for m in mutants}
    reads = [r for r in ctx.query_runs.get("reads", []) if r["passed"] and (every or r["query"].name in targets)]
    compared = {r["query"].name for r in reads}  # the targets a passing case runs: only they can be killed
    for url in dict.fromkeys(r.get("url", ctx.url) for r in reads):  # the loaded database, then the second
        group = [r for r in reads if r.get("url", ctx.url) == url]
        path = ctx.tmp("mutant-reads.json")
        path.write_text(json.dumps([r["go_case"] for r in group]))
        results = _run(binary, url, str(path)) or [{"error": "sqlccheck crashed"}] * len(group)
        for r, g in zip(group, results):
            m = every or targets[r["query"].name]
            why = "" if m.status == "killed" else compare(r["query"], r["django"], g)
            if why:
                m.status, m.detail = "killed", f"{json.dumps(r['values'], default=str)}: {why}"[:300]
    writes = ctx.query_runs.get("writes", {})
    pending = ([(every, res) for runs in writes.values() for res in runs] if every and every.status != "killed" else
               [(m, res) for m in mutants if m.target in writes and m.status != "killed" for res in writes[m.target]])
    if pending:
        dbs = [ctx.scratch.copy(ctx.url, f"m{i}") for i in range(len(pending))]
        results = [(_run(binary, db, str(res["go_case"])) or [{"error": "sqlccheck crashed"}])[0]
                   for db, (_m, res) in zip(dbs, pending)]
        afters = _dumps(ctx, dbs)
        queries = {q.name: q for q in ctx.generated.emitted.queries.get(ctx.dialect, [])}
        for (m, res), g, after in zip(pending, results, afters):
            if m.status == "killed" or judge_write(queries[res["query"]], res):
                continue  # the control fails already: says nothing about the mutant
            compared.add(m.target)
            if isinstance(after, str):
                m.status, m.detail = "killed", after
                continue
            why = judge_write(queries[res["query"]], {**res, "go": g, "after_go": after})
            if why:
                m.status, m.detail = "killed", why[:300]
        for db in dbs:
            ctx.scratch.drop(db)
    uncompared([m for m in mutants if not every], compared)


def uncompared(mutants: list[Mutant], compared: set) -> None:
    """A mutant of a statement no passing case runs (each of its cases fails or is skipped on the tree as it
    is) is `not compared`, never `survived`: nothing looked at it."""
    for m in mutants:
        if not m.status and m.target not in compared:
            m.status, m.detail = "not-compared", "every case of this statement fails or is skipped without the mutant"


def _dumps(ctx: Context, dbs: list[str]) -> list:
    """Django's dump of each database, all in one Django process; a database it cannot read (a mutant wrote a value
    Django's converters refuse) has the reason instead, and the others are still dumped. (Before: the batch failed
    and its halves were dumped again down to that database, about 2 log2(n) Django processes; before that, one
    process per database.)"""
    out = ctx.django_batch([{"database": db, "command": "dump"} for db in dbs], keep_going=True)
    return [f"Django cannot read the database Go wrote: {x[-200:]}" if isinstance(x, str) else x for x in out]


def _models_round(ctx: Context, tree: Path, bin_dir: Path, mutants: list[Mutant]) -> None:
    sub = Context(**{**ctx.__dict__, "tree": tree, "bin": bin_dir, "_tree_sql": None})
    cases = CHECKS["models"](sub)
    failing = ctx.query_runs.get("failed", set())  # cases that fail on the tree as it is tell nothing
    for m in mutants:
        hits = [c for c in cases if c.status == "failed" and c.name not in failing
                and (m.target == "*" or m.target in c.name.split() or f"{m.target}." in c.name)]
        if hits:
            m.status, m.detail = "killed", f"{hits[0].name}: {hits[0].detail}"[:300]


def _http_round(ctx: Context, tree: Path, bin_dir: Path, mutants: list[Mutant], n: int) -> str:
    """The mutated Go server alone on the http check's database, asked every GET the check asked for the views
    of the round, then each write whose case passed on a fresh copy; each answer compared with the Django
    answer the check kept (a write's tables are not compared again). Returns a build problem."""
    from .checks_http import Servers
    from .http import send

    targets = {m.target: m for m in mutants}

    def mutant(view: str):  # a struct several views build (target "*") changes every view's answer
        return targets.get(view) or targets.get("*")

    runs = [x for x in ctx.query_runs.get("http", []) if x["passed"] and mutant(x["request"]["view"])]
    # the writes whose answers and tables passed: replayed for their answer (the tables are not compared)
    writes = [x for x in ctx.query_runs.get("http_writes", []) if x["case"].status == "passed"
              and mutant(x["request"]["view"])]
    if not runs and not writes:
        return ""
    server = bin_dir / "server"
    env = go_build_env()
    proc = subprocess.run(["go", "build", "-o", str(server), "./http"], cwd=tree, env=env, capture_output=True,
                          text=True, timeout=STEP_TIMEOUT)
    if proc.returncode != 0:
        return proc.stderr.strip()[-1500:]
    sub = Context(**{**ctx.__dict__, "tree": tree, "_tree_sql": None})
    base = ctx.query_runs.get("http_url", ctx.url)
    with Servers(sub, server, base, f"mutants{n}", sides=("go",)) as s:
        for x in runs:
            if mutant(x["request"]["view"]).status != "killed":
                _judge(mutant(x["request"]["view"]), x, send(s.go, x["request"]))  # the request the check sent
    for i, x in enumerate(writes):  # each write on a fresh copy, to the mutated server alone
        m = mutant(x["request"]["view"])
        if m.status == "killed":
            continue
        url = ctx.scratch.copy(base, f"mw{n}x{i}")
        try:
            with Servers(sub, server, url, f"mw{n}x{i}", sides=("go",)) as s:
                go = send(s.go, x["request"])  # its cookie and CSRF header too (a signed-in write)
            _judge(m, x, go, strict=False)  # as the check compared it (run_writes)
        finally:
            ctx.scratch.drop(url)
    return ""


def http_reached(target: str, asked: set) -> bool:
    """Whether a passing request of the http check reaches a handler mutant's target: its view, or for a key of a
    struct several views build (target "*") any view."""
    return bool(asked) if target == "*" else target in asked


def _judge(m: Mutant, run: dict, go, strict: bool | None = None) -> None:
    """The mutant killed when the Go answer differs from the Django answer the http check kept."""
    from .http import compare_answers

    r = run["request"]
    diffs = compare_answers(r["method"], r["path"], run["django"], go,
                            strict=r.get("strict", False) if strict is None else strict)
    if diffs:
        d = diffs[0]
        m.status, m.detail = "killed", f"{r['method']} {r['path']}: {d.where}: django {d.django!r} != go {d.go!r}"[:300]


def _schema_round(ctx: Context, tree: Path, mutants: list[Mutant], originals: dict[str, str]) -> None:
    """The schema check on the mutated tree: a mutant dies when its table's case fails. When the file no longer
    executes, each mutant of the round is judged alone (which one broke it is not known)."""
    sub = Context(**{**ctx.__dict__, "tree": tree, "_tree_sql": None})
    cases = CHECKS["schema"](sub)
    broken = [c for c in cases if c.status == "failed" and c.name.startswith("schema/")]
    if broken and len(mutants) > 1:
        for m in mutants:
            _apply(tree, originals, [m])
            _schema_round(ctx, tree, [m], originals)
        return
    for m in mutants:
        hits = schema_hits(m, cases, broken, ctx.query_runs.get("schema_diffs", {}))
        if hits:
            why = hits[0].detail if hits[0].status == "failed" else "agrees now: the difference of the tree as it is is gone"
            m.status, m.detail = "killed", f"{hits[0].name}: {why}"[:300]


def schema_hits(m: Mutant, cases: list, broken: list, baseline: dict[str, str]) -> list:
    """The cases that tell mutant m apart: its table's case failing where the tree as it is passes, passing
    where it fails (the mutant removed the difference), or failing with other differences (a table that already differs, migrations leaving an
    index or a column type otherwise than a fresh schema file, is judged by the lines it differs on: each
    one is compared exactly; a mutant that changes none of them is not seen), or the file no longer executing."""
    return [c for c in cases if c in broken or c.name == m.target and (
            (c.status == "failed") != (c.name in baseline) or c.status == "failed" and c.detail != baseline[c.name])]


def run_mutants(ctx: Context, n: int, seed: int, checks: set) -> dict:
    """Derive, select and judge mutants of ctx.tree; the summary the report prints."""
    started = time.monotonic()
    types = mutate_sql.column_types(ctx.project.models)
    asked = {x["request"]["view"] for x in ctx.query_runs.get("http", []) if x["passed"]} | {
        x["request"]["view"] for x in ctx.query_runs.get("http_writes", []) if x["case"].status == "passed"}
    ran = {r["query"].name for r in ctx.query_runs.get("reads", [])} | set(ctx.query_runs.get("writes", {}))
    pks, unique, _ = keys(ctx.project)  # what the database enforces (equivalence.keys)
    candidates = (sql_mutants(ctx.tree, ctx.dialect, types, unique, pks) if "reads" in ctx.query_runs else [])
    if "models" in checks:
        candidates += go_mutants(ctx.tree)
    if "schema" in checks:
        candidates += schema_mutants(ctx.tree, ctx.dialect)
    if "http" in ctx.query_runs:
        candidates += handler_mutants(ctx.tree)
    candidates = [m for m in candidates if m.check in checks]  # (--mutate: some of the checks that ran)
    chosen = select(candidates, n, seed) + [m for m in seed_mutants(ctx.tree, ctx.dialect) if m.check in checks]
    for m in chosen:
        if m.equivalent:
            m.status, m.detail = "equivalent", m.equivalent
        elif m.check == "queries" and m.target != "*" and m.target not in ran:
            m.status, m.detail = "not-compared", "no case of the queries check runs this statement on its own"
        elif m.check == "http" and not http_reached(m.target, asked):
            m.status, m.detail = "not-compared", "no request of the http check reaches this view with an answer that passes"
    live = [m for m in chosen if not m.status]
    mtree = ctx.work / "mutant-tree"
    shutil.copytree(ctx.tree, mtree, ignore=shutil.ignore_patterns("bin", ".git"), dirs_exist_ok=True)
    originals = {rel: (ctx.tree / rel).read_text(encoding="utf-8") for rel in sorted({m.path for m in live})}
    for check in ("queries", "models", "schema", "http"):
        todo = rounds([m for m in live if m.check == check])
        for i, batch in enumerate(todo):
            ctx.progress(f"mutants: {check} round {i + 1}/{len(todo)} ({len(batch)} mutants)")
            _apply(mtree, originals, batch)
            bin_dir = ctx.work / f"mbin-{check}-{i}"
            if check == "queries":
                problem = _build(mtree, "sqlccheck", bin_dir / "sqlccheck")
                if not problem:
                    _queries_round(ctx, mtree, bin_dir / "sqlccheck", batch)
            elif check == "schema":
                problem = ""
                _schema_round(ctx, mtree, batch, originals)
            elif check == "http":
                problem = _http_round(ctx, mtree, bin_dir, batch, i)
            else:
                problem = ""
                _models_round(ctx, mtree, bin_dir, batch)
            if problem:  # a mutant that does not build: Go refuses it, nothing to compare
                for m in batch:
                    m.status, m.detail = "killed", f"does not build: {problem[:200]}"
            _apply(mtree, originals, [])
    for m in live:
        if not m.status:
            m.status, m.detail = "survived", "every case passes on the mutant"
            m.hint = {"queries": mutate_sql, "schema": mutate_schema, "http": mutate_handlers}.get(m.check, mutate_go).hint(m.kind, m.what)
    return summarise(chosen, len(candidates), seed, time.monotonic() - started)


def summarise(chosen: list[Mutant], available: int, seed: int, seconds: float) -> dict:
    counted = [m for m in chosen if m.status in ("killed", "survived", "not-compared")]
    killed = sum(m.status == "killed" for m in chosen)
    per_target: dict[str, dict] = {}
    for m in chosen:
        t = per_target.setdefault(m.target, {"check": m.check, "killed": 0, "survived": 0, "equivalent": 0,
                                             "not-compared": 0})
        t[m.status] += 1
    for t in per_target.values():
        live = t["killed"] + t["survived"] + t["not-compared"]
        t["strength"] = round(t["killed"] / live, 3) if live else None
    per_check: dict[str, dict] = {}
    for m in chosen:
        c = per_check.setdefault(m.check, {"killed": 0, "survived": 0, "equivalent": 0, "not-compared": 0})
        c[m.status] += 1
    for c in per_check.values():
        live = c["killed"] + c["survived"] + c["not-compared"]
        c["strength"] = round(c["killed"] / live, 3) if live else None
    return {"seed": seed, "available": available, "run": len(chosen), "killed": killed,
            "survived": sum(m.status == "survived" for m in chosen),
            "not_compared": sum(m.status == "not-compared" for m in chosen),
            "equivalent": sum(m.status == "equivalent" for m in chosen),
            "strength": round(killed / len(counted), 4) if counted else None, "seconds": round(seconds, 1),
            "per_check": per_check, "per_target": per_target,
            "mutants": [{k: v for k, v in asdict(m).items() if k not in ("original", "mutated")} for m in chosen]}
