"""The chain interpreter: a site's calls and argument expressions, run against Django with stand-in values.

Known methods, literals, Q/F and the expression classes of django.db.models; names bound to Q objects
(load.bindings); contrib-manager calls rewritten into plain chains (load.canonical). Never ``eval``: anything
else is a runtime value (a sentinel, load.sentinels) or a NotTranslated with its reason.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass
from typing import Any, Optional

from django.apps import apps
from django.db import models
from django.db.models.expressions import BaseExpression

from .arguments import (_EXPRESSIONS, Q_ARGUMENTS, _builds_expression, _param_name, _resolve_field, _runtime_q,
                        _value_constructor, parse_source)
from . import compile_writes
from .bindings import is_found, local_expression, module_constant, module_expression
from .sentinels import _DATE_PARTS, NotTranslated, Sentinels, Values  # noqa: F401


class Interpreter:
    def __init__(self, site: dict, sentinels: Sentinels, alias: Optional[str] = None):
        self.site = site
        self.s = sentinels
        self.alias = alias
        self.model = apps.get_model(site["model"])
        self._following: set[str] = set()  # names being followed (load.bindings): a = b | a never loops
        self._annotations: dict = {}  # the annotations of the QuerySet a call refines: s_max__lte=date compares with one

    # arguments -----------------------------------------------------------------

    def literal_or_sentinel(self, arg: dict, context_model: type, keyword: str, optional: bool) -> Any:
        return self.expr(parse_source(arg["source"]), context_model, keyword, optional, arg)

    def expr(self, node: ast.AST, model: type, keyword: str, optional: bool, arg: dict) -> Any:
        """Interpret an argument expression: literals, Q/F/aggregates, operators; runtime names -> sentinels."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return self.runtime(node, model, keyword, optional, arg)  # [a, *rest]: one runtime list
            inner = keyword
            for suffix in ("__in", "__range"):  # each element compares with the field itself
                if inner.endswith(suffix):
                    inner = inner[: -len(suffix)]
            items = [self.expr(e, model, inner, optional, arg) for e in node.elts]
            return items if isinstance(node, ast.List) else tuple(items)
        if isinstance(node, ast.Dict):  # defaults={"order": order}: each value compares with its field
            out = {}
            for k, v in zip(node.keys, node.values):
                key = self.expr(k, model, keyword, optional, arg) if k is not None else None
                if key is None:
                    raise NotTranslated("DYNAMIC_KWARGS", "a ** inside a dict literal")
                out[key] = self.expr(v, model, key if isinstance(key, str) else keyword, optional, arg)
            return out
        if isinstance(node, ast.UnaryOp):
            v = self.expr(node.operand, model, keyword, optional, arg)
            if isinstance(node.op, ast.Invert):
                return ~v
            if isinstance(node.op, ast.USub):
                return -v
            raise NotTranslated("UNSUPPORTED_EXPRESSION", f"operator {type(node.op).__name__}")
        if isinstance(node, ast.Name):
            held = self.held(node.id, model, keyword, optional, arg)
            if held is not None:
                return held
        if isinstance(node, ast.BinOp):
            if not self.builds(node):  # start + timedelta(days=1): one runtime value
                return self.runtime(node, model, keyword, optional, arg)
            a, b = (self.operand(side, other, node.op, model, keyword, optional, arg)
                    for side, other in ((node.left, node.right), (node.right, node.left)))
            ops = {ast.BitOr: lambda: a | b, ast.BitAnd: lambda: a & b, ast.Add: lambda: a + b,
                   ast.Sub: lambda: a - b, ast.Mult: lambda: a * b, ast.Div: lambda: a / b}
            if type(node.op) not in ops:
                raise NotTranslated("UNSUPPORTED_EXPRESSION", f"operator {type(node.op).__name__}")
            if isinstance(node.op, (ast.BitOr, ast.BitAnd)) and any(
                    not isinstance(v, (models.Q, BaseExpression, models.QuerySet)) for v in (a, b)):
                raise NotTranslated("DYNAMIC_Q", f"`{ast.unparse(node)}` combines a Q object the tool cannot follow "
                                    "(bound in branches, grown with |= or &=, or returned by a function)")
            return ops[type(node.op)]()
        if isinstance(node, ast.Call):
            fname = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            constructor = _value_constructor(node)
            if constructor is not None:
                return constructor(*[a.value for a in node.args], **{k.arg: k.value.value for k in node.keywords})
            if fname in _EXPRESSIONS:
                args = [self.expr(a, model, "", optional, arg) for a in node.args]
                kwargs = {}
                for kw in node.keywords:
                    if kw.arg is None:
                        raise NotTranslated("DYNAMIC_KWARGS", "**kwargs inside an expression")
                    sub_opt = optional
                    kwargs[kw.arg] = self.value_for(kw.value, model, kw.arg, sub_opt, arg) \
                        if fname == "Q" else self.expr(kw.value, model, kw.arg, optional, arg)
                return _EXPRESSIONS[fname](*args, **kwargs)
        if isinstance(node, ast.Attribute):  # Order.Status.PAID and other constants
            const = self.constant(node)
            if const is not None:
                return const
        if isinstance(node, ast.Call):  # Exists(M.objects.filter(...)), x__in=M.objects.values("id"), union(...)
            inner = self.nested(node)
            if inner is None:
                inner = self.manager_q(node, optional, arg)
            if inner is not None:
                return inner
        if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call, ast.Compare, ast.BoolOp,
                             ast.IfExp, ast.JoinedStr)):
            return self.runtime(node, model, keyword, optional, arg)
        raise NotTranslated("UNSUPPORTED_EXPRESSION", f"cannot interpret `{ast.unparse(node)}`")

    def operand(self, node: ast.AST, other: ast.AST, op: ast.operator, model: type, keyword: str, optional: bool,
                arg: dict) -> Any:
        """One side of an operator. A runtime value added to or taken from a date, datetime or time expression
        (``original_start=F("original_start") + dts``) is a duration, not a value of the field."""
        if isinstance(op, (ast.Add, ast.Sub)) and keyword and not self.builds(node) and self.builds(other):
            fld, _lookup = _resolve_field(model, keyword)
            if fld is not None and fld.get_internal_type() in ("DateField", "DateTimeField", "TimeField"):
                source = ast.unparse(node)
                return self.s.make(_param_name(source, keyword), source, None, "duration", optional)
        return self.expr(node, model, keyword, optional, arg)

    def builds(self, node: ast.AST) -> bool:
        """Whether an operator expression combines Django expressions, directly or through names bound to them."""
        return _builds_expression(node) or any(
            isinstance(n, ast.Name) and self.held(n.id, None, "", False, {}, probe=True) is not None
            for n in ast.walk(node))

    def held(self, name: str, model: Optional[type], keyword: str, optional: bool, arg: dict,
             probe: bool = False) -> Any:
        """A Q object or expression a name holds (load.bindings), interpreted; None when it holds a runtime value."""
        if name in self._following or "line" not in self.site:
            return None
        if isinstance(self.s, Values) and name in self.s.values:
            # the compile bound this name as one runtime value (its value is given under its name): replay it so.
            # Following its binding here instead depended on what the process had imported: the loader could not
            # read oauth2_provider's clearcimdapplications (its package not imported), the Django side of parity
            # could after its first case, and then asked for values of `locked - live` the query never took
            return None
        found = local_expression(self.site, name)
        if found is not None and self.builds_tree(found):
            if probe:
                return True
            self._following.add(name)
            try:
                return self.expr(found, model, keyword, optional, arg)
            finally:
                self._following.discard(name)
        value = module_constant(self.site, name, load=isinstance(self.s, Values)) if found is None else None
        if value is not None and is_found(value) and isinstance(value, (models.Q, BaseExpression)):
            return True if probe else copy.deepcopy(value)
        source = module_expression(self.site, name) if found is None and not is_found(value) else None
        if source is None or not self.builds_tree(source):
            return None
        # a module constant from its source: only literals and expression classes (a name in it would be read at
        # import time, not passed by a caller)
        before = (len(self.s.items), dict(self.s.by_name))
        self._following.add(name)
        try:
            held = self.expr(source, model, keyword, optional, arg)
        except NotTranslated:
            held = None
        finally:
            self._following.discard(name)
        if len(self.s.items) != before[0] or held is None:
            del self.s.items[before[0]:]
            self.s.by_name = before[1]
            return None
        return True if probe else held

    def builds_tree(self, node: ast.AST) -> bool:
        self._following.add("")  # a marker: recursion through names is bounded by _following
        try:
            return self.builds(node)
        finally:
            self._following.discard("")

    def value_for(self, node: ast.AST, model: type, keyword: str, optional: bool, arg: dict) -> Any:
        return self.expr(node, model, keyword, optional, arg)

    def constant(self, node: ast.Attribute) -> Any:
        """``Model.Choices.MEMBER`` read from the model registry (a constant, not a runtime value)."""
        parts = []
        cur: ast.AST = node
        while isinstance(cur, ast.Attribute):
            parts.append(cur.attr)
            cur = cur.value
        if not isinstance(cur, ast.Name):
            return None
        parts.append(cur.id)
        parts.reverse()
        for m in apps.get_models():
            if m.__name__ == parts[0]:
                obj: Any = m
                for p in parts[1:]:
                    obj = getattr(obj, p, None)
                    if obj is None:
                        return None
                if isinstance(obj, (str, int, float, bool)) or hasattr(obj, "value"):
                    return getattr(obj, "value", obj)
        return None

    def runtime(self, node: ast.AST, model: type, keyword: str, optional: bool, arg: dict) -> Any:
        source = ast.unparse(node)
        name = _param_name(source, keyword)
        fld, lookup = _resolve_field(model, keyword) if keyword else (None, "exact")
        if fld is None and keyword:
            fld, lookup = self.annotated(keyword, lookup)
        if lookup == "range":
            lo = self.s.make(name + "_from", source + "[0]", fld, "exact", optional)
            hi = self.s.make(name + "_to", source + "[1]", fld, "exact", optional)
            return (lo, hi)
        if fld is not None and hasattr(fld, "ct_field") and hasattr(fld, "fk_field"):  # a GenericForeignKey: two columns
            return self.generic(fld, name, source, keyword, lookup, optional)
        value = self.s.make(name, source, fld, lookup, optional)
        if fld is not None and fld.is_relation and not fld.many_to_many and keyword.split("__")[-1] == fld.name \
                and lookup == "exact":
            return fld.related_model(pk=value)  # Django wants an instance for create(fk=...)
        return value

    def annotated(self, keyword: str, lookup: str) -> tuple[Optional[models.Field], str]:
        """``s_max__lte=date`` after ``annotate(s_max=Max("sender_deleted_at"))``: the value compares with the
        annotation, so its stand-in has the annotation's type (a datetime here, not the int of an unknown name)."""
        name, _, rest = keyword.partition("__")
        try:
            fld = self._annotations[name].output_field
        except Exception:  # noqa: BLE001 - no such annotation, or one whose type Django cannot tell
            return None, lookup
        return fld, rest or "exact"

    def generic(self, fld, name: str, source: str, keyword: str, lookup: str, optional: bool) -> "_Generic":
        """``create(content_object=obj)``: Django writes obj's content type (get_for_model, cached) and primary key;
        the Go caller passes both."""
        if keyword != fld.name or lookup != "exact":
            raise NotTranslated("UNSUPPORTED_EXPRESSION", f"a lookup through the generic relation `{keyword}`")
        opts = fld.model._meta
        ct_field, fk_field = opts.get_field(fld.ct_field), opts.get_field(fld.fk_field)
        ct = self.s.make(f"{name}_content_type", f"ContentType.objects.get_for_model({source}).pk", ct_field, "exact",
                         optional)
        pk = self.s.make(f"{name}_pk", f"({source}).pk", fk_field, "exact", optional)
        return _Generic({fld.ct_field: ct_field.related_model(pk=ct), fld.fk_field: pk})

    # chain ----------------------------------------------------------------------

    def nested(self, node: ast.Call) -> Optional[models.QuerySet]:
        """A QuerySet written inside an argument, ``Model.objects.<QuerySet methods>(...)``: part of the same
        query (a subquery, a combination), interpreted with the same stand-ins; None for anything else."""
        from ..querysets import QUERYSET_METHODS

        calls: list[ast.Call] = []
        cur: ast.AST = node
        while isinstance(cur, ast.Call) and isinstance(cur.func, ast.Attribute):
            calls.append(cur)
            cur = cur.func.value
        if not (calls and isinstance(cur, ast.Attribute) and cur.attr in ("objects", "_default_manager")):
            return None
        name = cur.value.attr if isinstance(cur.value, ast.Attribute) else getattr(cur.value, "id", None)
        if any(c.func.attr not in QUERYSET_METHODS for c in calls):
            return None  # a value (get(), count(), a project method): evaluated on its own, a runtime value
        found = [m for m in apps.get_models() if m.__name__ == name]
        if len(found) != 1 or any(c.func.attr == "using" for c in calls):
            # a subquery must not become a parameter: the scanner lets only what this follows reach compile
            raise NotTranslated("QUERYSET_AS_VALUE", f"`{ast.unparse(node)}` is a QuerySet the tool cannot follow "
                                "inside this query")
        sub = Interpreter(dict(self.site, model=found[0]._meta.label, related_from="", chain=[]), self.s, self.alias)
        sub._following = self._following
        qs = getattr(found[0], cur.attr).all()
        for c in reversed(calls):
            args = [{"kind": "runtime", "source": ast.unparse(a.value if isinstance(a, ast.Starred) else a),
                     "keyword": "*" if isinstance(a, ast.Starred) else "", "value": None} for a in c.args]
            args += [{"kind": "runtime", "source": ast.unparse(k.value), "keyword": k.arg or "**", "value": None}
                     for k in c.keywords]
            qs = sub.call(qs, {"method": c.func.attr, "args": args, "condition": ""})
        return qs

    def manager_q(self, node: ast.Call, optional: bool, arg: dict) -> Optional[models.Q]:
        """``M.objects.perms(user)``: a project manager method that builds a Q from its arguments, called with
        the stand-ins (its queries, if any, are caught as CUSTOM_QUERIES); None when it gives anything else."""
        from ..querysets import KNOWN_METHODS

        func = node.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute)
                and func.value.attr in ("objects", "_default_manager") and func.attr not in KNOWN_METHODS):
            return None
        owner = func.value.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        found = [m for m in apps.get_models() if m.__name__ == name]
        fn = getattr(getattr(found[0], func.value.attr), func.attr, None) if len(found) == 1 else None
        if fn is None or getattr(fn, "__module__", "").startswith("django.") or \
                any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return None
        before = (len(self.s.items), dict(self.s.by_name))
        try:
            value = fn(*[self.expr(a, found[0], "", optional, arg) for a in node.args],
                       **{k.arg: self.expr(k.value, found[0], "", optional, arg) for k in node.keywords})
        except Exception:  # noqa: BLE001 - it does not take stand-ins: the argument stays a runtime value
            value = None
        if not isinstance(value, models.Q):
            del self.s.items[before[0]:]
            self.s.by_name = before[1]
            return None
        return value

    def base(self):
        site = self.site
        if site.get("related_from"):
            owner_model = apps.get_model(site["related_from"])
            owner = owner_model(pk=self.s.make(_param_name(site["root"].rsplit(".", 1)[0] + "_id", ""),
                                               site["root"].rsplit(".", 1)[0], owner_model._meta.pk, "exact", False))
            for parent in owner_model._meta.get_parent_list():  # multi-table inheritance: a parent's key is the same
                setattr(owner, parent._meta.pk.attname, owner.pk)  # value, and a relation of the parent reads it
            if self.alias:
                owner._state.db = self.alias  # the related manager writes through the dialect being compiled
            return getattr(owner, site["manager"])
        manager = site.get("manager") or "objects"
        if manager == "_default_manager":
            return self.model._default_manager
        return getattr(self.model, manager)

    def call(self, qs, call: dict):
        method = call["method"]
        if method == "[]":
            return self.slice(qs, call)
        if method == "bulk_update":  # rows, not values: one stand-in row (load.compile_writes)
            return compile_writes.bulk_update(self, qs, call)
        optional = bool(call.get("condition"))
        self._annotations = getattr(getattr(qs, "query", None), "annotations", {}) or {}
        args, kwargs = [], {}
        for a in call["args"]:
            if a["kind"] == "literal" and a.get("value") is not None and a["keyword"] in ("*", "**"):
                (args.extend if a["keyword"] == "*" else kwargs.update)(a["value"])  # a module constant
                continue
            if a["keyword"] in ("*", "**"):
                value = self.literal_or_sentinel(a, self.model, "", optional)
                if a["keyword"] == "*":
                    args.extend(value)
                else:
                    kwargs.update(value)
            elif a["keyword"]:
                if a["keyword"] in ("defaults", "create_defaults") and not isinstance(parse_source(a["source"]), ast.Dict):
                    raise NotTranslated("DYNAMIC_KWARGS", f"{a['keyword']}={a['source'].strip()}: the columns written "
                                        "are decided at run time")
                kwargs[a["keyword"]] = self.literal_or_sentinel(a, self.model, a["keyword"], optional)
            else:  # add(tag) / remove(tag): a row of the related model, given by its primary key
                value = self.literal_or_sentinel(a, self.model, "pk" if method in ("add", "remove", "contains") else "",
                                                 optional)
                if method == "contains" and not isinstance(value, models.Model):
                    value = qs.model(pk=value)  # Django's contains(obj): an instance of the model, read by its pk
                if method in Q_ARGUMENTS and not isinstance(value, (models.Q, BaseExpression)):
                    raise NotTranslated("DYNAMIC_Q", f"`{a['source'].strip()}` is not a Q object the tool can follow: a "
                                        "variable bound more than once (in branches, with |= or &=), changed in place, "
                                        "built by a loop, or returned by a function: its conditions are decided at run "
                                        "time")
                args.append(value)
        for key, value in list(kwargs.items()):
            if isinstance(value, _Generic):
                if method != "create":  # Django itself refuses a generic relation in a lookup
                    raise NotTranslated("UNSUPPORTED_EXPRESSION", f"{method}({key}=...) over a generic relation")
                del kwargs[key]
                kwargs.update(value.columns)
        if isinstance(self.s, Values) and call.get("condition") and self.s.used:
            # with real values, a refinement under `if x:` whose arguments are all None did not run
            if all(self.s.values.get(n) is None or self.s.values.get(n) == [] for n in self.s.used):
                self.s.used = []
                return qs
        if isinstance(self.s, Values):
            self.s.used = []
        fn = getattr(qs, method, None)
        if fn is None:
            raise NotTranslated("UNKNOWN_METHOD", f"{method}() is not a method of this QuerySet")
        _runtime_q(fn, method, call, args, kwargs)
        return fn(*args, **kwargs)

    def slice(self, qs, call: dict):
        text = call["args"][0]["source"] if call["args"] else ""
        tree = ast.parse(f"x[\n{text}\n]", mode="eval").body
        sl = tree.slice
        if isinstance(sl, ast.Slice):
            def bound(n, name):
                if n is None:
                    return None
                if isinstance(n, ast.Constant):
                    return n.value
                if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
                    return bound(n.left, name) + bound(n.right, name)
                return self.s.make(_param_name(ast.unparse(n), ""), ast.unparse(n), None, "limit", False)
            return qs[bound(sl.lower, "offset"):bound(sl.upper, "limit")]
        if isinstance(sl, ast.Constant):
            return qs[sl.value]
        raise NotTranslated("DYNAMIC_FIELD", "an index computed at run time")


@dataclass
class _Generic:
    """A value for a GenericForeignKey: the content type and the key columns it stands for."""
    columns: dict
