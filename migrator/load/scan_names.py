"""Name resolution for the scanner: a dotted name, a model or a model instance behind an expression."""

from __future__ import annotations

from typing import Iterable, Optional

import libcst as cst

from ..ir import Model
from .cst_tools import _named
from . import model_refs, model_source
from .. import querysets as Q
from .scan_index import Ctx, GET_OBJECT, GET_USER_MODEL


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
            if type(node) is cst.Call and not node.args and type(node.func) is cst.Attribute \
                    and type(node.func.value) is cst.Name and node.func.value.value == "self":
                return self.returned_instance(ci, node.func.attr.value)  # self.get_forum(): what it returns
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

    def returned_instance(self, ci: model_refs.ClassInfo, method: str) -> Optional[Model]:
        """The model whose row ``self.<method>()`` returns, when every ``return`` of that method of the class (or
        of a base among the scanned sources) gives a row of one model: ``return self.forum`` (an attribute of
        ``self`` named after its model), ``return get_object_or_404(Forum, ...)``, ``return Forum.objects.get(...)``."""
        fn = model_source.method_def(self.index.classes, ci.qualname, method) if ci.qualname else None
        if fn is None or id(fn) in self.inlining:
            return None
        self.inlining.add(id(fn))
        try:
            ctx = Ctx(function=f"{ci.qualname}.{method}", locals=set(), params={"self"})
            found = [self.row_model(value, ctx) if value is not None else None for value in model_source.returns(fn)]
        finally:
            self.inlining.discard(id(fn))
        return found[0] if found and found[0] is not None and all(m is found[0] for m in found) else None

    def row_model(self, value: cst.BaseExpression, ctx: Ctx) -> Optional[Model]:
        """The model of the one row an expression gives, in a method with no local facts (see returned_instance)."""
        if type(value) is cst.Call and self.qualified(value.func) in GET_OBJECT and value.args:
            return self.model_ref(value.args[0].value, ctx) if GET_OBJECT[self.qualified(value.func)] == "get" else None
        found = self.chain_site(value, ctx)
        if found is not None:
            (kind, model, *_), ops = found  # (not build(): that emits the sites nested in its arguments)
            return model if kind in ("manager", "related") and ops[-1][0] in Q.INSTANCE_METHODS else None
        model = self.instance_model(value, ctx)
        if model is None and type(value) is cst.Attribute and _named(value.value, "self") and type(value.value) is cst.Name:
            model = self.index.by_instance_name.get(value.attr.value)  # self.forum, set by the method itself
        return model
