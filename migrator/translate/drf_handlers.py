"""Eligible DRF read endpoints (translate/drf_views) -> real handlers in the view translator's shape.

A viewset's ``list`` and ``retrieve`` share one core (MigratedView keyed by the view) and one row
conversion (``item``: the serializer's fields with DRF's formats, drfjson). The list runs the sqlc query of
the class-level ``queryset`` (the scanner's static site in the class) and windows it as the view's
PageNumberPagination / LimitOffsetPagination does (count, next, previous, results; the links from the
request's absolute URL); the detail runs the query of the derived ``.get(pk=pk)`` site (load/drf_sites:
``WHERE id = ?``) with Django's ``int()`` of the path value, else DRF's 404 bodies.

DRF's content negotiation runs first (drfjson.Negotiate: the format suffix, else ``?format=``, then the
Accept header): JSON as DRF writes it, an unknown format DRF's 404, no renderer for the Accept header DRF's
406, the browsable API (``.api``, ``text/html``) or JSON indented by an Accept parameter 501. DefaultRouter's
API root: its links (load/drf_views.api_roots) after the request's scheme and host. Not generated yet:
OPTIONS (DRF's metadata; 501), a lookup_field other than pk;
the page's count and window are taken from the list query's rows (DRF runs COUNT(*) and LIMIT / OFFSET).
"""

from __future__ import annotations

import json

from ..ir_drf import DRFSettings, DRFView
from ..load.drf_sites import EXISTS, RELATED, RETRIEVE, SCOPED, derived, read_drf, row_site  # noqa: F401 (read_drf: handlers_plan reads it here)
from .drf_method import MethodGo, NotTranslated, related_go
from .drf_nested import HOST_MARK, NESTED_SUFFIX, NotNested, count_field, nested_field, nested_query, resolve
from .drf_types import GoField, go_structs
from .drf_access import PERMISSIONS, go_access, signed_readers
from .drf_rowkeys import NotKeyed, keyed, keyed_field
from .drf_views import API_ROOT, endpoints, view_reason
from .drf_writes import NotWritten, plan_writes, write_actions
from .naming import pascal


# why a request a migrated DRF view does not answer gets 501 (drfFormat)
NOT_MIGRATED = ("OPTIONS, the browsable API, indented JSON, or DRF's 401 with WWW-Authenticate (credentials its "
                "Token or Basic authentication refuses)")


class Unsupported(Exception):
    pass


def _501(view: DRFView, why: str) -> str:
    """The Go value of a 501 body: the view, where it is, why it is not migrated."""
    body = json.dumps({"error": "not migrated", "view": view.view, "source": f"{view.file}:{view.line}", "why": why})
    return f"json.RawMessage({json.dumps(body)})"


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
    if f.format.startswith(("drfjson.FileURL(", "drfjson.FileName(")) and nt in ("string", "*string"):
        if nt == "string":  # FieldFile: null when the name is empty
            return [f"{dst} = {f.format.replace('{v}', v)}"]
        return [f"if {v} != nil {{\n\t\t{dst} = {f.format.replace('{v}', '*' + v)}\n\t}}"]
    if f.format == "drfjson.Duration({v}.Microseconds())" and nt.lstrip("*") == "djtypes.Duration":
        if nt.startswith("*") != ptr:
            raise Unsupported(f"field {f.json}: the column's nullability is not the serializer's")
        if ptr:
            return [f"if {v} != nil {{\n\t\ts := drfjson.Duration({v}.Microseconds())\n\t\t{dst} = &s\n\t}}"]
        return [f"{dst} = drfjson.Duration({v}.Microseconds())"]
    if f.go_type == "json.RawMessage" and nt == "*djtypes.JSON":  # json.loads of the text, dumped again; NULL: null
        return [f"if {v} != nil {{\n\t\t{dst} = json.RawMessage(*{v})\n\t}}"]
    if f.go_type == "json.RawMessage" and nt == "djtypes.JSON":
        return [f"{dst} = json.RawMessage({v})"]
    if ptr and not f.format and nt == f.go_type and base in ("int64", "string", "bool"):
        return [f"{dst} = {v}"]  # NULL is nil: DRF's None, written null
    if ptr:
        raise Unsupported(f"a nullable {f.go_type} field ({f.json}) is not generated yet")
    if f.format.startswith(("drfjson.Decimal", "drfjson.UUID")) and nt in ("decimal.Decimal", "djtypes.UUID"):
        return [f"{dst}, err = {f.format.replace('{v}', v)}", check]
    if not f.format and base == "int64" and nt in ("int64", "int32", "int16"):
        return [f"{dst} = int64({v})"]
    if not f.format and base == nt and nt in ("string", "bool"):
        return [f"{dst} = {v}"]
    raise Unsupported(f"field {f.json} ({f.go_type} from a {nt} column) is not generated yet")


def _pairs(ser, struct) -> list:
    """(serializer field, Go field) of each field a serializer renders, in DRF's order."""
    return list(zip([f for f in ser.fields if not f.write_only], struct.fields))


def _convert(row, pairs: list, tz: str) -> tuple[list[str], list[str]]:
    """(Go item fields, statements setting them from ``row``) of a serializer without nested fields."""
    fields, assigns = [], []
    for sf, f in pairs:
        if sf.kind in ("nested", "count"):
            raise Unsupported(f"field {f.json}: a related manager's query in a nested serializer is not generated yet")
        col, nt = _column(row, sf.source or sf.name, sf.kind)
        fields.append(f"{f.name} {f.go_type} `json:\"{f.json}\"`")
        assigns += _assign(f, col, nt, tz)
    return fields, assigns


def _go_view(view: DRFView, name: str, pairs: list, many, get, store, settings: DRFSettings, wired: bool,
             nested: dict, related: dict) -> dict:
    """The view-model of one viewset's Go (templates/drf/views.go.j2): pairs are (serializer field, Go field)
    in DRF's order; ``many`` / ``get``: the store methods of the list and of the detail lookup; ``nested``: per
    nested many=True field, (its related manager's store method, the nested Serializer, its GoStruct); ``related``:
    the related rows read SerializerMethodFields use (drf_method.related_go)."""
    row = store.structs[many.row]
    if ("ID", "int64", "id") not in row.fields or view.lookup_field != "pk" or view.lookup_url_kwarg:
        raise Unsupported("the lookup is not an integer pk named pk")
    if store.structs[get.row].fields != row.fields:
        raise Unsupported("the detail query's columns are not the list query's")
    fields, assigns, nested_items = [], [], []
    methods = MethodGo(row.fields, *related)  # read SerializerMethodFields (drf_method)
    for sf, f in pairs:
        if sf.kind == "expr":
            line, stmts = methods.field(f.name, f.json, json.loads(sf.expr), sf.name)
            fields.append(line)
            assigns += stmts
            continue
        if sf.kind == "nested":  # a related manager's rows (drf_nested), each through the nested serializer
            method, inner, struct = nested[sf.name]
            line, stmts, spec = nested_field(f.name, f.json, method, inner.dotted, struct, lambda r, st: _convert(
                store.structs[r], _pairs(inner, st), settings.time_zone))
            fields.append(line)
            assigns += stmts
            nested_items.append(spec)
            continue
        if sf.kind == "count":  # obj.<manager>.count(): the related manager's COUNT(*) for the row
            fields.append(f"{f.name} int64 `json:\"{f.json}\"`")
            assigns += count_field(f.name, nested[sf.name][0])
            continue
        line, stmts = _convert(row, [(sf, f)], settings.time_zone)
        fields += line
        assigns += stmts
    p = view.pagination
    paginator = {"PageNumberPagination": (f"drfPageNumberSized({p.size}, {json.dumps(p.size_param)}, {p.max_size})"
                                          if p.size_param else f"drfPageNumber({p.size})" if p.size else "drfUnpaginated"),
                 "LimitOffsetPagination": f"drfLimitOffset({p.size}, {p.max_limit})"}.get(p.style, "drfUnpaginated")
    return dict(name=name, view=view.view, source=f"{view.file}:{view.line}", fields=fields, assigns=assigns, writes=None,
                user=_user_args(view, get, many), empty_unless=pascal(view.scoped_empty_unless),
                nested_items=nested_items,
                serializer=view.serializer, item="",
                row=row.name, list_query=many.name, detail=get.name, object_name=view.model.rsplit(".", 1)[-1],
                detail_row=get.row, not_migrated=_501(view, NOT_MIGRATED),
                auth=go_access(view, settings.session_cookie, wired, session_user=settings.session_user),
                paginator=paginator, pagination=p.style if paginator != "drfUnpaginated" else "")


def _user_args(view: DRFView, get, many=None) -> dict:
    """A get_queryset over the signed-in user's text columns (``user_<attr>``, djauth.User's field of that name):
    the list's argument and the detail lookup's Params struct fields; {} when it reads no user value. A parameter
    the store types ``*string`` (a nullable column compared: helpdesk's ``submitter_email``) gets the user's value's
    address (never nil: the user's column is never NULL)."""
    if not view.scoped_user:
        return {}
    attr = pascal(view.scoped_user[0])
    ref = lambda m: ("&" if m is not None and getattr(m.params[0], "type", "").startswith("*") else "") + f"user.{attr}"  # noqa: E731
    return dict(list=ref(many), struct=get.struct, detail=f"{get.params[0].name}: {ref(get)}, "
                f"{get.params[1].name}: pk")


def _items(go_views: list[dict]) -> list[dict]:
    """One Go item type and conversion per serializer and row type (views that share both share them, a nested
    serializer's rows included: drf_nested); sets each view's ``item``. An item takes ``host`` when it (or an item
    nested in it) writes file URLs, ``ctx, s`` when it runs a nested field's query."""
    items: dict[tuple, dict] = {}
    specs = [n for v in go_views for n in v["nested_items"]] + go_views  # nested ones first: their host flag
    for v in specs:
        key = (v["serializer"], v["row"], v.get("keyed_by", ""))  # keys added per row: the view's methods decide
        if key not in items:
            name = "drf" + pascal(v["serializer"].rsplit(".", 1)[-1])
            while any(i["name"] == name for i in items.values()):
                name += "_"
            host = any("drfjson.FileURL(host" in a for a in v["assigns"]) or any(
                f"{HOST_MARK}{ser}|{row}>>" in a and i["host"] for a in v["assigns"] for (ser, row, _), i in items.items())
            items[key] = dict(name=name, serializer=v["serializer"], row=v["row"], fields=v["fields"],
                              assigns=v["assigns"], host=host, store=any("s.Store." in a for a in v["assigns"]),
                              keyed="keyed" in v)
    names = {k[:2]: i["name"] for k, i in items.items() if not k[2]}
    hosts = {k[:2]: i["host"] for k, i in items.items() if not k[2]}
    for i in items.values():
        i["fields"] = [resolve(f, names, hosts) for f in i["fields"]]
        i["assigns"] = [resolve(a, names, hosts) for a in i["assigns"]]
    for v in go_views:
        key = (v["serializer"], v["row"], v.get("keyed_by", ""))
        item = v["item"] = items[key]["name"]
        # build_absolute_uri: the request's scheme and host; a nested field's query: the context and the store
        args = ("ctx, s, " if items[key]["store"] else "") + ("drfHost(req), " if items[key]["host"] else "")
        # keys added per row: whether the view's model method set their attributes (list, detail)
        attrs = {a: f", {str(v['keyed'][a]).lower()}" if "keyed" in v else "" for a in ("list", "detail")}
        v["list_of"] = f"func(r {v['row']}) ({item}Item, error) {{ return {item}Of({args}r{attrs['list']}) }}" \
            if args or attrs["list"] else f"{item}Of"
        v["detail_of"] = f"{item}Of" if v["detail_row"] == v["row"] and not args and not attrs["detail"] else (
            f"func(r {v['detail_row']}) ({item}Item, error) {{ return {item}Of({args}"
            + (f"{v['row']}(r){attrs['detail']}) }}" if v["detail_row"] != v["row"] else f"r{attrs['detail']}) }}"))
    return list(items.values())


def _queries(view: DRFView, queries: list, store):
    """The store methods of the class-level queryset (list) and of its derived ``.get(pk=pk)`` site (detail)."""
    cls = view.view.rsplit(".", 1)[-1]
    mine = [q for q in queries if q.site.split(":")[0] == view.file and q.function == cls and not q.part]
    user = [f"user_{a}" for a in view.scoped_user]  # the signed-in user's values (load/drf_queryset)
    many = next((q for q in mine if q.command == "many" and [p.name for p in q.params] == user
                 and not q.site.endswith(RETRIEVE) and q.site.endswith(SCOPED) == bool(view.scoped)
                 and not row_site(q.site)), None)
    get = next((q for q in mine if q.command == "one" and q.site.endswith(RETRIEVE)), None)
    m, g = (store.methods.get(q.name) if q else None for q in (many, get))
    if m is None or not m.row:
        raise Unsupported("no sqlc query of the class-level queryset in the store")
    if g is None or not g.row or [p.type.lstrip("*") for p in g.params] != ["string"] * len(user) + ["int64"] or \
            [p.name for p in get.params] != [*user, "pk"] or len(user) > 1 or m.struct:
        raise Unsupported("no sqlc query of the detail lookup (queryset.get(pk=pk)) in the store")
    writes = {"/" + q.site.rsplit("/", 1)[-1]: store.methods.get(q.name) for q in mine
              if derived(q.site) and not q.site.endswith(RETRIEVE) and NESTED_SUFFIX not in q.site and not row_site(q.site)
              and RELATED not in q.site and EXISTS not in q.site}
    return m, g, {k: v for k, v in writes.items() if v is not None}, mine


def _writes(view: DRFView, ser, routes: list, project, found: dict, row, go: dict, kw: dict) -> None:
    """The view's write methods: migrated (their view-model on ``go``, the MigratedView's fields in ``kw``), or
    each answering 501 with the reason."""
    methods = write_actions(routes, view.view)
    if not methods:
        return
    try:
        go["writes"] = plan_writes(view, ser, methods, project, found, row)
    except NotWritten as exc:
        kw["stubbed"] = {m: str(exc) for m in sorted(methods)}
        return
    w = go["writes"]
    kw["stubbed"] = w.pop("stubbed")  # DELETE of a model other models point to, where the GORM helper is not exact
    if w["gorm_delete"]:
        w["gorm_delete"]["no_gorm"] = _501(view, "built with -tags nogorm: the destroy runs Django's collector "
                                                 "through the GORM layer, not linked")
    # parity's writes are anonymous: behind a permission class that refuses them (every one but AllowAny) each
    # body answers the same 403, so the view names no body keys (parity then sends one request, not a dozen)
    refused = any(PERMISSIONS.get(p, "AllowAny") != "AllowAny" for p in view.permission_classes)
    kw.update(migrated_methods=sorted(kw["migrated_methods"] + [m for m in methods if m not in kw["stubbed"]]),
              reads_body=True, body_keys={} if refused else w["body_keys"], queries=kw["queries"] + w["queries"])


def _root(view: DRFView, drf: dict, out: dict, settings: DRFSettings, wired: bool) -> dict:
    """DefaultRouter's API root view (eligible: one namespace, AllowAny): its MigratedView's fields on ``out``,
    and its view-model, the links of the plain root and of its ``.json`` suffix (load/drf_views.api_roots)."""
    ns = next(r.get("namespace", "") for r in drf["routes"] if r["view"] == API_ROOT)
    links = drf["roots"][ns]
    out[API_ROOT] = dict(view=API_ROOT, source=f"{view.file}:{view.line}", path_params=[],
                         migrated_methods=["GET", "HEAD"], stubbed={}, queries=[], strict=True, query_keys=["format"],
                         groups=[{"methods": ["GET", "HEAD", "OPTIONS"], "stmts": ["return s.drfAPIRoot(ctx, req)"]}])
    return dict(source=f"{view.file}:{view.line}", plain=links["plain"], json=links["json"],
                not_migrated=_501(view, NOT_MIGRATED), auth=go_access(view, settings.session_cookie, wired, root=True,
                                                                          session_user=settings.session_user))


def migrate_drf(model, drf: dict | None, queries: list, store, project=None) -> tuple[dict[str, dict], dict[str, str]]:
    """(view -> handlers_plan.MigratedView's fields, view -> why it stays a stub) for the DRF viewsets whose
    GET endpoints are eligible.

    ``drf``: the DRF loader's JSON (drf_report.read), None when the project has no DRF; ``queries``: the
    sqlc queries both dialects share; ``store``: handlers_store.Store; ``project``: the IR (the models' defaults,
    for the writes: translate/drf_writes)."""
    if not drf:
        return {}, {}
    from ..ir import from_dict
    from ..load.drf_read import serializer_of
    from .auth import user_model

    serializers = tuple(serializer_of(dict(s)) for s in drf["serializers"])
    settings = DRFSettings(**drf["settings"])
    views = {k: from_dict(DRFView, v) for k, v in drf["views"].items()}
    structs = {s.serializer: s for s in go_structs(serializers, settings)[0]}
    by_name = {s.dotted: s for s in serializers}
    wired = project is not None and user_model(project) is not None  # djauth in the tree: DRF's auth classes run in Go
    eligible = {e.view for e in endpoints(drf["routes"], views, serializers, drf.get("roots"), wired) if e.eligible}
    out, go_views, names = {}, [], set()
    # the stub reason of each view whose GET endpoints are not eligible: the first rule it fails (docs/drf.md)
    reasons = {name: view_reason(v, by_name, wired) for name, v in views.items() if name not in eligible
               and view_reason(v, by_name, wired)}
    root = _root(views.get(API_ROOT), drf, out, settings, wired) if API_ROOT in eligible else None
    for name in sorted(eligible - {API_ROOT}):
        view = views[name]
        go_name = "drf" + pascal(view.view.rsplit(".", 1)[-1])
        while go_name in names:
            go_name += "_"
        try:
            many, get, found, mine = _queries(view, queries, store)
            ser = by_name[view.serializer]
            pairs = _pairs(ser, structs[view.serializer])
            nested = {f.name: (nested_query(mine, f.name, store), by_name[f.serializer], structs[f.serializer])
                      for f in ser.fields if f.kind == "nested" and not f.write_only}
            nested.update({f.name: (nested_query(mine, f.name, store, count=True), None, None)
                           for f in ser.fields if f.kind == "count"})
            related = related_go(mine, ser, store.structs[many.row].fields, store)
            go = _go_view(view, go_name, pairs, many, get, store, settings, wired, nested, related)
            keyed_queries = []
            if ser.rows is not None:  # keys its __init__ adds per row (drf_rowkeys)
                stmts, keyed_queries = keyed(view, ser, mine, store)
                go["assigns"] += stmts
                go["fields"].append(keyed_field())
                methods = {r.method.rsplit(".", 1)[-1] for r in view.row_attributes}
                go["keyed"] = dict(list=bool(methods & set(view.scoped_sets)), detail=bool(methods & set(view.object_sets)))
                go["keyed_by"] = ",".join(sorted(methods)) or "-"
        except (Unsupported, NotNested, NotKeyed, NotTranslated) as exc:
            reasons[name] = str(exc)
            continue
        names.add(go_name)
        kw = dict(view=name, source=f"{view.file}:{view.line}", path_params=[], migrated_methods=["GET", "HEAD"],
                  stubbed={}, queries=[many.name, get.name, *(m.name for m, _, _ in nested.values()),
                                       *(m.name for m, _, _ in related[0].values()),
                                       *(m.name for e in related[1].values() for m in e.values()), *keyed_queries],
                  strict=True,
                  query_keys=[*view.pagination.params, "format"],  # ?format=: DRF's URL_FORMAT_OVERRIDE
                  signed_in_as=signed_readers(view))
        _writes(view, ser, drf["routes"], project, found, store.structs[many.row], go, kw)
        kw["groups"] = [{"methods": [m for m in ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
                                     if m not in kw["stubbed"]], "stmts": [f"return s.{go_name}(ctx, req)"]}]
        go_views.append(go)
        out[name] = kw
    model.drf = {"views": go_views, "items": _items(go_views), "root": root, "djauth": wired}  # emit/drf.py: http/drf_views.go
    return out, reasons
