"""Which DRF read endpoints are eligible for a Go handler with parity, and why the others stay stubs.

Input is the loader's plain JSON (load/drf_views.collect). A GET endpoint is eligible when every part
of DRF's answer is something the generated Go reproduces: list / retrieve of a generic view or model
viewset, its static ``queryset`` (one sqlc query), a ModelSerializer with no stub field, AllowAny,
no filter backend, PageNumberPagination / LimitOffsetPagination as DRF ships them, or none, and no
project override of a method that changes the answer. Anything else is a stub with its reason.
"""

from __future__ import annotations

import re

from ..ir_drf import DRFEndpoint, DRFView, Serializer, SerializerField

READ_BASES = frozenset({"ReadOnlyModelViewSet", "ModelViewSet", "ListAPIView", "RetrieveAPIView",
                        "ListCreateAPIView", "RetrieveUpdateAPIView", "RetrieveDestroyAPIView",
                        "RetrieveUpdateDestroyAPIView"})
PAGINATIONS = frozenset({"", "PageNumberPagination", "LimitOffsetPagination"})
ALLOW_ANY = "rest_framework.permissions.AllowAny"
READ_ACTIONS = {"list": "list", "retrieve": "retrieve", "get": "get"}


def _suffix(route: str) -> bool:
    return bool(re.search(r"\(\?P<format>|<drf_format_suffix:format>", route))


def view_reason(view: DRFView, serializers: dict[str, Serializer]) -> str:
    """Why this view's reads stay a stub ("" when they can move)."""
    if view.base not in READ_BASES:
        return f"a {view.base or 'custom'} view: only the generic list / retrieve views and model viewsets move"
    if view.overrides:
        return f"overrides {', '.join(view.overrides)}"
    if not view.model:
        return "no static queryset class attribute"
    denied = [p.rsplit(".", 1)[-1] for p in view.permission_classes if p != ALLOW_ANY]
    if denied:
        return f"permission_classes {', '.join(denied)} (the Go auth package is not wired to DRF yet)"
    if view.filter_backends:
        return f"filter_backends {', '.join(b.rsplit('.', 1)[-1] for b in view.filter_backends)}"
    p = view.pagination
    if p.style not in PAGINATIONS or p.unsupported:
        return f"pagination {p.style}" + (f" ({p.unsupported})" if p.unsupported else "")
    ser = serializers.get(view.serializer)
    if ser is None:
        return f"serializer {view.serializer or '(get_serializer_class)'} is not a ModelSerializer the loader read"
    stub = _first_stub(ser, serializers, set())
    return f"serializer field {stub}" if stub else ""


def _first_stub(ser: Serializer, serializers: dict[str, Serializer], seen: set[str]) -> str:
    """The first field whose value the view's one query does not give (or that is a stub)."""
    seen.add(ser.dotted)
    for f in ser.fields:
        if f.write_only:
            continue
        if f.kind in ("method", "stub"):
            return f"{ser.name}.{f.name} ({_why(f)})"
        if f.kind == "nested" or f.many or f.kind == "slug" or "." in f.source:
            return f"{ser.name}.{f.name} (reads related rows: a query per relation is not generated yet)"
    return ""


def _why(f: SerializerField) -> str:
    return "SerializerMethodField" if f.kind == "method" else f.reason


def endpoints(routes: list[dict], views: dict[str, DRFView], serializers: tuple[Serializer, ...]) -> list[DRFEndpoint]:
    by_name = {s.dotted: s for s in serializers}
    out = []
    for r in routes:
        action = r["actions"].get("GET")
        if action is None:
            continue
        view = views[r["view"]]
        if r["view"] == "rest_framework.routers.APIRootView":
            reason = "the router's API root view"
        elif _suffix(r["django"]):
            reason = "a format-suffix route"
        elif action not in READ_ACTIONS:
            reason = f"@action {action}"
        else:
            reason = view_reason(view, by_name)
        out.append(DRFEndpoint(r["django"], r["view"], action, not reason, reason))
    return out


def summary(found: list[DRFEndpoint]) -> str:
    ok = sum(e.eligible for e in found)
    lines = [f"DRF read endpoints: {len(found)}, eligible {ok}, stubs {len(found) - ok}"]
    for e in found:
        lines.append(f"  {'eligible' if e.eligible else 'stub    '}  GET {e.route}  {e.view}.{e.action}"
                     + (f"  ({e.reason})" if e.reason else ""))
    return "\n".join(lines)
