"""A site in a base class that reads an attribute each subclass sets: one static site per subclass.

django-postman's ``DisplayMixin.get`` runs ``Message.objects.thread(user, self.filter)``; ``MessageView`` and
``ConversationView`` each set ``self.filter`` in their own ``get`` and then call ``super().get(...)``::

    class MessageView(DisplayMixin, TemplateView):
        def get(self, request, message_id, *args, **kwargs):
            self.filter = Q(pk=message_id)
            return super().get(request, *args, **kwargs)

What the mixin's query is depends on the subclass running it, so the mixin's site is dynamic
(SUBCLASS_ATTRIBUTE); each subclass's is exact: the site with ``self.filter`` replaced by the expression that
subclass assigns, compiled by Django like any other (``<site id>/<Subclass>``). Only this shape is read: the
assignment a top-level statement of the subclass's method of the same name, before the statement that calls
``super().<method>(...)``, the only binding of the attribute in that class; or a class attribute. Anything else
leaves the site as it was.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Optional

import libcst as cst

from ..ir import Arg, QuerySetSite

SEP = "/"


def _self_attr(source: str) -> str:
    parts = source.strip().split(".")
    return parts[1] if len(parts) == 2 and parts[0] == "self" and parts[1].isidentifier() else ""


def _method(klass: cst.ClassDef, name: str) -> Optional[cst.FunctionDef]:
    return next((n for n in klass.body.body if isinstance(n, cst.FunctionDef) and n.name.value == name), None)


def _binds(node: cst.CSTNode, attr: str) -> list[cst.CSTNode]:
    """The ``self.<attr> = ...`` statements anywhere under ``node``."""
    found: list[cst.CSTNode] = []

    class Visit(cst.CSTVisitor):
        def visit_Assign(self, n: cst.Assign) -> None:
            for t in n.targets:
                if cst.ensure_type(t, cst.AssignTarget) and _is_self_attr(t.target, attr):
                    found.append(n)

        def visit_AugAssign(self, n: cst.AugAssign) -> None:
            if _is_self_attr(n.target, attr):
                found.append(n)
    node.visit(Visit())
    return found


def _is_self_attr(target: cst.BaseExpression, attr: str) -> bool:
    return isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and \
        target.value.value == "self" and target.attr.value == attr


def _class_value(klass: cst.ClassDef, attr: str) -> Optional[cst.BaseExpression]:
    for st in klass.body.body:
        for small in getattr(st, "body", ()) if isinstance(st, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == attr
                                                     for t in small.targets):
                return small.value
            if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and \
                    small.target.value == attr and small.value is not None:
                return small.value
    return None


def _calls_super(node: cst.CSTNode, method: str) -> bool:
    code = cst.Module(body=[]).code_for_node(node)
    return f"super().{method}(" in code.replace(" ", "")


def assigned(klass: cst.ClassDef, method: str, attr: str) -> Optional[cst.BaseExpression]:
    """The expression ``klass`` gives ``self.<attr>`` before its ``method`` runs the base's (module docstring)."""
    value = _class_value(klass, attr)
    binds = _binds(klass, attr)
    if value is not None:
        return value if not binds else None
    func = _method(klass, method)
    if func is None or len(binds) != 1:
        return None
    body = list(func.body.body)
    at = next((i for i, st in enumerate(body) if isinstance(st, cst.SimpleStatementLine)
               and any(b in st.body for b in binds)), None)
    if at is None or len(body[at].body) != 1 or not any(_calls_super(st, method) for st in body[at + 1:]):
        return None
    return binds[0].value


def _names(expr: cst.BaseExpression) -> tuple[str, ...]:
    out: list[str] = []

    class Visit(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            if n.value not in out and n.value not in ("Q", "F", "None", "True", "False"):
                out.append(n.value)

        def visit_Attribute(self, n: cst.Attribute) -> bool:
            n.value.visit(self)
            return False

        def visit_Arg(self, n: cst.Arg) -> bool:  # Q(pk=x): `pk` is a keyword, not a name read
            n.value.visit(self)
            return False
    expr.visit(Visit())
    return tuple(out)


def subclass_sites(sites: Iterable[QuerySetSite], module_of: dict[str, str], classes: dict) -> list[QuerySetSite]:
    """``sites`` with each base-class site read per subclass (module docstring). ``module_of``: file -> module;
    ``classes``: qualified class name -> (ClassDef, qualified base names, ...) of the project's modules."""
    out: list[QuerySetSite] = []
    for site in sites:
        extra = _per_subclass(site, module_of, classes)
        if extra:
            out.append(replace(site, kind="dynamic", reason="SUBCLASS_ATTRIBUTE", explanation=(
                "reads an attribute each subclass sets: one site per subclass (" + ", ".join(
                    s.function.split(".")[0] for s in extra) + ")")))
            out += extra
        else:
            out.append(site)
    return out


def _per_subclass(site: QuerySetSite, module_of: dict[str, str], classes: dict) -> list[QuerySetSite]:
    if site.kind not in ("static", "conditional") or site.function.count(".") != 1 or SEP in site.id.rsplit(":", 1)[-1]:
        return []
    base_name, method = site.function.split(".")
    base = f"{module_of.get(site.file, '')}.{base_name}"
    attrs = {_self_attr(a.source) for c in site.chain for a in c.args if a.kind == "runtime"} - {""}
    if base not in classes or len(attrs) != 1:
        return []
    attr = attrs.pop()
    if _binds(classes[base][0], attr) or _class_value(classes[base][0], attr) is not None:
        return []
    subs = sorted(q for q, (_c, bases, *_rest) in classes.items() if base in bases)
    out = []
    for qual in subs:
        expr = assigned(classes[qual][0], method, attr)
        if expr is None:
            return []  # a subclass that sets it some other way (or not at all): the site stays as it was
        source = cst.Module(body=[]).code_for_node(expr)
        chain = tuple(replace(c, args=tuple(
            Arg("runtime", source, a.keyword, None, _names(expr)) if a.kind == "runtime" and _self_attr(a.source) == attr
            else a for a in c.args)) for c in site.chain)
        name = qual.rsplit(".", 1)[-1]
        out.append(replace(site, id=f"{site.id}{SEP}{name}", function=f"{name}.{method}", chain=chain,
                           explanation=f"`self.{attr}` as {name} sets it"))
    return out
