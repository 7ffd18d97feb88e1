"""Control flow, request input, exceptions and writes for migrated handlers (split from handlers.py).

The view is still read once per dialect (and now once per HTTP method) into Go statements. What this
module adds to the reader:

- **Statements**: ``if`` on a value only known at run time becomes a Go ``if``; a branch that ends in
  ``return``/``raise`` takes the statements after the ``if`` as its ``else``, so every Go path ends in a
  ``return``. A helper function with several ``return``s gets one result variable.
- **Exceptions**: ``try``/``except`` is a stack of handlers. A ``raise`` (explicit, or implied: ``int()``
  of a bad string is ValueError, ``.get()`` finding nothing is ``DoesNotExist``, ``d["k"]`` is KeyError,
  ``json.loads`` of a bad body is ValueError) is translated where it happens: the innermost matching
  handler's body is read there, and it must end in the view's ``return``: one Go function, so that
  ``return`` leaves the handler. Uncaught: ``Http404`` is a 404, anything else a 500 as in Django.
- **Input**: ``request.body``, ``json.loads``, ``isinstance`` of a JSON value, ``d.get("k")``, ``d["k"]``,
  ``"k" in d``, ``request.GET.get(name)``, ``int(text)`` with Python's own error message.
- **Writes**: ``update()`` / ``delete()`` / ``remove()`` sites give their row count, ``.first()`` an
  optional row (``is None``), ``.get()`` a row or ``DoesNotExist``; ``HttpResponse(status=N)`` no body.
"""

from __future__ import annotations

import ast as _ast

# exception class -> the classes an `except` naming them catches it for (subclasses Python knows)
# exceptions django.core.handlers.exception.response_for_exception turns into a status of their own
_DJANGO_STATUS = {
    "django.core.exceptions.PermissionDenied": 403,
    "django.core.exceptions.BadRequest": 400,
    "django.core.exceptions.SuspiciousOperation": 400,
    "django.http.multipartparser.MultiPartParserError": 400,
}

_CAUGHT_BY = {
    "builtins.ValueError": {"builtins.ValueError", "builtins.Exception"},
    "builtins.KeyError": {"builtins.KeyError", "builtins.LookupError", "builtins.Exception"},
}
_BUILTIN_EXC = {"ValueError", "KeyError", "TypeError", "UnicodeDecodeError"}
_JSON_VALUE_ERRORS = {"builtins.ValueError", "builtins.UnicodeDecodeError", "json.decoder.JSONDecodeError"}
_ISINSTANCE = {"int": "int", "float": "float", "dict": "dict", "str": "str", "list": "list", "bool": "bool"}


class _Done:
    """The Go code returned on every path (a view-level return or a handled raise)."""


class _Ret:
    def __init__(self, value):
        self.value = value


class _Exc:
    def __init__(self, ref, message):
        self.ref, self.message = ref, message  # message: a _Const, a _Go string, or None (not known)


class _Handler:
    def __init__(self, refs, name, body, fn, env, depth):
        self.refs, self.name, self.body, self.fn, self.env, self.depth = refs, name, body, fn, env, depth


def _terminates(body) -> bool:
    if not body:
        return False
    last = body[-1]
    if isinstance(last, (_ast.Return, _ast.Raise)):
        return True
    return isinstance(last, _ast.If) and _terminates(last.body) and _terminates(last.orelse)


class FlowMixin:
    """Statement-level reading for ViewReader (see the module docstring)."""

    # ---- statements
    def run(self, body, env, fn):
        from .handlers import NotRecognised, _Const, _JSONObj, _Lazy, _Response

        for i, st in enumerate(body):
            if isinstance(st, _ast.Expr) and isinstance(st.value, _ast.Constant):
                continue
            if isinstance(st, _ast.Pass):
                continue
            if isinstance(st, _ast.Expr) and isinstance(st.value, _ast.Call):
                self.expr(st.value, env, fn)
                continue
            if isinstance(st, _ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], _ast.Tuple):
                value = (self.get_or_create(st.value, env, fn) if self.is_get_or_create(st.value, env, fn)
                         else self.expr(st.value, env, fn))
                self.unpack(st.targets[0], value, env, fn)
                continue
            if isinstance(st, _ast.Assign) and len(st.targets) == 1:
                t = st.targets[0]
                if isinstance(t, _ast.Name) and isinstance(st.value, _ast.Subscript) and self._is_chain(st.value, env, fn):
                    env[t.id] = _Lazy(st.value)  # evaluated where it is iterated (the site is there)
                    continue
                value = self.expr(st.value, env, fn)
                if isinstance(t, _ast.Name):
                    env[t.id] = self.keep(value)
                    self.name_as(env[t.id], t.id)
                elif isinstance(t, _ast.Subscript) and isinstance(t.value, _ast.Name) and isinstance(
                        env.get(t.value.id), _JSONObj) and isinstance(t.slice, _ast.Constant):
                    env[t.value.id].items[t.slice.value] = value
                else:
                    raise NotRecognised(f"assignment at line {fn['line'] + st.lineno - 1}")
                continue
            if isinstance(st, _ast.Return):
                value = _Const(None) if st.value is None else self.expr(st.value, env, fn)
                if self.depth > 0:
                    return _Ret(value)
                if not isinstance(value, _Response):
                    raise NotRecognised("the view does not return a JsonResponse")
                self.emit_response(value)
                return _Done()
            if isinstance(st, _ast.Raise):
                return self.raise_(st, env, fn)
            if isinstance(st, _ast.Try):
                out = self.try_(st, body[i + 1:], env, fn)
                if out is not None:
                    return out
                return None
            if isinstance(st, _ast.If):
                test = self.cond(st.test, env, fn)
                if isinstance(test, _Const):
                    out = self.run((st.body if test.value else st.orelse) + body[i + 1:], env, fn)
                    return out
                if not st.orelse and st.body and (isinstance(st.body[-1], _ast.Raise) or (
                        self.depth == 0 and _terminates(st.body))):
                    # `if x: raise/return` ends the view in Go too: the statements after it stay in this
                    # scope (no else block), so the values they compute reach a helper's return
                    self.stmts.append(f"if {test.code} {{")
                    if not isinstance(self.run(list(st.body), dict(env), fn), _Done):
                        raise NotRecognised(f"a branch that does not end the view (line {fn['line'] + st.lineno - 1})")
                    self.stmts.append("}")
                    continue
                return self.branch(test, st, body[i + 1:], env, fn)
            raise NotRecognised(f"{type(st).__name__} at line {fn['line'] + st.lineno - 1}")
        return None

    def keep(self, value):
        """A value assigned to a name: Go code that is not a plain variable is computed once, here."""
        from .handlers import _Go  # noqa: F811

        from .handlers_names import is_placeholder

        plain = isinstance(value, _Go) and (value.code.isidentifier() or is_placeholder(value.code))
        if isinstance(value, _Go) and not plain and value.type != "any":
            var = self.var()
            self.stmts.append(f"{var} := {value.code}")
            return _Go(var, value.type, value.field)
        if isinstance(value, _Go) and value.type == "any" and value.code.startswith("Py"):
            var = self.var()
            self.stmts.append(f"{var} := {value.code}")
            return _Go(var, "any")
        return value

    def branch(self, test, st, rest, env, fn):
        """A Go if/else for a test known at run time; `rest` follows each branch that does not end."""
        from .handlers import NotRecognised, _Const, _Go

        parts = []
        at = len(self.stmts)
        self.stmts.append(f"if {test.code} {{")
        for k, block in enumerate((st.body, st.orelse)):
            if k == 1:
                self.stmts.append("} else {")
            todo = list(block) + ([] if _terminates(block) else list(rest))
            out = self.run(todo, dict(env), fn)
            if out is None and self.depth > 0:
                out = _Ret(_Const(None))
            if out is None:
                raise NotRecognised(f"the view does not return on every path (line {fn['line'] + st.lineno - 1})")
            parts.append((out, len(self.stmts)))
        self.stmts.append("}")
        if all(isinstance(o, _Done) for o, _ in parts):
            return _Done()
        if any(isinstance(o, _Done) for o, _ in parts) and not all(isinstance(o, (_Done, _Ret)) for o, _ in parts):
            raise NotRecognised("branches that end differently")
        rets = [(o.value, end) for o, end in parts if isinstance(o, _Ret)]
        typ = self.merge_type([v for v, _ in rets])
        var = self.var("result")
        for value, end in sorted(rets, key=lambda r: -r[1]):  # insert from the end: indexes stay valid
            self.stmts.insert(end, f"{var} = {self.as_type(value, typ)}")
        self.stmts.insert(at, f"var {var} {typ}")
        return _Ret(_Go(var, typ))

    def merge_type(self, values) -> str:
        from .handlers import NotRecognised, _Const, _Go

        types = set()
        for v in values:
            if isinstance(v, _Const):
                if v.value is None:
                    types.add("nil")
                elif isinstance(v.value, bool):
                    types.add("bool")
                elif isinstance(v.value, int):
                    types.add("int")
                else:
                    raise NotRecognised("a helper returning constants of several kinds")
            elif isinstance(v, _Go) and v.type in ("int64", "int32", "int", "bool", "any", "string"):
                types.add("int64" if v.type in ("int32", "int") else v.type)
            else:
                raise NotRecognised("a helper returning values of several kinds")
        if types <= {"bool"}:
            return "bool"
        if types <= {"int", "int64"}:
            return "int64"
        if types <= {"any", "nil"}:
            return "any"
        raise NotRecognised(f"a helper returning {sorted(types)}")

    def as_type(self, value, typ: str) -> str:
        from .handlers import _Const

        if isinstance(value, _Const):
            if value.value is None:
                return "nil"
            if isinstance(value.value, bool):
                return "true" if value.value else "false"
            return str(value.value)
        if typ == "int64" and value.type != "int64":
            return f"int64({value.code})"
        return value.code

    def emit_response(self, resp) -> None:
        body = "NoBody" if resp.body is None else self.json(resp.body)
        self.stmts.append(f"return {resp.status}, {body}, nil")

    # ---- exceptions
    def try_(self, st, rest, env, fn):
        from .handlers import NotRecognised

        if st.finalbody or st.orelse:
            raise NotRecognised(f"try with else/finally at line {fn['line'] + st.lineno - 1}")
        loaded = self.json_try(st, rest, env, fn)
        if loaded is not None:
            return loaded
        pushed = []
        for h in st.handlers:
            if h.type is None:
                raise NotRecognised("a bare except")
            types = h.type.elts if isinstance(h.type, _ast.Tuple) else [h.type]
            refs = {self.exc_ref(t, env, fn) for t in types}
            if not _terminates(h.body):
                raise NotRecognised(f"an except clause that does not return (line {fn['line'] + h.lineno - 1})")
            pushed.append(_Handler(refs, h.name, h.body, fn, env, self.depth))
        self.handlers.extend(reversed(pushed))  # the first clause is tried first: it is innermost
        try:
            out = self.run(list(st.body) + list(rest), env, fn)
        finally:
            del self.handlers[len(self.handlers) - len(pushed):]
        return out

    def json_try(self, st, rest, env, fn):
        """`try: x = json.loads(body) except ValueError: <return>` in a helper: a Go if/else on the error,
        the statements after the try in the else (the except clause returns a value, not an answer)."""
        from .handlers import _Go

        if len(st.body) != 1 or len(st.handlers) != 1 or not isinstance(st.body[0], _ast.Assign):
            return None
        assign, h = st.body[0], st.handlers[0]
        value = assign.value
        if (len(assign.targets) != 1 or not isinstance(assign.targets[0], _ast.Name) or not isinstance(value, _ast.Call)
                or not isinstance(value.func, _ast.Attribute) or value.func.attr != "loads"
                or h.type is None or not _terminates(h.body)):
            return None
        types = h.type.elts if isinstance(h.type, _ast.Tuple) else [h.type]
        if "builtins.ValueError" not in {self.exc_ref(t, env, fn) for t in types}:
            return None
        self.defer_json = True
        try:
            data = self.expr(value, env, fn)
        finally:
            self.defer_json = False
        env = dict(env)
        env[assign.targets[0].id] = data
        if h.name:
            env[h.name] = _Exc("builtins.ValueError", None)
        synthetic = _ast.If(test=None, body=list(h.body), orelse=[], lineno=st.lineno)
        return self.branch(_Go("err != nil", "bool"), synthetic, rest, env, fn)

    def exc_ref(self, node, env, fn) -> str:
        from .handlers import NotRecognised, _Global

        if isinstance(node, _ast.Name) and node.id in _BUILTIN_EXC and node.id not in fn["names"]:
            return f"builtins.{node.id}"
        v = self.expr(node, env, fn)
        if isinstance(v, _Global) and v.kind in ("function", "external", "exception"):
            return v.ref
        raise NotRecognised(f"exception class {_ast.unparse(node)}")

    def raise_(self, st, env, fn):
        from .handlers import NotRecognised, _Const, _Go

        if st.exc is None or st.cause is not None:
            raise NotRecognised("a bare raise or raise from")
        node, message = st.exc, None
        if isinstance(node, _ast.Call):
            if len(node.args) > 1 or node.keywords:
                raise NotRecognised("exception arguments")
            if node.args:
                message = self.expr(node.args[0], env, fn)
                if not isinstance(message, (_Const, _Go)) or (isinstance(message, _Go) and message.type != "string"):
                    raise NotRecognised("an exception message that is not text")
            node = node.func
        return self.throw(self.exc_ref(node, env, fn), message)

    def throw(self, ref: str, message):
        """Go for `raise ref(message)` here: the handler that catches it, or Django's answer."""
        from .handlers import NotRecognised, q

        caught_by = _CAUGHT_BY.get(ref, {ref})
        for h in reversed(self.handlers):
            if h.refs & caught_by:
                saved_depth, saved_handlers = self.depth, self.handlers
                self.depth, self.handlers = h.depth, self.handlers[:self.handlers.index(h)]
                env = dict(h.env)
                if h.name:
                    env[h.name] = _Exc(ref, message)
                try:
                    out = self.run(list(h.body), env, h.fn)
                finally:
                    self.depth, self.handlers = saved_depth, saved_handlers
                if not isinstance(out, _Done):
                    raise NotRecognised("an except clause that does not end the view")
                return _Done()
        if ref == "django.http.response.Http404":
            self.stmts.append("return http.StatusNotFound, NotFoundBody, nil")
        elif ref in _DJANGO_STATUS:  # Django answers these with its 403/400 page, not a 500
            raise NotRecognised(f"raises {ref.rpartition('.')[2]}: Django answers {_DJANGO_STATUS[ref]} with its "
                                "own error page (handler403/handler400), which is not translated")
        else:
            self.stmts.append(f"return http.StatusInternalServerError, nil, errors.New({q('uncaught ' + ref)})")
        return _Done()

    def throw_if(self, cond: str, ref: str, message=None) -> None:
        """`if cond { raise ref }`, the raise translated where it happens."""
        from .handlers import NotRecognised

        self.stmts.append(f"if {cond} {{")
        out = self.throw(ref, message)
        if not isinstance(out, _Done):
            raise NotRecognised("a raise that does not end the view")
        self.stmts.append("}")

    # ---- conditions
    def cond(self, node, env, fn):
        """A test: _Const(bool) when known now, else _Go(code, "bool")."""
        from .handlers import _Const, _Go
        from .handlers_names import is_placeholder

        if isinstance(node, _ast.Compare) and self._method_test(node, env) is not None:
            method, equal = self._method_test(node, env)
            return _Const((method == self.method) == equal)
        if isinstance(node, _ast.BoolOp):
            parts = [self.cond(v, env, fn) for v in node.values]
            is_and = isinstance(node.op, _ast.And)
            codes = []
            for p in parts:
                if isinstance(p, _Const):
                    if bool(p.value) != is_and:  # False in `and`, True in `or`: decides
                        return _Const(not is_and)
                    continue
                codes.append(f"({p.code})")
            if not codes:
                return _Const(is_and)
            return _Go((" && " if is_and else " || ").join(codes), "bool")
        if isinstance(node, _ast.UnaryOp) and isinstance(node.op, _ast.Not):
            inner = self.cond(node.operand, env, fn)
            if isinstance(inner, _Const):
                return _Const(not inner.value)
            plain = inner.code.isidentifier() or is_placeholder(inner.code)
            return _Go(f"!{inner.code}" if plain else f"!({inner.code})", "bool")
        if isinstance(node, _ast.Compare):
            left, out = node.left, []
            for op, right in zip(node.ops, node.comparators):
                out.append(self.compare(left, op, right, env, fn))
                left = right
            if len(out) == 1:
                return out[0]
            if any(isinstance(o, _Const) and not o.value for o in out):
                return _Const(False)
            codes = [f"({o.code})" for o in out if not isinstance(o, _Const)]
            return _Go(" && ".join(codes), "bool") if codes else _Const(True)
        v = self.expr(node, env, fn)
        return self.truth(v)

    def truth(self, v):
        from .handlers import NotRecognised, _Const, _Go, _Obj

        if isinstance(v, _Const):
            return _Const(bool(v.value))
        if isinstance(v, _Obj):
            return _Go(v.present, "bool") if v.present else _Const(True)
        if isinstance(v, _Go):
            if v.type == "bool":
                return v
            if v.type in ("int64", "int32", "int"):
                return _Go(f"{v.code} != 0", "bool")
            if v.type == "string":
                return _Go(f'{v.code} != ""', "bool")
            if v.type == "any":
                return _Go(f"PyTruth({v.code})", "bool")
            if v.type == "*string":
                return _Go(f'{v.code} != nil && *{v.code} != ""', "bool")
        raise NotRecognised(f"the truth of {type(v).__name__}")

    def compare(self, left, op, right, env, fn):
        from .handlers import NotRecognised, _Const, _Go, _Obj

        a = self.expr(left, env, fn)
        if isinstance(op, (_ast.Is, _ast.IsNot)) and isinstance(right, _ast.Constant) and right.value is None:
            neg = isinstance(op, _ast.IsNot)
            if isinstance(a, _Const):
                return _Const((a.value is None) != neg)
            if isinstance(a, _Obj):
                if not a.present:
                    return _Const(neg)
                return _Go(a.present if neg else f"!{a.present}", "bool")
            if isinstance(a, _Go) and (a.type == "any" or a.type.startswith("*")):
                return _Go(f"{a.code} {'!=' if neg else '=='} nil", "bool")
            raise NotRecognised("`is None` of a value that cannot be None")
        if isinstance(op, (_ast.In, _ast.NotIn)):
            neg = isinstance(op, _ast.NotIn)
            if isinstance(right, _ast.Tuple) and all(isinstance(e, _ast.Constant) for e in right.elts):
                options = [e.value for e in right.elts]
                if isinstance(a, _Const):
                    return _Const((a.value in options) != neg)
                if isinstance(a, _Go) and a.type == "*string" and all(o is None or isinstance(o, str) for o in options):
                    from .handlers import q as goq

                    codes = [f"{a.code} == nil" if o is None else f"({a.code} != nil && *{a.code} == {goq(o)})"
                             for o in options]
                    code = " || ".join(codes)
                    return _Go(f"!({code})" if neg else code, "bool")
                raise NotRecognised("`in` a tuple for this value")
            b = self.expr(right, env, fn)
            if isinstance(a, _Const) and isinstance(a.value, str) and isinstance(b, _Go) and b.type == "any":
                from .handlers import q as goq

                self.body_key(b, a.value, None)
                code = f"PyHas({b.code}, {goq(a.value)})"
                return _Go(f"!{code}" if neg else code, "bool")
            raise NotRecognised("`in` of this value")
        ops = {_ast.Lt: "<", _ast.LtE: "<=", _ast.Gt: ">", _ast.GtE: ">=", _ast.Eq: "==", _ast.NotEq: "!="}
        if type(op) not in ops:
            raise NotRecognised(f"comparison {type(op).__name__}")
        b = self.expr(right, env, fn)
        if isinstance(a, _Const) and isinstance(b, _Const):
            import operator

            f = {_ast.Lt: operator.lt, _ast.LtE: operator.le, _ast.Gt: operator.gt, _ast.GtE: operator.ge,
                 _ast.Eq: operator.eq, _ast.NotEq: operator.ne}[type(op)]
            return _Const(f(a.value, b.value))
        x, y = self.as_int(a), self.as_int(b)
        return _Go(f"{x} {ops[type(op)]} {y}", "bool")

    def as_int(self, v) -> str:
        """Go int64 code for a value used as an integer (a JSON value: PyAsInt, a 500 when it is not one)."""
        from .handlers import NotRecognised, _Const, _Go

        if isinstance(v, _Const) and isinstance(v.value, int) and not isinstance(v.value, bool):
            return str(v.value)
        if isinstance(v, _Go) and v.type == "int64":
            return v.code
        if isinstance(v, _Go) and v.type in ("int32", "int"):
            return f"int64({v.code})"
        if isinstance(v, _Go) and v.type == "any":
            var = self.var("number")
            self.stmts.append(f"{var}, err := PyAsInt({v.code})\n"
                              + self.error_check("int() of a JSON value"))
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
        from .handlers import NotRecognised, _Const, _Go, q

        func = node.func
        if isinstance(func, _ast.Name) and func.id == "isinstance" and func.id not in fn["names"] and len(node.args) == 2:
            v = self.expr(node.args[0], env, fn)
            kinds = node.args[1].elts if isinstance(node.args[1], _ast.Tuple) else [node.args[1]]
            names = []
            for k in kinds:
                if not isinstance(k, _ast.Name) or k.id not in _ISINSTANCE or k.id in fn["names"]:
                    raise NotRecognised("isinstance of a class")
                names.append(_ISINSTANCE[k.id])
            if isinstance(v, _Const):
                return _Const(any(type(v.value).__name__ == n or (n == "int" and isinstance(v.value, bool))
                                  for n in names))
            if not isinstance(v, _Go) or v.type != "any":
                raise NotRecognised("isinstance of a value that is not from the JSON body")
            if isinstance(node.args[0], _ast.Call) and isinstance(node.args[0].func, _ast.Attribute):
                key = node.args[0].args[0] if node.args[0].args else None
                if isinstance(key, _ast.Constant) and isinstance(key.value, str):
                    base = self.expr(node.args[0].func.value, env, fn)
                    self.body_key(base, key.value, names[0] if names[0] != "dict" else None)
            return _Go(f"PyIsInstance({v.code}, {', '.join(q(n) for n in names)})", "bool")
        if isinstance(func, _ast.Attribute) and func.attr == "loads" and isinstance(func.value, _ast.Name) and (
                fn["names"].get(func.value.id, {}).get("ref") == "json"):
            if len(node.args) != 1 or node.keywords:
                raise NotRecognised("json.loads arguments")
            data = self.expr(node.args[0], env, fn)
            if not isinstance(data, _Go) or data.type != "[]byte":
                raise NotRecognised("json.loads of something that is not the request body")
            var = self.var("data")
            self.stmts.append(f"{var}, err := PyJSONLoads({data.code})")
            if not getattr(self, "defer_json", False):  # json_try decides what err != nil does
                self.throw_if("err != nil", "builtins.ValueError")
            self.body_vars.add(var)
            self.reads_body = True
            return _Go(var, "any")
        if isinstance(func, _ast.Attribute) and func.attr == "get":
            base = self.expr(func.value, env, fn)
            if isinstance(base, _QueryDict):
                if len(node.args) != 1 or node.keywords or not isinstance(node.args[0], _ast.Constant) and not (
                        isinstance(self.expr(node.args[0], env, fn), _Const)):
                    raise NotRecognised("request.GET.get arguments")
                name = self.expr(node.args[0], env, fn)
                self.query_keys.add(name.value)
                return _Go(f"QGet(req.Query, {q(name.value)})", "*string")
            if isinstance(base, _Go) and base.type == "any":
                if len(node.args) not in (1, 2) or node.keywords:
                    raise NotRecognised("dict.get arguments")
                key = self.expr(node.args[0], env, fn)
                if not isinstance(key, _Const) or not isinstance(key.value, str):
                    raise NotRecognised("dict.get of a computed key")
                self.body_key(base, key.value, None)
                if len(node.args) == 2:
                    raise NotRecognised("dict.get with a default")
                return _Go(f"PyGet({base.code}, {q(key.value)})", "any")
        return None

    def subscript_input(self, node, env, fn):
        """d["k"] on a JSON value: KeyError where the key is missing."""
        from .handlers import NotRecognised, _Const, _Go, q

        base = self.expr(node.value, env, fn)
        if not isinstance(base, _Go) or base.type != "any":
            return None
        key = self.expr(node.slice, env, fn)
        if not isinstance(key, _Const) or not isinstance(key.value, str):
            raise NotRecognised("a subscript with a computed key")
        self.body_key(base, key.value, None)
        var = self.var(key.value)
        self.stmts.append(f"{var}, ok := PyItem({base.code}, {q(key.value)})")
        self.throw_if("!ok", "builtins.KeyError")
        return _Go(var, "any")

    def py_int(self, arg):
        """int(text): Python's ValueError (with its message) where int() refuses the text."""
        from .handlers import _Go

        code = f"*{arg.code}" if arg.type == "*string" else arg.code
        var = self.var("number")
        self.stmts.append(f"{var}, err := PyInt({code})")
        self.throw_if("IsPyValueError(err)", "builtins.ValueError", _Go("err.Error()", "string"))
        self.stmts.append(self.error_check("int()"))
        return _Go(var, "int64")

    def fstring(self, node, env, fn):
        from .handlers import NotRecognised, _Const, _Go, q

        parts, dynamic = [], False
        for v in node.values:
            if isinstance(v, _ast.Constant):
                parts.append(_Const(str(v.value)))
                continue
            if not isinstance(v, _ast.FormattedValue) or v.format_spec is not None or v.conversion != -1:
                raise NotRecognised("an f-string with a format")
            x = self.expr(v.value, env, fn)
            if isinstance(x, _Const) and isinstance(x.value, (str, int)) and not isinstance(x.value, bool):
                parts.append(_Const(str(x.value)))
            elif isinstance(x, _Go) and x.type == "string":
                parts.append(x)
                dynamic = True
            else:
                raise NotRecognised("an f-string of a value that is not text")
        if not dynamic:
            return _Const("".join(p.value for p in parts))
        return _Go(" + ".join(q(p.value) if isinstance(p, _Const) else p.code for p in parts), "string")


class _QueryDict:
    """request.GET"""
