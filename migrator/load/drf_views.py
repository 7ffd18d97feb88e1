"""DRF views as routed -> ir_drf.DRFView, and the project's DRF facts as JSON (``python -m migrator.load.drf_views``).

A view class is read from its attributes as DRF would use them (``get_permissions`` is not called:
the classes are read, never instantiated with a request). Runs inside Django, like the worker.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from typing import Any, Optional

from ..ir import to_dict
from ..ir_drf import DRFView, Pagination
from .drf import _dotted_name, _where, drf_settings, read_serializer, read_serializers

# methods that, defined outside DRF, change what list / retrieve return
READ_OVERRIDES = ("get_queryset", "get_object", "list", "retrieve", "get_serializer_class", "get_serializer",
                  "filter_queryset", "paginate_queryset", "get_paginated_response", "dispatch", "initial",
                  "finalize_response")
# methods that, defined outside DRF, change what create / update / destroy do
WRITE_OVERRIDES = ("create", "perform_create", "update", "perform_update", "partial_update", "destroy",
                   "perform_destroy", "get_object", "get_queryset", "get_serializer", "get_serializer_class",
                   "get_success_headers", "dispatch", "initial", "finalize_response")
BASES = ("ReadOnlyModelViewSet", "ModelViewSet", "GenericViewSet", "ViewSet", "ListAPIView", "RetrieveAPIView",
         "ListCreateAPIView", "RetrieveUpdateAPIView", "RetrieveDestroyAPIView", "RetrieveUpdateDestroyAPIView",
         "GenericAPIView", "APIView")


def _base(cls: type) -> str:
    for k in cls.__mro__:
        if k.__module__.startswith("rest_framework") and k.__name__ in BASES:
            return k.__name__
    return ""


def _plain(qs: Any) -> bool:
    """Model.objects.all(): no WHERE, ORDER BY, join, slice, annotation, extra, distinct or deferral."""
    q = getattr(qs, "query", None)
    if q is None:
        return False
    return (not q.where.children and not q.order_by and not q.select_related and not q.annotations
            and not q.extra and not q.distinct and q.low_mark == 0 and q.high_mark is None
            and q.deferred_loading == (frozenset(), True) and not getattr(qs, "_prefetch_related_lookups", ()))


def _framework(k: type) -> bool:
    return k.__module__.startswith(("rest_framework", "django.")) or k is object


# a paginator's attributes the Go side reproduces at their DRF defaults only
_FIXED = {"page_query_param": "page", "last_page_strings": ("last",),
          "limit_query_param": "limit", "offset_query_param": "offset"}


def read_pagination(pagination: Any) -> Pagination:
    """A view's pagination_class (DEFAULT_PAGINATION_CLASS unless the view sets one) as DRF uses it: a
    project subclass that only sets attributes keeps its base's style; PAGE_SIZE is its page_size /
    default_limit unless the subclass sets another."""
    if not isinstance(pagination, type):
        return Pagination()
    own = sorted({name for k in pagination.__mro__ if not _framework(k) for name, v in vars(k).items() if callable(v)})
    style = next((k.__name__ for k in pagination.__mro__ if _framework(k)), "")
    changed = [a for a, v in _FIXED.items() if hasattr(pagination, a)
               and getattr(pagination, a) != v]
    why = (f"overrides {', '.join(own)}" if own else f"sets {', '.join(changed)}" if changed else "")
    size = getattr(pagination, "default_limit" if style == "LimitOffsetPagination" else "page_size", None)
    size_param = str(getattr(pagination, "page_size_query_param", "") or "") if style == "PageNumberPagination" else ""
    params = {"PageNumberPagination": ("page",) + ((size_param,) if size_param else ()),
              "LimitOffsetPagination": ("limit", "offset")}.get(style, ())
    return Pagination(style=style, dotted=_dotted_name(pagination), size=int(size or 0),
                      max_limit=int(getattr(pagination, "max_limit", 0) or 0), params=params, unsupported=why,
                      size_param=size_param,
                      max_size=int(getattr(pagination, "max_page_size", 0) or 0) if size_param else 0)


DEFAULT_RENDERERS = ("rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer")


def read_negotiation(cls: type) -> str:
    """Why the view's content negotiation is not DRF's default one, which drfjson.Negotiate reproduces ("" when
    it is): JSONRenderer then BrowsableAPIRenderer, DefaultContentNegotiation, ``?format=``."""
    from rest_framework.settings import api_settings

    renderers = tuple(_dotted_name(c) for c in getattr(cls, "renderer_classes", ()))
    if renderers != DEFAULT_RENDERERS:
        return f"renderer_classes {', '.join(r.rsplit('.', 1)[-1] for r in renderers) or '(none)'}"
    negotiation = _dotted_name(getattr(cls, "content_negotiation_class", None))
    if negotiation != "rest_framework.negotiation.DefaultContentNegotiation":
        return f"content_negotiation_class {negotiation.rsplit('.', 1)[-1]}"
    if api_settings.URL_FORMAT_OVERRIDE != "format":
        return f"URL_FORMAT_OVERRIDE {api_settings.URL_FORMAT_OVERRIDE!r}"
    return ""


def read_overrides(root: str, cls: type, overrides: tuple[str, ...], permissions: tuple[str, ...]) -> tuple:
    """(the read overrides left, the QuerySet get_queryset returns as source and its model, why an override
    was not read, the model methods a read get_object runs on the row): get_queryset and get_serializer read by
    partial evaluation (load/drf_queryset), get_object by load/drf_serializer_read."""
    from .drf_queryset import Unread, read_get_queryset
    from .drf_serializer_read import read_get_object, read_get_serializer

    left, scoped, unread, sets = list(overrides), None, [], ()
    model = getattr(getattr(cls, "queryset", None), "model", None)
    if "get_object" in left and model is not None:
        try:
            sets = read_get_object(cls, model)
            left.remove("get_object")
        except Unread as exc:
            unread.append(f"get_object: {exc}")
    if "get_queryset" in left:
        try:
            scoped = read_get_queryset(cls, permissions)
            left.remove("get_queryset")
        except Unread as exc:
            unread.append(f"get_queryset: {exc}")
    serializer = getattr(cls, "serializer_class", None)
    if "get_serializer" in left and isinstance(serializer, type):
        try:
            kinds = {f.name: f.kind for f in read_serializer(root, serializer).fields}
            read_get_serializer(cls, permissions, kinds)
            left.remove("get_serializer")
        except Unread as exc:
            unread.append(f"get_serializer: {exc}")
        except Exception as exc:  # noqa: BLE001 - the serializer's own fields could not be built
            unread.append(f"get_serializer: the serializer's fields: {type(exc).__name__}")
    return tuple(left), scoped, tuple(unread), sets


def row_attributes(model: str, methods: tuple[str, ...]) -> tuple:
    """What the model methods a view runs on its rows set, for those read (load/drf_rowfields; the others keep
    their rule: the attributes they set are not translated)."""
    from django.apps import apps

    from .drf_queryset import Unread
    from .drf_rowfields import read_row_attributes

    out = []
    for m in dict.fromkeys(methods):
        try:
            out.append(read_row_attributes(apps.get_model(model), m))
        except Unread:
            pass
    return tuple(out)


def read_view(root: str, cls: type) -> DRFView:
    qs = getattr(cls, "queryset", None)
    model = qs.model._meta.label if qs is not None and hasattr(qs, "model") else ""
    serializer = getattr(cls, "serializer_class", None)
    own = {name for k in cls.__mro__ if not _framework(k) for name in vars(k)}
    permissions = tuple(_dotted_name(c) for c in getattr(cls, "permission_classes", ()))
    overrides, scoped, unread, object_sets = read_overrides(root, cls, tuple(n for n in READ_OVERRIDES if n in own),
                                               permissions)
    model = scoped.model if scoped else model  # DRF's get_object looks the pk up in what get_queryset returns
    pagination = getattr(cls, "pagination_class", None)
    file, line = _where(root, cls)
    return DRFView(
        view=_dotted_name(cls), base=_base(cls), serializer=_dotted_name(serializer), model=model,
        queryset_plain=qs is not None and _plain(qs), overrides=overrides,
        scoped=scoped.source if scoped else "", scoped_model=scoped.model if scoped else "", unread=unread,
        scoped_user=scoped.user if scoped else (), scoped_empty_unless=scoped.empty_unless if scoped else "",
        scoped_sets=scoped.sets if scoped else (), object_sets=object_sets,
        row_attributes=row_attributes(model, (scoped.sets if scoped else ()) + object_sets),
        permission_classes=permissions,
        authentication_classes=tuple(_dotted_name(c) for c in getattr(cls, "authentication_classes", ())),
        throttle_classes=tuple(_dotted_name(c) for c in getattr(cls, "throttle_classes", ())),
        pagination=read_pagination(pagination), negotiation=read_negotiation(cls),
        write_overrides=tuple(n for n in WRITE_OVERRIDES if n in own),
        filter_backends=tuple(_dotted_name(c) for c in getattr(cls, "filter_backends", ())),
        lookup_field=str(getattr(cls, "lookup_field", "pk")), lookup_url_kwarg=str(getattr(cls, "lookup_url_kwarg", "") or ""),
        file=file, line=line)


def _view_class(dotted: str) -> Optional[type]:
    module, _, name = dotted.rpartition(".")
    while module:
        try:
            obj: Any = importlib.import_module(module)
        except ImportError:
            module, _, head = module.rpartition(".")
            name = f"{head}.{name}"
            continue
        for part in name.split("."):
            obj = getattr(obj, part, None)
        return obj if isinstance(obj, type) else None
    return None


API_ROOT = "rest_framework.routers.APIRootView"


def api_roots() -> dict[str, dict]:
    """namespace -> what DefaultRouter's API root view answers there, read from the routed callbacks'
    ``api_root_dict`` and reversed as ``APIRootView.get`` does (without a request: the Go side adds the
    scheme and host): {"plain": [[key, path]...], "json": [...] (the ``.json`` suffix's)}, or
    {"unsupported": why}. A key whose route does not reverse is left out, as DRF does."""
    from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
    from rest_framework.routers import APIRootView
    from rest_framework.settings import api_settings

    found: dict[str, list[dict]] = {}

    def walk(patterns, ns: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, ":".join(x for x in (ns, p.namespace) if x))
            elif getattr(p.callback, "view_class", None) is APIRootView:
                found.setdefault(ns, []).append(dict(p.callback.view_initkwargs.get("api_root_dict") or {}))

    walk(get_resolver().url_patterns, "")
    out: dict[str, dict] = {}
    for ns, dicts in found.items():
        if api_settings.DEFAULT_VERSIONING_CLASS:
            out[ns] = {"unsupported": "URL versioning (DEFAULT_VERSIONING_CLASS)"}
            continue
        if any(d != dicts[0] for d in dicts):
            out[ns] = {"unsupported": "routers with different registries share the namespace"}
            continue
        answer: dict[str, list] = {}
        for fmt in ("plain", "json"):
            answer[fmt] = []
            for key, name in dicts[0].items():
                try:
                    path = reverse(f"{ns}:{name}" if ns else name, kwargs={"format": "json"} if fmt == "json" else {})
                except NoReverseMatch:
                    continue
                answer[fmt].append([key, path])
        out[ns] = answer
    return out


def collect(root: str) -> dict:
    """The project's DRF routes, views, serializers and settings, as plain JSON."""
    from django.apps import apps
    from rest_framework.views import APIView

    from .urls import collect_routes

    routes, _ = collect_routes(root)
    views: dict[str, dict] = {}
    drf_routes = []
    for r in routes:
        cls = _view_class(r["view"]) if r["kind"] in ("viewset", "class") else None
        if cls is None or not issubclass(cls, APIView):
            continue
        views.setdefault(r["view"], to_dict(read_view(root, cls)))
        actions = r.get("actions") or {m: m.lower() for m in r.get("methods") or [] if m != "OPTIONS"}
        drf_routes.append({"django": r["django"], "view": r["view"], "kind": r["kind"], "actions": actions,
                           **({"namespace": r.get("namespace", "")} if r["view"] == API_ROOT else {})})
    apps_modules = [a.name for a in apps.get_app_configs()]
    serializers, diags = read_serializers(root, apps_modules)
    return {"routes": drf_routes, "views": views, "serializers": [to_dict(s) for s in serializers],
            "settings": to_dict(drf_settings()), "diagnostics": [d.render() for d in diags],
            "roots": api_roots() if any(r["view"] == API_ROOT for r in drf_routes) else {}}


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m migrator.load.drf_views")
    parser.add_argument("root")
    parser.add_argument("--settings", required=True, help="the project's settings module")
    args = parser.parse_args(argv)
    root = os.path.abspath(args.root)
    sys.path.insert(0, root)
    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    import django

    django.setup()
    json.dump(collect(root), sys.stdout, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
