"""Python's conditional expression, builtins and text conversions in a migrated view (part of ViewReader).

- ``a if c else b``: a Go ``if`` that computes the branch taken only (``int(x) if x else None`` never
  parses a missing value); ``None`` on one side makes the value optional (a Go pointer, nil for None). Two
  values without statements of their own stay one expression (``Cond``, ``Nullable``).
- ``max``/``min`` of integers (Go's builtins), ``abs``, ``len`` (of text: code points, as Python counts),
  ``bool``, ``str``, ``int``.
- ``date.fromisoformat(text)``, ``Decimal(text)``, ``int(text)``: Python's own acceptance rules (pyvalues.go
  PyDate, PyDecimal, PyInt), the ValueError / InvalidOperation they raise translated where it happens (the
  ``except`` clause that catches it, else Django's 500).
- ``request.GET.get(k, default)``: the default when the key is absent.
- ``request.user if request.user.is_authenticated else None``: the user, or None (handlers_user.OptionalUser).
"""

from __future__ import annotations

import ast as _ast

from . import handlers_form, handlers_user
from .handlers_names import is_placeholder
from .handlers_values import (BODY, INT_TYPES, JSON, LOADED, Const, Exc, Global, GoValue, NotRecognised, Response, Rows,
                              Tuple, q)

_PURE = {"bool", "string", "int64"}
# timedelta's integer keywords read at run time -> their microseconds (days: PyDays)
_TIMEDELTA_UNITS = {"days": 86400_000000, "weeks": 7 * 86400_000000, "hours": 3600_000000, "minutes": 60_000000,
                    "seconds": 1_000000}  # Go types whose zero value Cond/Nullable may compute eagerly


def _pointer_to(v: GoValue) -> str:
    """Go code of a pointer to ``v``: its address when it is a variable, else Ptr (a copy)."""
    return f"&{v.code}" if v.code.isidentifier() or is_placeholder(v.code) else f"Ptr({v.code})"


def merged(a, b) -> tuple[str, str, str]:
    """The Go type of ``a if c else b`` and each side's code in it: one type for both, or an optional one
    (a pointer, nil for None) when a side is None."""
    for x, y, flip in ((a, b, False), (b, a, True)):
        if isinstance(y, Const) and y.value is None and isinstance(x, GoValue):
            if x.type.startswith("*") or x.type in ("any", BODY):
                typ, code = x.type, x.code
            else:
                typ, code = "*" + x.type, _pointer_to(x)
            return (typ, "nil", code) if flip else (typ, code, "nil")
    kinds = []
    for v in (a, b):
        if isinstance(v, GoValue):
            typ = "int64" if v.type in INT_TYPES else v.type
            kinds.append((typ, v.code if v.type == typ else f"int64({v.code})"))
        elif isinstance(v, Const) and isinstance(v.value, bool):
            kinds.append(("bool", "true" if v.value else "false"))
        elif isinstance(v, Const) and isinstance(v.value, int):
            kinds.append(("int64", str(v.value)))
        elif isinstance(v, Const) and isinstance(v.value, str):
            kinds.append(("string", q(v.value)))
        else:
            raise NotRecognised(f"a conditional of {type(v).__name__}")
    if kinds[0][0] != kinds[1][0]:
        raise NotRecognised(f"a conditional of {kinds[0][0]} and {kinds[1][0]}")
    return kinds[0][0], kinds[0][1], kinds[1][1]


class ExprMixin:
    """Conditional expressions, builtins and conversions for ViewReader (see the module docstring)."""

    def open_if(self, test, node, env, fn):
        """``if <test> {`` opened, and ``node`` read inside it, where ``test`` is known true (``self.guards``)."""
        self.stmts.append(f"if {test.code} {{")
        self.guards.add(test.code)
        try:
            return self.expr(node, env, fn)
        finally:
            self.guards.discard(test.code)

    def ifexp(self, node, env, fn):
        test = self.cond(node.test, env, fn)
        if isinstance(test, Const):
            return self.expr(node.body if test.value else node.orelse, env, fn)
        user = handlers_user.optional_user(self, node, test, env, fn)
        if user is not None:
            return user
        at = len(self.stmts)
        a = self.open_if(test, node.body, env, fn)
        middle = len(self.stmts)
        self.stmts.append("} else {")
        b = self.expr(node.orelse, env, fn)
        if isinstance(a, GoValue) and a.type == LOADED and isinstance(b, Const) and b.value is None and (
                test.code == f"{a.code} != nil"):
            del self.stmts[at:]
            return GoValue(a.code, BODY)  # `data if isinstance(data, dict) else None`: DecodeBody's nil
        typ, code_a, code_b = merged(a, b)
        if middle == at + 1 and len(self.stmts) == middle + 1:  # no statement of its own on either side
            del self.stmts[at:]
            if code_b == "nil" and typ.lstrip("*") in _PURE and code_a.startswith(("&", "Ptr(")):
                return GoValue(f"Nullable({a.code}, {test.code})", typ)
            if code_a == "nil" and typ.lstrip("*") in _PURE and code_b.startswith(("&", "Ptr(")):
                return GoValue(f"Nullable({b.code}, {self.negate(test).code})", typ)
            return GoValue(f"Cond({test.code}, {code_a}, {code_b})", typ)
        var = self.var("value")  # `var x *T` holds nil already: a None side needs no block
        if code_a == "nil" and middle == at + 1:
            self.stmts[at:middle + 1] = [f"if {self.negate(test).code} {{"]
            self.stmts.append(f"{var} = {code_b}")
        else:
            self.stmts.insert(middle, f"{var} = {code_a}")
            if code_b == "nil" and len(self.stmts) == middle + 2:
                self.stmts.pop(middle + 1)
            else:
                self.stmts.append(f"{var} = {code_b}")
        self.stmts.append("}")
        self.stmts.insert(at, f"var {var} {typ}")
        return GoValue(var, typ)

    # ---- builtins
    def error_page(self, ref: str, status: int) -> str:
        """``raise PermissionDenied``: Django's default handler403 page (djauth's, as the guards answer; a project's
        own 403 page is reported once, ROUTE_ERROR_PAGE). The 400 page of BadRequest and the others is not read."""
        if status == 403 and handlers_user.user_model(self.project) is not None:
            return "return http.StatusForbidden, Page(djauth.PermissionDeniedPage), nil"
        raise NotRecognised(f"raises {ref.rpartition('.')[2]}: Django answers {status} with its own error page "
                            "(handler403/handler400), which is not translated")

    def not_allowed(self, node, env, fn):
        """``HttpResponseNotAllowed(methods)``: 405, ``Allow`` the methods joined by ", ", no content."""
        if len(node.args) != 1 or node.keywords:
            raise NotRecognised("HttpResponseNotAllowed with content")
        arg = node.args[0]
        if isinstance(arg, (_ast.List, _ast.Tuple)) and all(isinstance(e, _ast.Constant) for e in arg.elts):
            items = [Const(e.value) for e in arg.elts]  # a class constant, written into the method's source
        else:
            methods = self.expr(arg, env, fn)
            items = methods.items if isinstance(methods, Tuple) else None
        if items is None or not all(isinstance(i, Const) and isinstance(i.value, str) for i in items):
            raise NotRecognised("HttpResponseNotAllowed of methods known at run time only")
        allow = q(", ".join(i.value for i in items))
        return Response(405, GoValue(f"Headed{{Header: [][2]string{{{{\"Allow\", {allow}}}}}, Body: NoBody}}", "any"))

    def builtin(self, node, env, fn):
        """A call of a Python builtin the view does not shadow; None when it is not one read here."""
        func = node.func
        if not (isinstance(func, _ast.Name) and func.id not in env and func.id not in fn["names"]):
            return None
        name = func.id
        if name in ("max", "min") and len(node.args) >= 2 and not node.keywords:
            args = [self.expr(a, env, fn) for a in node.args]
            if all(isinstance(a, Const) and isinstance(a.value, int) and not isinstance(a.value, bool) for a in args):
                return Const(max(a.value for a in args) if name == "max" else min(a.value for a in args))
            return GoValue(f"{name}({', '.join(self.as_int(a) for a in args)})", "int64")
        if name == "getattr" and len(node.args) == 2 and not node.keywords:  # getattr(request, request.method)
            attr = self.expr(node.args[1], env, fn)
            if not (isinstance(attr, Const) and isinstance(attr.value, str) and attr.value.isidentifier()):
                raise NotRecognised("getattr() of a name known at run time only")
            return self.expr(_ast.copy_location(_ast.Attribute(node.args[0], attr.value, _ast.Load()), node), env, fn)
        if name not in ("abs", "len", "bool", "str", "int") or len(node.args) != 1 or node.keywords:
            return None
        if name == "int":
            return self.to_int(node.args[0], env, fn)
        arg = self.expr(node.args[0], env, fn)
        if isinstance(arg, Const) and name != "len":
            return Const({"abs": abs, "bool": bool, "str": str}[name](arg.value))
        if name == "bool":
            return self.truth(arg)
        if name == "abs" and isinstance(arg, GoValue) and arg.type in INT_TYPES:
            return GoValue(f"max({self.as_int(arg)}, -{self.as_int(arg)})", "int64")
        if name == "abs" and isinstance(arg, GoValue) and arg.type == "decimal.Decimal":
            return GoValue(f"{arg.code}.Abs()", arg.type)
        if name == "len" and isinstance(arg, (Const, GoValue)) and getattr(arg, "type", "string") == "string":
            if isinstance(arg, Const):
                if not isinstance(arg.value, (str, tuple, list)):
                    raise NotRecognised("len() of this constant")
                return Const(len(arg.value))
            return GoValue(f"int64(utf8.RuneCountInString({arg.code}))", "int64")  # Python counts code points
        if name == "len" and isinstance(arg, Rows):
            return GoValue(f"int64(len({arg.var}))", "int64")
        if name == "str":
            return self.to_str(arg)
        raise NotRecognised(f"{name}() of this value")

    def to_str(self, arg):
        if isinstance(arg, Exc):
            if arg.message is None:
                raise NotRecognised(f"str() of a {arg.ref} whose message is Python's own")
            return arg.message
        if isinstance(arg, GoValue) and arg.type == "string":
            return arg
        if isinstance(arg, GoValue) and arg.type in INT_TYPES:
            return GoValue(f"strconv.FormatInt({self.as_int(arg)}, 10)", "string")
        if isinstance(arg, GoValue) and arg.type not in ("any", JSON, BODY, LOADED) and not arg.type.startswith("*"):
            return arg  # a row's column: written as Django's JSON writes it
        raise NotRecognised("str() of this value")

    def to_int(self, node, env, fn):
        arg = self.expr(node, env, fn)
        handlers_form.note_int(self, getattr(arg.value if isinstance(arg, Defaulted) else arg, "code", ""))
        if isinstance(arg, Defaulted):  # int(request.GET.get(k, d))
            if not isinstance(arg.default, int) or isinstance(arg.default, bool):
                raise NotRecognised("int() of a query value whose default is not an integer")
            return self.py_int(arg.value, f"PyIntOr({arg.value.code}, {arg.default})")
        if isinstance(arg, Const) and isinstance(arg.value, int) and not isinstance(arg.value, bool):
            return arg
        if isinstance(arg, GoValue) and arg.type == "*string":
            return self.py_int(arg)
        if isinstance(arg, GoValue) and arg.type == JSON:  # Python's int() of what json.loads gave (JSONValue.PyInt)
            typ = f"PyTypeName({arg.code}.Value)"  # None, a list, an object: TypeError, which an except may catch
            self.throw_if(f'{typ} == "NoneType" || {typ} == "list" || {typ} == "dict"', "builtins.TypeError", GoValue(
                f'"int() argument must be a string, a bytes-like object or a real number, not \'" + {typ} + "\'"',
                "string"))
            return self.py_int(arg, f"{arg.code}.PyInt()")
        if isinstance(arg, GoValue) and arg.type == "string":
            return self.parse_int(arg)
        if isinstance(arg, GoValue) and arg.type in INT_TYPES:
            return arg
        raise NotRecognised("int() of this value")

    # ---- text conversions that raise
    def conversion(self, callee, node, env, fn):
        """``date.fromisoformat(text)`` / ``Decimal(text)`` / ``dateutil.parser.parse(text)``; None for another call."""
        parsed = handlers_form.dateutil_parse(self, node, env, fn)
        if parsed is not None:
            return parsed
        if isinstance(node.func, _ast.Attribute) and node.func.attr == "fromisoformat" and isinstance(
                node.func.value, _ast.Name) and node.func.value.id not in env:
            owner = fn["names"].get(node.func.value.id) or {}
            if owner.get("ref") != "datetime.date":
                return None
            call, typ, exc, what = "PyDate", "djtypes.Date", "builtins.ValueError", "date.fromisoformat()"
        elif isinstance(callee, Global) and callee.ref == "decimal.Decimal":
            call, typ, exc, what = "PyDecimal", "decimal.Decimal", "decimal.InvalidOperation", "Decimal()"
        elif isinstance(callee, Global) and callee.ref == "datetime.timedelta":
            return self.days(node, env, fn)
        else:
            return None
        if len(node.args) != 1 or node.keywords:
            raise NotRecognised(f"{what} arguments")
        arg = self.expr(node.args[0], env, fn)
        if not isinstance(arg, GoValue) or arg.type not in ("string", "*string"):
            raise NotRecognised(f"{what} of a value that is not text")
        var = self.var("date" if call == "PyDate" else "amount")
        code = f"*{arg.code}" if arg.type == "*string" else arg.code
        self.stmts.append(f"{var}, err := {call}({code})")
        message = GoValue("err.Error()", "string")
        if call == "PyDate":  # PyDate fails with Python's ValueError only
            self.throw_if("err != nil", exc, message)
        else:
            self.throw_if("IsPyValueError(err)", exc, message)
            self.stmts.append(self.error_check(what))
        return GoValue(var, typ)

    def days(self, node, env, fn):
        """``timedelta(days=n)`` (or one of ``weeks``, ``hours``, ``minutes``, ``seconds``) of an integer known
        at run time (constants: handlers_seq.time_shift)."""
        keys = [kw.arg for kw in node.keywords]
        if node.args or len(keys) != 1 or keys[0] not in _TIMEDELTA_UNITS:
            return None
        n = self.expr(node.keywords[0].value, env, fn)
        if isinstance(n, GoValue) and n.type == "*int64" and f"{n.code} != nil" in self.guards:
            n = GoValue(f"*{n.code}", "int64")  # under `if n is not None`
        if not isinstance(n, GoValue) or n.type not in INT_TYPES:
            return None
        var = self.var("duration")
        call = f"PyDays({self.as_int(n)})" if keys[0] == "days" else \
            f"PyTimedelta({self.as_int(n)}, {_TIMEDELTA_UNITS[keys[0]]}, {q(keys[0])})"
        self.stmts.append(f"{var}, err := {call}\n" + self.error_check("timedelta()"))
        return GoValue(var, "djtypes.Duration")

    def query_get(self, qdict, node, env, fn):
        """``request.GET.get(name, default)`` (or request.POST's): Defaulted (the value, else the default)."""
        name, default = (self.expr(a, env, fn) for a in node.args)
        if not isinstance(name, Const) or not isinstance(name.value, str) or not isinstance(default, Const):
            raise NotRecognised("request.GET.get arguments")
        qdict.keys.add(name.value)
        value = GoValue(f"QGet({qdict.code}, {q(name.value)})", "*string")
        if isinstance(default.value, str):
            return GoValue(f"QGetOr({qdict.code}, {q(name.value)}, {q(default.value)})", "string")
        return Defaulted(value, default.value)


class Defaulted:
    """``request.GET.get(k, d)`` with a default that is not text: the query value (``*string``), else ``d``."""

    def __init__(self, value: GoValue, default):
        self.value, self.default = value, default
