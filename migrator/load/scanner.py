"""QuerySet scanner: the project's own sources -> IR QuerySet sites (libcst, with metadata).

A *site* is a place where a QuerySet is evaluated or leaves the function: a chain rooted at a model
manager (``Order.objects.filter(...).count()``), at a related manager (``order.lines.all()``), or at a
variable refined earlier in the same function (``qs = qs.filter(...)`` ... ``list(qs)``). Each site
records its whole chain, from the manager to the terminal method, and a kind:

- static: the SQL shape is fixed at the call site (values may be runtime parameters);
- conditional: refined under ``if`` (optional filters);
- dynamic: shape decided at run time; unsupported: raw(), extra(), unknown methods.

Models are resolved through the imports in scope (relative imports included); nothing is evaluated.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Optional, Sequence

import libcst as cst

from .. import querysets as Q
from ..ir import App, Arg, Call, Diagnostic, Model, QuerySetSite
from .branches import (BRANCH_REASONS, EVALUATORS, OPAQUE, Arm, Flow, Reason, arm_text, is_none, leaves, mark,
                       only_evaluated, optional_problem, self_refined)
from .cst_tools import _SCOPES, _named, children, function_scope, is_a, reads, walk
from . import instances, model_refs, swappable
from .positions import Positions
from .sources import TEST_DIRS, SourceTree, display_path, is_test_file

SKIP_DIRS = {"migrations", "__pycache__", "node_modules", "site-packages", ".git", ".venv", "venv", "env",
             ".tox", ".mypy_cache", ".pytest_cache", "build", "dist"}


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

    def custom_verdict(self, model: Model, method: str) -> str:
        key = (model.label, method)
        if key not in self.verdicts:
            self.verdicts[key] = model_refs.custom_method_verdict(self.classes, model, method)
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
        return cls(by_qualname, by_label, user, unique, model_refs.concrete_subclasses(models), abstract)

    def manager(self, model: Model, name: str) -> bool:
        return any(mg.name == name for mg in model.managers) or name in ("objects", "_default_manager", "_base_manager") and bool(model.managers)

    def custom_methods(self, model: Model) -> set[str]:
        # plus the public methods of a QuerySet class a manager's own get_queryset() builds (the
        # registry sees only the manager's declared _queryset_class)
        key = (model.label, "")
        if key not in self.verdicts:
            self.verdicts[key] = model_refs.source_queryset_methods(self.classes, model)  # type: ignore[assignment]
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


_GET_OBJECT = {"django.shortcuts.get_object_or_404": "get", "django.shortcuts.get_list_or_404": "filter"}
_GET_USER_MODEL = "django.contrib.auth.get_user_model"
COMBINATORS = {"union", "intersection", "difference"}  # qs.union(other): a combination, as qs | other is
# methods whose query is the same whenever they are called without arguments: passed uncalled as a value
# (cache.get_or_set(key, Order.objects.count)) they are that query
NO_ARGUMENT_QUERIES = {"all", "count", "exists", "first", "last", "none", "delete"}
# Django's async variants run the same SQL as their sync method: ``await qs.acount()`` is ``qs.count()``
ASYNC_METHODS = {"a" + m: m for m in (
    "aggregate", "bulk_create", "bulk_update", "contains", "count", "create", "delete", "earliest", "exists", "explain",
    "first", "get", "get_or_create", "in_bulk", "last", "latest", "update", "update_or_create",
    "add", "remove", "clear", "set")}


def _module_name(root: Path, path: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


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


class FileScanner:
    def __init__(self, index: Index, positions: Positions, rel: str, module: str, is_package: bool,
                 helpers: Optional[Helpers] = None):
        self.index = index
        self.tree = positions.module
        self.rel = rel
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.pos = positions
        self.code = positions.code
        self.scopes: list[dict[str, str]] = []
        self.ctx: Optional[Ctx] = None
        self.class_model: Optional[Model] = None
        self.class_info: Optional[model_refs.ClassInfo] = None
        self.inlining: set[int] = set()  # get_queryset bodies being inlined (no recursion)
        body = positions.module.body
        self.imports = {n.name.value: f"{module}.{n.name.value}" for n in body
                        if type(n) in (cst.ClassDef, cst.FunctionDef)}
        # module-level NAME = <literal>: constants an argument may name (values(*FIELDS))
        self.constants = {t.target.value: self.code(a.value) for stmt in body if type(stmt) is cst.SimpleStatementLine
                          for a in stmt.body if type(a) is cst.Assign and len(a.targets) == 1 and type(a.targets[0].target) is cst.Name
                          for t in a.targets}
        self.imports.update(self.import_map(n for stmt in body for n in walk(stmt, _SCOPES, expressions=False)
                                            if type(n) in (cst.Import, cst.ImportFrom)))
        # Forum = get_model('forum', 'Forum'): module names that hold one model (see model_refs)
        self.module_models = model_refs.bindings(body, index)
        self.imports.update({n: f"{mo.module}.{mo.name}" for n, mo in self.module_models.items()})
        self.module_model_vars = instances.lookup_variables(body) - set(self.module_models)
        self.sites: list[QuerySetSite] = []
        self.alternatives_done: set[tuple[int, int]] = set()
        self.module_user_vars: set[str] = set()
        self.receivers: dict[str, Model] = {}
        own = Helpers.build([(rel, module, positions)])
        self.helpers = Helpers(own.packages | helpers.packages, {**helpers.defs, **own.defs}) if helpers else own

    # ------------------------------------------------------------------ name resolution

    def qualified(self, node: cst.CSTNode) -> Optional[str]:
        """Dotted name an expression refers to, through the imports in scope (``Order`` -> ``shop.models.Order``)."""
        if type(node) is cst.Attribute:
            base = self.qualified(node.value)
            return f"{base}.{node.attr.value}" if base else None
        if type(node) is not cst.Name:
            return None
        name = node.value
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        if self.ctx is not None and (name in self.ctx.locals or name in self.ctx.params):
            return None
        return self.imports.get(name)

    def import_map(self, statements: Iterable[cst.CSTNode]) -> dict[str, str]:
        """alias -> dotted name for the import statements among ``statements`` (relative ones resolved)."""
        out: dict[str, str] = {}
        for node in statements:
            if type(node) is cst.Import:
                for alias in node.names:
                    dotted = self.code(alias.name)
                    if alias.asname is not None:
                        out[self.code(alias.asname.name)] = dotted
                    else:
                        out[dotted.split(".")[0]] = dotted.split(".")[0]
            elif type(node) is cst.ImportFrom and type(node.names) is not cst.ImportStar:
                level = len(node.relative)
                mod = self.code(node.module) if node.module is not None else ""
                if level:
                    base = self.package.split(".") if self.package else []
                    base = base[: len(base) - (level - 1)] if level > 1 else base
                    mod = ".".join(p for p in [*base, mod] if p)
                for alias in node.names:
                    name = self.code(alias.name)
                    local = self.code(alias.asname.name) if alias.asname is not None else name
                    out[local] = f"{mod}.{name}" if mod else name
        return out

    def model_ref(self, node: cst.BaseExpression, ctx: Ctx) -> Optional[Model]:
        """The model a class reference names (``Order``, ``models.Order``, ``User`` = get_user_model())."""
        if type(node) is cst.Name and node.value == "cls" and ctx.cls_model is not None and "cls" in ctx.params:
            return ctx.cls_model
        if type(node) is cst.Name and (node.value in ctx.model_vars or node.value in self.module_user_vars):
            if node.value not in ctx.locals or node.value in ctx.model_vars:
                return self.index.user_model
        ci = self.class_info
        if type(node) is cst.Attribute and node.attr.value == "model" and _named(node.value, "self") \
                and type(node.value) is cst.Name and "self" in ctx.params and ci is not None and ci.view_model:
            return ci.view_model  # a generic view's / viewset's `model = M`
        if type(node) is cst.Call:
            if self.qualified(node.func) == _GET_USER_MODEL:
                return self.index.user_model
            loaded = model_refs.loaded_models(node, self.index)
            return loaded[0] if loaded is not None and len(loaded) == 1 else None
        qn = self.qualified(node)
        if qn:
            return self.index.by_qualname.get(qn)
        return None

    def instance_model(self, node: cst.BaseExpression, ctx: Ctx) -> Optional[Model]:
        if type(node) is cst.Name:
            return ctx.instances.get(node.value)
        ci = self.class_info
        if ci is not None and "self" in ctx.params and "self" not in ctx.instances:
            if type(node) is cst.Call and not node.args and type(node.func) is cst.Attribute \
                    and node.func.attr.value == "get_object" and _named(node.func.value, "self") \
                    and type(node.func.value) is cst.Name and ci.generic and ci.get_queryset is None:
                return self.view_model(ci, ctx)  # the generic get_object(): one row of get_queryset()
            if type(node) is cst.Attribute and type(node.value) is cst.Name and node.value.value == "self":
                if node.attr.value in ci.self_instances:
                    return ci.self_instances[node.attr.value]
                if node.attr.value == "object" and ci.generic:
                    return self.view_model(ci, ctx)  # DetailView / UpdateView: self.object = get_object()
                if node.attr.value == "instance" and ci.form_model is not None:
                    return ci.form_model  # a ModelForm's instance
        if type(node) is not cst.Attribute:
            return None
        if node.attr.value == "user" and _named(node.value, "request"):  # request.user, self.request.user
            return self.index.user_model
        owner = self.instance_model(node.value, ctx)
        if owner is None and type(node.value) is cst.Attribute:  # self.task_list.group: named after its model
            owner = self.index.by_instance_name.get(node.value.attr.value)
        if owner is not None:
            return self.index.forward(owner, node.attr.value)
        return None

    # ------------------------------------------------------------------ chains

    def unroll(self, node: cst.BaseExpression) -> Optional[tuple[cst.BaseExpression, list[tuple[str, cst.CSTNode]]]]:
        """Split ``root.m1(...).m2(...)[...]`` into the root and its (method, node) ops, innermost first."""
        ops: list[tuple[str, cst.CSTNode]] = []
        cur = node
        while True:
            if type(cur) is cst.Call and type(cur.func) is cst.Attribute:
                name = cur.func.attr.value
                ops.append((ASYNC_METHODS.get(name, name), cur))
                cur = cur.func.value
            elif type(cur) is cst.Subscript:
                ops.append(("[]", cur))
                cur = cur.value
            else:
                break
        ops.reverse()
        return cur, ops

    def resolve_root(self, root: cst.BaseExpression, ctx: Ctx):
        """(kind, model, root text, manager, related_from) for a chain root, or None."""
        if type(root) is cst.Name and root.value in ctx.flows:
            return ("flow", None, root.value, "", "")
        if type(root) is cst.Attribute:
            attr = root.attr.value
            owner = self.model_ref(root.value, ctx)
            if owner is not None:
                if self.index.manager(owner, attr):
                    return ("manager", owner, self.code(root), attr, "")
                return None
            inst = self.instance_model(root.value, ctx)
            if inst is None and not (type(root.value) is cst.Name and root.value.value in ctx.flows):
                inst = model_refs.conventional_owner(self.index, root.value, attr)
            if inst is not None and inst.kind == "abstract":  # self.tags in an abstract model: whose join table?
                subs = self.index.by_abstract.get(f"{inst.module}.{inst.name}", ())
                own = inst.field(attr)
                if own is not None and own.name == attr and own.relation is not None and own.relation.kind == "many_to_many" \
                        or any(self.index.related(m, attr) for m in subs):
                    return ("abstract", None, self.code(root), attr, "")
                return None
            if inst is not None:
                rel = self.index.related(inst, attr)
                if rel is not None:
                    return ("related", rel[0], self.code(root), attr, inst.label)
                return None
            if attr in ("objects", "_default_manager") and type(root.value) is cst.Name:
                if root.value.value in ctx.locals or root.value.value in ctx.params:
                    return ("model_var", None, self.code(root), attr, "")
                if root.value.value in self.module_model_vars and self.qualified(root.value) is None:
                    return ("model_var", None, self.code(root), attr, "")  # Group = apps.get_model(settings.X)
            if attr in ("objects", "_default_manager") and type(root.value) is cst.Attribute \
                    and root.value.attr.value == "model" and type(root.value.value) is cst.Name \
                    and (root.value.value.value in ctx.locals or root.value.value.value in ctx.params):
                return ("model_var", None, self.code(root), attr, "")  # queryset.model.objects
        return None

    def arg(self, a: cst.Arg, ctx: Ctx) -> Arg:
        src = self.code(a.value)
        keyword = a.keyword.value if a.keyword is not None else a.star
        names = sorted(reads(a.value) & (ctx.locals | ctx.params) - ctx.model_vars)
        # a call to anything but a Django expression class (Q, F, Count...) computes a runtime value
        names += sorted({self.code(c) for c in walk(a.value) if type(c) is cst.Call
                         if self.code(c.func).rpartition(".")[2] not in Q.EXPRESSION_CLASSES})
        if names:
            return Arg(kind="runtime", source=src, keyword=keyword, names=tuple(names))
        try:
            value = ast.literal_eval(self.constants.get(src, src))
            if isinstance(value, (set, frozenset, bytes, complex)):
                value = repr(value)
            elif isinstance(value, tuple):
                value = list(value)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            value = None
        return Arg(kind="literal", source=src, keyword=keyword, value=value)

    def call(self, method: str, node: cst.CSTNode, ctx: Ctx) -> Call:
        p = self.pos[node]
        if method == "[]":
            text = ", ".join(self.code(e.slice) for e in node.slice)
            names = sorted(set().union(*(reads(e.slice) for e in node.slice)) & (ctx.locals | ctx.params))
            args = (Arg(kind="runtime" if names else "literal", source=text, names=tuple(names)),)
        else:
            args = tuple(self.arg(a, ctx) for a in node.args)
        if method != "[]":
            p = self.pos[node.func.attr]
        # a condition is set when branches merge (merge()), never here: inside its own branch a call is unconditional
        return Call(method=method, args=args, line=p.start.line, column=p.start.column + 1)

    def classify(self, model: Optional[Model], calls: Sequence[Call], ctx: Ctx, reasons: list[str]) -> list[str]:
        out = list(reasons)
        known = set(Q.KNOWN_METHODS) | (self.index.custom_methods(model) if model else set())
        for c in calls:
            if c.method in Q.UNSUPPORTED_METHODS:
                out.append(Q.UNSUPPORTED_METHODS[c.method])
            elif c.method not in known:
                out.append("UNKNOWN_METHOD")
            elif c.method not in Q.KNOWN_METHODS and model is not None and self.index.custom_verdict(model, c.method) == "opaque":
                out.append("CUSTOM_METHOD")  # its body is in the project, and is not a chain on self
            for a in c.args:
                if a.keyword == "**" and a.kind == "runtime":
                    out.append("DYNAMIC_KWARGS")
                elif a.kind == "runtime" and set(a.names) & ctx.loop_q:
                    out.append("Q_BUILT_IN_LOOP")
                elif c.method in Q.SHAPE_METHODS and a.kind == "runtime" and not a.keyword:
                    out.append("DYNAMIC_FIELD")
                elif a.keyword == "*" and a.kind == "runtime":
                    out.append("DYNAMIC_FIELD")
        return out

    def emit(self, node: cst.CSTNode, model: Optional[Model], root: str, manager: str, related_from: str,
             calls: list[Call], ctx: Ctx, reasons: list[str], conditional: bool,
             at: Optional[tuple[int, int, int]] = None) -> None:
        reasons = self.classify(model, calls, ctx, reasons)
        if model is None and not set(model_refs.INDIRECT.values()) & set(reasons):
            reasons.append("UNRESOLVED_MODEL")
        if conditional and not reasons:
            reasons.append("CONDITIONAL_FILTER")
        kind, reason = "static", ""
        for r in sorted(reasons, key=lambda r: r in BRANCH_REASONS):
            k = Q.REASONS[r][0]
            if Q.KIND_ORDER[k] > Q.KIND_ORDER[kind]:
                kind, reason = k, r
        line, column, end_line = at if at is not None else (self.pos[node].start.line, self.pos[node].start.column + 1,
                                                             self.pos[node].end.line)
        explanation = (getattr(reason, "detail", "") or Q.REASONS[reason][1]) if reason else ""
        reason = str(reason)  # a plain code in the IR, not a Reason
        if reason == "CONDITIONAL_FILTER":
            conds = sorted({c.condition for c in calls if c.condition})
            explanation = f"refined under {', '.join('`if ' + c + '`' for c in conds)}; becomes optional filters"
        elif reason == "UNKNOWN_METHOD":
            known = set(Q.KNOWN_METHODS) | (self.index.custom_methods(model) if model else set())
            bad = [c.method for c in calls if c.method not in known]
            explanation = f"`{bad[0]}()` is not a QuerySet or manager method the tool knows"
        self.sites.append(QuerySetSite(
            id=f"{self.rel}:{line}:{column}",
            file=self.rel, line=line, column=column, end_line=end_line,
            function=ctx.function, model=model.label if model else "", root=root, chain=tuple(calls),
            kind=kind, reason=reason, explanation=explanation, manager=manager, related_from=related_from,
        ))

    def chain_site(self, node: cst.BaseExpression, ctx: Ctx):
        """Recognise ``node`` as a QuerySet chain. Returns (root info, ops) or None."""
        root, ops = self.unroll(node)
        swapped = self.view_chain(root, ops, ctx)
        if swapped is not None:
            info, ops = swapped
        else:
            info = self.resolve_root(root, ctx)
        if info is None:
            return None
        # A chain ends at its first terminal method; anything after belongs to the result object.
        for i, (meth, _n) in enumerate(ops):
            if meth in Q.TERMINAL_METHODS and i != len(ops) - 1:
                return None
        model = info[1]
        if ops and info[0] != "flow":
            known = set(Q.KNOWN_METHODS) | (self.index.custom_methods(model) if model else set())
            if ops[-1][0] not in known and info[0] not in model_refs.INDIRECT:
                return None
        if ops and info[0] == "flow":
            flow = ctx.flows[info[2]]
            known = set(Q.KNOWN_METHODS) | (self.index.custom_methods(flow.model) if flow.model else set())
            if ops[-1][0] not in known:
                return None
        if not ops and info[0] != "flow":
            return None
        return info, ops

    def view_model(self, ci: model_refs.ClassInfo, ctx: Ctx) -> Optional[Model]:
        return model_refs.view_model(self, ci, ctx)

    def view_chain(self, root: cst.BaseExpression, ops: list, ctx: Ctx):
        return model_refs.view_chain(self, root, ops, ctx)

    def build(self, info, ops, ctx: Ctx, rel_depth: Optional[int] = None):
        """(model, root, manager, related_from, calls, reasons, conditional) for a recognised chain."""
        kind, model, root, manager, related_from = info
        reasons: list[str] = []
        calls = [self.call(meth, n, ctx) for meth, n in ops]
        if kind == "flow":
            flow = ctx.flows[root]
            self.report_alternatives(flow, ctx)
            model, root, manager, related_from = flow.model, flow.root, flow.manager, flow.related_from
            calls = flow.calls + calls
            reasons = list(flow.reasons)
        elif kind in model_refs.INDIRECT:
            reasons.append(model_refs.INDIRECT[kind])
        reasons += self.nested_querysets(ops, ctx)
        conditional = any(c.condition for c in calls)
        return model, root, manager, related_from, calls, reasons, conditional

    def nested_querysets(self, ops: list, ctx: Ctx) -> list[Reason]:
        """QuerySets used as values in the arguments of ``ops`` (``pk__in=follows.values("id")``,
        ``Exists(Tag.objects.filter(...))``, ``thread__in=tpks``): part of this query, not evaluations of
        their own. Each is reported as a site carrying QUERYSET_AS_VALUE, and so is the outer query (its
        translation would turn the subquery into a parameter). ``*qs`` is left alone: it is iterated."""
        out: list[Reason] = []
        for meth, node in ops:
            if meth == "[]":
                continue
            for a in node.args:
                if a.star:
                    continue
                for inner, found in self.querysets_in(a.value, ctx):
                    if self.written_inline(found, ctx):
                        continue  # compiled as part of this query (load.interpret: nested)
                    line = self.pos[node.func.attr].start.line
                    if meth in COMBINATORS:
                        reason = self.combined_reason(node.func.attr, f"{meth}()")
                    else:
                        reason = Reason("QUERYSET_AS_VALUE", f"`{self.code(inner)}` is used as a value in `{meth}()` at "
                                        f"{self.rel}:{line}: part of that query, which the tool does not translate "
                                        "with its subquery")
                    out.append(reason)
                    p = self.pos[inner]
                    if (p.start.line, p.start.column) not in self.alternatives_done:
                        self.alternatives_done.add((p.start.line, p.start.column))
                        model, root, manager, rf, calls, reasons, cond = self.build(*found, ctx)
                        self.emit(inner, model, root, manager, rf, calls, ctx, [*reasons, reason], cond)
        return out

    def written_inline(self, found, ctx: Ctx) -> bool:
        """A QuerySet written in the argument itself, ``M.objects.<QuerySet methods>(...)`` with nothing in it the
        tool cannot follow: the outer site compiles it with the same stand-ins (a subquery, a union's operand)."""
        (kind, model, root, manager, _rf), ops = found
        named = root.rsplit(".", 1)[0].split(".")[-1]  # compile finds the model by this name (not cls, self.model)
        if kind != "manager" or manager not in ("objects", "_default_manager") or not ops or \
                model is None or named != model.name or \
                any(m not in Q.QUERYSET_METHODS or m in ("using", "[]") for m, _n in ops):
            return False
        *_built, reasons, conditional = self.build(*found, ctx)
        return not reasons and not conditional

    def querysets_in(self, expr: cst.CSTNode, ctx: Ctx):
        """(node, chain) of each outermost QuerySet (a variable holding one, or a chain that does not end in a
        terminal method) inside an argument expression."""
        if type(expr) is cst.Name and expr.value in ctx.flows:
            yield expr, (("flow", None, expr.value, "", ""), [])
            return
        if type(expr) in (cst.Lambda,):
            return
        if is_a(expr, cst.BaseExpression) and type(expr) not in (cst.Name,):
            found = self.chain_site(expr, ctx) if type(expr) in (cst.Call, cst.Subscript) else None
            if found is not None:
                if not (found[1] and (found[1][-1][0] in Q.TERMINAL_METHODS or found[1][-1][0] == "[]")):
                    yield expr, found
                return  # a value (count(), get()): evaluated on its own, scanned as an ordinary site elsewhere
        for child in children(expr):
            yield from self.querysets_in(child, ctx)

    def report_alternatives(self, flow: Flow, ctx: Ctx) -> None:
        """The shapes a variable may hold besides the one its evaluation sites show (``if a: qs = A...``
        / ``else: qs = B...``): each is a site of its own, at its binding, carrying the merge's reason."""
        for alt, reason in flow.alternatives:
            key = (alt.line, alt.column)
            if key in self.alternatives_done:
                continue
            self.alternatives_done.add(key)
            self.emit(None, alt.model, alt.root, alt.manager, alt.related_from, list(alt.calls), ctx,
                      [*alt.reasons, reason], False, at=(alt.line, alt.column, max([alt.line, *(c.line for c in alt.calls)])))

    def get_object(self, node: cst.Call, ctx: Ctx) -> bool:
        """get_object_or_404(Model | queryset, **lookups) is a get() site."""
        qn = self.qualified(node.func)
        if qn not in _GET_OBJECT or not node.args:
            return False
        first = node.args[0].value
        method = _GET_OBJECT[qn]
        model = self.model_ref(first, ctx)
        p = self.pos[node]
        get = Call(method=method, args=tuple(self.arg(a, ctx) for a in node.args[1:]),
                   line=p.start.line, column=p.start.column + 1)
        if model is not None:
            default = next((mg.name for mg in model.managers if mg.is_default), "objects")
            self.emit(node, model, f"{self.code(first)}._default_manager", default, "", [get], ctx, [], False)
            return True
        found = self.chain_site(first, ctx)
        if found is not None:
            model, root, manager, rf, calls, reasons, cond = self.build(*found, ctx)
            self.emit(node, model, root, manager, rf, calls + [get], ctx, reasons, cond)
            return True
        # get_object_or_404(ctype.model_class(), ...), (self.get_org_model(), ...): a query all the same,
        # on a model or QuerySet the tool cannot name
        for a in node.args[1:]:
            self.scan_expr(a.value, ctx)
        self.scan_expr(first, ctx)
        detail = f"`{self.code(first)}` is neither a model nor a QuerySet the tool can name statically"
        self.emit(node, None, self.code(first), "", "", [get], ctx, [Reason("MODEL_FROM_VARIABLE", detail)], False)
        return True

    # ------------------------------------------------------------------ expressions

    def scan_expr(self, node: cst.CSTNode, ctx: Ctx) -> None:
        """Record every maximal chain inside an expression as a site."""
        if is_a(node, cst.BaseExpression):
            if type(node) is cst.Name and node.value in ctx.flows:
                p = self.pos[node]
                it = Call(method="iter", line=p.start.line, column=p.start.column + 1)
                model, root, manager, rf, calls, reasons, cond = self.build(("flow", None, node.value, "", ""), [], ctx)
                self.emit(node, model, root, manager, rf, calls + [it], ctx, reasons, cond)
                return
            if type(node) is cst.Call and self.get_object(node, ctx):
                return
            found = self.chain_site(node, ctx)
            if found is not None:
                model, root, manager, rf, calls, reasons, cond = self.build(*found, ctx)
                self.emit(node, model, root, manager, rf, calls, ctx, reasons, cond)
                return
            if type(node) is cst.Call and self.passed_to_helper(node, ctx):
                return
            if type(node) is cst.BinaryOperation:
                combined = self.combination(node, ctx)
                if combined is not None:  # (a | b).count(): one site, not one per operand
                    self.emit(node, combined.model, combined.root, combined.manager, combined.related_from,
                              combined.calls, ctx, list(combined.reasons), False)
                    return
            if type(node) is cst.Attribute and self.uncalled_method(node, ctx):
                return
            if type(node) is cst.Attribute and type(node.value) is cst.Name and node.value.value in ctx.flows:
                return  # qs.query, qs.model: no SQL
            if type(node) is cst.Lambda:
                self.lambda_body(node, ctx)
                return
            if type(node) in (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp):
                comp = node.for_in
                while comp is not None:  # [c.name for c in roots]: c is an instance of the model
                    self.scan_expr(comp.iter, ctx)
                    self.note_iteration(comp.target, comp.iter, ctx)
                    for cond in comp.ifs:
                        self.scan_expr(cond, ctx)
                    comp = comp.inner_for_in
                for part in ("elt", "key", "value"):
                    if hasattr(node, part):
                        self.scan_expr(getattr(node, part), ctx)
                return
        for child in children(node):
            self.scan_expr(child, ctx)

    def uncalled_method(self, node: cst.Attribute, ctx: Ctx) -> bool:
        """``Order.objects.count`` / ``qs.exists`` passed as a value, called later (``cache.get_or_set(key,
        Order.objects.count)``): a site of the query it runs; with arguments decided where it is called, reported."""
        method = node.attr.value
        if method not in Q.KNOWN_METHODS:
            return False
        if type(node.value) is cst.Name and node.value.value in ctx.flows:
            info = ("flow", None, node.value.value, "", "")
        else:
            info = self.resolve_root(node.value, ctx) if type(node.value) is cst.Attribute else None
            if info is None or info[0] not in ("manager", "related", *model_refs.INDIRECT):
                return False
        model, root, manager, rf, calls, reasons, cond = self.build(info, [], ctx)
        p = self.pos[node.attr]
        call = Call(method=method, line=p.start.line, column=p.start.column + 1)
        if method not in NO_ARGUMENT_QUERIES:
            reasons = [*reasons, Reason("PASSED_TO_HELPER", f"`{self.code(node)}` is passed uncalled at "
                                        f"{self.rel}:{p.start.line}: its arguments are decided where it is called")]
        self.emit(node, model, root, manager, rf, [*calls, call], ctx, reasons, cond)
        return True

    def lambda_body(self, node: cst.Lambda, ctx: Ctx) -> None:
        """``lambda o: M.objects.get(...)``: its queries run when it is called; its parameters shadow the
        function's names (a parameter is never a QuerySet the tool follows)."""
        names = {p.name.value for p in (*node.params.params, *node.params.posonly_params, *node.params.kwonly_params)}
        for star in (node.params.star_arg, node.params.star_kwarg):
            if type(star) is cst.Param:
                names.add(star.name.value)
        inner = replace(ctx, params=ctx.params | names, flows={k: v for k, v in ctx.flows.items() if k not in names},
                        instances={k: v for k, v in ctx.instances.items() if k not in names},
                        model_vars=ctx.model_vars - names)
        self.scan_expr(node.body, inner)

    def combination(self, node: cst.BaseExpression, ctx: Ctx) -> Optional[Flow]:
        """``a | b`` / ``a & b`` of QuerySets, as a flow (the left one's chain) carrying COMBINED_QUERYSETS."""
        if type(node) is not cst.BinaryOperation or type(node.operator) not in (cst.BitOr, cst.BitAnd):
            return None
        sides = []
        for v in (node.left, node.right):
            if type(v) is cst.Name and v.value in ctx.flows:
                sides.append((("flow", None, v.value, "", ""), []))
            else:
                found = self.chain_site(v, ctx)
                ok = found is not None and not (found[1] and found[1][-1][0] in Q.TERMINAL_METHODS)
                inner = self.combination(v, ctx) if not ok else None
                sides.append(found if ok else (("combined", inner) if inner is not None else None))
        if not any(sides):
            return None
        first = next(x for x in sides if x)
        op = "|" if type(node.operator) is cst.BitOr else "&"
        if first[0] == "combined":
            f = first[1]
            return replace(f, reasons=[*f.reasons, self.combined_reason(node, op)], parent=f)
        model, root, manager, rf, calls, reasons, _c = self.build(*first, ctx)
        p = self.pos[node]
        parent = ctx.flows[first[0][2]] if first[0][0] == "flow" else None
        return Flow(model, root, manager, rf, calls, [*reasons, self.combined_reason(node, op)],
                    p.start.line, p.start.column + 1, parent)

    def combined_reason(self, node: cst.CSTNode, op: str) -> Reason:
        return Reason("COMBINED_QUERYSETS", f"QuerySets combined with `{op}` at {self.rel}:{self.pos[node].start.line}: "
                                            "the tool does not translate a combination of QuerySets")

    def helper(self, func: cst.BaseExpression) -> Optional[tuple[str, str]]:
        """``func`` as the project's own function: (how to name it, qualified name); None for anything else."""
        if type(func) is cst.Attribute and (_named(func.value, "self") or _named(func.value, "cls")):
            if func.attr.value in Q.KNOWN_METHODS:  # self.exclude(x__in=<subquery>) in a QuerySet/Manager class
                return None
            return f"`{self.code(func)}()` (a method of this class or of one it inherits from)", ""
        qn = self.qualified(func)
        if qn is None or qn in EVALUATORS:
            return None
        where = self.helpers.where(qn) or self.helpers.where(qn.rpartition(".")[0])
        if where is None and qn.split(".")[0] not in self.helpers.packages:
            return None  # Django or a third-party library: it evaluates the QuerySet, as before
        return f"`{self.code(func)}()` ({where or qn})", qn

    def passed_to_helper(self, node: cst.Call, ctx: Ctx) -> bool:
        """``helper(qs)``: a QuerySet handed to a project function is reported, not taken as evaluated whole."""
        found_helper = self.helper(node.func)
        if found_helper is None:
            return False
        callee, qn = found_helper
        handed = []
        for i, a in enumerate(node.args):
            v = a.value
            if a.star or (qn and self.helpers.evaluates(qn, i, a.keyword.value if a.keyword else "")):
                continue  # def show(rows): return [r.name for r in rows]: evaluated whole, an ordinary site
            if type(v) is cst.Name and v.value in ctx.flows:
                handed.append((a, (("flow", None, v.value, "", ""), [])))
                continue
            found = self.chain_site(v, ctx)
            if found is not None and not (found[1] and found[1][-1][0] in Q.TERMINAL_METHODS):
                handed.append((a, found))  # a value (count(), get()) is an ordinary site, not a QuerySet handed on
        if not handed:
            return False
        given = {id(a): found for a, found in handed}
        for a in node.args:
            if id(a) not in given:
                self.scan_expr(a, ctx)
                continue
            v = a.value
            model, root, manager, rf, calls, reasons, cond = self.build(*given[id(a)], ctx)
            p = self.pos[node]
            what = f"`{v.value}`" if type(v) is cst.Name else "the QuerySet"
            detail = (f"{what} is handed to {callee} at {self.rel}:{p.start.line}, which may refine it before it is "
                      "evaluated: the caller's and the callee's chains are not joined")
            self.emit(v, model, root, manager, rf, calls, ctx, [*reasons, Reason("PASSED_TO_HELPER", detail)], cond)
        self.scan_expr(node.func, ctx)
        return True

    # ------------------------------------------------------------------ statements

    def bind(self, target: cst.BaseAssignTargetExpression, value: cst.BaseExpression, ctx: Ctx) -> bool:
        """``name = <queryset chain>``: start or extend a flow. True when handled."""
        if type(target) is not cst.Name:
            return False
        name = target.value
        combined = self.combination(value, ctx)
        if combined is not None:  # qs = qs | other: a flow that carries the reason to wherever it is evaluated
            ctx.flows[name] = combined
            ctx.flows.pop(OPAQUE + name, None)
            return True
        if type(value) is cst.IfExp:  # qs = A.objects.x() if flag else A.objects.y(): two shapes
            arms = [self.chain_site(v, ctx) for v in (value.body, value.orelse)]
            if all(arms) and all(not a[1] or a[1][-1][0] not in Q.TERMINAL_METHODS for a in arms):
                # shown: the longer of the two chains (`expired if x else expired.filter(...)`); the other
                # is a site of its own where the variable is evaluated (report_alternatives)
                built = {id(a): self.build(*a, ctx) for a in arms}
                longest = max(arms, key=lambda a: len(built[id(a)][4]))
                model, root, manager, rf, calls, reasons, _c = built[id(longest)]
                p = self.pos[value]
                reason = Reason("ASSIGNED_IN_BRANCHES", f"`{name}` holds one of two QuerySets depending on "
                                f"`{self.code(value.test)}` ({self.rel}:{p.start.line}): one query cannot say which ran")
                other, v = next((a, v) for a, v in zip(arms, (value.body, value.orelse)) if a is not longest)
                om, oroot, omg, orf, ocalls, oreasons, _oc = built[id(other)]
                alt = Flow(om, oroot, omg, orf, ocalls, oreasons, self.pos[v].start.line, self.pos[v].start.column + 1)
                ctx.flows[name] = Flow(model, root, manager, rf, calls, [*reasons, reason], p.start.line,
                                       p.start.column + 1, alternatives=((alt, reason),))
                ctx.flows.pop(OPAQUE + name, None)
                return True
            return False
        found = self.chain_site(value, ctx)
        if found is None:
            if type(value) is cst.Attribute:  # qs = Model.objects (a manager)
                info = self.resolve_root(value, ctx)
                if info is not None and (info[0] in ("manager", "related") or info[0] in model_refs.INDIRECT):
                    found = (info, [])
            if found is None:
                return False
        info, ops = found
        last = ops[-1][0] if ops else ""
        if last in Q.TERMINAL_METHODS or (last not in Q.KNOWN_METHODS and Q.custom_is_terminal(last)) or (last == "[]" and type(ops[-1][1].slice[0].slice) is cst.Index):
            return False  # evaluated here: a site, not a flow
        model, root, manager, rf, calls, reasons, _cond = self.build(info, ops, ctx)
        p = self.pos[value]
        parent = ctx.flows[info[2]] if info[0] == "flow" else None
        ctx.flows[name] = Flow(model, root, manager, rf, calls, reasons, p.start.line, p.start.column + 1, parent)
        ctx.flows.pop(OPAQUE + name, None)
        ctx.instances.pop(name, None)
        return True

    def note_instance(self, target: cst.BaseAssignTargetExpression, value: cst.BaseExpression, ctx: Ctx) -> None:
        """Remember variables that hold a model instance, for related managers (``order.lines``)."""
        model = None
        tuple_result = False
        if type(value) is cst.Call and self.qualified(value.func) in _GET_OBJECT and value.args:
            model = self.model_ref(value.args[0].value, ctx)
            if model is None:
                found = self.chain_site(value.args[0].value, ctx)
                model = self.build(*found, ctx)[0] if found else None
        else:
            found = self.chain_site(value, ctx)
            last = found[1][-1][0] if found is not None and found[1] else ""
            if last in Q.INSTANCE_METHODS or (last not in Q.KNOWN_METHODS and Q.custom_is_terminal(last)):
                model = self.build(*found, ctx)[0]
                tuple_result = found[1][-1][0] in ("get_or_create", "update_or_create")
            elif type(value) is cst.Call and self.qualified(value.func) == _GET_USER_MODEL:
                if type(target) is cst.Name:
                    ctx.model_vars.add(target.value)
                return
            elif self.class_info is not None and self.class_info.form_model is not None and type(value) is cst.Call \
                    and type(value.func) is cst.Attribute and value.func.attr.value == "save" \
                    and self.code(value.func.value) == "super()" and "self" in ctx.params:
                model = self.class_info.form_model  # instance = super().save(commit=False) in a ModelForm
            elif ctx.sender is not None and type(value) is cst.Subscript and self.code(value).replace("'", '"') \
                    in {f'{n}["instance"]' for n in ctx.params}:
                model = ctx.sender  # instance = kwargs["instance"] in a signal receiver
            else:
                model = self.instance_model(value, ctx) if type(value) in (cst.Attribute, cst.Name) else None
        if model is None:
            if type(target) is cst.Name:
                ctx.instances.pop(target.value, None)
            return
        if tuple_result and type(target) is cst.Tuple and target.elements:
            first = target.elements[0].value
            if type(first) is cst.Name:
                ctx.instances[first.value] = model
        elif type(target) is cst.Name:
            ctx.instances[target.value] = model

    def note_model_var(self, target, value, ctx: Ctx) -> None:
        """``model = {"a": A, "b": B}[kind]`` or ``model = A if x else B``: a model class chosen at run time."""
        if type(target) is not cst.Name:
            return
        refs = [n for n in walk(value) if type(n) in (cst.Name, cst.Attribute) and self.model_ref(n, ctx) is not None]
        if refs and type(value) not in (cst.Name, cst.Attribute):
            ctx.locals.add(target.value)

    def stmt(self, node: cst.CSTNode, ctx: Ctx) -> None:
        kind = type(node)
        if kind is cst.SimpleStatementLine:
            for small in node.body:
                self.small(small, ctx)
        elif kind is cst.If:
            self.if_stmt(node, ctx)
        elif kind is cst.For or kind is cst.While:
            self.loop(node, ctx)
        elif kind is cst.Try or kind is cst.TryStar:
            self.try_stmt(node, ctx)
        elif kind is cst.With:
            for item in node.items:
                self.scan_expr(item.item, ctx)
            self.block(node.body, ctx)
        elif kind is cst.Match:
            self.match_stmt(node, ctx)
        elif kind is cst.FunctionDef:
            self.function(node, ctx.function)
        elif kind is cst.ClassDef:
            self.klass(node, ctx.function)
        else:  # anything newer: scan expressions, no flow tracking
            for child in children(node):
                self.scan_expr(child, ctx)

    # ------------------------------------------------------------------ branches

    def arm(self, kind: str, label: str, node: cst.CSTNode, body, pre: dict[str, Flow], ctx: Ctx,
            arms: list[Arm], cond: Optional[str] = None) -> None:
        """Run one alternative from the state ``pre``; keep its end state unless it leaves (return, raise...)."""
        ctx.flows = dict(pre)
        self.block(body, ctx)
        if not leaves(body):
            arms.append(Arm(kind, label, self.pos[node].start.line, ctx.flows, cond or label))

    def if_stmt(self, node: cst.If, ctx: Ctx) -> None:
        pre, arms = ctx.flows, []
        self.scan_expr(node.test, ctx)
        test = self.code(node.test)
        self.arm("if", test, node, node.body, pre, ctx, arms, test)
        orelse, negated = node.orelse, [test]
        while orelse is not None:
            if type(orelse) is cst.If:
                ctx.flows = pre
                self.scan_expr(orelse.test, ctx)
                t = self.code(orelse.test)
                self.arm("elif", t, orelse, orelse.body, pre, ctx, arms, t)
                negated.append(t)
                orelse = orelse.orelse
            else:
                self.arm("else", "else", orelse, orelse.body, pre, ctx, arms, "not (" + " or ".join(negated) + ")")
                break
        else:  # no else: the state before the `if` goes on when no test holds
            arms.append(Arm("none", "no branch taken", self.pos[node].start.line, pre))
        ctx.flows = self.merge(pre, arms, ctx)

    def try_stmt(self, node, ctx: Ctx) -> None:
        pre, arms = ctx.flows, []
        ctx.flows = dict(pre)
        self.block(node.body, ctx)
        left = leaves(node.body)
        if node.orelse is not None and not left:
            self.block(node.orelse.body, ctx)
            left = leaves(node.orelse.body)
        if not left:
            arms.append(Arm("try", "try", self.pos[node].start.line, ctx.flows))
        for h in node.handlers:  # a handler may start anywhere in the body: from the state before it, approximately
            label = "except " + (self.code(h.type) if h.type else "")
            self.arm("except", label.strip(), h, h.body, pre, ctx, arms, label)
        ctx.flows = self.merge(pre, arms, ctx) if arms else dict(pre)
        if node.finalbody is not None:
            self.block(node.finalbody.body, ctx)

    def match_stmt(self, node: cst.Match, ctx: Ctx) -> None:
        pre, arms = ctx.flows, []
        self.scan_expr(node.subject, ctx)
        exhaustive = False
        for case in node.cases:
            ctx.flows = pre
            if case.guard is not None:
                self.scan_expr(case.guard, ctx)
            label = "case " + self.code(case.pattern)
            self.arm("case", label, case, case.body, pre, ctx, arms, label)
            if case.guard is None and type(case.pattern) is cst.MatchAs and case.pattern.pattern is None:
                exhaustive = True  # case _: / case name:
        if not exhaustive:
            arms.append(Arm("none", "no case matched", self.pos[node].start.line, pre))
        ctx.flows = self.merge(pre, arms, ctx)

    def loop(self, node, ctx: Ctx) -> None:
        if type(node) is cst.For:
            self.scan_expr(node.iter, ctx)
            self.note_loop_target(node, ctx)
            label = f"for {self.code(node.target)} in {self.code(node.iter)}"
        else:
            self.scan_expr(node.test, ctx)
            label = f"while {self.code(node.test)}"
        pre = ctx.flows
        ctx.flows = dict(pre)
        # a variable refined from itself in the body carries more conditions each time round: sites inside
        # the body that read it see a shape decided at run time
        for name in self_refined(node.body):
            if name in ctx.flows:
                f = ctx.flows[name]
                ctx.flows[name] = replace(f, reasons=[*f.reasons, self.loop_reason(name, label, self.pos[node].start.line)],
                                          parent=f)
        ctx.loops += 1
        ctx.loop_exits.append([])
        self.block(node.body, ctx)
        exits = ctx.loop_exits.pop()
        ctx.loops -= 1
        line = self.pos[node].start.line
        arms = [Arm("none", "no iteration", line, pre), Arm("loop", label, line, ctx.flows)]
        arms += [Arm("loop", label, line, e) for e in exits]
        ctx.flows = self.merge(pre, arms, ctx)
        if node.orelse is not None:
            pre, arms = ctx.flows, [Arm("none", "break", line, ctx.flows)]
            self.arm("else", f"else of `{label}`", node.orelse, node.orelse.body, pre, ctx, arms)
            ctx.flows = self.merge(pre, arms, ctx)

    def loop_reason(self, name: str, label: str, line: int) -> Reason:
        return Reason("REFINED_IN_LOOP", f"`{name}` is refined inside `{label}` ({self.rel}:{line}): "
                                         "the number of conditions is decided at run time")

    def merge(self, pre: dict[str, Flow], arms: list[Arm], ctx: Ctx) -> dict[str, Flow]:
        """The flows after a branching statement, from the end state of each way through it.

        A variable every surviving way leaves alone (or binds to the same flow) keeps that flow. The one
        exact conditional shape is a single plain ``if`` whose body refines the variable with filters on
        the values its test checks (``if q: qs = qs.filter(name=q)``): those calls get the test as their
        condition and become optional filters. Anything else that differs between the ways (both branches
        assign, elif/else/except/case refine, a refinement in a loop...) gets a reason code naming the places.
        """
        if not arms:  # every way leaves the function: what follows is unreachable
            return dict(pre)
        out: dict[str, Flow] = {}
        keys = set().union(*(a.flows.keys() for a in arms))
        for key in sorted(k for k in keys if k.startswith(OPAQUE)):  # rebound to an unfollowed value somewhere
            marks = [a.flows[key] for a in arms if key in a.flows]
            out[key] = next((m for m in marks if m is not pre.get(key)), marks[0])
        for name in sorted(k for k in keys if not k.startswith(OPAQUE)):
            before = pre.get(name)
            ends = [(a, a.flows.get(name)) for a in arms]
            flows = [f for _a, f in ends if f is not None]
            # an arm that bound the name to a value the tool does not follow (unknown methods...)
            opaque = [(a, a.flows[OPAQUE + name]) for a, f in ends
                      if f is None and a.flows.get(OPAQUE + name) not in (None, pre.get(OPAQUE + name))]
            if all(f is flows[0] for f in flows) and not opaque:
                out[name] = flows[0]
                continue
            changed = [(a, f) for a, f in ends if f is not None and f is not before]
            if not changed:  # the flow from before, and other arms with unfollowed values
                changed = [(a, f) for a, f in ends if f is not None]
            arm, first = changed[0]
            if before is not None and not opaque and all(f.extends(before) for _a, f in changed):
                if len(changed) == 1 and arm.kind == "if":
                    out[name] = self.conditional(name, before, first, arm, ctx)
                    continue
                if all(a.kind == "loop" for a, _f in changed):
                    first = max((f for _a, f in changed), key=lambda f: len(f.calls))  # the most refined, to show
                    reason = self.loop_reason(name, arm.label, arm.line) if not any(
                        r == "REFINED_IN_LOOP" for r in first.reasons) else None
                    out[name] = replace(first, reasons=[*first.reasons, *([reason] if reason else [])])
                    continue
                code = "BRANCH_DEPENDENT"
                what = f"`{name}` is refined differently depending on the branch taken"
            else:
                code = "ASSIGNED_IN_BRANCHES"
                what = f"`{name}` holds a different QuerySet depending on the branch taken"
            places = [f"{self.rel}:{f.line if f is not before else a.line} ({arm_text(a)})" for a, f in ends if f is not None]
            places += [f"{self.rel}:{m.line} ({arm_text(a)}: a value the tool does not follow)" for a, m in opaque]
            detail = f"{what}: {'; '.join(places)}; one query cannot say which of them ran"
            reason = Reason(code, detail)
            others = [f for _a, f in changed if f is not first and (before is None or f is not before)]
            alternatives = (*first.alternatives, *((f, reason) for f in others if f.line),
                            *(alt for f in others for alt in f.alternatives))
            out[name] = replace(first, calls=mark(first.calls, before, arm.cond or arm.label),
                                reasons=[*first.reasons, reason], alternatives=alternatives)
        return out

    def conditional(self, name: str, before: Flow, after: Flow, arm: Arm, ctx: Ctx) -> Flow:
        """``if <test>: name = name.filter(...)``: optional filters when exact, else a reason code."""
        added = after.calls[len(before.calls):]
        problem = optional_problem(added, arm.label, ctx.derived) or self.optional_join(after.model, added)
        if problem is None:
            calls = before.calls + [replace(c, condition=arm.label) for c in added]
            return replace(after, calls=calls)
        code, why = problem
        detail = (f"`{name}` is refined under `if {arm.label}` ({self.rel}:{arm.line}) by "
                  f"{', '.join(f'`{c.method}()` at line {c.line}' for c in added)}: {why}")
        return replace(after, calls=mark(after.calls, before, arm.label), reasons=[*after.reasons, Reason(code, detail)])

    def optional_join(self, model: Optional[Model], calls: Sequence[Call]) -> Optional[tuple[str, str]]:
        """An optional filter is ``(value IS NULL OR lookup)`` in a query that always has the lookup's joins:
        exact only when joining changes no row (a chain of non-null forward foreign keys). Over a nullable,
        reverse or many-to-many relation, the join alone drops or repeats rows Django returns without it."""
        for c in calls:
            for a in c.args:
                keys = [a.keyword] if a.keyword and a.keyword not in ("*", "**") else re.findall(r"(\w+)\s*=(?!=)", a.source)
                for key in keys:
                    m = model
                    for part in key.split("__"):
                        if m is None:
                            break
                        f = m.field(part) if part != "pk" else None
                        if f is not None and f.relation is None:
                            break  # a column: the rest are transforms and the lookup
                        if f is not None and f.relation.kind in ("foreign_key", "one_to_one") and not f.null:
                            m = self.index.by_label.get(f.relation.target)
                            continue
                        if f is None and not any(acc == part for acc, *_ in m.reverse):
                            break  # not a relation the tool knows (an annotation, pk): no join of its own
                        return ("CONDITIONAL_JOIN", f"`{key}` joins `{part}` (a nullable, reverse or many-to-many "
                                                    "relation): as an optional filter the join would stay and drop "
                                                    "or repeat rows Django returns when the value is not given")
        return None

    def note_loop_target(self, node: cst.For, ctx: Ctx) -> None:
        self.note_iteration(node.target, node.iter, ctx)

    def note_iteration(self, target: cst.BaseExpression, it: cst.BaseExpression, ctx: Ctx) -> None:
        model, calls = None, []
        if type(it) is cst.Name and it.value in ctx.flows:
            model, calls = ctx.flows[it.value].model, ctx.flows[it.value].calls
        else:
            found = self.chain_site(it, ctx)
            if found is not None:
                built = self.build(*found, ctx)
                model, calls = built[0], built[4]
        if any(c.method in ("values", "values_list") for c in calls):
            model = None  # rows are dicts or tuples, not instances
        if model is not None and type(target) is cst.Name:
            ctx.instances[target.value] = model

    def block(self, body, ctx: Ctx) -> None:
        stmts = body.body if type(body) is cst.IndentedBlock else [body]
        for s in stmts:
            if is_a(s, cst.BaseSmallStatement):
                self.small(s, ctx)
            else:
                self.stmt(s, ctx)

    def small(self, node: cst.BaseSmallStatement, ctx: Ctx) -> None:
        kind = type(node)
        if kind is cst.Assign or kind is cst.AnnAssign and node.value is not None:
            for t in (node.targets if kind is cst.Assign else [node]):
                if type(t.target) is cst.Name:  # what the value was computed from (conditions test these)
                    ctx.derived[t.target.value] = reads(node.value) - {t.target.value}
        if (kind is cst.Break or kind is cst.Continue) and ctx.loop_exits:
            ctx.loop_exits[-1].append(dict(ctx.flows))  # this state leaves the loop body early
            return
        if kind is cst.Assign:
            if len(node.targets) == 1 and self.bind(node.targets[0].target, node.value, ctx):
                return
            self.scan_expr(node.value, ctx)
            for t in node.targets:
                self.note_instance(t.target, node.value, ctx)
                self.note_model_var(t.target, node.value, ctx)
                if type(t.target) is cst.Name:  # rebound to something that is not a QuerySet the tool follows
                    name = t.target.value
                    ctx.flows.pop(name, None)
                    if is_none(node.value):
                        ctx.flows.pop(OPAQUE + name, None)
                    else:  # maybe a QuerySet all the same (unknown methods): a branch merge must know
                        ctx.flows[OPAQUE + name] = Flow(None, "", "", "", [], line=self.pos[node].start.line)
        elif kind is cst.AnnAssign and node.value is not None:
            if self.bind(node.target, node.value, ctx):
                return
            self.scan_expr(node.value, ctx)
            self.note_instance(node.target, node.value, ctx)
            annotated = self.model_ref(node.annotation.annotation, ctx)
            if annotated is not None and type(node.target) is cst.Name:  # order: Order = load(...)
                ctx.instances[node.target.value] = annotated
        elif kind is cst.AugAssign:
            name = node.target.value if type(node.target) is cst.Name else ""
            if name in ctx.flows and type(node.operator) in (cst.BitOrAssign, cst.BitAndAssign):
                op = "|" if type(node.operator) is cst.BitOrAssign else "&"
                f = ctx.flows[name]
                ctx.flows[name] = replace(f, parent=f, reasons=[*f.reasons, self.combined_reason(node, op)])
                return  # the right side is part of the combined query, not evaluated on its own
            self.scan_expr(node.value, ctx)
            if ctx.loops and type(node.target) is cst.Name and type(node.operator) in (cst.BitOrAssign, cst.BitAndAssign):
                ctx.loop_q.add(node.target.value)
        else:
            for child in children(node):
                self.scan_expr(child, ctx)

    # ------------------------------------------------------------------ scopes

    def function(self, node: cst.FunctionDef, outer: str) -> None:
        name = node.name.value if outer == "<module>" else f"{outer}.{node.name.value}"
        params = {p.name.value for p in (*node.params.params, *node.params.posonly_params, *node.params.kwonly_params)}
        for star in (node.params.star_arg, node.params.star_kwarg):
            if type(star) is cst.Param:
                params.add(star.name.value)
        local_names, imports = function_scope(node.body)
        ctx = Ctx(function=name, locals=local_names, params=params,
                  sender=self.receivers.get(name) if outer == "<module>" else None)
        first = node.params.params[0].name.value if node.params.params else ""
        if first == "cls" and self.class_model is not None and self.class_model.kind != "abstract":
            ctx.cls_model = self.class_model  # @classmethod def recent(cls): cls.objects...
        outer_ctx = self.ctx
        self.ctx = ctx
        statements = node.body.body if type(node.body) is cst.IndentedBlock else [node.body]
        local_models = model_refs.bindings(statements, self.index)
        self.scopes.append({**self.import_map(imports), **{n: f"{mo.module}.{mo.name}" for n, mo in local_models.items()}})
        for p in node.params.params:
            mo = None
            if p.annotation is not None:  # def f(order: Order): annotated model instances
                mo = self.model_ref(p.annotation.annotation, ctx)
            elif p is node.params.params[0] and p.name.value == "self" and self.class_model is not None:
                mo = self.class_model  # a method of a model class
            elif p.name.value == "instance" and ctx.sender is not None:  # def on_save(sender, instance, **kw)
                mo = ctx.sender
            elif p.name.value not in local_names:  # def f(order): named after its model, by convention
                mo = self.index.by_instance_name.get(p.name.value)
            if mo is not None:
                ctx.instances[p.name.value] = mo
        self.block(node.body, ctx)
        self.scopes.pop()
        self.ctx = outer_ctx

    def klass(self, node: cst.ClassDef, outer: str) -> None:
        name = node.name.value if outer == "<module>" else f"{outer}.{node.name.value}"
        outer_ctx, self.ctx = self.ctx, Ctx(function=name, locals=set(), params=set())
        outer_model, outer_info = self.class_model, self.class_info
        self.class_info = self.class_facts(node, outer)
        self.class_model = self.class_info.model
        self.block(node.body, self.ctx)
        flow = self.ctx.flows.get("queryset")
        if flow is not None and self.class_info.queryset is not None:  # a view's base QuerySet, run per request
            model, root, manager, rf, calls, reasons, cond = self.build(("flow", None, "queryset", "", ""), [], self.ctx)
            self.emit(self.class_info.queryset, model, root, manager, rf, calls, self.ctx, reasons, cond)
        self.ctx, self.class_model, self.class_info = outer_ctx, outer_model, outer_info

    def class_facts(self, node: cst.ClassDef, outer: str) -> model_refs.ClassInfo:
        return model_refs.class_facts(self, node, outer)

    def scan(self) -> list[QuerySetSite]:
        module = self.tree
        ctx = self.ctx = Ctx(function="<module>", locals=set(), params=set())
        for s in module.body:
            if type(s) is cst.SimpleStatementLine:
                for small in s.body:
                    if type(small) is cst.Assign and type(small.value) is cst.Call and self.qualified(small.value.func) == _GET_USER_MODEL:
                        for t in small.targets:
                            if type(t.target) is cst.Name:
                                self.module_user_vars.add(t.target.value)
        self.receivers = instances.receivers(self, module.body, ctx)
        for s in module.body:
            self.stmt(s, ctx)
        return self.sites


# ----------------------------------------------------------------------------- project


def project_files(root: Path, include_tests: bool = False) -> list[Path]:
    """Every .py file under ``root`` that may be application code (migrations, virtualenvs and, unless
    ``include_tests``, test code left out)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")
                             and (include_tests or d not in TEST_DIRS))
        for f in sorted(filenames):
            if f.endswith(".py") and (include_tests or not is_test_file(f)):
                out.append(Path(dirpath) / f)
    return out


# A file is parsed only when it may hold a QuerySet (a manager, a shortcut, a QuerySet method call) or a
# model getter (`return apps.get_model(...)`, see load.swappable).
CANDIDATE = re.compile(r"objects|_manager|get_model\(|get_object_or_404|get_list_or_404|\.(?:%s)\(" % "|".join(
    sorted(m_ for m_ in Q.KNOWN_METHODS if m_.isidentifier())))


@dataclass
class Parsed:
    """One source file, parsed with positions resolved: the part of scanning that needs no models."""

    rel: str
    module: str
    is_package: bool
    positions: Positions


def parse_source(root: Path, path: Path, text: str, rel: Optional[str] = None,
                 module: Optional[str] = None) -> tuple[Optional[Parsed], list[Diagnostic]]:
    """``rel`` and ``module`` default to the file's place under ``root``."""
    rel = rel or path.relative_to(root).as_posix()
    try:
        tree = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        line, col, msg = exc.raw_line, exc.raw_column + 1, exc.message
        try:  # CPython's own parser points at the offending token more precisely
            compile(text, rel, "exec", dont_inherit=True)
        except SyntaxError as py:
            line, col, msg = py.lineno or line, py.offset or col, py.msg
        return None, [Diagnostic(code="SYNTAX_ERROR", file=rel, line=line, column=col, message=f"syntax error: {msg}",
                                 hint="QuerySet sites in this file are not analysed until it parses")]
    return Parsed(rel, module if module is not None else _module_name(root, path), path.name == "__init__.py",
                  Positions(tree)), []


def source_files(root: Path, sources: Sequence[SourceTree] = (),
                 include_tests: bool = False) -> list[tuple[Path, str, str]]:
    """(path, display path, module) of every file to scan: the project's, then each source tree's."""
    files = [(p, p.relative_to(root).as_posix(), _module_name(root, p)) for p in project_files(root, include_tests)]
    seen = {p.resolve() for p, _, _ in files}
    for tree in sources:
        base = Path(tree.base)
        for p in project_files(Path(tree.path), include_tests):
            if p.resolve() in seen:
                continue
            seen.add(p.resolve())
            rel = display_path(str(root), str(p), [t.path for t in sources])
            if not include_tests and is_test_file(rel):
                continue
            files.append((p, rel, _module_name(base, p)))
    return files


def parse_sources(root: Path, sources: Sequence[SourceTree] = (),
                  include_tests: bool = False) -> tuple[list[Parsed], list[Diagnostic], int]:
    """Parse every source file that may hold a QuerySet (migrations, virtualenvs and test code skipped)."""
    parsed: list[Parsed] = []
    diags: list[Diagnostic] = []
    count = 0
    for path, rel, module in source_files(root, sources, include_tests):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            diags.append(Diagnostic(code="UNREADABLE", file=rel, message=f"cannot read the file: {exc}",
                                    severity="warning"))
            continue
        count += 1
        if not CANDIDATE.search(text):
            continue
        p, d = parse_source(root, path, text, rel, module)
        diags += d
        if p is not None:
            parsed.append(p)
    return parsed, diags, count


def scan_parsed(index: Index, parsed: Sequence[Parsed]) -> list[QuerySetSite]:
    sites: list[QuerySetSite] = []
    helpers = Helpers.build((p.rel, p.module, p.positions) for p in parsed)
    index = replace(index, getters=swappable.getters(parsed, index))
    scanners = [FileScanner(index, p.positions, p.rel, p.module, p.is_package, helpers) for p in parsed]
    # a module name bound to a registry lookup may be imported elsewhere: `from .handler import Forum`
    aliases = {f"{s.module}.{n}": mo for s in scanners for n, mo in s.module_models.items()}
    classes = {f"{s.module}.{c.name.value}": (c, tuple(s.qualified(b.value) or "" for b in c.bases),
                                              model_refs.returned_class(model_refs.method_def(
                                                  {"": (c, (), "")}, "", "get_queryset"), s.qualified))
               for s in scanners for c in s.tree.body if type(c) is cst.ClassDef}
    index = replace(index, by_qualname={**aliases, **index.by_qualname}, classes=classes, verdicts={})
    for s in scanners:
        s.index = index
        sites += s.scan()
    sites.sort(key=lambda s: (s.file, s.line, s.column))
    return sites


def scan_project(root: Path, apps: Sequence[App], models: Sequence[Model]) -> tuple[list[QuerySetSite], list[Diagnostic], int]:
    parsed, diags, count = parse_sources(root)
    return scan_parsed(Index.build(apps, models), parsed), diags, count
