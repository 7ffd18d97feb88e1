"""Sites inside expressions: shortcuts (get_object_or_404), combinations (qs | qs2, union), uncalled
manager methods passed as values, lambdas, and QuerySets handed to the project's helpers."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

import libcst as cst

from .. import querysets as Q
from ..ir import Call
from .branches import EVALUATORS, Flow, Reason
from .cst_tools import _named, children, is_a
from . import model_refs
from .scan_index import Ctx, NO_ARGUMENT_QUERIES

VALUE_WRAPPERS = {"Subquery", "Exists"}  # expressions holding a QuerySet as part of another query


class ExpressionSites:
    """Finds sites inside expressions for FileScanner. A mixin: it reads the state FileScanner sets up (index, pos, code, scopes, ctx, sites)."""

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
            if type(node) is cst.Call and self.expression_value(node, ctx):
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

    def expression_value(self, node: cst.Call, ctx: Ctx) -> bool:
        """``Subquery(qs)`` / ``Exists(qs)`` outside a chain's arguments (helpdesk's ``last_followup_subquery()``
        returns one, the caller annotates with it): the QuerySet is part of the query the expression is placed
        in, never evaluated on its own (with an ``OuterRef`` Django refuses to), so its site carries
        QUERYSET_AS_VALUE, as a QuerySet in a chain's arguments does (scan_chains.nested_querysets)."""
        name = node.func.attr.value if type(node.func) is cst.Attribute else getattr(node.func, "value", "")
        if name not in VALUE_WRAPPERS or not node.args or node.args[0].keyword is not None:
            return False
        arg = node.args[0].value
        if type(arg) is cst.Name and arg.value in ctx.flows:
            found = (("flow", None, arg.value, "", ""), [])
        else:
            found = self.chain_site(arg, ctx) if type(arg) in (cst.Call, cst.Subscript) else None
        if found is None or (found[1] and found[1][-1][0] in Q.TERMINAL_METHODS):
            return False
        model, root, manager, rf, calls, reasons, cond = self.build(*found, ctx)
        reason = Reason("QUERYSET_AS_VALUE", f"`{self.code(arg)}` is used as a value in `{name}()` at "
                        f"{self.rel}:{self.pos[node].start.line}: part of the query the expression is placed in, "
                        "not evaluated on its own")
        self.emit(arg, model, root, manager, rf, calls, ctx, [*reasons, reason], cond)
        for a in node.args[1:]:
            self.scan_expr(a.value, ctx)
        return True

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
