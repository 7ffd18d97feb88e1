"""`migrate analyze`: what a project has and what will move to Go.

``analyze(project_dir)`` returns an ``Analysis``: the loaded Project plus a summary (counts by kind
and by app, field types and their Go mapping, per-app readiness) and every diagnostic. Reports
(``report.py``) render it; the CLI only wires options.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from .config import load_config
from .ir import Diagnostic, Project, to_dict
from .load import LoadError, Session, load_project
from .ir import SITE_KINDS
from .querysets import REASONS
from .toolchain import needed, require
from .translate.types import conversion_diagnostics, field_go_type, unknown_field_diagnostics

MIGRATABLE_SITE_KINDS = ("static", "conditional")


@dataclass
class Analysis:
    project: Optional[Project]
    summary: dict[str, Any] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    translation: dict[str, dict[str, Any]] = field(default_factory=dict)  # site id -> dialect -> queries/reason
    views: list[dict[str, Any]] = field(default_factory=list)  # --http: per view, migrated or stub (and why)

    @property
    def ok(self) -> bool:
        """Something could be analysed (exit 0 even with diagnostics)."""
        return self.project is not None

    def to_json(self) -> dict[str, Any]:
        p = self.project
        return {
            "project": {"root": p.root, "settings": p.settings_module, "django": p.django_version,
                        "files_scanned": p.files_scanned} if p else None,
            "models": [to_dict(m) for m in p.models] if p else [],
            "querysets": [dict(to_dict(s), **({"sqlc": self.translation[s.id]} if s.id in self.translation else {}))
                          for s in p.querysets] if p else [],
            **({"views": self.views} if self.views else {}),
            "summary": self.summary,
            "diagnostics": [to_dict(d) for d in self.diagnostics],
        }


def site_app(project: Project, file: str) -> str:
    best = ""
    label = "(project)"
    for app in project.apps:
        if app.path and (file == app.path or file.startswith(app.path.rstrip("/") + "/")) and len(app.path) > len(best):
            best, label = app.path, app.label
    return label


def summarize(project: Project, user_types: dict, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    models_by_label = {m.label: m for m in project.models}
    project_apps = [a for a in project.apps if a.origin == "project"]
    bad_fields = {(d.message.split(":")[0]) for d in diagnostics if d.code == "UNKNOWN_FIELD_TYPE"}

    def model_ready(m) -> bool:
        return not any(f"{m.label}.{f.name}" in bad_fields for f in m.fields)

    model_kinds = Counter(m.kind for m in project.models)
    site_kinds = Counter(s.kind for s in project.querysets)
    reasons = Counter(s.reason for s in project.querysets if s.reason)

    field_types: dict[str, dict[str, Any]] = {}
    for m in project.models:
        if m.kind == "abstract":
            continue
        for f in m.fields:
            entry = field_types.setdefault(f.internal_type, {"count": 0, "go": "", "nullable_go": "", "mapped": True})
            entry["count"] += 1
            if f.internal_type == "ManyToManyField":
                entry["go"] = "join table"
                continue
            t = field_go_type(f, models_by_label, user_types)
            if t is None:
                entry["mapped"] = False
                entry["go"] = "(unmapped)"
            elif not entry["go"] or entry["go"] == "(unmapped)":
                entry["go"], entry["nullable_go"] = t.go, t.nullable

    apps: dict[str, dict[str, Any]] = {}
    for app in project_apps:
        ms = [models_by_label[label] for label in app.models if label in models_by_label]
        ms += [m for m in project.models if m.kind == "abstract" and m.app_label == app.label]
        apps[app.label] = {
            "models": len(ms),
            "models_by_kind": dict(sorted(Counter(m.kind for m in ms).items())),
            "models_ready": sum(1 for m in ms if model_ready(m)),
            "querysets": 0,
            "querysets_by_kind": {k: 0 for k in SITE_KINDS},
        }
    by_app_sites: dict[str, Counter] = defaultdict(Counter)
    for s in project.querysets:
        by_app_sites[site_app(project, s.file)][s.kind] += 1
    for label, counts in by_app_sites.items():
        entry = apps.setdefault(label, {"models": 0, "models_by_kind": {}, "models_ready": 0, "querysets": 0,
                                        "querysets_by_kind": {k: 0 for k in SITE_KINDS}})
        entry["querysets"] = sum(counts.values())
        entry["querysets_by_kind"] = {k: counts.get(k, 0) for k in SITE_KINDS}
    for entry in apps.values():
        ready_sites = sum(entry["querysets_by_kind"][k] for k in MIGRATABLE_SITE_KINDS)
        total = entry["models"] + entry["querysets"]
        entry["querysets_ready"] = ready_sites
        entry["readiness"] = round((entry["models_ready"] + ready_sites) / total, 3) if total else 1.0

    total_sites = len(project.querysets)
    ready = sum(site_kinds.get(k, 0) for k in MIGRATABLE_SITE_KINDS)
    return {
        "models": {"total": len(project.models), "by_kind": dict(sorted(model_kinds.items())),
                   "project": sum(len(a.models) for a in project_apps)},
        "querysets": {"total": total_sites, "by_kind": {k: site_kinds.get(k, 0) for k in SITE_KINDS},
                      "by_reason": {r: reasons[r] for r in sorted(reasons)},
                      "migratable": ready,
                      "migratable_share": round(ready / total_sites, 3) if total_sites else 1.0},
        "by_app": dict(sorted(apps.items())),
        "field_types": dict(sorted(field_types.items())),
        "reasons": {r: {"kind": REASONS[r][0], "explanation": REASONS[r][1]} for r in sorted(reasons)},
        "diagnostics": {"errors": sum(1 for d in diagnostics if d.severity == "error"),
                        "warnings": sum(1 for d in diagnostics if d.severity == "warning")},
    }


def translation_status(manifest: dict, project: Project) -> tuple[dict, dict]:
    """Which sites the sqlc target delivers, per dialect, from the ``sqlc`` section of the manifest generate would
    write (emit.manifest.sqlc_section: the queries sqlc accepted, the sites left out and why). Returns the
    status per site and the counts."""
    names = {s.id for s in project.querysets if s.kind in MIGRATABLE_SITE_KINDS}
    status: dict[str, dict[str, Any]] = {}
    summary = {}
    for d, section in manifest["dialects"].items():
        queries = [q for q in section["queries"] if q["site"] in names]  # not the queries derived from DRF views
        untranslated = [u for u in section["untranslated"] if u["site"] in names]
        for q in queries:
            status.setdefault(q["site"], {}).setdefault(d, {"queries": []})["queries"].append(q["name"])
        for u in untranslated:
            status.setdefault(u["site"], {})[d] = {"reason": u["reason"], "detail": u["detail"]}
        summary[d] = {"sites": len(names), "translated": len({q["site"] for q in queries}),
                      "queries": len(queries), "untranslated": untranslated}
    return status, summary


def sqlc_options(project: Project, user_types: dict, compiled, routes: Optional[list] = None, early=None):
    """The emit options of `analyze --sqlc/--http`, with the Plan and the sqlc step's result filled in: the same
    steps as ``generate --target all``. ``compiled``: the compiled sites, or a function that waits for them
    (sqlc's slow engine starts meanwhile, as in generate); ``early``: the engine started before the load
    (``prestart.Early``)."""
    from .emit import Options
    from .generate import default_module, prestarted
    from .sqlcstep import translate_and_run

    options = Options(module=default_module(project), schema={k: list(v) for k, v in project.schema.items()},
                      user_types=user_types, routes=routes or [])
    with prestarted(project, options, early=early) as prestart:
        options.compiled = compiled() if callable(compiled) else compiled
        options.plan, options.sqlc = translate_and_run(project, options.compiled, options.dialects, user_types,
                                                       options.module, options.schema, prestart=prestart)
    return options


def view_status(project: Project, options, drf=None) -> tuple[list, dict]:
    """Per view of the URLconf, what the http target decides (the same planning as ``generate --target all``:
    the sqlc queries of both dialects, sqlc run on them): migrated or a stub, and why; and the counts.
    ``drf``: waits for the DRF loader's JSON read meanwhile (as generate does), else it is read when needed."""
    from .emit.http import view_rows
    from .translate.http_stage import plan_http

    hp = plan_http(project, options.routes, options.sqlc, options.dialects, bool(options.compiled),
                   options.framework, drf)
    views = view_rows(hp.model, hp.migrated, hp.sqlc)
    summary = {"views": len(views), "migrated": sum(1 for v in views if v["status"] == "migrated"),
               "stubbed": sum(1 for v in views if v["status"] == "stub"),
               "django": sum(1 for v in views if v["status"] == "django")}  # stay in Django (translate.stays)
    return views, summary


def analyze(root: Path | str, settings: Optional[str] = None,
            progress: Optional[Callable[[str], None]] = None, sqlc: bool = False, http: bool = False,
            sources: tuple[str, ...] = (), include_tests: bool = False) -> Analysis:
    """``sqlc``: also which sites the sqlc target translates; ``http`` (implies ``sqlc``): also, per view,
    whether the http target migrates it or leaves a 501 stub, and why. ``sources``/``include_tests``: see
    ``load_project`` (added to migrator.yaml's)."""
    root = Path(root).resolve()
    config, config_diags = load_config(root)
    sqlc = sqlc or http
    tools = require("analyze", *needed("analyze", ("--sqlc", "--http") if http else ("--sqlc",) if sqlc else ()))
    if tools:
        return Analysis(project=None, diagnostics=tools)
    if progress:
        progress(f"loading Django project {root}")
    # with --sqlc/--http, the process that read the registry compiles the sites (and reads the URLconf) too
    from .load.drf_once import drf_read

    from .dialects import DEFAULT
    from .sqlcstep.prestart import Early

    with Session(routes=http, drf=http) as session, Early(root, DEFAULT if sqlc else ()) as early:
        early.start()  # sqlc's slow engine on the last run's schema, as generate starts it
        try:
            project = load_project(root, settings, schema=sqlc, session=session if sqlc else None,
                                   **config.scan_options(sources, include_tests))
        except LoadError as exc:
            return Analysis(project=None, diagnostics=config_diags + list(exc.diagnostics))
        # --http: the DRF read once, in the session's Django (see generate)
        return _analysis(project, root, progress, sqlc, session, http, drf_read(project, session) if http else None,
                         early)


def _analysis(project: Project, root: Path, progress, sqlc: bool, session, http: bool = False,
              drf=None, early=None) -> Analysis:
    config, config_diags = load_config(root)
    diags = list(project.diagnostics) + config_diags
    diags += unknown_field_diagnostics([m for m in project.models if _in_project(project, m.app_label)], config.types)
    diags += conversion_diagnostics(list(project.models), config.types)
    if progress:
        progress(f"{len(project.models)} models, {len(project.querysets)} QuerySet sites in {project.files_scanned} files")
    result = Analysis(project=project, summary=summarize(project, config.types, diags), diagnostics=diags)
    if sqlc:
        if progress:
            progress("compiling QuerySet sites with Django for the sqlc target")
        from .load import compile_diagnostics, compile_sites_later, load_routes
        from .load.drf_sites import with_drf_sites
        from .load.fk_sites import with_fk_sites
        from .load.path_sites import with_path_sites
        from .load.save_sites import with_save_sites

        # --http plans the handlers as generate does, so it compiles DRF's get_object / write queries too (they
        # are derived from the views, not sites of the user's code: the per-site report leaves them out); that
        # derivation and the view translator wait on the one DRF read ``drf`` (started before the load)
        planned = with_drf_sites(project, drf) if drf is not None else project
        planned = with_path_sites(planned) if http else planned  # and a query per if/elif path (load/path_sites)
        planned = with_fk_sites(planned) if http else planned  # and per lazily read relation (load/fk_sites)
        planned = with_save_sites(planned) if http else planned  # and per row.save() of a loaded row (load/save_sites)
        compiled_later = compile_sites_later(planned, session=session)
        routes, route_diags = load_routes(project, session=session) if http else ([], [])
        if progress:
            progress("running sqlc on the translated queries")
        options = sqlc_options(planned, config.types, compiled_later, routes, early)
        result.diagnostics += compile_diagnostics(planned, options.compiled) + route_diags
        from .emit.manifest import sqlc_section

        result.translation, result.summary["sqlc"] = translation_status(
            sqlc_section(options.sqlc.queries, options.sqlc.skipped), project)
        result.diagnostics += options.sqlc.diagnostics  # SQLC_REJECTED per query, SQLC_FAILED: as generate reports them
        if http:
            if progress:
                progress("planning the http target's handlers")
            result.views, result.summary["http"] = view_status(planned, options, drf)
    return result


def _in_project(project: Project, app_label: str) -> bool:
    return any(a.label == app_label and a.origin == "project" for a in project.apps)
