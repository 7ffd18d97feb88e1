"""Conditions and request input in a migrated view: ``if`` tests, comparisons, truth, ``isinstance`` of a
JSON value, ``d.get("k")``, ``d["k"]``, ``"k" in d``, ``request.GET.get(name)``, ``int(text)`` with
Python's own error message, and f-strings."""

from __future__ import annotations

import ast as _ast
import json
import operator
import re

from . import handlers_form, handlers_jsontext
from .handlers_exprs import Defaulted
from .handlers_member import row_in_rows
from .handlers_names import closes_at_end, is_placeholder
from .handlers_user import OptionalUser
from .handlers_values import (BODY, JSON, LOADED, Const, GoValue, NotRecognised, Obj, QueryDict, Request, Rows, Tuple,
                              path_value, q)
from .naming import pascal

_ISINSTANCE = {"int": "int", "float": "float", "dict": "dict", "str": "str", "list": "list", "bool": "bool"}


class InputMixin:
    """The condition and input part of ViewReader."""

    # ---- conditions
    def _method_test(self, test, env):
        if (isinstance(test, _ast.Compare) and len(test.ops) == 1 and isinstance(test.left, _ast.Attribute)
                and test.left.attr == "method" and isinstance(test.left.value, _ast.Name)
                and isinstance(env.get(test.left.value.id), Request)
                and isinstance(test.comparators[0], _ast.Constant) and isinstance(test.ops[0], (_ast.Eq, _ast.NotEq))):
            return str(test.comparators[0].value).upper(), isinstance(test.ops[0], _ast.Eq)
        return None

    def cond(self, node, env, fn):
        """A test: Const(bool) when known now, else GoValue(code, "bool")."""
        if isinstance(node, _ast.Compare) and self._method_test(node, env) is not None:
            method, equal = self._method_test(node, env)
            return Const((method == self.method) == equal)
        if isinstance(node, _ast.BoolOp):
            is_and = isinstance(node.op, _ast.And)
            codes = []
            for v in node.values:  # Python stops at the first operand that decides: what follows is not read
                p = self.cond(v, env, fn)
                if isinstance(p, Const):
                    if bool(p.value) != is_and:  # False in `and`, True in `or`: decides
                        return Const(not is_and)
                    continue
                codes.append(f"({p.code})" if "&&" in p.code or "||" in p.code else p.code)
            if not codes:
                return Const(is_and)
            return GoValue((" && " if is_and else " || ").join(codes), "bool")
        if isinstance(node, _ast.UnaryOp) and isinstance(node.op, _ast.Not):
            return self.negate(self.cond(node.operand, env, fn))
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

    def negate(self, inner):
        """``not inner`` for a test (a Const, or Go code of type bool)."""
        if isinstance(inner, Const):
            return Const(not inner.value)
        code = inner.code
        if code.startswith("!") and " " not in code:  # not (not x): x
            return GoValue(code[1:], "bool")
        if code.startswith("!(") and closes_at_end(code[1:]):  # not !(a && b): a && b
            return GoValue(code[2:-1], "bool")
        flipped = re.fullmatch(r"([\w.\x01\x02]+) (==|!=) ([\w.\"\x01\x02]+)", code)
        if flipped:  # not (a != b): a == b
            a, op, b = flipped.groups()
            return GoValue(f"{a} {'!=' if op == '==' else '=='} {b}", "bool")
        plain = " " not in code or is_placeholder(code)  # a name, a selector, a call
        return GoValue(f"!{code}" if plain else f"!({code})", "bool")

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
            if v.type == JSON:
                return GoValue(f"PyTruth({v.code}.Value)", "bool")
            if v.type == "*string":
                handlers_form.note_texts(self, v.code, [""])  # a text's truth: compared with ""
                return GoValue(f'{v.code} != nil && *{v.code} != ""', "bool")
        if isinstance(v, Defaulted):  # request.POST.get(k, False): the text's truth, else the default's
            x = v.value.code
            handlers_form.note_texts(self, x, [""])
            return GoValue(f'({x} == nil || *{x} != "")' if v.default else f'({x} != nil && *{x} != "")', "bool")
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
            if isinstance(a, OptionalUser):  # the user, or None for AnonymousUser (handlers_user)
                return GoValue(f"{'' if neg else '!'}{a.row.var}.IsAuthenticated", "bool")
            if isinstance(a, GoValue) and (a.type == BODY or a.type.startswith("*")):
                return GoValue(f"{a.code} {'!=' if neg else '=='} nil", "bool")
            if isinstance(a, GoValue) and a.type == JSON:  # data.get(key) is None: no key, or null
                return GoValue(f"{a.code}.Value {'!=' if neg else '=='} nil", "bool")
            if isinstance(a, GoValue) and path_value(self.path, a.code):
                return Const(neg)  # a route's path value: Django always passes its text, never None
            raise NotRecognised("`is None` of a value that cannot be None")
        if isinstance(op, (_ast.In, _ast.NotIn)):
            neg = isinstance(op, _ast.NotIn)
            if isinstance(right, (_ast.Tuple, _ast.List)) and all(isinstance(e, _ast.Constant) for e in right.elts):
                options = [e.value for e in right.elts]
                if isinstance(a, Const):
                    return Const((a.value in options) != neg)
                if isinstance(a, GoValue) and a.type == "*string" and all(o is None or isinstance(o, str) for o in options):
                    handlers_form.note_texts(self, a.code, options)
                    codes = [f"{a.code} == nil" if o is None else f"({a.code} != nil && *{a.code} == {q(o)})"
                             for o in options]
                    code = " || ".join(codes)
                    return GoValue(f"!({code})" if neg else code, "bool")
                found = self._in_options(a, options, neg)
                if found is None:
                    raise NotRecognised("`in` a tuple for this value")
                return found
            b = self.expr(right, env, fn)
            if isinstance(a, Obj) and isinstance(b, Rows):  # a row in a QuerySet's rows (handlers_member)
                return row_in_rows(self, a, b, neg)
            if isinstance(b, Tuple) and all(isinstance(o, Const) for o in b.items):  # Order.Status.values
                found = self._in_options(a, [o.value for o in b.items], neg)
                if found is not None:
                    return found
            if isinstance(a, Const) and isinstance(a.value, str) and isinstance(b, GoValue) and b.type == BODY:
                code = f"{self.body_field(b, a.value, None)}.Set"
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
        text = self.optional_text_equal(a, b, type(op))
        if text is not None:
            return text
        if type(op) in (_ast.Eq, _ast.NotEq) and isinstance(b, GoValue) and isinstance(a, Const):
            a, b = b, a
        if type(op) in (_ast.Eq, _ast.NotEq) and isinstance(a, GoValue) and a.type == "string" and isinstance(
                b, Const) and isinstance(b.value, str):  # a text column or parameter against a constant
            return GoValue(f"{a.code} {ops[type(op)]} {q(b.value)}", "bool")
        x, y = self.as_int(a), self.as_int(b)
        return GoValue(f"{x} {ops[type(op)]} {y}", "bool")

    def optional_text_equal(self, a, b, op):
        """``request.GET.get(k) == "text"`` (or ``!=``, either side): None equals no text."""
        if isinstance(a, Const):
            a, b = b, a
        if op not in (_ast.Eq, _ast.NotEq) or not (isinstance(a, GoValue) and a.type == "*string" and isinstance(
                b, Const) and isinstance(b.value, str)):
            return None
        handlers_form.note_texts(self, a.code, [b.value])
        code = f"{a.code} != nil && *{a.code} == {q(b.value)}"
        return GoValue(code if op is _ast.Eq else f"!({code})", "bool")

    def as_int(self, v) -> str:
        """Go int64 code for a value used as an integer (a JSON value: its Int(), a 500 when it is not one)."""
        if isinstance(v, Const) and isinstance(v.value, int) and not isinstance(v.value, bool):
            return str(v.value)
        if isinstance(v, GoValue) and v.type == "int64":
            return v.code
        if isinstance(v, GoValue) and v.type in ("int32", "int"):
            return f"int64({v.code})"
        if isinstance(v, GoValue) and v.type == JSON:
            var = self.computed(("Int", v.code))
            if var is None:
                var = self.var("number")
                self.stmts.append(f"{var}, err := {v.code}.Int()\n" + self.error_check("int() of a JSON value"))
                self.remember(("Int", v.code), var)
            return var
        raise NotRecognised(f"an integer from {type(v).__name__}")

    def _in_options(self, a, options: list, neg: bool):
        """``x in (constants)`` of text or a JSON body value, or None. A body key tested so is recorded with its
        options, so that the parity check's valid body holds one (parity.http_requests._bodies)."""
        found = _text_in(a, options, neg) or _json_in(a, options, neg)
        if found is not None and a.type == JSON and any(o is not None for o in options):
            for k, name in self.body_fields.items():
                if name == a.code.rpartition(".")[2] and self.body_keys.get(k) is None:
                    self.body_keys[k] = "choices:" + json.dumps([o for o in options if o is not None])
        return found

    def body_field(self, body, key: str, kind) -> str:
        """Go for ``body[key]``: the field of the view's body struct (requestBody) holding the key, declared
        once the view is read (``body_struct``). The key is recorded with the type an isinstance tests (the
        parity check builds bodies from them)."""
        if kind is not None or key not in self.body_keys:
            self.body_keys[key] = kind or self.body_keys.get(key)
        if key not in self.body_fields:
            name = pascal(key)
            if not name.isidentifier() or not name.isascii() or name in self.body_fields.values():
                raise NotRecognised(f"the JSON body key {key!r} has no Go field name")
            self.body_fields[key] = name
        return f"{body.code}.{self.body_fields[key]}"

    def body_struct(self) -> list[str]:
        """The declaration of requestBody: one JSONValue per key the view reads, tagged with the key."""
        fields = [f"{name} JSONValue `json:{q(key)}`" for key, name in self.body_fields.items()]
        return ["type requestBody struct {", *fields, "}"]

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
            if isinstance(v, GoValue) and v.type == handlers_jsontext.LOADED_TEXT:
                return handlers_jsontext.is_dict(v, names)
            if isinstance(v, GoValue) and v.type == LOADED and names == ["dict"]:
                return GoValue(f"{v.code} != nil", "bool")  # DecodeBody: nil for JSON that is not an object
            if not isinstance(v, GoValue) or v.type != JSON:
                raise NotRecognised("isinstance of a value that is not from the JSON body")
            key = v.code.rpartition(".")[2]
            for k, name in self.body_fields.items():
                if name == key and names[0] != "dict":
                    self.body_keys[k] = names[0]
            return GoValue(f"{v.code}.IsInstance({', '.join(q(n) for n in names)})", "bool")
        if isinstance(func, _ast.Attribute) and func.attr == "loads" and isinstance(func.value, _ast.Name) and (
                fn["names"].get(func.value.id, {}).get("ref") == "json"):
            if len(node.args) != 1 or node.keywords:
                raise NotRecognised("json.loads arguments")
            data = self.expr(node.args[0], env, fn)
            if isinstance(data, GoValue) and data.type == "string":  # a query string's value (dal's forward)
                return handlers_jsontext.loads_text(self, data)
            if not isinstance(data, GoValue) or data.type != "[]byte":
                raise NotRecognised("json.loads of something that is not the request body")
            if self.reads_body:
                raise NotRecognised("the request body decoded twice")
            var = self.var("data")
            self.stmts.append(f"{var}, err := DecodeBody[requestBody]({data.code})")
            if not getattr(self, "defer_json", False):  # json_try decides what err != nil does
                self.json_catch()
                self.throw_if("err != nil", "builtins.ValueError")
            self.reads_body = True
            return GoValue(var, LOADED)
        if isinstance(func, _ast.Attribute) and func.attr == "get":
            base = self.expr(func.value, env, fn)
            if isinstance(base, QueryDict):
                if len(node.args) == 2 and not node.keywords:
                    return self.query_get(base, node, env, fn)  # with a default (handlers_exprs)
                if len(node.args) != 1 or node.keywords or not isinstance(node.args[0], _ast.Constant) and not (
                        isinstance(self.expr(node.args[0], env, fn), Const)):
                    raise NotRecognised("request.GET.get arguments")
                name = self.expr(node.args[0], env, fn)
                base.keys.add(name.value)
                return GoValue(f"QGet({base.code}, {q(name.value)})", "*string")
            if isinstance(base, GoValue) and base.type == LOADED:
                raise NotRecognised("dict.get of a JSON body that may not be an object")
            if isinstance(base, GoValue) and base.type == BODY:
                if len(node.args) not in (1, 2) or node.keywords:
                    raise NotRecognised("dict.get arguments")
                key = self.expr(node.args[0], env, fn)
                if not isinstance(key, Const) or not isinstance(key.value, str):
                    raise NotRecognised("dict.get of a computed key")
                field = self.body_field(base, key.value, None)
                if len(node.args) == 2:  # the default when the key is absent (Set false: `k in d` stays false)
                    default = self.expr(node.args[1], env, fn)
                    if not isinstance(default, Const) or not (default.value is None or isinstance(default.value, (str, bool))):
                        raise NotRecognised("dict.get with a default that is not text, a bool or None")
                    if default.value is None:
                        return GoValue(field, JSON)
                    value = q(default.value) if isinstance(default.value, str) else str(default.value).lower()
                    return GoValue(f"{field}.GetOr({value})", JSON)
                return GoValue(field, JSON)
        return None

    def subscript_input(self, node, env, fn):
        """d["k"] on the JSON body, request.GET["k"]: KeyError where the key is missing."""
        base = self.expr(node.value, env, fn)
        if isinstance(base, QueryDict):  # MultiValueDict.__getitem__: the last value, KeyError when absent
            key = self.expr(node.slice, env, fn)
            if not isinstance(key, Const) or not isinstance(key.value, str):
                raise NotRecognised("request.GET[...] of a computed key")
            base.keys.add(key.value)
            code = f"QGet({base.code}, {q(key.value)})"
            if not any(g.startswith(f"{code} != nil") for g in self.guards):  # not under `if request.GET.get(k)`
                self.throw_if(f"{code} == nil", "builtins.KeyError", Const(repr(key.value)))
            return GoValue(code, "*string")  # never nil past the check: int() of it is Python's (PyInt)
        if not isinstance(base, GoValue) or base.type not in (BODY, LOADED):
            return None
        if base.type == LOADED:
            raise NotRecognised("a subscript of a JSON body that may not be an object")
        key = self.expr(node.slice, env, fn)
        if not isinstance(key, Const) or not isinstance(key.value, str):
            raise NotRecognised("a subscript with a computed key")
        field = self.body_field(base, key.value, None)
        if self.computed(("Set", field)) is None:  # not yet checked where this runs
            self.throw_if(f"!{field}.Set", "builtins.KeyError", Const(repr(key.value)))  # str(KeyError(k))
            self.remember(("Set", field), field)
        return GoValue(field, JSON)

    def py_int(self, arg, call: str = ""):
        """int(text): Python's ValueError (with its message) where int() refuses the text. ``call``: Go of
        the whole conversion when it is not PyInt of ``arg`` (PyIntOr: a query value with a default)."""
        code = f"*{arg.code}" if arg.type == "*string" else arg.code
        var = self.var("number")
        self.stmts.append(f"{var}, err := {call or f'PyInt({code})'}")
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

    def bool_operand(self, v: GoValue, name: str) -> None:
        """A JSON bool (isinstance(True, int) holds) bound inside an expression (``F("stock") + value``): no
        field's get_prep_value makes it an int there, so Django binds the bool as is. SQLite reads True as 1;
        PostgreSQL has no integer + boolean operator and the query fails: Django answers 500."""
        where = self.view_name() + ("" if self.query.function == self.view_name() else f": {self.query.function}")
        why = (f"{where}: {name} is a bool inside an expression, "
               "which PostgreSQL refuses (no integer + boolean operator)")
        self.stmts.append(f'if {v.code}.IsBool() && djtypes.Dialect == "postgresql" {{\n'
                          f"return http.StatusInternalServerError, nil, errors.New({q(why)})\n}}")


def _text_in(a, options: list, neg: bool):
    """``x in ("a", "b")`` (``not in``) of a text value: ``x == "a" || x == "b"`` (``x != "a" && x != "b"``);
    None among the options never equals text. None when ``x`` is not text or an option is neither."""
    if not (isinstance(a, GoValue) and a.type == "string") or not all(o is None or isinstance(o, str) for o in options):
        return None
    texts = [o for o in options if o is not None]
    if not texts:
        return Const(neg)
    return GoValue((" && " if neg else " || ").join(f"{a.code} {'!=' if neg else '=='} {q(o)}" for o in texts), "bool")


def _json_in(a, options: list, neg: bool):
    """``x in (1, 2, 3)`` (``not in``) of a JSON body value against constants (an IntegerChoices' values):
    JSONValue.In, Python's ``==`` (``True in (1,)`` and ``1.0 in (1,)`` hold, ``"1" in (1,)`` does not).
    None when ``x`` is not a JSON value or an option is not an int, text or None."""
    if not (isinstance(a, GoValue) and a.type == JSON) or not all(
            o is None or isinstance(o, str) or (type(o) is int and -2**63 <= o < 2**63) for o in options):
        return None
    code = f"{a.code}.In({', '.join('nil' if o is None else q(o) if isinstance(o, str) else str(o) for o in options)})"
    return GoValue(f"!{code}" if neg else code, "bool")
