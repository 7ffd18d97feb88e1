"""Eligible DRF read endpoints (translate/drf_views) -> real handlers in the view translator's shape.

A viewset's ``list`` and ``retrieve`` handlers share one core (MigratedView keyed by the view): it runs
the sqlc query of the class-level ``queryset`` (the scanner's static site in the class), maps each row
to the serializer's fields with DRF's formats (drfjson), and for a detail route (its ``pk`` path value)
answers the row whose primary key equals Django's ``int()`` of the value, else DRF's 404 body.

A format suffix is DRF's default renderers': ``.json`` the same JSON, an unknown format DRF's 404, ``.api``
(the browsable HTML) 501. Not generated yet: a paginated list (its next/previous links need the
request's absolute URL, which the handler core does not get: the view stays a stub), OPTIONS (DRF's
metadata; 501), a lookup_field other than pk.
"""

from __future__ import annotations

import json

from ..ir_drf import DRFSettings, DRFView
from .drf_types import GoField, go_structs
from .drf_views import endpoints


# DRF's answer to Http404 without a message: a format no renderer offers, a pk Django's int() refuses
NOT_FOUND = 'return http.StatusNotFound, map[string]string{"detail": "Not found."}, nil'


class Unsupported(Exception):
    pass


def _501(view: DRFView, why: str) -> str:
    body = json.dumps({"error": "not migrated", "view": view.view, "source": f"{view.file}:{view.line}", "why": why})
    return f"return http.StatusNotImplemented, json.RawMessage({json.dumps(body)}), nil"


def _column(struct, source: str, kind: str) -> tuple[str, str]:
    """(Go field, neutral Go type) of the row column a serializer field reads."""
    tags = {source} | ({source + "_id"} if kind == "pk" else set())
    for name, go_type, tag in struct.fields:
        if tag in tags:
            return name, go_type
    raise Unsupported(f"no column {source} in the queryset's row")


def _assign(f: GoField, col: str, nt: str, tz: str = "UTC") -> list[str]:
    """Go statements setting item.<f> from row.<col> (neutral type nt), DRF's format applied."""
    v, dst, ptr = f"row.{col}", f"item.{f.name}", f.go_type.startswith("*")
    base = f.go_type.lstrip("*")
    check = "if err != nil {\n\t\treturn item, err\n\t}"
    if f.format.startswith("drfjson.DateTime") or f.format.startswith("drfjson.NaiveDateTime"):
        expr = f.format.replace("{v}", "t").replace("loc", f"drfLocation({json.dumps(tz)})")
        set_ = f"{{ s := {expr}; {dst} = &s }}" if ptr else f"{dst} = {expr}"
        return [f"if t, ok, err := drfTime({v}); err != nil {{\n\t\treturn item, err\n\t}} else if ok {{\n\t\t{set_}\n\t}}"]
    if base == "drfjson.Float":
        set_ = f"{{ x := drfjson.Float(n); {dst} = &x }}" if ptr else f"{dst} = drfjson.Float(n)"
        return [f"if n, ok, err := drfFloat({v}); err != nil {{\n\t\treturn item, err\n\t}} else if ok {{\n\t\t{set_}\n\t}}"]
    if f.format == "drfjson.Date({v}.Time())" and nt == "*djtypes.Date" and ptr:
        return [f"if {v} != nil {{\n\t\ts := drfjson.Date({v}.Time())\n\t\t{dst} = &s\n\t}}"]
    if f.format == "drfjson.Date({v}.Time())" and nt == "djtypes.Date" and not ptr:
        return [f"{dst} = drfjson.Date({v}.Time())"]
    if ptr:
        raise Unsupported(f"a nullable {f.go_type} field ({f.json}) is not generated yet")
    if f.format.startswith(("drfjson.Decimal", "drfjson.UUID")) and nt in ("decimal.Decimal", "djtypes.UUID"):
        return [f"{dst}, err = {f.format.replace('{v}', v)}", check]
    if not f.format and base == "int64" and nt in ("int64", "int32", "int16"):
        return [f"{dst} = int64({v})"]
    if not f.format and base == nt and nt in ("string", "bool"):
        return [f"{dst} = {v}"]
    raise Unsupported(f"field {f.json} ({f.go_type} from a {nt} column) is not generated yet")


def _core(view: DRFView, pairs: list, method: str, row, model: str, tz: str) -> list[str]:
    """The core's Go statements: pairs are (serializer field, Go field) in DRF's order."""
    if ("ID", "int64", "id") not in row.fields or view.lookup_field != "pk" or view.lookup_url_kwarg:
        raise Unsupported("the lookup is not an integer pk named pk")
    fields, assigns = [], []
    for sf, f in pairs:
        col, nt = _column(row, sf.source or sf.name, sf.kind)
        fields.append(f"\t\t{f.name} {f.go_type} `json:\"{f.json}\"`")
        assigns += _assign(f, col, nt, tz)
    object_name = model.rsplit(".", 1)[-1]
    conv = "\n\t\t".join(assigns)
    return [
        f"if req.Method == \"OPTIONS\" || req.Path(\"format\") == \"api\" {{\n\t\t{_501(view, 'OPTIONS / the browsable API')}\n\t}}",
        f"if f := req.Path(\"format\"); f != \"\" && f != \"json\" {{\n\t\t{NOT_FOUND}\n\t}}",
        *([f"if req.Query.Has(\"limit\") {{\n\t\t{_501(view, 'a LimitOffsetPagination page')}\n\t}}"]
          if view.pagination_style == "LimitOffsetPagination" else []),
        "type drfItem struct {\n" + "\n".join(fields) + "\n\t}",
        f"rows, err := s.Store.{method}(ctx)\n\tif err != nil {{\n\t\treturn 0, nil, err\n\t}}",
        f"item := func(row {row.name}) (item drfItem, err error) {{\n\t\t{conv}\n\t\treturn item, nil\n\t}}",
        "if pk := req.Path(\"pk\"); pk != \"\" {\n\t\tid, ok := drfPK(pk)\n\t\tif !ok {\n\t\t\t" + NOT_FOUND + "\n\t\t}\n"
        "\t\tfor _, row := range rows {\n\t\t\tif row.ID == id {\n\t\t\t\tv, err := item(row)\n\t\t\t\treturn http.StatusOK, v, err\n\t\t\t}\n\t\t}\n"
        f"\t\treturn http.StatusNotFound, map[string]string{{\"detail\": drfjson.NotFoundDetail({json.dumps(object_name)})}}, nil\n\t}}",
        "out := make([]drfItem, 0, len(rows))\n\tfor _, row := range rows {\n\t\tv, err := item(row)\n"
        "\t\tif err != nil {\n\t\t\treturn 0, nil, err\n\t\t}\n\t\tout = append(out, v)\n\t}",
        "return http.StatusOK, out, nil",
    ]


def _paginated(view: DRFView, settings: DRFSettings) -> bool:
    """Whether DRF paginates a list without query parameters (or with ``page``)."""
    if view.pagination_style == "LimitOffsetPagination":
        return bool(view.page_size or settings.page_size)
    return bool(view.pagination_style)


def migrate_drf(model, drf: dict | None, queries: list, store) -> tuple[dict[str, dict], dict[str, str]]:
    """(view -> handlers_plan.MigratedView's fields, view -> why it stays a stub) for the DRF viewsets whose
    GET endpoints are eligible.

    ``drf``: the DRF loader's JSON (drf_report.read), None when the project has no DRF; ``queries``: the
    sqlc queries both dialects share; ``store``: handlers_store.Store."""
    if not drf:
        return {}, {}
    from ..load.drf_read import serializer_of, tuples_of

    serializers = tuple(serializer_of(dict(s)) for s in drf["serializers"])
    settings = DRFSettings(**drf["settings"])
    views = {k: DRFView(**tuples_of(v)) for k, v in drf["views"].items()}
    structs = {s.serializer: s for s in go_structs(serializers, settings)[0]}
    by_name = {s.dotted: s for s in serializers}
    found = endpoints(drf["routes"], views, serializers)
    eligible = {e.view for e in found if e.eligible}
    out, reasons = {}, {}
    for name in sorted(eligible):
        view = views[name]
        try:
            if _paginated(view, settings):
                raise Unsupported(f"a {view.pagination_style} list: its links need the request's absolute URL")
            q = next((q for q in queries if q.site.split(":")[0] == view.file and q.function == name.rsplit(".", 1)[-1]
                      and q.command == "many" and not q.params and not q.part), None)
            m = store.methods.get(q.name) if q else None
            if m is None or not m.row:
                raise Unsupported("no sqlc query of the class-level queryset in the store")
            ser = by_name[view.serializer]
            pairs = list(zip([f for f in ser.fields if not f.write_only], structs[view.serializer].fields))
            stmts = _core(view, pairs, m.name, store.structs[m.row], view.model, settings.time_zone)
        except Unsupported as exc:
            reasons[name] = str(exc)
            continue
        out[name] = dict(view=name, source=f"{view.file}:{view.line}", path_params=[],
                                 groups=[{"methods": ["GET", "HEAD", "OPTIONS"], "stmts": stmts}],
                                 migrated_methods=["GET", "HEAD"], stubbed={}, queries=[m.name], strict=True)
    return out, reasons


def read_drf(project) -> dict | None:
    """The DRF loader's JSON for a project whose routes include DRF views, else None (no process started)."""
    if not any(a.name == "rest_framework" for a in project.apps):
        return None
    import subprocess
    from pathlib import Path

    from ..load.drf_read import read

    try:
        return read(Path(project.root).resolve(), project.settings_module)
    except (RuntimeError, subprocess.TimeoutExpired, ValueError):
        return None
