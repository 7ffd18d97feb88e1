"""Conditions and request input in a migrated view: ``if`` tests, comparisons, truth, ``isinstance`` of a
JSON value, ``d.get("k")``, ``d["k"]``, ``"k" in d``, ``request.GET.get(name)``, ``int(text)`` with
Python's own error message, and f-strings."""

from __future__ import annotations

import ast as _ast
import operator

from .handlers_names import is_placeholder
from .handlers_values import Const, GoValue, NotRecognised, Obj, QueryDict, q

_ISINSTANCE = {"int": "int", "float": "float", "dict": "dict", "str": "str", "list": "list", "bool": "bool"}


class InputMixin:
    """The condition and input part of ViewReader."""

    # ---- conditions
    def cond(self, node, env, fn):
        """A test: Const(bool) when known now, else GoValue(code, "bool")."""
        if isinstance(node, _ast.Compare) and self._method_test(node, env) is not None:
            method, equal = self._method_test(node, env)
            return Const((method == self.method) == equal)
        if isinstance(node, _ast.BoolOp):
            parts = [self.cond(v, env, fn) for v in node.values]
            is_and = isinstance(node.op, _ast.And)
            codes = []
            for p in parts:
                if isinstance(p, Const):
                    if bool(p.value) != is_and:  # False in `and`, True in `or`: decides
                        return Const(not is_and)
                    continue
                codes.append(f"({p.code})")
            if not codes:
                return Const(is_and)
            return GoValue((" && " if is_and else " || ").join(codes), "bool")
        if isinstance(node, _ast.UnaryOp) and isinstance(node.op, _ast.Not):
            inner = self.cond(node.operand, env, fn)
            if isinstance(inner, Const):
                return Const(not inner.value)
            plain = inner.code.isidentifier() or is_placeholder(inner.code)
            return GoValue(f"!{inner.code}" if plain else f"!({inner.code})", "bool")
        if isinstance(node, _ast.Compare):
            left, out = node.left, []
            for op, right in zip(node.ops, node.comparators):
                out.append(self.compare(left, op, right, env, fn))
                left = right
            if len(out) == 1:
                return out[0]
            if any(isinstance(o, Const) and not o.value for o in out):
                return Const(False)
            codes = [f"({o.code})" for o in out if not isinstance(o, Const)]
            return GoValue(" && ".join(codes), "bool") if codes else Const(True)
        v = self.expr(node, env, fn)
        return self.truth(v)

    def truth(self, v):
        if isinstance(v, Const):
            return Const(bool(v.value))
        if isinstance(v, Obj):
            return GoValue(v.present, "bool") if v.present else Const(True)
        if isinstance(v, GoValue):
            if v.type == "bool":
                return v
            if v.type in ("int64", "int32", "int"):
                return GoValue(f"{v.code} != 0", "bool")
            if v.type == "string":
                return GoValue(f'{v.code} != ""', "bool")
            if v.type == "any":
                return GoValue(f"PyTruth({v.code})", "bool")
            if v.type == "*string":
                return GoValue(f'{v.code} != nil && *{v.code} != ""', "bool")
        raise NotRecognised(f"the truth of {type(v).__name__}")

    def compare(self, left, op, right, env, fn):
        a = self.expr(left, env, fn)
        if isinstance(op, (_ast.Is, _ast.IsNot)) and isinstance(right, _ast.Constant) and right.value is None:
            neg = isinstance(op, _ast.IsNot)
            if isinstance(a, Const):
                return Const((a.value is None) != neg)
            if isinstance(a, Obj):
                if not a.present:
                    return Const(neg)
                return GoValue(a.present if neg else f"!{a.present}", "bool")
            if isinstance(a, GoValue) and (a.type == "any" or a.type.startswith("*")):
                return GoValue(f"{a.code} {'!=' if neg else '=='} nil", "bool")
            raise NotRecognised("`is None` of a value that cannot be None")
        if isinstance(op, (_ast.In, _ast.NotIn)):
            neg = isinstance(op, _ast.NotIn)
            if isinstance(right, _ast.Tuple) and all(isinstance(e, _ast.Constant) for e in right.elts):
                options = [e.value for e in right.elts]
                if isinstance(a, Const):
                    return Const((a.value in options) != neg)
                if isinstance(a, GoValue) and a.type == "*string" and all(o is None or isinstance(o, str) for o in options):
                    codes = [f"{a.code} == nil" if o is None else f"({a.code} != nil && *{a.code} == {q(o)})"
                             for o in options]
                    code = " || ".join(codes)
                    return GoValue(f"!({code})" if neg else code, "bool")
                raise NotRecognised("`in` a tuple for this value")
            b = self.expr(right, env, fn)
            if isinstance(a, Const) and isinstance(a.value, str) and isinstance(b, GoValue) and b.type == "any":
                self.body_key(b, a.value, None)
                code = f"PyHas({b.code}, {q(a.value)})"
                return GoValue(f"!{code}" if neg else code, "bool")
            raise NotRecognised("`in` of this value")
        ops = {_ast.Lt: "<", _ast.LtE: "<=", _ast.Gt: ">", _ast.GtE: ">=", _ast.Eq: "==", _ast.NotEq: "!="}
        if type(op) not in ops:
            raise NotRecognised(f"comparison {type(op).__name__}")
        b = self.expr(right, env, fn)
        if isinstance(a, Const) and isinstance(b, Const):
            f = {_ast.Lt: operator.lt, _ast.LtE: operator.le, _ast.Gt: operator.gt, _ast.GtE: operator.ge,
                 _ast.Eq: operator.eq, _ast.NotEq: operator.ne}[type(op)]
            return Const(f(a.value, b.value))
        x, y = self.as_int(a), self.as_int(b)
        return GoValue(f"{x} {ops[type(op)]} {y}", "bool")

    def as_int(self, v) -> str:
        """Go int64 code for a value used as an integer (a JSON value: PyAsInt, a 500 when it is not one)."""
        if isinstance(v, Const) and isinstance(v.value, int) and not isinstance(v.value, bool):
            return str(v.value)
        if isinstance(v, GoValue) and v.type == "int64":
            return v.code
        if isinstance(v, GoValue) and v.type in ("int32", "int"):
            return f"int64({v.code})"
        if isinstance(v, GoValue) and v.type == "any":
            var = self.computed(("PyAsInt", v.code))
            if var is None:
                var = self.var("number")
                self.stmts.append(f"{var}, err := PyAsInt({v.code})\n" + self.error_check("int() of a JSON value"))
                self.remember(("PyAsInt", v.code), var)
            return var
        raise NotRecognised(f"an integer from {type(v).__name__}")

    def body_key(self, v, key: str, kind) -> None:
        """Record a key the view reads from the JSON body (the parity check builds bodies from them)."""
        if getattr(v, "type", None) == "any" and self.reads_body:
            if kind is not None or key not in self.body_keys:
                self.body_keys[key] = kind or self.body_keys.get(key)

    # ---- request input and JSON values
    def input_call(self, node, env, fn):
        """Calls on request input and JSON values; None when the call is not one of them."""
        func = node.func
        if isinstance(func, _ast.Name) and func.id == "isinstance" and func.id not in fn["names"] and len(node.args) == 2:
            v = self.expr(node.args[0], env, fn)
            kinds = node.args[1].elts if isinstance(node.args[1], _ast.Tuple) else [node.args[1]]
            names = []
            for k in kinds:
                if not isinstance(k, _ast.Name) or k.id not in _ISINSTANCE or k.id in fn["names"]:
                    raise NotRecognised("isinstance of a class")
                names.append(_ISINSTANCE[k.id])
            if isinstance(v, Const):
                return Const(any(type(v.value).__name__ == n or (n == "int" and isinstance(v.value, bool))
                                  for n in names))
            if not isinstance(v, GoValue) or v.type != "any":
                raise NotRecognised("isinstance of a value that is not from the JSON body")
            if isinstance(node.args[0], _ast.Call) and isinstance(node.args[0].func, _ast.Attribute):
                key = node.args[0].args[0] if node.args[0].args else None
                if isinstance(key, _ast.Constant) and isinstance(key.value, str):
                    base = self.expr(node.args[0].func.value, env, fn)
                    self.body_key(base, key.value, names[0] if names[0] != "dict" else None)
            return GoValue(f"PyIsInstance({v.code}, {', '.join(q(n) for n in names)})", "bool")
        if isinstance(func, _ast.Attribute) and func.attr == "loads" and isinstance(func.value, _ast.Name) and (
                fn["names"].get(func.value.id, {}).get("ref") == "json"):
            if len(node.args) != 1 or node.keywords:
                raise NotRecognised("json.loads arguments")
            data = self.expr(node.args[0], env, fn)
            if not isinstance(data, GoValue) or data.type != "[]byte":
                raise NotRecognised("json.loads of something that is not the request body")
            var = self.var("data")
            self.stmts.append(f"{var}, err := PyJSONLoads({data.code})")
            if not getattr(self, "defer_json", False):  # json_try decides what err != nil does
                self.throw_if("err != nil", "builtins.ValueError")
            self.body_vars.add(var)
            self.reads_body = True
            return GoValue(var, "any")
        if isinstance(func, _ast.Attribute) and func.attr == "get":
            base = self.expr(func.value, env, fn)
            if isinstance(base, QueryDict):
                if len(node.args) != 1 or node.keywords or not isinstance(node.args[0], _ast.Constant) and not (
                        isinstance(self.expr(node.args[0], env, fn), Const)):
                    raise NotRecognised("request.GET.get arguments")
                name = self.expr(node.args[0], env, fn)
                self.query_keys.add(name.value)
                return GoValue(f"QGet(req.Query, {q(name.value)})", "*string")
            if isinstance(base, GoValue) and base.type == "any":
                if len(node.args) not in (1, 2) or node.keywords:
                    raise NotRecognised("dict.get arguments")
                key = self.expr(node.args[0], env, fn)
                if not isinstance(key, Const) or not isinstance(key.value, str):
                    raise NotRecognised("dict.get of a computed key")
                self.body_key(base, key.value, None)
                if len(node.args) == 2:
                    raise NotRecognised("dict.get with a default")
                return GoValue(f"PyGet({base.code}, {q(key.value)})", "any")
        return None

    def subscript_input(self, node, env, fn):
        """d["k"] on a JSON value: KeyError where the key is missing."""
        base = self.expr(node.value, env, fn)
        if not isinstance(base, GoValue) or base.type != "any":
            return None
        key = self.expr(node.slice, env, fn)
        if not isinstance(key, Const) or not isinstance(key.value, str):
            raise NotRecognised("a subscript with a computed key")
        self.body_key(base, key.value, None)
        var = self.var(key.value)
        self.stmts.append(f"{var}, ok := PyItem({base.code}, {q(key.value)})")
        self.throw_if("!ok", "builtins.KeyError")
        return GoValue(var, "any")

    def py_int(self, arg):
        """int(text): Python's ValueError (with its message) where int() refuses the text."""
        code = f"*{arg.code}" if arg.type == "*string" else arg.code
        var = self.var("number")
        self.stmts.append(f"{var}, err := PyInt({code})")
        self.throw_if("IsPyValueError(err)", "builtins.ValueError", GoValue("err.Error()", "string"))
        self.stmts.append(self.error_check("int()"))
        return GoValue(var, "int64")

    def fstring(self, node, env, fn):
        parts, dynamic = [], False
        for v in node.values:
            if isinstance(v, _ast.Constant):
                parts.append(Const(str(v.value)))
                continue
            if not isinstance(v, _ast.FormattedValue) or v.format_spec is not None or v.conversion != -1:
                raise NotRecognised("an f-string with a format")
            x = self.expr(v.value, env, fn)
            if isinstance(x, Const) and isinstance(x.value, (str, int)) and not isinstance(x.value, bool):
                parts.append(Const(str(x.value)))
            elif isinstance(x, GoValue) and x.type == "string":
                parts.append(x)
                dynamic = True
            else:
                raise NotRecognised("an f-string of a value that is not text")
        if not dynamic:
            return Const("".join(p.value for p in parts))
        return GoValue(" + ".join(q(p.value) if isinstance(p, Const) else p.code for p in parts), "string")
