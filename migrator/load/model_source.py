"""What a project's source says about its models' classes, read without the scanner: the names of registry
loaders, the bindings of a scope, class bodies, and the project's own manager / QuerySet methods (whether each
is a plain QuerySet chain). The scanner's index (scan_index), model_refs and instances all build on it."""

from __future__ import annotations

from typing import Iterable, Iterator, Optional, Sequence

import libcst as cst

from ..ir import Model
from ..querysets import KNOWN_METHODS, QUERYSET_METHODS
from .cst_tools import _SCOPES, walk


# (app_label, model_name) or ("app_label.ModelName"): django.apps.apps.get_model and project wrappers
LABEL_LOADERS = {"get_model", "get_registered_model"}
# (module_label, class name | [class names]): oscar / machina class loaders


def loader_name(func: cst.BaseExpression) -> str:
    """The called name: ``get_model`` for ``apps.get_model`` / ``get_model`` / ``core.get_model``."""
    if type(func) is cst.Name:
        return func.value
    if type(func) is cst.Attribute:
        return func.attr.value
    return ""


def _assignments(statements: Iterable[cst.CSTNode]) -> Iterator[tuple[cst.BaseExpression, Optional[cst.BaseExpression]]]:
    """(target, value) of every binding in these statements, nested functions and classes left out;
    value None for bindings that are not a plain assignment (for targets, with, imports, augmented...)."""
    for stmt in statements:
        if type(stmt) in _SCOPES:
            continue
        for node in walk(stmt, _SCOPES):
            t = type(node)
            if t is cst.Assign:
                for target in node.targets:
                    yield target.target, node.value
            elif t is cst.AnnAssign:
                yield node.target, node.value
            elif t in (cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr):
                yield node.target, None
            elif t is cst.AsName:
                yield node.name, None  # type: ignore[misc]


def concrete_subclasses(models: Sequence[Model]) -> dict[str, tuple[Model, ...]]:
    """Dotted path of each abstract model -> the concrete (or unmanaged) models that inherit it; proxies
    left out (they share their concrete model's table)."""
    out: dict[str, list[Model]] = {}
    for mo in models:
        if mo.kind in ("concrete", "unmanaged"):
            for base in mo.abstract_bases:
                out.setdefault(base, []).append(mo)
    return {k: tuple(sorted(v, key=lambda m: m.label)) for k, v in out.items()}


def class_body(node: cst.ClassDef) -> list[cst.CSTNode]:
    return list(node.body.body) if type(node.body) is cst.IndentedBlock else [node.body]


def single_return(fn: cst.FunctionDef) -> Optional[cst.BaseExpression]:
    """The expression of a method whose body (docstring aside) is one ``return <expr>``."""
    stmts = [s for s in (fn.body.body if type(fn.body) is cst.IndentedBlock else [fn.body])]
    if stmts and type(stmts[0]) is cst.SimpleStatementLine and type(stmts[0].body[0]) is cst.Expr \
            and type(stmts[0].body[0].value) in (cst.SimpleString, cst.ConcatenatedString):
        stmts = stmts[1:]
    if len(stmts) != 1 or type(stmts[0]) is not cst.SimpleStatementLine or len(stmts[0].body) != 1:
        return None
    ret = stmts[0].body[0]
    return ret.value if type(ret) is cst.Return and ret.value is not None else None


def returns(fn: cst.FunctionDef) -> list[Optional[cst.BaseExpression]]:
    """The value of each ``return`` of ``fn`` (None for a bare one), nested functions and classes left out."""
    return [n.value for n in walk(fn.body, _SCOPES) if type(n) is cst.Return]


def method_def(classes: dict, class_path: str, name: str, seen: Optional[set] = None) -> Optional[cst.FunctionDef]:
    """The definition of ``name`` on the class ``class_path`` or its bases, among the scanned sources."""
    seen = set() if seen is None else seen
    if class_path in seen or class_path not in classes:
        return None
    seen.add(class_path)
    node, bases, _qs = classes[class_path]
    for stmt in class_body(node):
        if type(stmt) is cst.FunctionDef and stmt.name.value == name:
            return stmt
    for base in bases:
        found = method_def(classes, base, name, seen)
        if found is not None:
            return found
    return None


def returned_class(fn: Optional[cst.FunctionDef], qualified) -> str:
    """``def get_queryset(self): return ArticleQuerySet(self.model, using=self._db)[.order_by(...)]``:
    the dotted path of the QuerySet class a manager builds ("" when not that shape)."""
    expr = single_return(fn) if fn is not None else None
    while type(expr) is cst.Call and type(expr.func) is cst.Attribute:
        expr = expr.func.value
    return (qualified(expr.func) or "") if type(expr) is cst.Call else ""


def _verdict(classes: dict, paths: tuple[str, ...], qs_paths: tuple[str, ...], name: str, busy: set) -> str:
    fn = next((f for f in (method_def(classes, p, name) for p in paths if p) if f is not None), None)
    if fn is None:
        return "unknown"
    if (paths, name) in busy:
        return "opaque"
    busy.add((paths, name))
    expr = single_return(fn)
    if expr is None:
        return "opaque"
    ops: list[str] = []
    cur = expr
    while type(cur) is cst.Call and type(cur.func) is cst.Attribute:
        ops.append(cur.func.attr.value)
        cur = cur.func.value
    ops.reverse()
    is_self = type(cur) is cst.Name and cur.value == "self"
    is_super = type(cur) is cst.Call and type(cur.func) is cst.Name and cur.func.value == "super" and not cur.args
    if not ops or not (is_self or is_super) or (is_super and ops[0] != "get_queryset"):
        return "opaque"
    where = paths
    if ops[0] == "get_queryset":  # the rest runs on the manager's QuerySet
        ops, where = ops[1:], qs_paths
    for op in ops:
        if op not in QUERYSET_METHODS and _verdict(classes, where, qs_paths, op, busy) != "chain":
            return "opaque"
    return "chain"


def custom_method_verdict(classes: dict, model: Model, name: str) -> str:
    """``chain`` when the project's definition of the custom manager / QuerySet method is ``return
    <QuerySet chain on self>`` (``self.filter(...)``, ``self.get_queryset().active()``), ``opaque`` when it
    is anything else (branches, loops, Python values), ``unknown`` when its source was not scanned."""
    out = "unknown"
    for mg in model.managers:
        qs_paths = tuple(p for p in (classes.get(mg.class_path, (None, (), ""))[2], mg.queryset_class) if p)
        for paths in (qs_paths, (mg.class_path,)):
            v = _verdict(classes, paths, qs_paths, name, set())
            if v == "chain":
                return v
            if v == "opaque":
                out = v
    return out


def source_queryset_methods(classes: dict, model: Model) -> frozenset[str]:
    """Public methods of the QuerySet classes the model's managers build in their own get_queryset()
    (``return AccountQuerySet(self.model, using=self._db)``), found in the scanned sources."""
    out: set[str] = set()
    for mg in model.managers:
        path = classes.get(mg.class_path, (None, (), ""))[2]
        seen: set[str] = set()
        while path and path in classes and path not in seen:
            seen.add(path)
            node, bases, _qs = classes[path]
            out |= {st.name.value for st in class_body(node) if type(st) is cst.FunctionDef
                    and not st.name.value.startswith("_")}
            path = next((b for b in bases if b in classes), "")
    return frozenset(out - KNOWN_METHODS.keys())
