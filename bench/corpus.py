"""The corpus run: real Django apps from PyPI through analyze -> generate -> gofmt/vet/build -> parity.

    python bench/corpus.py                                   # every app, SQLite only; writes docs/fidelity.md
    python bench/corpus.py --database postgresql://u@h:p/db  # PostgreSQL parity too
    python bench/corpus.py --database mysql://root@h:p/db    # MySQL/MariaDB parity too (docs/mysql.md)
    python bench/corpus.py --apps todo,schedule --check      # CI: exit 1 when an app breaks the chain
    python bench/corpus.py --recall-only --check             # the scanner's recall only (a minute)

Each app is installed at a pinned version (bench/corpus/requirements.txt) and booted by a small project
shell (bench/corpus/<name>/: settings, URLconf, migrator.yaml naming the package as a source). Every
step runs as a user would run it (the `migrate` command), bounded in time. Recall is measured against
bench/orm_calls.py, an independent count that shares no code with the scanner.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import corpus_doc  # bench/ (this script's directory) is first on sys.path
from corpus_judge import breaks, declared
from corpus_known import MISSES

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "bench" / "corpus"
BIN = Path(sys.executable).parent

# name -> (PyPI distribution, what its shape covers)
APPS = {
    "todo": ("django-todo", "function views, forms, related managers, management commands"),
    "organizations": ("django-organizations", "abstract-model chains, class-based views, custom managers"),
    "actstream": ("django-activity-stream", "generic relations (GenericForeignKey), a model registry, custom managers"),
    "schedule": ("django-scheduler", "class-based views, generic relations, signal receivers"),
    "postman": ("django-postman", "class-based views, custom QuerySet methods, signals"),
    "celery_beat": ("django-celery-beat", "custom fields, signal receivers that write (change tracking), admin"),
    "auditlog": ("django-auditlog", "generic relations, JSON fields, signal receivers with side effects"),
    "oauth2_provider": ("django-oauth-toolkit", "swappable abstract models, a field that hashes in Python, CBVs"),
    "helpdesk": ("django-helpdesk", "DRF API (router, viewsets, serializers), CBVs, many function views"),
    "wiki": ("wiki", "tree models (MPTT), abstract chains, plugins, class-based views"),
    "machina": ("django-machina", "get_model()/get_class() loaders, MPTT, search index receivers (haystack, whoosh)"),
}

# the apps' own fixtures (package, path inside it): parity loads them with the generated data (--data both)
FIXTURES = {"helpdesk": [("helpdesk", "fixtures/emailtemplate.json")]}


RECALL_FLOOR = 0.95  # issue 12: per app, against the independent count

TIMEOUTS = {"portable": 60, "analyze": 600, "generate": 900, "gofmt": 120, "vet": 600, "build": 600, "parity": 1200, "recall": 300}


@dataclass
class Step:
    rc: int | None = None  # None: did not run; -9: timed out
    seconds: float = 0.0
    tail: str = ""


@dataclass
class AppResult:
    name: str
    steps: dict[str, Step] = field(default_factory=dict)
    models: int = 0
    registry: int = 0
    models_missing: list[str] = field(default_factory=list)
    sites: dict[str, int] = field(default_factory=dict)
    translated: dict[str, int] = field(default_factory=dict)
    translatable: dict[str, int] = field(default_factory=dict)  # static + conditional sites the sqlc step took
    untranslated: dict[str, dict[str, int]] = field(default_factory=dict)  # dialect -> reason code -> sites
    views: dict[str, int] = field(default_factory=dict)
    independent: int = 0
    found: int = 0
    misses: list[str] = field(default_factory=list)
    parity: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)  # dialect -> check -> counts
    failures: dict[str, list[str]] = field(default_factory=dict)  # dialect -> "[check] case: first line"

    @property
    def recall(self) -> float:
        return self.found / self.independent if self.independent else 1.0

    def broken(self) -> list[str]:
        """What breaks the acceptance floor of the chain on this app."""
        out = []
        for name, step in self.steps.items():
            ok = (0, 1) if name.startswith("parity") else (0,)
            if step.rc not in ok:
                out.append(f"{name} exited {step.rc}" if step.rc != -9 else f"{name} timed out")
        if self.models_missing:
            out.append(f"models differ from the registry: {', '.join(self.models_missing[:5])}")
        return out


def run(name: str, cmd: list[str], step: str, result: AppResult, cwd: Path = REPO, env: dict | None = None) -> str:
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUTS[step.split("-")[0]],
                              env=env, stdin=subprocess.DEVNULL)
        rc, out = proc.returncode, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as exc:
        rc, out = -9, f"timed out after {exc.timeout} s"
    result.steps[step] = Step(rc=rc, seconds=round(time.perf_counter() - t, 1), tail="\n".join(out.strip().splitlines()[-6:]))
    return out


def package_of(name: str) -> list[str]:
    import yaml

    return list(yaml.safe_load((CORPUS / name / "migrator.yaml").read_text())["sources"])


def recall(result: AppResult, analysis: dict) -> None:
    out = run(result.name, [sys.executable, str(REPO / "bench" / "orm_calls.py"), str(CORPUS / result.name),
                            "shell.settings", *package_of(result.name)], "recall", result)
    if result.steps["recall"].rc != 0:
        return
    data = json.loads(out.strip().splitlines()[-1])
    result.registry = len(data["registry"])
    analysed = {f"{m['app_label']}.{m['name']}" for m in analysis.get("models", []) if m.get("kind") != "abstract"}
    result.models_missing = sorted(set(data["registry"]) ^ analysed)
    lines: dict[str, set[int]] = {}
    for s in analysis.get("querysets", []):
        seen = lines.setdefault(s["file"], set())
        seen.update(range(s["line"], (s.get("end_line") or s["line"]) + 1))
        seen.update(c.get("line", 0) for c in s.get("chain", []))
    calls = data["calls"]
    result.independent = len(calls)
    missed = [c for c in calls if not (lines.get(c["file"], set()) & set(c["lines"])) and not inlined(c, analysis)]
    result.found = len(calls) - len(missed)
    result.misses = [f"{c['file']}:{c['lines'][0]}" for c in missed]


def inlined(call: dict, analysis: dict) -> bool:
    """Whether a chain is part of a site as a subquery written into its argument by the scanner (``notes =
    Note.objects.filter(...)`` then ``filter(id__in=notes)``: the site's argument holds the chain's code), the
    comparison blind to whitespace."""
    code = "".join(call.get("text", "").split())
    return bool(code) and any(code in "".join(a.get("source", "").split()) for s in analysis.get("querysets", [])
                              if s["file"] == call["file"] for c in s.get("chain", []) for a in c.get("args", []))


def portable(tree: Path, result: AppResult) -> None:
    """No path of this machine in the generated tree (the repository, the virtualenv, site-packages)."""
    t = time.perf_counter()
    marks = (str(REPO), sys.prefix, "/site-packages/")
    found = [f"{f.relative_to(tree)}: {m}" for f in sorted(tree.rglob("*")) if f.is_file()
             for m in marks if m in f.read_text(encoding="utf-8", errors="replace")]
    result.steps["portable"] = Step(rc=1 if found else 0, seconds=round(time.perf_counter() - t, 1),
                                    tail="\n".join(found[:6]))


def fixture_args(name: str) -> list[str]:
    import importlib.util

    paths = [Path(list(importlib.util.find_spec(pkg).submodule_search_locations)[0]) / rel
             for pkg, rel in FIXTURES.get(name, ())]
    return ["--data", "both", *(a for p in paths for a in ("--fixture", str(p)))] if paths else []


def one_app(name: str, database: str | list[str] | None, work: Path, recall_only: bool = False,
            sqlite: bool = True) -> AppResult:
    """``database``: one URL or several (``--database`` repeated): a parity run on each one's dialect."""
    from migrator.dialects import for_url

    urls = [database] if isinstance(database, str) else list(database or [])
    by_dialect = {for_url(u): u for u in urls}
    result = AppResult(name=name)
    project = CORPUS / name
    migrate = [str(BIN / "migrate")]
    report = work / f"{name}-analyze.json"
    run(name, [*migrate, "analyze", str(project), *([] if recall_only else ["--http"]), "-f", "json", "-o", str(report)],
        "analyze", result)
    analysis = json.loads(report.read_text()) if report.is_file() else {}
    summary = analysis.get("summary", {})
    result.models = sum(1 for m in analysis.get("models", []) if m.get("kind") != "abstract")
    result.sites = dict(summary.get("querysets", {}).get("by_kind", {}))
    result.translated = {d: v.get("translated", 0) for d, v in summary.get("sqlc", {}).items()}
    result.translatable = {d: v.get("sites", 0) for d, v in summary.get("sqlc", {}).items()}
    result.untranslated = {d: dict(Counter(u.get("reason", "") for u in v.get("untranslated", [])))
                           for d, v in summary.get("sqlc", {}).items()}
    result.views = {k: summary.get("http", {}).get(k, 0) for k in ("views", "migrated", "stubbed", "django")}
    recall(result, analysis)
    if recall_only:
        return result

    tree = work / name
    # the tree parity reuses: the default dialects, and MySQL's when a mysql:// database is given
    dialects = [a for d in dict.fromkeys(("sqlite", "postgresql", *by_dialect)) for a in ("--dialect", d)
                ] if "mysql" in by_dialect else []
    run(name, [*migrate, "generate", str(project), "--out", str(tree), *dialects], "generate", result)
    if result.steps["generate"].rc == 0:
        portable(tree, result)
        out = run(name, ["gofmt", "-l", "."], "gofmt", result, cwd=tree)
        if out.strip():
            result.steps["gofmt"].rc = 1
        run(name, ["go", "vet", "./..."], "vet", result, cwd=tree)
        run(name, ["go", "build", "./..."], "build", result, cwd=tree)
    for dialect, extra in ((("sqlite", []),) if sqlite else ()) + tuple(
            (d, ["--database", u]) for d, u in sorted(by_dialect.items(), reverse=True) if d != "sqlite"):
        js = work / f"{name}-parity-{dialect}.json"
        run(name, [*migrate, "parity", str(project), "--generated", str(tree), *extra, *fixture_args(name),
                   "--json", str(js)], f"parity-{dialect}", result)
        if js.is_file():
            report = json.loads(js.read_text())
            result.failures[dialect] = [f"[{c['check']}] {c['name']}: {(c.get('detail') or '').strip().splitlines()[0][:160]}"
                                        for c in report.get("cases", []) if c.get("status") == "failed"]
            result.failures[dialect] += [f"[{k}] could not run: {str(v).strip().splitlines()[-1][:160]}"
                                         for k, v in (report.get("could_not_run") or {}).items()]
            checks = report.get("summary", {})
            result.parity[dialect] = {c: {k: v.get(k, 0) for k in ("passed", "failed", "skipped")}
                                      for c, v in checks.items() if isinstance(v, dict)}
    return result


def markdown(results: list[AppResult], database: bool, declared_only: bool = False) -> dict[str, str]:
    """docs/fidelity.md's generated regions (name -> text; bench/corpus_doc.py merges them into the page)."""
    from datetime import date

    pct = lambda r: f"{100 * r.recall:.0f}%"  # noqa: E731

    def share(r: AppResult, dialect: str) -> str:
        done, of = r.translated.get(dialect, 0), r.translatable.get(dialect, 0)
        return f"{100 * done / of:.0f}% ({done}/{of})" if of else f"{done}"
    regions: dict[str, str] = {}

    def cut(name: str) -> None:  # what ``out`` holds so far is the region ``name``
        regions[name] = "\n".join(out).strip("\n") + "\n"
        out.clear()
    runs = "" if {r.name for r in results} >= set(APPS) else f" ({', '.join(r.name for r in results)}; the other rows from earlier runs)"
    out = ["# Fidelity on real applications", "",
           "<!-- the regions between `corpus.py:begin` / `corpus.py:end` markers are written by bench/corpus.py "
           "(--markdown); edit outside them -->", "",
           f"Measured {date.today().isoformat()}{runs} with `python bench/corpus.py"
           + (" --database postgresql://..." if database else "") + "` on a 2-core machine. Each app is installed",
           "from PyPI at the version pinned in `bench/corpus/requirements.txt` and booted by the shell in",
           "`bench/corpus/<app>/`; its package is scanned as a `--source`, test code left out.", "",
           "*translated* counts the static + conditional sites whose sqlc query is generated, per dialect, of those",
           "sites (the issue's floor is 90% on each dialect); the others are listed with their reason code in the",
           "generated tree's `sqlc/UNTRANSLATED.md` and by `migrate analyze`.", "",
           "*views*: the views migrated of those meant to move, then (in parentheses) the views that stay in Django:",
           "every answer an HTML page or an HTML form's redirect (`status: django` in `migrate analyze --http` and",
           "`http/MIGRATION.md`, with the template; the cut-over keeps them on Django).", "",
           "| app | covers | models (analyze / registry) | sites static / cond / dyn / unsup | recall | translated sqlite / pg | build | views migrated / portable (stay in Django) |",
           "|---|---|---:|---:|---:|---:|---|---:|"]
    for r in results:
        s = r.sites
        build = "ok" if all(r.steps.get(k, Step()).rc == 0 for k in ("generate", "portable", "gofmt", "vet", "build")) \
            else "FAILED"
        out.append(f"| {r.name} | {APPS[r.name][1]} | {r.models} / {r.registry} | {s.get('static', 0)} / "
                   f"{s.get('conditional', 0)} / {s.get('dynamic', 0)} / {s.get('unsupported', 0)} | {pct(r)} "
                   f"({r.found}/{r.independent}) | {share(r, 'sqlite')} / {share(r, 'postgresql')} "
                   f"| {build} | {r.views.get('migrated', 0)} / {r.views.get('views', 0) - r.views.get('django', 0)} "
                   f"({r.views.get('django', 0)}) |")  # a view rendering HTML stays in Django (translate.stays)
    cut("summary")
    out += ["## Parity", "", "passed / failed / skipped per check; exit code of `migrate parity` (0 agree, 1 mismatch, 2 cannot run).", "",
            "| app | dialect | exit | schema | models | queries | http |", "|---|---|---:|---|---|---|---|"]
    for r in results:
        for dialect, checks in r.parity.items() or {"sqlite": {}}.items():
            cells = [("{passed} / {failed} / {skipped}".format(**checks[c]) if c in checks else "-")
                     for c in ("schema", "models", "queries", "http")]
            out.append(f"| {r.name} | {dialect} | {r.steps.get('parity-' + dialect, Step()).rc} | " + " | ".join(cells) + " |")
    cut("parity")
    out += ["## Wall time per step (seconds)", "", "| app | " + " | ".join(STEP_ORDER) + " |",
            "|---|" + "---:|" * len(STEP_ORDER)]
    for r in results:
        out.append(f"| {r.name} | " + " | ".join(str(r.steps[k].seconds) if k in r.steps else "-" for k in STEP_ORDER) + " |")
    cut("wall")
    out += ["## Broken steps", ""]
    out += [f"- {n}: {b}" for n, b in breaks(results, declared_only)] or ["None: every app went through the whole chain."]
    cut("broken")
    out += ["## Parity failures, and why they remain", "",
            "Every failing case, per app and dialect, with the declared reason where one is known (`DECLARED` in",
            "bench/corpus_known.py). A case without a reason is an open difference.", ""]
    for r in results:
        for dialect, cases in r.failures.items():
            for c in cases:
                why = declared(r.name, c, dialect)
                out.append(f"- {r.name} ({dialect}) `{c}`" + (f": **{why}**" if why else ""))
    if not any(r.failures.get(d) for r in results for d in r.failures):
        out.append("None.")
    cut("failures")
    out += ["## Static and conditional sites not translated, by reason", "",
            "Per reason code (see `migrate analyze`), the sites of each app the sqlc step reports instead of translating,",
            "on SQLite / PostgreSQL.", "", "| app | reasons (sqlite / pg) |", "|---|---|"]
    for r in results:
        codes = sorted(set().union(*(set(v) for v in r.untranslated.values())) if r.untranslated else set())
        cells = [f"{c} {r.untranslated.get('sqlite', {}).get(c, 0)} / {r.untranslated.get('postgresql', {}).get(c, 0)}"
                 for c in codes]
        out.append(f"| {r.name} | {', '.join(cells) or 'none'} |")
    cut("untranslated")
    out += ["## Scanner misses (independent count, bench/orm_calls.py)", ""]
    out += ["Every chain of ORM calls the independent count finds and no scanner site covers, with its cause where",
            "known (`MISSES` in bench/corpus_known.py). A miss without a cause is an open gap.", ""]
    for r in results:
        out.append(f"- **{r.name}** ({len(r.misses)})" + ("" if r.misses else ": none"))
        out += [f"  - `{m}`" + (f": {MISSES[(r.name, m)]}" if (r.name, m) in MISSES else "") for m in r.misses]
    cut("misses")
    return regions


STEP_ORDER = ("analyze", "recall", "generate", "portable", "gofmt", "vet", "build", "parity-sqlite",
              "parity-postgresql", "parity-mysql")


def load_result(data: dict) -> AppResult:
    data = {k: v for k, v in data.items() if k != "recall"}
    data["steps"] = {k: Step(**v) for k, v in data["steps"].items()}
    return AppResult(**data)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--apps", default=",".join(APPS), help="comma-separated names (default: all)")
    p.add_argument("--database", action="append", help="postgresql://... or mysql://... : parity on that database "
                   "too (repeatable: one of each)")
    p.add_argument("--markdown", type=Path, help="update the report's generated regions here (e.g. docs/fidelity.md): "
                   "the rest of the page and the rows of apps not run are kept")
    p.add_argument("--json", type=Path, help="write the results here")
    p.add_argument("--check", action="store_true", help="exit 1 when an app breaks the chain")
    p.add_argument("--declared-only", action="store_true", help="with --check, a parity failure without a DECLARED "
                   "reason breaks too, and so does a declaration no failure of its app and dialect matches (stale; "
                   "bench/corpus_judge.py). CI's MariaDB run: docs/mysql.md")
    p.add_argument("--no-sqlite", action="store_true", help="parity on the --database dialects only")
    p.add_argument("--reuse", type=Path, help="results of an earlier --json run: apps not in --apps are taken from it "
                   "(--apps '' runs none: judges the earlier run again)")
    p.add_argument("--recall-only", action="store_true",
                   help="analyze and the independent count only (a minute): each app's recall and misses, with --check "
                        f"exit 1 below {RECALL_FLOOR:.0%}%")
    args = p.parse_args()
    names = [n.strip() for n in args.apps.split(",") if n.strip()]
    unknown = [n for n in names if n not in APPS]
    if unknown:
        p.error(f"unknown apps: {', '.join(unknown)} (known: {', '.join(APPS)})")
    work = Path(tempfile.mkdtemp(prefix="migrator-corpus-"))
    results = []
    try:
        for name in names:
            print(f"== {name}", flush=True)
            r = one_app(name, args.database, work, args.recall_only, sqlite=not args.no_sqlite)
            results.append(r)
            for step, s in r.steps.items():
                print(f"   {step:<18} rc={s.rc} {s.seconds:>7.1f}s" + (f"\n      {s.tail}" if s.rc not in (0, 1) else ""),
                      flush=True)
            print(f"   recall {r.found}/{r.independent}, models {r.models}/{r.registry}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.recall_only:
        low = [r.name for r in results if r.recall < RECALL_FLOOR]
        for r in results:
            print(f"{r.name}: {100 * r.recall:.0f}% ({r.found}/{r.independent})")
            print("".join(f"  {m}: {MISSES.get((r.name, m), 'open')}\n" for m in r.misses), end="")
        return 1 if args.check and low else 0
    if args.reuse:
        fresh = {r.name: r for r in results}
        earlier = {d["name"]: load_result(d) for d in json.loads(args.reuse.read_text())}
        results = [fresh.get(n) or earlier[n] for n in APPS if n in fresh or n in earlier]
    if args.markdown:
        page = args.markdown.read_text(encoding="utf-8") if args.markdown.is_file() else ""
        args.markdown.write_text(corpus_doc.merge(page, markdown(results, bool(args.database), args.declared_only),
                                                  [r.name for r in results], APPS), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps([dict(asdict(r), recall=r.recall) for r in results], indent=1), encoding="utf-8")
    broken = breaks(results, args.declared_only)
    for n, b in broken:
        print(f"BROKEN {n}: {b}", file=sys.stderr)
    return 1 if args.check and broken else 0


if __name__ == "__main__":
    sys.exit(main())
