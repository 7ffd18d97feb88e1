"""What a generate run produced, as plain values: the body of the JSON manifest the write stage writes
(``write.PRODUCED``) and that parity and analyze read instead of parsing the generated Go or Markdown.

Per target: ``sqlc``: per dialect, each query (name, site, command, parameters) and each site left out
(reason, detail); ``http``: the framework and, per view, its status (migrated or stub), its routes (Django's
route, its name, the methods it accepts, the path regex), and for a migrated view its queries, migrated and stubbed
methods, input keys and the fields its writes stamp from the clock, for a stub the reason.
"""

from __future__ import annotations

from typing import Any


def query_entry(q) -> dict[str, Any]:
    return {"name": q.name, "site": q.site, "function": q.function, "model": q.model, "command": q.command,
            "part": q.part, "params": [{"name": p.name, "kind": p.kind, "optional": p.optional, "list": p.is_list}
                                       for p in q.params]}


def sqlc_section(queries: dict[str, list], untranslated: dict[str, list]) -> dict[str, Any]:
    return {"dialects": {d: {"queries": [query_entry(q) for q in qs],
                             "untranslated": [{"site": s, "reason": r, "detail": detail}
                                              for s, r, detail in untranslated.get(d, [])]}
                         for d, qs in queries.items()}}


def view_entries(model, rows: list[dict], migrated: dict, guards: dict | None = None) -> list[dict[str, Any]]:
    """The rows of emit.http.view_rows with each route spelled out and a migrated view's input keys (what
    parity requests); ``signed_in``: its route is behind a login guard (``guards``: handler -> its Go wrapper,
    translate.auth_views) or DRF permission classes that refuse an anonymous read (``signed_in_as``: the kinds of
    user they let read), so parity asks its values and query keys signed in too."""
    login = {h.view for h in model.handlers if "LoginRequired" in (guards or {}).get(h.name, "")}
    routes: dict[str, list] = {}
    for r in model.routes:
        routes.setdefault(r.view, []).append({"index": r.index, "django": r.django, "name": r.name, "methods": list(r.methods),
                                              "regex": r.path_regex, "handler": r.handler})
    out, seen = [], set()
    for row in rows:
        if row["view"] in seen:
            continue  # a DRF viewset: one handler per action, one entry (its routes are the view's)
        seen.add(row["view"])
        entry = {k: v for k, v in row.items() if k not in ("why", "routes")}
        entry["routes"] = routes.get(row["view"], [])
        mv = migrated.get(row["view"]) if row["status"] == "migrated" else None
        if mv is not None:
            entry["body_keys"] = {k: v or "any" for k, v in mv.body_keys.items()}
            entry["query_keys"] = list(mv.query_keys)
            if row["view"] in login or getattr(mv, "signed_in_as", None):
                entry["signed_in"] = True
            if getattr(mv, "signed_in_as", None):  # a DRF view: the users its permission classes let read
                entry["signed_in_as"] = list(mv.signed_in_as)
            if mv.every_method:
                entry["every_method"] = True  # parity asks its write methods too (http_requests)
            if mv.json_query_keys:
                entry["json_query_keys"] = list(mv.json_query_keys)  # parity asks them JSON (http_requests)
            if mv.form_keys:
                entry["form_keys"] = list(mv.form_keys)
            if mv.form_ints:
                entry["form_ints"] = list(mv.form_ints)  # parity.http_forms posts integer texts for them
            if mv.form_texts:
                entry["form_texts"] = dict(mv.form_texts)  # and the constants a key is compared with
            if mv.clock_fields:
                entry["clock_fields"] = list(mv.clock_fields)  # parity.stamps: judged by the request window
            if mv.strict:
                entry["strict"] = True  # parity compares the JSON exactly (a DRF view)
        out.append(entry)
    return out


def produced(framework: str, emitted) -> dict[str, Any]:
    """The manifest's sections for the targets this run emitted."""
    out: dict[str, Any] = {}
    if emitted.queries or emitted.untranslated:
        out["sqlc"] = sqlc_section(emitted.queries, emitted.untranslated)
    if emitted.views is not None:
        out["http"] = {"framework": framework, "views": emitted.views}
    return out
