"""The join of a branching statement's ways (scan_flow's if/try/match/loops): the flow each QuerySet variable
has after it, as static, conditional (optional filters, when exact) or reported shapes. A mixin of
scan_flow.FlowTracking (it reads the scanner's rel and index)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional, Sequence

from ..ir import Call, Model
from .branches import OPAQUE, Arm, Flow, Reason, arm_text, mark, optional_problem
from .scan_index import Ctx


class FlowMerging:
    """merge() and the conditional shape it allows."""

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
