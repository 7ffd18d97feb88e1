"""What the scanner knows before reading a file: the models and their managers (Index), the state of one
function being scanned (Ctx), the project's own helper functions (Helpers), and the method tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional, Protocol, Sequence

import libcst as cst

from ..ir import App, Model
from .branches import Flow, only_evaluated
from . import model_source
from .positions import Positions


# ----------------------------------------------------------------------------- project index


@dataclass
class Index:
    """What the scanner knows of the models: qualified names, managers, related accessors."""

    by_qualname: dict[str, Model]
    by_label: dict[str, Model]
    user_model: Optional[Model]
    by_instance_name: dict[str, Model] = field(default_factory=dict)  # "order_line" -> OrderLine
    # dotted path of an abstract model -> the concrete models built on it (``self`` in its methods)
    by_abstract: dict[str, tuple[Model, ...]] = field(default_factory=dict)
    abstract_models: dict[str, Model] = field(default_factory=dict)  # dotted path -> abstract model
    # classes of the scanned sources: dotted path -> (ClassDef, dotted paths of its bases)
    classes: dict[str, tuple] = field(default_factory=dict)
    verdicts: dict[tuple[str, str], str] = field(default_factory=dict)  # (model label, method) -> verdict
    getters: dict[str, Model] = field(default_factory=dict)  # get_application_model -> its model (load.swappable)
    constants: dict[str, dict[str, str]] = field(default_factory=dict)  # module -> NAME -> source of its value

    def custom_verdict(self, model: Model, method: str) -> str:
        key = (model.label, method)
        if key not in self.verdicts:
            self.verdicts[key] = model_source.custom_method_verdict(self.classes, model, method)
        return self.verdicts[key]

    @classmethod
    def build(cls, apps: Sequence[App], models: Sequence[Model]) -> "Index":
        by_label = {mo.label: mo for mo in models if mo.kind != "abstract"}
        by_qualname: dict[str, Model] = {}
        app_names = {a.label: a.name for a in apps}
        for mo in by_label.values():
            by_qualname[f"{mo.module}.{mo.name}"] = mo
            app = app_names.get(mo.app_label)
            if app:  # models re-exported by a models package: app.models.Name
                by_qualname.setdefault(f"{app}.models.{mo.name}", mo)
        user = by_label.get("auth.User")
        for mo in by_label.values():  # a custom user model: AbstractBaseUser in its ancestry
            if any(b.endswith("AbstractBaseUser") for b in mo.abstract_bases) and mo.kind == "concrete":
                if mo.label != "auth.User" and not (user and user.label != "auth.User"):
                    user = mo
        names: dict[str, list[Model]] = {}
        for mo in by_label.values():
            if mo.kind != "proxy":
                snake = "".join("_" + ch.lower() if ch.isupper() else ch for ch in mo.name).lstrip("_")
                for n in {snake, mo.name.lower()}:
                    names.setdefault(n, []).append(mo)
        unique = {n: ms[0] for n, ms in names.items() if len(ms) == 1}
        words: dict[str, list[Model]] = {}  # TopicPoll -> "poll", when no other model ends with that word
        for n, ms in names.items():
            if "_" in n:
                words.setdefault(n.rpartition("_")[2], []).extend(ms)
        unique.update({w: ms[0] for w, ms in words.items() if len(set(id(m) for m in ms)) == 1 and w not in names})
        if user is not None:
            unique["user"] = user
        abstract = {f"{mo.module}.{mo.name}": mo for mo in models if mo.kind == "abstract"}
        return cls(by_qualname, by_label, user, unique, model_source.concrete_subclasses(models), abstract)

    def manager(self, model: Model, name: str) -> bool:
        return any(mg.name == name for mg in model.managers) or name in ("objects", "_default_manager", "_base_manager") and bool(model.managers)

    def custom_methods(self, model: Model) -> set[str]:
        # plus the public methods of a QuerySet class a manager's own get_queryset() builds (the
        # registry sees only the manager's declared _queryset_class)
        key = (model.label, "")
        if key not in self.verdicts:
            self.verdicts[key] = model_source.source_queryset_methods(self.classes, model)  # type: ignore[assignment]
        return {meth for mg in model.managers for meth in mg.custom_methods} | self.verdicts[key]  # type: ignore[operator]

    def related(self, model: Model, attr: str) -> Optional[tuple[Model, str]]:
        """Target model of a related manager ``instance.<attr>`` (reverse FK, M2M either way)."""
        for f in model.fields:
            if f.name == attr and f.relation and f.relation.kind == "many_to_many":
                target = self.by_label.get(f.relation.target)
                return (target, "many_to_many") if target else None
        for accessor, label, _field, kind in model.reverse:
            if accessor == attr and kind != "one_to_one":
                target = self.by_label.get(label)
                return (target, kind) if target else None
        return None

    def forward(self, model: Model, attr: str) -> Optional[Model]:
        """Model of ``instance.<attr>`` for a forward FK / one-to-one, or a reverse one-to-one."""
        f = model.field(attr)
        if f is not None and f.relation and f.relation.kind in ("foreign_key", "one_to_one") and f.name == attr:
            return self.by_label.get(f.relation.target)
        for accessor, label, _field, kind in model.reverse:
            if accessor == attr and kind == "one_to_one":
                return self.by_label.get(label)
        return None


# ----------------------------------------------------------------------------- flows


@dataclass
class Ctx:
    function: str
    locals: set[str]
    params: set[str]
    loops: int = 0
    flows: dict[str, Flow] = field(default_factory=dict)
    instances: dict[str, Model] = field(default_factory=dict)
    loop_q: set[str] = field(default_factory=set)
    model_vars: set[str] = field(default_factory=set)
    derived: dict[str, set[str]] = field(default_factory=dict)  # local -> names its value was computed from
    loop_exits: list[list[dict[str, Flow]]] = field(default_factory=list)  # per loop: states at break/continue
    sender: Optional[Model] = None  # a signal receiver's sender: kwargs["instance"] is one of its rows
    cls_model: Optional[Model] = None  # ``cls`` in a classmethod of a (non-abstract) model
    node: Optional[cst.FunctionDef] = None  # the function scanned (scan_kwargs reads it when a call has **name)
    kwarg_dicts: Optional[dict] = None  # name -> the literal-keyed dict only unpacked with ** (scan_kwargs), lazily


GET_OBJECT = {"django.shortcuts.get_object_or_404": "get", "django.shortcuts.get_list_or_404": "filter"}
GET_USER_MODEL = "django.contrib.auth.get_user_model"
COMBINATORS = {"union", "intersection", "difference"}  # qs.union(other): a combination, as qs | other is
# methods whose query is the same whenever they are called without arguments: passed uncalled as a value
# (cache.get_or_set(key, Order.objects.count)) they are that query
NO_ARGUMENT_QUERIES = {"all", "count", "exists", "first", "last", "none", "delete"}
# Django's async variants run the same SQL as their sync method: ``await qs.acount()`` is ``qs.count()``
ASYNC_METHODS = {"a" + m: m for m in (
    "aggregate", "bulk_create", "bulk_update", "contains", "count", "create", "delete", "earliest", "exists", "explain",
    "first", "get", "get_or_create", "in_bulk", "last", "latest", "update", "update_or_create",
    "add", "remove", "clear", "set")}



class Scanner(Protocol):
    """What the helpers in model_refs and instances use of a FileScanner (typed here so that they need not
    import the scanner, which imports them)."""

    index: Index
    module: str
    ctx: Optional[Ctx]
    class_info: object
    inlining: set[int]

    def code(self, node: cst.CSTNode) -> str: ...
    def qualified(self, node: cst.CSTNode) -> Optional[str]: ...
    def model_ref(self, node: cst.BaseExpression, ctx: Ctx) -> Optional[Model]: ...
    def resolve_root(self, root: cst.BaseExpression, ctx: Ctx): ...
    def chain_site(self, node: cst.BaseExpression, ctx: Ctx): ...
    def view_model(self, ci, ctx: Ctx) -> Optional[Model]: ...


@dataclass
class Helpers:
    """The project's own functions, for a QuerySet handed to one of them (``charts.daily(qs)``)."""

    packages: frozenset[str]  # top-level packages / modules of the project's sources
    defs: dict[str, tuple[str, Positions, cst.CSTNode]] = field(default_factory=dict)  # "dash.charts.daily" -> def
    lines: dict[str, str] = field(default_factory=dict)  # "dash.charts.daily" -> "dash/charts.py:5", when asked
    evaluated: dict[tuple[str, str], bool] = field(default_factory=dict)  # (function, parameter) -> only_evaluated

    @classmethod
    def build(cls, files: Iterable[tuple[str, str, Positions]]) -> "Helpers":
        """From (rel path, module, positions) of each parsed source."""
        packages, defs = set(), {}
        for rel, module, pos in files:
            packages.add(module.split(".")[0])
            for node in pos.module.body:
                if type(node) in (cst.FunctionDef, cst.ClassDef):
                    defs[f"{module}.{node.name.value}"] = (rel, pos, node)
        return cls(frozenset(packages), defs)

    def where(self, qualname: str) -> Optional[str]:
        if qualname not in self.lines and qualname in self.defs:  # positions cost a pass over the file: on demand
            rel, pos, node = self.defs[qualname]
            self.lines[qualname] = f"{rel}:{pos[node].start.line}"
        return self.lines.get(qualname)

    def evaluates(self, qualname: str, position: int, keyword: str) -> bool:
        """Whether the project function ``qualname`` only evaluates that argument whole (``for r in rows``,
        ``list(rows)``, ``if rows``): then handing it a QuerySet is a full evaluation, as ``list(qs)`` is."""
        d = self.defs.get(qualname)
        if d is None or type(d[2]) is not cst.FunctionDef:
            return False
        params = d[2].params
        positional = [*params.posonly_params, *params.params]
        if keyword:
            found = [p for p in (*positional, *params.kwonly_params) if p.name.value == keyword]
        else:
            found = positional[position:position + 1]
        if not found:
            return False
        key = (qualname, found[0].name.value)
        if key not in self.evaluated:
            self.evaluated[key] = only_evaluated(d[2].body, key[1])
        return self.evaluated[key]

