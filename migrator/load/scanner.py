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

from dataclasses import replace
from pathlib import Path
from typing import Optional, Sequence

import libcst as cst

from ..ir import App, Diagnostic, Model, QuerySetSite
from .cst_tools import _SCOPES, function_scope, walk
from . import instances, model_refs, model_source, scan_subclass, swappable
from .positions import Positions
from .scan_chains import ChainSites
from .scan_exprs import ExpressionSites
from .scan_files import Parsed, parse_sources
from .scan_flow import FlowTracking
from .scan_index import Ctx, GET_USER_MODEL, Helpers, Index
from .scan_names import NameResolution


class FileScanner(NameResolution, ChainSites, ExpressionSites, FlowTracking):
    """One source file's sites. Its parts, by concern: scan_names (what an expression refers to), scan_chains
    (a chain into a site), scan_exprs (sites inside expressions), scan_flow (QuerySets in variables and
    branches); this module keeps the scopes (module, class, function) and the project-wide pass."""

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

    # ------------------------------------------------------------------ scopes

    def function(self, node: cst.FunctionDef, outer: str) -> None:
        name = node.name.value if outer == "<module>" else f"{outer}.{node.name.value}"
        params = {p.name.value for p in (*node.params.params, *node.params.posonly_params, *node.params.kwonly_params)}
        for star in (node.params.star_arg, node.params.star_kwarg):
            if type(star) is cst.Param:
                params.add(star.name.value)
        local_names, imports = function_scope(node.body)
        ctx = Ctx(function=name, locals=local_names, params=params,
                  sender=self.receivers.get(name) if outer == "<module>" else None,
                  node=node)
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
                    if type(small) is cst.Assign and type(small.value) is cst.Call and self.qualified(small.value.func) == GET_USER_MODEL:
                        for t in small.targets:
                            if type(t.target) is cst.Name:
                                self.module_user_vars.add(t.target.value)
        self.receivers = instances.receivers(self, module.body, ctx)
        for s in module.body:
            self.stmt(s, ctx)
        return self.sites



def scan_parsed(index: Index, parsed: Sequence[Parsed]) -> list[QuerySetSite]:
    sites: list[QuerySetSite] = []
    helpers = Helpers.build((p.rel, p.module, p.positions) for p in parsed)
    index = replace(index, getters=swappable.getters(parsed, index))
    scanners = [FileScanner(index, p.positions, p.rel, p.module, p.is_package, helpers) for p in parsed]
    # a module name bound to a registry lookup may be imported elsewhere: `from .handler import Forum`
    aliases = {f"{s.module}.{n}": mo for s in scanners for n, mo in s.module_models.items()}
    classes = {f"{s.module}.{c.name.value}": (c, tuple(s.qualified(b.value) or "" for b in c.bases),
                                              model_source.returned_class(model_source.method_def(
                                                  {"": (c, (), "")}, "", "get_queryset"), s.qualified))
               for s in scanners for c in s.tree.body if type(c) is cst.ClassDef}
    index = replace(index, by_qualname={**aliases, **index.by_qualname}, classes=classes, verdicts={},
                    constants={s.module: s.constants for s in scanners})
    for s in scanners:
        s.index = index
        sites += s.scan()
    sites = scan_subclass.subclass_sites(sites, {s.rel: s.module for s in scanners}, classes)
    sites.sort(key=lambda s: (s.file, s.line, s.column))
    return sites


def scan_project(root: Path, apps: Sequence[App], models: Sequence[Model]) -> tuple[list[QuerySetSite], list[Diagnostic], int]:
    parsed, diags, count = parse_sources(root)
    return scan_parsed(Index.build(apps, models), parsed), diags, count
