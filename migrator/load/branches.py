"""Branches for the QuerySet scanner: the state a branching statement leaves (flows, arms), and the rules
that decide when a refinement under ``if`` is an exact optional filter. Pure functions over libcst/ast
nodes and IR calls; the merge itself is ``FileScanner.merge`` (it needs the file's positions)."""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Optional, Sequence

import libcst as cst

from ..ir import Call, Model
from .cst_tools import _SCOPES, children, is_a, reads, walk

class Reason(str):
    """A reason code (compares as the plain code) that carries its own explanation for this site."""

    detail: str = ""

    def __new__(cls, code: str, detail: str = "") -> "Reason":
        out = super().__new__(cls, code)
        out.detail = detail
        return out


@dataclass
class Flow:
    """A QuerySet held in a local variable, refined statement by statement.

    A flow is never changed in place: each binding makes a new one, whose ``parent`` is the flow it
    refines (None for a fresh chain). Alternative branches run from the same state and are merged
    where they join again (``FileScanner.merge``), so a refinement is conditional only as a whole
    statement about the branch it ran in, never through a call-by-call guess.
    """

    model: Optional[Model]
    root: str
    manager: str
    related_from: str
    calls: list[Call]
    reasons: list[str] = field(default_factory=list)
    line: int = 0
    column: int = 0
    parent: Optional["Flow"] = None
    # the other shapes the variable may hold after a merge that reported it (ASSIGNED_IN_BRANCHES...):
    # (shape, its reason); each is reported as a site of its own where the variable is evaluated
    alternatives: tuple = ()
    source: str = ""  # the code of the chain, when one statement bound it from a manager (a subquery to inline)

    def extends(self, other: "Flow") -> bool:
        """Whether this flow is ``other`` refined further (``qs = qs.filter(...)`` from it)."""
        cur = self.parent
        while cur is not None:
            if cur is other:
                return True
            cur = cur.parent
        return False


@dataclass
class Arm:
    """One way through a branching statement: where it runs, and the flows it leaves behind."""

    kind: str  # if | elif | else | try | except | case | loop | none (no branch ran)
    label: str  # source of the test (``owner``), ``except ValueError``, ``case "x"``...
    line: int
    flows: dict[str, Flow]
    cond: str = ""  # the condition under which this way runs, as a call's ``condition`` shows it




_LEAVE = (cst.Return, cst.Raise, cst.Continue, cst.Break)


def leaves(body) -> bool:
    """Whether a block never falls through to the statement after it (return, raise, break, continue)."""
    stmts = body.body if type(body) is cst.IndentedBlock else [body]
    if not stmts:
        return False
    last = stmts[-1]
    if type(last) is cst.SimpleStatementLine:
        return bool(last.body) and type(last.body[-1]) in _LEAVE
    if is_a(last, cst.BaseSmallStatement):
        return type(last) in _LEAVE
    if type(last) is cst.If:
        orelse = last.orelse
        if orelse is None or not leaves(last.body):
            return False
        return leaves(orelse.body) if type(orelse) is cst.Else else leaves(cst.IndentedBlock(body=[orelse]))
    return False


def self_refined(body) -> set[str]:
    """Names a loop body rebinds from themselves (``qs = qs.filter(...)``, ``qs &= ...``), nested functions aside."""
    out: set[str] = set()
    for node in walk(body, _SCOPES):
        if type(node) is cst.Assign and len(node.targets) == 1 and type(node.targets[0].target) is cst.Name:
            name = node.targets[0].target.value
            if name in reads(node.value):
                out.add(name)
        elif type(node) is cst.AugAssign and type(node.target) is cst.Name:
            out.add(node.target.value)
    return out


OPAQUE = "?"  # flows["?qs"]: qs was last bound to a value the tool does not follow (not a QuerySet it knows)


def is_none(node: cst.BaseExpression) -> bool:
    return type(node) is cst.Name and node.value == "None"


def mark(calls: list[Call], before: Optional[Flow], cond: str) -> list[Call]:
    """The calls a branch added after ``before``, marked with its condition (shown in reports; a site whose
    flow carries a reason code is never compiled, so the marks translate nothing)."""
    n = len(before.calls) if before is not None and len(calls) >= len(before.calls) else 0
    return calls[:n] + [c if c.condition else replace(c, condition=cond) for c in calls[n:]]


# Reasons about branches rank after the chain's own reasons of the same kind (DYNAMIC_FIELD...).
BRANCH_REASONS = ("BRANCH_DEPENDENT", "FLAG_CONDITION", "CONDITIONAL_SHAPE", "CONDITIONAL_JOIN", "PASSED_TO_HELPER")


def arm_text(arm: Arm) -> str:
    return {"if": f"if {arm.label}", "elif": f"elif {arm.label}", "none": arm.label, "try": "try body"}.get(
        arm.kind, arm.label)


_BUILTINS = set(dir(builtins))


def idents(names: Iterable[str]) -> set[str]:
    """Identifiers among an Arg's runtime names (which also hold the text of calls: ``int(request.GET["y"])``)."""
    out: set[str] = set()
    for n in names:
        out |= {m for m in re.findall(r"[A-Za-z_]\w*", re.sub(r"(['\"]).*?\1", "", n)) if m not in _BUILTINS}
    return out


def presence_names(test: str) -> Optional[set[str]]:
    """Names a presence test reads (``x``, ``x is not None``, ``x != None``, ``a and b``), None for any other test."""
    try:
        node = ast.parse(test, mode="eval").body
    except SyntaxError:
        return None
    terms = node.values if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And) else [node]
    out: set[str] = set()
    for t in terms:
        if isinstance(t, ast.Compare):
            if not (len(t.ops) == 1 and isinstance(t.ops[0], (ast.IsNot, ast.NotEq))
                    and isinstance(t.comparators[0], ast.Constant) and t.comparators[0].value is None):
                return None
            t = t.left
        if any(isinstance(n, (ast.BoolOp, ast.Compare, ast.UnaryOp, ast.Lambda, ast.IfExp, ast.NamedExpr))
               for n in ast.walk(t)):
            return None
        out |= {n.id for n in ast.walk(t) if isinstance(n, ast.Name) and n.id not in _BUILTINS}
    return out


def runtime_q(source: str) -> Optional[list[tuple[str, set[str]]]]:
    """(source, names read) of each lookup of a positional filter argument made of runtime lookups only:
    ``Q(a=x) | Q(b=x)``, no ``~`` (each optional lookup is wrapped as ``(x IS NULL OR ...)``, which is only
    right under AND and OR); None for anything else."""
    try:
        node = ast.parse(source, mode="eval").body
    except SyntaxError:
        return None
    leaves: list[tuple[str, set[str]]] = []

    def ok(n: ast.AST) -> bool:
        if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.BitOr, ast.BitAnd)):
            return ok(n.left) and ok(n.right)
        if isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", "")) == "Q":
            if not n.keywords or n.args or any(k.arg is None or _literal(k.value) for k in n.keywords):
                return False
            leaves.extend((ast.unparse(k.value), {x.id for x in ast.walk(k.value) if isinstance(x, ast.Name)}
                           - _BUILTINS) for k in n.keywords)
            return True
        return False

    return leaves if ok(node) else None


def _literal(node: ast.AST) -> bool:
    try:
        ast.literal_eval(node)
        return True
    except (ValueError, SyntaxError, TypeError):
        return False


def optional_problem(calls: Sequence[Call], test: str, derived: dict[str, set[str]]) -> Optional[tuple[str, str]]:
    """Why ``calls`` under ``if test`` are not optional filters (applied exactly when their values are given)."""
    per_arg: list[tuple[str, set[str]]] = []
    for c in calls:
        if c.condition:
            return ("BRANCH_DEPENDENT", f"`{c.method}()` is already under `if {c.condition}`; nested conditions "
                                        "are not optional filters")
        if c.method == "all" and not c.args:  # a no-op
            continue
        if c.method != "filter":
            return ("CONDITIONAL_SHAPE", f"`{c.method}()` under a condition changes the query itself "
                                         "(only filter() becomes an optional filter)")
        if not c.args:
            return ("FLAG_CONDITION", "`filter()` without arguments holds no value the condition could test")
        for a in c.args:
            leaves = runtime_q(a.source) if not a.keyword else [(a.source, idents(a.names))]
            if a.keyword in ("*", "**") or a.kind != "runtime" or leaves is None:
                return ("FLAG_CONDITION", f"`{a.source}` is not a runtime value the condition tests: the filter "
                                          "would apply whatever the condition says")
            per_arg += leaves
    tested = presence_names(test)
    if tested is None:
        return ("FLAG_CONDITION", f"`{test}` is not a check that a value is given (`x`, `x is not None`)")
    if not tested:
        return ("FLAG_CONDITION", f"`{test}` reads no value of the filter")
    # Each lookup becomes `(value IS NULL OR lookup)` on its own: exact only when the test checks the
    # values of every lookup and nothing else (`if x and y: filter(a=x, b=y)` would apply a alone when
    # only x is given; `if x: filter(a=x, b=y)` would apply b when only y is given).
    for source, names in per_arg:
        closure = set(names)
        for _ in range(3):  # q = request.GET["q"]: the test may check what a value was computed from
            closure |= {d for n in list(closure) for d in derived.get(n, ())}
        if not tested <= closure:
            return ("FLAG_CONDITION", f"`{test}` is not exactly the presence of `{source}`: that lookup, "
                                      "as an optional filter, would apply by another rule")
    return None


# Builtins that evaluate a QuerySet whole: list(qs), len(qs)...
EVALUATORS = {"list", "tuple", "set", "frozenset", "len", "bool", "sorted", "sum", "any", "all", "enumerate",
              "iter", "next", "reversed", "max", "min", "dict", "zip", "map", "filter", "str", "repr", "print"}


def only_evaluated(body: cst.CSTNode, name: str) -> bool:
    """Whether every use of ``name`` in a function body evaluates it whole, as a QuerySet: iterated
    (``for r in name``, comprehensions), handed to ``list``/``len``/... , or tested (``if name``).
    Anything else (``name.filter()``, ``name[:10]``, returned, passed on, rebound, used in a nested
    function) may refine it."""
    stack: list[tuple[cst.CSTNode, tuple[cst.CSTNode, ...]]] = [(body, ())]
    while stack:
        node, parents = stack.pop()
        if type(node) is cst.Name and node.value == name:
            parent = parents[-1] if parents else None
            grand = parents[-2] if len(parents) > 1 else None
            if any(type(p) in _SCOPES for p in parents):
                return False
            if type(parent) in (cst.For, cst.CompFor) and parent.iter is node:
                continue
            if type(parent) in (cst.If, cst.While, cst.IfExp) and parent.test is node:
                continue
            if (type(parent) is cst.Arg and parent.keyword is None and not parent.star and type(grand) is cst.Call
                    and type(grand.func) is cst.Name and grand.func.value in EVALUATORS and len(grand.args) == 1):
                continue
            return False
        kids = children(node)
        stack.extend((k, (*parents, node)) for k in kids)
    return True
