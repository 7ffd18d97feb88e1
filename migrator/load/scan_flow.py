"""QuerySets held in variables: assignments start or refine a flow; if/try/match/loops branch it and
merge() (load/scan_merge.py) joins the arms into static, conditional or reported shapes."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

import libcst as cst

from .. import querysets as Q
from .branches import OPAQUE, Arm, Flow, Reason, is_none, leaves, self_refined
from .cst_tools import children, is_a, reads, walk
from . import model_refs
from .scan_index import Ctx, GET_OBJECT, GET_USER_MODEL
from .scan_merge import FlowMerging


class FlowTracking(FlowMerging):
    """Tracks QuerySets held in variables, through branches and loops, for FileScanner. A mixin: it reads the state FileScanner sets up (index, pos, code, scopes, ctx, sites)."""

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
        ctx.flows[name] = Flow(model, root, manager, rf, calls, reasons, p.start.line, p.start.column + 1, parent,
                               source=self.code(value) if parent is None else "")
        ctx.flows.pop(OPAQUE + name, None)
        ctx.instances.pop(name, None)
        return True

    def note_instance(self, target: cst.BaseAssignTargetExpression, value: cst.BaseExpression, ctx: Ctx) -> None:
        """Remember variables that hold a model instance, for related managers (``order.lines``)."""
        model = None
        tuple_result = False
        if type(value) is cst.Call and self.qualified(value.func) in GET_OBJECT and value.args:
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
            elif type(value) is cst.Call and self.qualified(value.func) == GET_USER_MODEL:
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
