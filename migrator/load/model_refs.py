"""Models named indirectly, resolved statically: the app registry and project loaders built on it.

``apps.get_model("shop", "Order")``, ``apps.get_model("shop.Order")`` and wrappers of it
(django-oscar / django-machina style ``get_model('forum', 'Forum')``, ``get_class('forum.models',
'Forum')``, ``get_classes('forum.models', ['Forum', 'Topic'])``) name a model when their arguments are
literals that name a real model of the index. Nothing is called: a loader is recognised by its name,
and a lookup that does not name a known model (a form class, a handler) is simply not a model.

A name bound to such a lookup is a model reference when *every* assignment of the name in its scope
is the same lookup (``Forum = get_model('forum', 'Forum')``); one assignment of anything else makes the
name a variable again (the scanner then reports its sites as MODEL_FROM_VARIABLE).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional, Sequence

import libcst as cst

from ..ir import Model
from .. import querysets as Q
from .cst_tools import target_names
from .instances import ADMIN_BASES, admin_model, factory_model, meta_model
from .model_source import LABEL_LOADERS, _assignments, class_body, loader_name, single_return

if TYPE_CHECKING:
    from .scan_index import Ctx, Index, Scanner

CLASS_LOADERS = {"get_class": False, "get_classes": True}  # name -> returns a sequence


def _string(node: cst.BaseExpression) -> Optional[str]:
    if type(node) is cst.SimpleString:
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _strings(node: cst.BaseExpression) -> Optional[list[str]]:
    if type(node) in (cst.List, cst.Tuple):
        out = [_string(el.value) for el in node.elements]
        return out if all(s is not None for s in out) else None  # type: ignore[return-value]
    return None


def by_label(index: "Index", app_label: str, model_name: str) -> Optional[Model]:
    """Django's own rule: the app label exactly, the model name case-insensitively."""
    hit = index.by_label.get(f"{app_label}.{model_name}")
    if hit is not None:
        return hit
    lowered = model_name.lower()
    found = [mo for mo in index.by_label.values() if mo.app_label == app_label and mo.name.lower() == lowered]
    return found[0] if len(found) == 1 else None


def by_module(index: "Index", module_label: str, name: str) -> Optional[Model]:
    """``get_class('forum_conversation.models', 'Topic')``: the model of that name defined in a module
    whose dotted path ends with the module label (an overriding app's module included)."""
    found = [mo for mo in index.by_label.values()
             if mo.name == name and (mo.module == module_label or mo.module.endswith("." + module_label))]
    return found[0] if len(found) == 1 else None


def loaded_models(call: cst.Call, index: "Index") -> Optional[tuple[Model, ...]]:
    """The model(s) a registry lookup with literal arguments returns, or None (not a lookup, an
    argument computed at run time, or a name that is not a model of the index)."""
    name = loader_name(call.func)
    args = [a for a in call.args if a.star == ""]
    if len(args) != len(call.args):
        return None
    kw = {a.keyword.value: a.value for a in args if a.keyword is not None}
    pos = [a.value for a in args if a.keyword is None]
    if name in index.getters and not args:  # get_application_model(): a getter of the project (load.swappable)
        return (index.getters[name],)
    if name == "get_user_model" and not args and index.user_model is not None:  # a module's `User = get_user_model()`
        return (index.user_model,)
    if name in LABEL_LOADERS:
        if len(pos) == 1 and not kw:
            label = _string(pos[0])
            if label is None or label.count(".") != 1:
                return None
            app_label, model_name = label.split(".")
        else:
            values = pos + [kw[k] for k in ("app_label", "model_name") if k in kw]
            if len(values) < 2 or len(pos) + len(kw) > 3:  # (app, model[, require_ready])
                return None
            app_label, model_name = _string(values[0]), _string(values[1])
            if app_label is None or model_name is None:
                return None
        model = by_label(index, app_label, model_name)
        return (model,) if model is not None else None
    if name in CLASS_LOADERS and len(pos) == 2 and not kw:
        module_label = _string(pos[0])
        names = _strings(pos[1]) if CLASS_LOADERS[name] else [_string(pos[1])]
        if not module_label or not names or any(n is None for n in names):
            return None
        models = [by_module(index, module_label, n) for n in names]  # type: ignore[arg-type]
        if any(m is None for m in models):
            return None
        return tuple(models)  # type: ignore[arg-type]
    return None


def bindings(statements: Sequence[cst.CSTNode], index: "Index") -> dict[str, Model]:
    """name -> model for the names of a scope that only ever hold one model from a registry lookup."""
    seen: dict[str, Optional[Model]] = {}
    for target, value in _assignments(statements):
        models: Optional[tuple[Model, ...]] = None
        if value is not None and type(value) is cst.Call:
            models = loaded_models(value, index)
        if models is not None and type(target) is cst.Name and len(models) == 1:
            pairs = [(target.value, models[0])]
        elif models is not None and type(target) in (cst.Tuple, cst.List) and len(target.elements) == len(models) \
                and all(type(el.value) is cst.Name for el in target.elements):
            pairs = [(el.value.value, m) for el, m in zip(target.elements, models)]  # type: ignore[attr-defined]
        else:
            for n in target_names(target):
                seen[n] = None
            continue
        for n, m in pairs:
            if n in seen and seen[n] is not m:
                seen[n] = None
            else:
                seen[n] = m
    return {n: m for n, m in seen.items() if m is not None}


# ----------------------------------------------------------------------------- class-based views

# Roots the scanner resolves to a model without a fixed table or a fixed chain: kind -> reason code.
INDIRECT = {"model_var": "MODEL_FROM_VARIABLE", "abstract": "ABSTRACT_MODEL", "view": "VIEW_QUERYSET", "tree": "TREE_QUERY",
            "tags": "TAG_MANAGER"}


# Bases whose get_queryset() is Django's or DRF's own: ``queryset.all()`` or
# ``model._default_manager.all()`` (plus ``order_by(*ordering)`` for list views with an ordering).
GENERIC_VIEW_PREFIXES = ("django.views.generic", "django.contrib.auth.mixins", "rest_framework.", "django.views.View")


@dataclass
class ClassInfo:
    """What a class body says about the model ``self`` works on."""

    model: Optional[Model] = None  # the class is a model, or the only concrete model of an abstract one
    abstract: tuple[Model, ...] = ()  # an abstract model with several concrete subclasses
    view_model: Optional[Model] = None  # ``model = M`` (generic views, DRF viewsets)
    queryset: Optional[cst.BaseExpression] = None  # ``queryset = M.objects.filter(...)``
    get_queryset: Optional[cst.FunctionDef] = None  # defined in this class
    generic: bool = False  # every base is a Django / DRF view class: the inherited get_queryset is known
    admin: bool = False  # a ModelAdmin of a known model: get_queryset(request) is model._default_manager.all()
    ordering: bool = False  # ``ordering = ...`` / ``get_ordering()``: the default get_queryset orders too
    form_model: Optional[Model] = None  # a ModelForm's ``Meta.model``: ``self.instance`` and ``super().save()``
    # self.<attr> = <instance of M> in some method: attr -> M (None once two methods disagree)
    self_instances: dict[str, Optional[Model]] = field(default_factory=dict)
    qualname: str = ""  # "app.views.ForumView" for a module-level class: its methods are found with method_def()
    methods: dict[str, cst.FunctionDef] = field(default_factory=dict)  # defined in this class body


def class_facts(sc: "Scanner", node: cst.ClassDef, outer: str) -> ClassInfo:
    """The model a class's ``self`` stands for: the model itself, the concrete model of an abstract
    one, or a view's ``model`` / ``queryset`` attributes."""
    info = ClassInfo()
    if outer == "<module>":
        qual = info.qualname = f"{sc.module}.{node.name.value}"
        info.model = sc.index.by_qualname.get(qual)
        if info.model is None:
            subs = sc.index.by_abstract.get(qual, ())
            if len(subs) == 1:
                info.model = subs[0]  # self in an abstract model's methods: its only concrete model
            elif qual in sc.index.abstract_models:
                # several concrete models (or none): `self` is the abstract model, whose own forward
                # relations are known (self.owner.accounts) and whose related managers are not
                info.model, info.abstract = sc.index.abstract_models[qual], subs
    bases = [sc.qualified(b.value) or "" for b in node.bases]
    info.generic = bool(bases) and all(b.startswith(GENERIC_VIEW_PREFIXES) for b in bases)
    if bases and all(b in ADMIN_BASES for b in bases):
        info.view_model = admin_model(sc, node)
        info.admin = info.generic = info.view_model is not None
    for stmt in class_body(node):
        if type(stmt) is cst.ClassDef and stmt.name.value == "Meta" and not any(
                b.startswith(("rest_framework", "django_filters")) for b in bases):
            info.form_model = meta_model(sc, stmt)
        if type(stmt) is cst.FunctionDef:
            info.methods[stmt.name.value] = stmt
            if stmt.name.value == "get_queryset":
                info.get_queryset = stmt
            elif stmt.name.value == "get_ordering":
                info.ordering = True
        elif type(stmt) is cst.SimpleStatementLine:
            for small in stmt.body:
                if type(small) is cst.Assign and len(small.targets) == 1 and type(small.targets[0].target) is cst.Name:
                    attr = small.targets[0].target.value
                    if attr == "model":
                        info.view_model = sc.model_ref(small.value, sc.ctx)
                    elif attr == "queryset":
                        info.queryset = small.value
                    elif attr == "ordering":
                        info.ordering = True
    if info.form_model is None and outer == "<module>" and any("form" in b.rpartition(".")[2].lower() for b in bases):
        info.form_model = factory_model(sc, node.name.value)
    return info


def view_model(sc: "Scanner", ci: ClassInfo, ctx: Ctx) -> Optional[Model]:
    if ci.view_model is not None:
        return ci.view_model
    if ci.queryset is not None:
        found = sc.chain_site(ci.queryset, ctx) if type(ci.queryset) is not cst.Attribute else None
        info = found[0] if found else sc.resolve_root(ci.queryset, ctx)
        return info[1] if info else None
    return None

def view_chain(sc: "Scanner", root: cst.BaseExpression, ops: list, ctx: Ctx):
    """``self.get_queryset()`` / ``super().get_queryset()`` in a class-based view: the chain its
    get_queryset() builds, then ``ops``. None when not such a call (or nothing is known of the view)."""
    ci = sc.class_info
    if ci is None or not ops or ops[0][0] != "get_queryset" or "self" not in ctx.params:
        return None
    if len(ops[0][1].args) != (1 if ci.admin else 0):  # ModelAdmin.get_queryset(request)
        return None
    is_self = type(root) is cst.Name and root.value == "self"
    is_super = type(root) is cst.Call and type(root.func) is cst.Name and root.func.value == "super"
    if not (is_self or is_super):
        return None
    here, rest = ops[0], ops[1:]
    model = sc.view_model(ci, ctx)
    dynamic = (("view", model, sc.code(root) + ".get_queryset()", "", ""), [("all", here[1]), *rest])
    if is_self and ci.get_queryset is not None:  # overridden here: inline `return <chain>`
        expr = single_return(ci.get_queryset)
        if expr is None or id(ci.get_queryset) in sc.inlining:
            return dynamic if model is not None else None
        sc.inlining.add(id(ci.get_queryset))
        try:
            found = sc.chain_site(expr, ctx)
        finally:
            sc.inlining.discard(id(ci.get_queryset))
        if found is None or found[0][0] == "flow" or (found[1] and found[1][-1][0] in Q.TERMINAL_METHODS):
            return dynamic if model is not None else None
        return found[0], [*found[1], *rest]
    if not ci.generic or ci.ordering:  # a mixin's get_queryset, or an ordering added at run time
        return dynamic if model is not None else None
    if ci.queryset is not None:  # Django / DRF: queryset.all()
        found = sc.chain_site(ci.queryset, ctx) if type(ci.queryset) is not cst.Attribute else None
        if found is not None and found[0][0] != "flow" and not (found[1] and found[1][-1][0] in Q.TERMINAL_METHODS):
            return found[0], [*found[1], *rest]
        info = sc.resolve_root(ci.queryset, ctx) if type(ci.queryset) is cst.Attribute else None
        if info is not None and info[0] in ("manager", "related"):
            return info, [("all", here[1]), *rest]
        return None
    if model is not None:  # Django: model._default_manager.all()
        default = next((mg.name for mg in model.managers if mg.is_default), "objects")
        return ("manager", model, f"{model.name}._default_manager", default, ""), [("all", here[1]), *rest]
    return None

# ----------------------------------------------------------------------------- related managers by convention


GENERIC_NAMES = {"obj", "object", "instance", "inst", "item", "self", "cls", "other", "value", "val", "data", "result",
                 "res", "row", "entry", "node", "parent", "child", "target", "source", "src", "elem", "element", "record",
                 "rec", "thing", "model", "user"}


def conventional_owner(index: "Index", receiver: cst.BaseExpression, attr: str) -> Optional[Model]:
    """The model of an untyped ``receiver`` of the related manager ``receiver.<attr>``, by Django's
    conventions, only when the accessor exists on that model: a receiver named after its model
    (``topic.posts``, ``self.forum.topics``, ``new_task.assigned_to``), or a ``<model>_set`` accessor that only one model has
    (``instance.ticketchange_set``)."""
    name = receiver.value if type(receiver) is cst.Name else receiver.attr.value if type(receiver) is cst.Attribute else ""
    # ``task`` and, qualified, ``new_task`` / ``selected_ticket``: the last word names the model
    for n in dict.fromkeys((name, name.rpartition("_")[2])) if name else ():
        mo = index.by_instance_name.get(n)
        if mo is not None and index.related(mo, attr) is not None:
            return mo
    owners = [m for m in index.by_label.values() if m.kind == "concrete" and index.related(m, attr) is not None]
    if attr.endswith("_set") and len(owners) == 1:
        return owners[0]
    # ``org.organization_users``: a receiver named by an abbreviation of the one model with that accessor (not a
    # word any object may be named by: ``obj`` is not an abbreviation of ObjectPermission)
    short = [m for m in owners if len(name) >= 3 and name.lower() not in GENERIC_NAMES
             and m.name.lower().startswith(name.lower())]
    return short[0] if len(short) == 1 else None


# ----------------------------------------------------------------------------- custom manager / QuerySet methods

