"""Renderers for an Analysis: terminal tables, JSON, Markdown. Pure functions of the analysis."""

from __future__ import annotations

import json
from typing import Any, Sequence

from .analyze import Analysis
from .ir import SITE_KINDS


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(c) for c in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    def line(r):
        return "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells[1:]]
    return "\n".join(out)


def render_json(a: Analysis) -> str:
    return json.dumps(a.to_json(), indent=2, ensure_ascii=False) + "\n"


def _app_rows(a: Analysis):
    for label, e in a.summary["by_app"].items():
        k = e["querysets_by_kind"]
        yield [label, e["models"], e["models_ready"], e["querysets"], *[k[x] for x in SITE_KINDS],
               f"{e['readiness'] * 100:.0f}%"]


APP_HEADERS = ["app", "models", "ready", "sites", *SITE_KINDS, "readiness"]


def render_table(a: Analysis) -> str:
    out = []
    if a.project is None:
        return "\n".join(d.render() for d in a.diagnostics) + "\n"
    p, s = a.project, a.summary
    out.append(f"Django {p.django_version} project {p.root} (settings {p.settings_module})")
    out.append(f"{s['models']['total']} models ({', '.join(f'{v} {k}' for k, v in s['models']['by_kind'].items())}), "
               f"{s['querysets']['total']} QuerySet sites in {p.files_scanned} files; "
               f"{s['querysets']['migratable']} will migrate automatically "
               f"({s['querysets']['migratable_share'] * 100:.0f}%)")
    out.append("")
    out.append(table(APP_HEADERS, list(_app_rows(a))))
    out.append("")
    out.append(table(["model", "kind", "table", "fields", "location"],
                     [[m.label, m.kind, m.db_table or "-", len(m.fields), f"{m.file}:{m.line}"]
                      for m in p.models if _project_app(a, m.app_label)]))
    out.append("")
    out.append(table(["location", "function", "model", "chain", "kind", "reason"],
                     [[f"{x.file}:{x.line}:{x.column}", x.function, x.model or "?", _chain(x), x.kind, x.reason]
                      for x in p.querysets]))
    out.append("")
    out.append(table(["django type", "fields", "go", "nullable go"],
                     [[t, e["count"], e["go"], e["nullable_go"]] for t, e in s["field_types"].items()]))
    if "sqlc" in s:
        out.append("")
        for d, e in s["sqlc"].items():
            out.append(f"sqlc ({d}): {e['translated']} of {e['sites']} static/conditional sites translated "
                       f"into {e['queries']} queries")
        out.append(table(["site", "dialect", "reason"], [[u["site"], d, u["reason"]] for d, e in s["sqlc"].items()
                                                          for u in e["untranslated"]]))
    if "http" in s:
        h = s["http"]
        out.append("")
        out.append(f"http: {h['views']} views, {h['migrated']} migrated, {h['stubbed']} stubbed (answer 501)"
                   + (f", {h['django']} stay in Django (render HTML)" if h.get("django") else ""))
        out.append(table(["view", "source", "status", "queries, or why it is a stub"],
                         [[v["view"], v["source"], v["status"], v["why"].replace("`", "")] for v in a.views]))
    if a.diagnostics:
        out.append("")
        out += [d.render() for d in a.diagnostics]
    return "\n".join(out) + "\n"


def _project_app(a: Analysis, label: str) -> bool:
    return any(x.label == label and x.origin == "project" for x in a.project.apps)


def _chain(site, limit: int = 60) -> str:
    text = ".".join(c.method for c in site.chain)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _md_table(headers, rows) -> str:
    def esc(v):
        return str(v).replace("|", "\\|").replace("\n", " ")
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def render_markdown(a: Analysis) -> str:
    if a.project is None:
        return "# Migration analysis\n\nNothing could be analysed:\n\n" + "\n".join(
            f"- `{d.render()}`" for d in a.diagnostics) + "\n"
    p, s = a.project, a.summary
    q = s["querysets"]
    out = [
        "# Migration analysis",
        "",
        f"Django {p.django_version}, settings `{p.settings_module}`. "
        f"{s['models']['project']} project models, {q['total']} QuerySet sites in {p.files_scanned} files. "
        f"**{q['migratable']} of {q['total']} sites ({q['migratable_share'] * 100:.0f}%) migrate automatically** "
        f"(static or conditional).",
        "",
        "## Readiness by app",
        "",
        _md_table(APP_HEADERS, list(_app_rows(a))),
        "",
        "## Models",
        "",
        _md_table(["model", "kind", "table", "fields", "relations", "defined at"],
                  [[f"`{m.label}`", m.kind, f"`{m.db_table}`" if m.db_table else "-", len(m.fields),
                    ", ".join(f"{f.name} → {f.relation.target} ({f.relation.on_delete or f.relation.kind})"
                              for f in m.fields if f.relation and not f.relation.parent_link) or "-",
                    f"`{m.file}:{m.line}`"]
                   for m in p.models if _project_app(a, m.app_label)]),
        "",
        "## QuerySet sites",
        "",
        _md_table(["site", "function", "model", "chain", "kind", "reason"],
                  [[f"`{x.file}:{x.line}`", f"`{x.function}`", f"`{x.model}`" if x.model else "?",
                    f"`{_chain(x, 80)}`", x.kind, x.reason or ""] for x in p.querysets]),
        "",
        "## Sites that need a person",
        "",
    ]
    todo = [x for x in p.querysets if x.kind in ("dynamic", "unsupported")]
    out += [f"- `{x.file}:{x.line}` `{x.function}`: **{x.reason}**: {x.explanation}" for x in todo] or ["None."]
    out += ["", "## Field types", "",
            _md_table(["Django type", "fields", "Go", "Go (nullable)"],
                      [[t, e["count"], f"`{e['go']}`", f"`{e['nullable_go']}`" if e["nullable_go"] else ""]
                       for t, e in s["field_types"].items()])]
    if "sqlc" in s:
        out += ["", "## sqlc translation", ""]
        out += [f"- {d}: **{e['translated']} of {e['sites']}** static/conditional sites translated into "
                f"{e['queries']} queries" for d, e in s["sqlc"].items()]
        out += ["", _md_table(["site", "dialect", "reason", "detail"],
                              [[f"`{u['site']}`", d, f"`{u['reason']}`", u["detail"][:120]]
                               for d, e in s["sqlc"].items() for u in e["untranslated"]])]
    if "http" in s:
        h = s["http"]
        out += ["", "## HTTP views", "",
                f"**{h['migrated']} of {h['views']}** views get a real Go handler (`generate --target all`); "
                f"{h['stubbed']} answer 501 until they are ported"
                + (f"; {h['django']} stay in Django (they render HTML)." if h.get("django") else "."), "",
                _md_table(["view", "source", "status", "queries, or why it is a stub"],
                          [[f"`{v['view']}`", f"`{v['source']}`", v["status"], v["why"]] for v in a.views])]
    if a.diagnostics:
        out += ["", "## Diagnostics", ""] + [f"- `{d.render()}`" for d in a.diagnostics]
    return "\n".join(out) + "\n"


RENDERERS = {"table": render_table, "json": render_json, "markdown": render_markdown}
