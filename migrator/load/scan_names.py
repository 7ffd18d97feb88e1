"""Name resolution for the scanner: a dotted name, a model or a model instance behind an expression."""

from __future__ import annotations

from typing import Iterable, Optional

import libcst as cst

from ..ir import Model
from .cst_tools import _named
from . import model_refs
from .scan_index import Ctx, GET_USER_MODEL


class NameResolution:
    """Resolves names for FileScanner: a dotted name, a model, a model instance. A mixin: it reads the state FileScanner sets up (index, pos, code, scopes, ctx, sites)."""


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
            if self.qualified(node.func) == GET_USER_MODEL:
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
