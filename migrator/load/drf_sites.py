"""The queries DRF runs for a viewset, as QuerySet sites derived from its class-level ``queryset``.

DRF never writes ``queryset.get(pk=pk)`` in the project: ``GenericAPIView.get_object`` does, on the
class attribute the scanner found (a static site in the class body). So that the sqlc step compiles
the detail lookup Django runs (``WHERE id = %s``, its ``LIMIT 21`` included), each routed DRF view with
such a site gets a derived site: the same chain followed by ``.get(pk=pk)``, id ``<site id>/retrieve``.
``migrate generate`` adds them (analyze does not: they are not in the project's source).

The DRF loader's JSON is read once per project and process (``read_drf``), here and for the handlers.
"""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

from ..ir import Arg, Call, Project, QuerySetSite

RETRIEVE = "/retrieve"
SCOPED = "/scoped"  # the QuerySet a read get_queryset returns (load/drf_queryset), in place of the class attribute
DERIVED = (RETRIEVE, SCOPED, "/create", "/update", "/destroy")  # the ids' suffixes (and "/unique_<field>[_other]")
UNIQUE = "/unique_"
NESTED = "/nested_"  # "/nested_<field>": the related manager's .all() a nested many=True serializer renders
RELATED = "/related_"  # "/related_<fk>": the related row a SerializerMethodField reads (Django's descriptor, per object)
EXISTS = "/exists_"  # "/exists_<field>_<n>": a QuerySet's exists() a SerializerMethodField reads, per object
# what a serializer's __init__ adds a key per row of and a model method sets an attribute per row of (load/drf_rowfields)
ROWKEYS = "/rowkeys"  # the rows of the keys (helpdesk's CustomField.objects.filter(staff_only=False))
ROWATTRS = "/rowattrs_"  # "/rowattrs_<method>": the rows the method sets an attribute per (CustomField.objects.all())
ROWVALUES = "/rowvalues_"  # "/rowvalues_<method>": the instance's related manager it reads each value from, .all()


def row_site(site_id: str) -> bool:
    """Whether a site id is one of the keys' or attributes' queries a serializer's rows need (row_sites)."""
    last = site_id.rsplit(":", 1)[-1]
    return last.endswith(ROWKEYS) or ROWATTRS in last or ROWVALUES in last


def derived(site_id: str) -> bool:
    """Whether a site id is one this module derives."""
    last = site_id.rsplit(":", 1)[-1]
    return site_id.endswith(DERIVED + (ROWKEYS,)) or any(m in last for m in (UNIQUE, NESTED, ROWATTRS, ROWVALUES,
                                                                             RELATED, EXISTS))
_CACHE: dict[tuple[str, str], dict | None] = {}


def read_drf(project: Project, fresh: bool = False) -> dict | None:
    """The DRF loader's JSON for a project that installs DRF, else None (no process started); cached per
    project and process (``fresh``: read again, as a generate does first)."""
    if not any(a.name == "rest_framework" for a in project.apps):
        return None
    key = (str(Path(project.root).resolve()), project.settings_module)
    if fresh or key not in _CACHE:
        from .drf_read import read

        try:
            _CACHE[key] = read(Path(key[0]), project.settings_module)
        except (RuntimeError, subprocess.TimeoutExpired, ValueError):
            _CACHE[key] = None
    return _CACHE[key]


def class_site(project: Project, view: dict) -> QuerySetSite | None:
    """The static site of a view's class-level ``queryset`` (the class body, not a method's)."""
    cls = view["view"].rsplit(".", 1)[-1]
    return next((s for s in project.querysets if s.file == view["file"] and s.function == cls
                 and s.kind == "static" and not derived(s.id)), None)


def scoped_chain(source: str, at: QuerySetSite, params: tuple[str, ...] = ()) -> tuple[Call, ...] | None:
    """The calls after ``.objects`` of a QuerySet written as source (``M.objects.filter(a=N.objects.filter(Q()))``),
    each argument as its source (the compile worker interprets nested QuerySets and Q objects), an argument that is
    one of ``params`` (``user_email``) a run-time parameter of that name; None if it is not one such chain."""
    import ast

    calls, node = [], ast.parse(source, mode="eval").body
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return None
        def arg(a: ast.expr, keyword: str = "") -> Arg:
            text = ast.unparse(a)
            return Arg("runtime", text, keyword, names=(text,) if text in params else ())
        args = tuple(arg(a) for a in node.args) + tuple(arg(k.value, k.arg) for k in node.keywords)
        calls.append(Call(node.func.attr, args, at.line, at.column))
        node = node.func.value
    if not (calls and isinstance(node, ast.Attribute) and node.attr == "objects"):
        return None
    return tuple(reversed(calls))


def _runtime(names: list[str]) -> tuple[Arg, ...]:
    return tuple(Arg("runtime", n, n, names=(n,)) for n in names)


def write_sites(project: Project, site: QuerySetSite, actions: set[str]) -> list[QuerySetSite]:
    """The statements DRF's writes run, on the model's manager (what ``serializer.save()`` and
    ``instance.delete()`` do): create(<every column>), filter(pk=pk).update(<every column>), filter(pk=pk).delete();
    and what a ``UniqueValidator`` of a ``unique`` column asks before a create or an update:
    ``filter(<field>=value).exists()``, and ``.exclude(pk=pk)`` on an update (``/unique_<field>[_other]``)."""
    model = project.model(site.model)
    if model is None:
        return []
    columns = [f.name for f in model.fields if f.column and not f.primary_key]
    at = (site.line, site.column)
    pk = Call("filter", _runtime(["pk"]), *at)
    calls = {"create": (Call("create", _runtime(columns), *at),),
             "update": (pk, Call("update", _runtime(columns), *at)),
             "destroy": (pk, Call("delete", (), *at))}
    out = [replace(site, id=f"{site.id}/{action}", chain=calls[action])
           for action in ("create", "update", "destroy") if action in actions]
    for f in model.fields if actions & {"create", "update"} else ():
        if f.unique and f.column and not f.primary_key:
            same = Call("filter", _runtime([f.name]), *at)
            exists = Call("exists", (), *at)
            out += [replace(site, id=f"{site.id}{UNIQUE}{f.name}", chain=(same, exists)),
                    replace(site, id=f"{site.id}{UNIQUE}{f.name}_other",
                            chain=(same, Call("exclude", _runtime(["pk"]), *at), exists))]
    return out


def nested_sites(site: QuerySetSite, serializer: dict | None) -> list[QuerySetSite]:
    """What DRF runs for each nested ``many=True`` field over a related manager (``FollowUpSerializer.
    followupattachment_set``): ``instance.<source>.all()`` per object rendered, the related manager of the
    serializer's model (``/nested_<field>``: Django compiles it with the owner's pk as the parameter); for a
    SerializerMethodField returning ``obj.<manager>.count()``, that ``count()``."""
    out = []
    for f in (serializer or {}).get("fields", ()):
        if f.get("related_manager") and not f.get("write_only"):
            call = Call("count" if f.get("kind") == "count" else "all", (), site.line, site.column)
            out.append(replace(site, id=f"{site.id}{NESTED}{f['name']}", model=f["related_model"],
                               root=f"instance.{f['source']}", manager=f["source"], related_from=serializer["model"],
                               chain=(call,)))
    return out


def related_sites(site: QuerySetSite, serializer: dict | None) -> list[QuerySetSite]:
    """What Django's foreign key descriptor runs for each related row a read SerializerMethodField uses
    (``obj.queue.title``: the queue's row, once per object, then cached on it): ``<Related>.objects.get(pk=pk)``
    (``/related_<fk>``, the foreign key's value its parameter; load/drf_method_models checks that the related
    model's managers are Django's plain ones, so this is the descriptor's query); and each QuerySet's ``exists()``
    it reads (``/exists_<field>_<n>``: ``TicketDependency.objects.filter(ticket=instance_id)...exists()``)."""
    out, seen = [], set()
    for f in (serializer or {}).get("fields", ()):
        for pair in f.get("related_rows", ()) if f.get("kind") == "expr" and not f.get("write_only") else ():
            fk, model = pair.split("=", 1)
            if fk not in seen:
                seen.add(fk)
                out.append(replace(site, id=f"{site.id}{RELATED}{fk}", model=model,
                                   root=model.rsplit(".", 1)[-1] + ".objects",
                                   chain=(Call("get", _runtime(["pk"]), site.line, site.column),)))
    for f in (serializer or {}).get("fields", ()):
        for n, pair in enumerate(f.get("row_queries", ()) if f.get("kind") == "expr" and not f.get("write_only") else ()):
            model, source = pair.split("=", 1)
            chain = scoped_chain(source, site, ("instance_id",))
            if chain:  # the object's pk: the parameter instance_id
                out.append(replace(site, id=f"{site.id}{EXISTS}{f['name']}_{n}", model=model,
                                   root=source.split(".objects", 1)[0] + ".objects",
                                   chain=chain + (Call("exists", (), site.line, site.column),)))
    return out


def scoped_site(view: dict) -> QuerySetSite | None:
    """The site a read ``get_queryset`` stands on when the view has no class-level ``queryset`` (helpdesk's
    ``UserTicketViewSet``: only ``serializer_class``): the class line, its QuerySet's model; None without one."""
    source, model = view.get("scoped"), view.get("scoped_model")
    if not (source and model and view.get("file") and view.get("line")):
        return None
    cls = view["view"].rsplit(".", 1)[-1]
    return QuerySetSite(f"{view['file']}:{view['line']}:0", view["file"], view["line"], 0, cls, model,
                        source.split(".objects", 1)[0] + ".objects", (), "static")


def row_sites(site: QuerySetSite, serializer: dict | None, view: dict, model: str) -> list[QuerySetSite]:
    """The queries of the keys a serializer's __init__ adds per row (``/rowkeys``: its QuerySet, e.g.
    ``CustomField.objects.all().filter(staff_only=False)``) and of the attributes the view's model methods set per
    row (``/rowattrs_<method>``: the rows; ``/rowvalues_<method>``: ``instance.<related manager>.all()``, the
    owner's pk its parameter); none when a QuerySet is not one chain of a model's ``objects``."""
    out = []
    rows = (serializer or {}).get("rows")
    chain = rows and scoped_chain(rows["source"], site)
    if chain:
        out.append(replace(site, id=site.id + ROWKEYS, model=rows["model"], chain=chain,
                           root=rows["source"].split(".objects", 1)[0] + ".objects"))
    for r in view.get("row_attributes", ()):
        method = r["method"].rsplit(".", 1)[-1]
        chain = scoped_chain(r["source"], site)
        if chain:
            out.append(replace(site, id=f"{site.id}{ROWATTRS}{method}", model=r["model"], chain=chain,
                               root=r["source"].split(".objects", 1)[0] + ".objects"))
        out.append(replace(site, id=f"{site.id}{ROWVALUES}{method}", model=r["related_model"],
                           root=f"instance.{r['related']}", manager=r["related"], related_from=model,
                           chain=(Call("all", (), site.line, site.column),)))
    return out


def sets_read(view: dict) -> bool:
    """Every model method get_queryset runs on its rows is read (load/drf_rowfields): what they set is generated."""
    read = {r["method"].rsplit(".", 1)[-1] for r in view.get("row_attributes", ())}
    return set(view.get("scoped_sets", ())) <= read


def with_drf_sites(project: Project, drf=None) -> Project:
    """The project with the derived sites of its DRF views: ``.get(pk=pk)`` per view whose lookup is ``pk``, and
    the writes of a view whose routes write (create, update / partial_update, destroy). ``drf``: waits for the
    DRF loader's JSON (generate reads it in its session's Django process, load.drf_once), else it is read now."""
    drf = drf() if drf is not None else read_drf(project, fresh=True)
    if not drf:
        return project
    actions: dict[str, set[str]] = {}
    for r in drf.get("routes", ()):
        actions.setdefault(r["view"], set()).update({"update" if a == "partial_update" else a
                                                     for a in r["actions"].values()})
    added = []
    serializers = {s["dotted"]: s for s in drf.get("serializers", ())}
    for name in sorted(drf["views"]):
        view = drf["views"][name]
        site = class_site(project, view)
        if site is None and sets_read(view):  # no class-level queryset: its read get_queryset's own site, or none
            site = scoped_site(view)
            user = tuple(f"user_{a}" for a in view.get("scoped_user", ()))
            site = site if site and scoped_chain(view["scoped"], site, user) else None
        added += nested_sites(site, serializers.get(view.get("serializer", ""))) if site else []
        added += related_sites(site, serializers.get(view.get("serializer", ""))) if site else []
        added += row_sites(site, serializers.get(view.get("serializer", "")), view,
                           view.get("scoped_model") or view.get("model", "")) if site else []
        user = tuple(f"user_{a}" for a in view.get("scoped_user", ()))  # the signed-in user's values: parameters
        scoped = sets_read(view) and view.get("scoped") and site \
            and scoped_chain(view["scoped"], site, user)
        if scoped:  # get_queryset read: its QuerySet replaces the class attribute's (its writes stay 501)
            site = replace(site, id=site.id + SCOPED, model=view["scoped_model"], chain=scoped)
            added.append(site)
        if site is None or view["lookup_field"] != "pk" or view["lookup_url_kwarg"] or site.chain[-1:] and \
                site.chain[-1].method in ("get", "first", "last", "count", "exists", "iter", "[]"):
            continue
        pk = Call("get", _runtime(["pk"]), site.line, site.column)
        added.append(replace(site, id=site.id + RETRIEVE, chain=site.chain + (pk,)))
        if not scoped:
            added += write_sites(project, site, actions.get(name, set()))
    return replace(project, querysets=project.querysets + tuple(added)) if added else project
