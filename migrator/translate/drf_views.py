"""Which DRF read endpoints are eligible for a Go handler with parity, and why the others stay stubs.

Input is the loader's plain JSON (load/drf_views.collect). A GET endpoint is eligible when every part
of DRF's answer is something the generated Go reproduces: list / retrieve of a generic view or model
viewset, its static ``queryset`` (one sqlc query), a ModelSerializer with no stub field, AllowAny,
no filter backend, PageNumberPagination / LimitOffsetPagination as DRF ships them, or none, and no
project override of a method that changes the answer. Anything else is a stub with its reason.
"""

from __future__ import annotations


from ..ir_drf import DRFEndpoint, DRFView, Serializer, SerializerField
from .drf_access import access_reasons

READ_BASES = frozenset({"ReadOnlyModelViewSet", "ModelViewSet", "ListAPIView", "RetrieveAPIView",
                        "ListCreateAPIView", "RetrieveUpdateAPIView", "RetrieveDestroyAPIView",
                        "RetrieveUpdateDestroyAPIView"})
PAGINATIONS = frozenset({"", "PageNumberPagination", "LimitOffsetPagination"})
ALLOW_ANY = "rest_framework.permissions.AllowAny"
READ_ACTIONS = {"list": "list", "retrieve": "retrieve", "get": "get"}
API_ROOT = "rest_framework.routers.APIRootView"
def view_reasons(view: DRFView, serializers: dict[str, Serializer], wired: bool = True) -> list[str]:
    """Every rule this view's reads fail, in the table's order (docs/drf.md); [] when they can move. ``wired``:
    djauth runs DRF's authentication and permission classes (translate/drf_access)."""
    if view.base not in READ_BASES:
        return [f"a {view.base or 'custom'} view: only the generic list / retrieve views and model viewsets move"]
    out = [f"overrides {', '.join(view.overrides)}"] if view.overrides else []
    out += [f"reads {u}" for u in view.unread]  # why an override load/drf_queryset reads was not read
    out += scoped_reasons(view)
    if not view.model:
        out.append("no static queryset class attribute")
    if view.negotiation:
        out.append(f"content negotiation: {view.negotiation}")
    out += access_reasons(view, wired)
    if view.filter_backends:
        out.append(f"filter_backends {', '.join(b.rsplit('.', 1)[-1] for b in view.filter_backends)}")
    p = view.pagination
    if p.style not in PAGINATIONS or p.unsupported:
        out.append(f"pagination {p.style}" + (f" ({p.unsupported})" if p.unsupported else ""))
    ser = serializers.get(view.serializer)
    if ser is None:
        out.append(f"serializer {view.serializer or '(get_serializer_class)'} is not a ModelSerializer the loader read")
        return out
    if ser.dynamic and (ser.rows is None or ser.rows.built is None):  # its keys: never left out silently
        out.append(f"serializer {ser.name}: {dynamic_rule(ser)}")
    if _first_stub(ser, serializers, set()):
        out.append(f"serializer field {_first_stub(ser, serializers, set())}")
    return out


def dynamic_rule(ser: Serializer) -> str:
    """Why the fields a serializer's own __init__ adds keep its views stubs: not read (the reason), or read as one
    field per row of a model (load/drf_rowfields) whose fields' Go values are not generated yet."""
    if ser.rows is None:
        return f"{ser.dynamic}.__init__ may add fields at run time (not read: {ser.dynamic_reason})"
    r = ser.rows
    order = f", ordered by {', '.join(r.order_by)}" if r.order_by else ""
    if r.built:  # generated (translate/drf_rowkeys): what stops it there is the handler's reason
        return (f"{ser.dynamic}.__init__ adds {r.prefix}<{r.attr}> per row of {r.source}{order}, each rendered by "
                f"the DRF field {r.builder}() picks by {r.built.column} (read: {len(r.built.classes)} classes)")
    return (f"{ser.dynamic}.__init__ adds {r.prefix}<{r.attr}> per row of {r.source}{order} (read); "
            f"the value of each, rendered by the field {r.builder}() builds (not read: {r.built_reason}), "
            f"is not generated")


def scoped_reasons(view: DRFView) -> list[str]:
    """What of a get_queryset load/drf_queryset read the handlers do not generate yet (each a precise rule): one
    text column of the signed-in user as a parameter moves (djauth.User carries it), with its ``.none()`` guard."""
    out = []
    if len(view.scoped_user) > 1:
        attrs = ", ".join(f"request.user.{a}" for a in view.scoped_user)
        out.append(f"get_queryset filters by {attrs}: more than one value of the user is not generated yet")
    read = {r.method.rsplit(".", 1)[-1] for r in view.row_attributes}  # generated: translate/drf_rowkeys
    model = view.scoped_model.rsplit(".", 1)[-1]
    out += [f"get_queryset runs {model}.{m}() on each row: the attributes it sets are not translated yet" for m in view.scoped_sets
            if m not in read]
    model = view.model.rsplit(".", 1)[-1]
    out += [f"get_object runs {model}.{m}() on the row: the attributes it sets are not translated yet" for m in view.object_sets
            if m not in read]
    return out


def view_reason(view: DRFView, serializers: dict[str, Serializer], wired: bool = True) -> str:
    """Why this view's reads stay a stub ("" when they can move): the first rule it fails."""
    return next(iter(view_reasons(view, serializers, wired)), "")


def reason_counts(views: dict[str, DRFView], serializers: tuple[Serializer, ...]) -> list[tuple[str, int]]:
    """(rule, how many routed views fail it), most first: an ``overrides`` reason counts once per method, a
    serializer field once per kind of field, a permission once per class."""
    by_name = {s.dotted: s for s in serializers}
    counts: dict[str, int] = {}
    for view in views.values():
        keys = set()
        for r in view_reasons(view, by_name):
            if r.startswith("overrides "):
                keys |= {f"overrides {m}" for m in r[len("overrides "):].split(", ")}
            elif r.startswith("permission_classes "):
                keys |= {f"permission_classes {c}" for c in
                         r.split(" (")[0].split(" under ")[0][len("permission_classes "):].split(", ")}
            elif r.startswith("serializer field "):
                keys.add("serializer field " + r.split(" (", 1)[1].removesuffix(")"))
            else:
                keys.add(r)
        for k in keys:
            counts[k] = counts.get(k, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _first_stub(ser: Serializer, serializers: dict[str, Serializer], seen: set[str]) -> str:
    """The first field whose value neither the view's query nor a nested field's related-manager query gives
    (or that is a stub); ``seen``: the serializers this one is nested in (one level of nesting moves)."""
    if ser.dynamic and seen:  # a nested serializer's: the keys its __init__ adds are not read
        return f"{ser.name}.__init__ ({dynamic_rule(ser)})"
    for f in ser.fields:
        if f.write_only or f.kind == "expr" and not seen:  # a read method: its Go (translate/drf_method)
            continue
        if f.kind == "expr":
            return f"{ser.name}.{f.name} (a SerializerMethodField in a nested serializer is not generated yet)"
        if f.kind in ("method", "stub"):
            return f"{ser.name}.{f.name} ({_why(f)})"
        if f.kind == "count" and not seen:  # the related manager's count() per object
            continue
        if f.kind == "count":
            return f"{ser.name}.{f.name} (a related count in a nested serializer is not generated yet)"
        if f.kind == "nested" and f.related_manager and not seen:  # one level: DRF's .all() per object rendered
            inner = serializers.get(f.serializer)
            why = _first_stub(inner, serializers, {ser.dotted}) if inner else "not a ModelSerializer the loader read"
            if why:
                return f"{ser.name}.{f.name} (nested serializer: {why})"
            continue
        if f.kind == "nested" or f.many or f.kind == "slug" or "." in f.source:
            return f"{ser.name}.{f.name} (reads related rows: {_related_why(f, bool(seen))})"
    return ""


def _related_why(f: SerializerField, deep: bool) -> str:
    if f.kind == "nested" and f.related_manager and deep:
        return "a serializer nested in a nested serializer is not generated yet"
    if f.kind == "nested" and f.many:
        return "a nested many=True serializer over a to_field key, a custom through table or a property"
    if f.kind == "nested":
        return "a nested serializer of one related row (a second query) is not generated yet"
    return "a query per relation is not generated yet"


def _why(f: SerializerField) -> str:
    if f.kind == "method":
        return f"SerializerMethodField: {f.reason}" if f.reason else "SerializerMethodField"
    return f.reason


def root_reason(view: DRFView, route: dict, roots: dict | None, routes: list[dict], wired: bool = True) -> str:
    """Why DefaultRouter's API root view stays a stub ("" when it moves): its links are read (load/drf_views.
    api_roots), every root route shares one namespace (one Go handler answers them all), AllowAny."""
    ns = route.get("namespace")
    answer = (roots or {}).get(ns) if ns is not None else None
    if answer is None:
        return "the router's API root view (its links were not read)"
    if answer.get("unsupported"):
        return f"the router's API root view: {answer['unsupported']}"
    spaces = sorted({r.get("namespace", "") for r in routes if r["view"] == API_ROOT})
    if len(spaces) > 1:
        return f"the API root views of {len(spaces)} namespaces ({', '.join(spaces)}): one Go handler answers one"
    if view.negotiation:
        return f"content negotiation: {view.negotiation}"
    return next(iter(access_reasons(view, wired)), "")


def endpoints(routes: list[dict], views: dict[str, DRFView], serializers: tuple[Serializer, ...],
              roots: dict | None = None, wired: bool = True) -> list[DRFEndpoint]:
    """Each routed GET action, eligible or with its reason; ``roots``: the API roots' links (load/drf_views);
    ``wired``: djauth is in the tree (translate/drf_access)."""
    by_name = {s.dotted: s for s in serializers}
    out = []
    for r in routes:
        action = r["actions"].get("GET")
        if action is None:
            continue
        view = views[r["view"]]
        if r["view"] == API_ROOT:
            reason = root_reason(view, r, roots, routes, wired)
        elif action not in READ_ACTIONS:
            reason = f"@action {action}"
        else:
            reason = view_reason(view, by_name, wired)
        out.append(DRFEndpoint(r["django"], r["view"], action, not reason, reason))
    return out


def summary(found: list[DRFEndpoint], views: dict[str, DRFView] | None = None,
            serializers: tuple[Serializer, ...] = ()) -> str:
    ok = sum(e.eligible for e in found)
    lines = [f"DRF read endpoints: {len(found)}, eligible {ok}, stubs {len(found) - ok}"]
    for e in found:
        lines.append(f"  {'eligible' if e.eligible else 'stub    '}  GET {e.route}  {e.view}.{e.action}"
                     + (f"  ({e.reason})" if e.reason else ""))
    routed = {k: v for k, v in (views or {}).items() if k != API_ROOT}
    if routed:
        moved = len({e.view for e in found if e.eligible} - {API_ROOT})
        counts = reason_counts(routed, serializers)
        lines.append(f"DRF views: {len(routed)}, eligible {moved}" + ("; the rules they fail (views):" if counts else ""))
        lines += [f"  {n:3d}  {rule}" for rule, n in counts]
    return "\n".join(lines)
