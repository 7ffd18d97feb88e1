"""Control flow and exceptions for migrated handlers: the statement part of ViewReader.

The view is read once per HTTP method into Go statements, against the dialect-neutral store. What this
module adds to the reader (conditions and input: handlers_input; QuerySets: handlers_query):

- **Statements**: ``if`` on a value only known at run time becomes a Go ``if``; a branch that ends in
  ``return``/``raise`` takes the statements after the ``if`` as its ``else``, so every Go path ends in a
  ``return``. A helper function with several ``return``s gets one result variable.
- **Exceptions**: ``try``/``except`` is a stack of handlers. A ``raise`` (explicit, or implied: ``int()``
  of a bad string is ValueError, ``.get()`` finding nothing is ``DoesNotExist``, ``d["k"]`` is KeyError,
  ``json.loads`` of a bad body is ValueError) is translated where it happens: the innermost matching
  handler's body is read there, and it must end in the view's ``return``: one Go function, so that
  ``return`` leaves the handler. Uncaught: ``Http404`` is a 404, anything else a 500 as in Django
  (``raise`` and the classes an ``except`` names: handlers_except).
- **Input**: ``request.body``, ``json.loads``, ``isinstance`` of a JSON value, ``d.get("k")``, ``d["k"]``,
  ``"k" in d``, ``request.GET.get(name)``, ``int(text)`` with Python's own error message.
- **Writes**: ``update()`` / ``delete()`` / ``remove()`` sites give their row count, ``.first()`` an
  optional row (``is None``), ``.get()`` a row or ``DoesNotExist``; ``HttpResponse(status=N)`` no body.
"""

from __future__ import annotations

import ast as _ast
import re

from . import guards_result, handlers_humanize, handlers_optional, handlers_paths, handlers_rowedit, handlers_user, \
    path_queries
from .handlers_json import branch_env, merge_objects
from .handlers_names import is_placeholder, number
from .handlers_shortcut import needs_split, read_split
from .handlers_values import (BODY, Const, Done, Exc, ExceptHandler, GoValue, JSONObj, Lazy, NotRecognised, Response,
                              Ret, Rows, q)

_ANONYMOUS = re.compile("!([\\w\x01\x02]+)\\.IsAuthenticated")
_ZERO = {"bool": "false", "int64": "0", "any": "nil", "string": '""'}


def _object_or_none(name: str, handler, rest) -> bool:
    """The helper's shape ``try: name = json.loads(...) except ValueError: return None`` then ``return name
    if isinstance(name, dict) else None``: the body's object or None (pyvalues.go BodyObject)."""
    def same(nodes, text):
        return len(nodes) == 1 and _ast.dump(nodes[0]) == _ast.dump(_ast.parse(text).body[0])

    return same(handler, "return None") and same(rest, f"return {name} if isinstance({name}, dict) else None")


def _terminates(body) -> bool:
    last = body[-1] if body else None
    return isinstance(last, (_ast.Return, _ast.Raise)) or (
        isinstance(last, _ast.If) and _terminates(last.body) and _terminates(last.orelse))


class FlowMixin:
    """Statement-level reading for ViewReader (see the module docstring)."""

    # ---- statements
    def run(self, body, env, fn):
        for i, st in enumerate(body):
            if isinstance(st, _ast.Expr) and isinstance(st.value, _ast.Constant):
                continue
            if isinstance(st, _ast.Pass) or handlers_humanize.body_import(st, env):
                continue
            if isinstance(st, _ast.Expr) and isinstance(st.value, _ast.Call):
                self.expr(st.value, env, fn)
                continue
            if handlers_rowedit.aug_assign(self, st, env, fn) or handlers_optional.bind(self, st, env, fn) or \
                    handlers_optional.refinement(self, st, env, fn):
                continue  # row.column += timedelta (handlers_rowedit); a QuerySet refined by optional filters: its query
            helper = handlers_user.answering_helper(self, st, body[i + 1] if i + 1 < len(body) else None, fn)
            if helper is not None:  # `denied = check(request)`, `if denied: return denied` (handlers_user)
                handlers_user.read_answering(self, *helper, env, fn)
                continue
            if isinstance(st, _ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], _ast.Tuple):
                value = (self.get_or_create(st.value, env, fn) if self.is_get_or_create(st.value, env, fn)
                         else self.expr(st.value, env, fn))
                self.unpack(st.targets[0], value, env, fn)
                continue
            if isinstance(st, _ast.Assign) and len(st.targets) == 1:
                t = st.targets[0]
                bound = path_queries.binding(self, st, env, fn)
                if bound is not None:  # a QuerySet refined in if/elif arms: one query per path (path_queries)
                    env[bound[0]] = bound[1]
                    continue
                if isinstance(t, _ast.Name) and isinstance(st.value, _ast.Subscript) and self._is_chain(st.value, env, fn):
                    env[t.id] = Lazy(st.value)  # evaluated where it is iterated (the site is there)
                    continue
                value = self.expr(st.value, env, fn)
                if isinstance(t, _ast.Name):
                    self.rebound(env.get(t.id), value, t.id)
                    env[t.id] = self.keep(value)
                    self.name_as(env[t.id], t.id)
                elif isinstance(t, _ast.Subscript) and isinstance(t.value, _ast.Name) and isinstance(
                        env.get(t.value.id), JSONObj) and isinstance(t.slice, _ast.Constant):
                    env[t.value.id].items[t.slice.value] = self.part(value)
                    env[t.value.id].origin = self.helper()  # a dict completed here is this function's
                else:
                    raise NotRecognised(f"assignment at line {fn['line'] + st.lineno - 1}")
                continue
            if isinstance(st, _ast.Return):
                value = Const(None) if st.value is None else self.expr(st.value, env, fn)
                if isinstance(value, Done):  # `return super().dispatch(...)` of a prelude: the handler answered
                    return value
                if self.depth > 0 and not (self.depth == self.answering and isinstance(value, Response)):
                    return Ret(value)
                if isinstance(value, JSONObj) and self.route.get("result") is not None:
                    value = guards_result.answer(self.route, value)  # a json_view's answer (translate.guards_result)
                if not isinstance(value, Response):
                    raise NotRecognised("the view does not return a JsonResponse")
                self.emit_response(value)
                return Done()
            if isinstance(st, _ast.Raise):
                return self.raise_(st, env, fn)
            if isinstance(st, _ast.Try):
                out = self.try_(st, body[i + 1:], env, fn)
                if out is not None:
                    return out
                return None
            if isinstance(st, _ast.If) and not st.orelse and _terminates(st.body) and needs_split(st.test):
                read_split(self, st, env, fn)  # `if a and <query>: raise`: the query only where a holds
                continue
            if isinstance(st, _ast.If):
                test = self.cond(st.test, env, fn)
                if isinstance(test, Const):
                    out = self.run((st.body if test.value else st.orelse) + body[i + 1:], env, fn)
                    return out
                if not st.orelse and st.body and (isinstance(st.body[-1], _ast.Raise) or (
                        self.depth in (0, self.answering) and _terminates(st.body))):
                    # `if x: raise/return` ends the view in Go too: the statements after it stay in this
                    # scope (no else block), so the values they compute reach a helper's return
                    self.stmts.append(f"if {test.code} {{")
                    if not isinstance(self.run(list(st.body), dict(env), fn), Done):
                        raise NotRecognised(f"a branch that does not end the view (line {fn['line'] + st.lineno - 1})")
                    self.stmts.append("}")
                    anonymous = _ANONYMOUS.fullmatch(test.code)
                    if anonymous:  # `if not request.user.is_authenticated: return`: past it, the user is (handlers_user)
                        self.remember(("authenticated", anonymous.group(1)), anonymous.group(1))
                    continue
                return handlers_paths.branch(self, test, st, body[i + 1:], env, fn)  # self.branch, or a path's 501
            raise NotRecognised(f"{type(st).__name__} at line {fn['line'] + st.lineno - 1}")
        return None

    def rebound(self, old, new, python_name: str) -> None:
        """``since = date.fromisoformat(since) if since else None``: the name's text before the conversion is
        ``sinceText`` in Go, the converted value ``since`` (not ``since`` and ``since2``)."""
        code = getattr(old, "code", "")
        if (isinstance(old, GoValue) and old.type in ("*string", "string") and is_placeholder(code)
                and isinstance(new, GoValue) and new.type not in ("*string", "string")
                and self.hints.get(number(code)) == python_name):
            self.hints[number(code)] = f"{python_name}_text"

    def keep(self, value):
        """A value assigned to a name: Go code that is not a plain variable is computed once, here."""
        plain = isinstance(value, GoValue) and (value.code.isidentifier() or is_placeholder(value.code))
        if isinstance(value, GoValue) and not plain and value.type != "any":
            var = self.var()
            self.stmts.append(f"{var} := {value.code}")
            return GoValue(var, value.type, value.field)
        if isinstance(value, GoValue) and value.type == "any" and value.code.startswith("Py"):
            var = self.var()
            self.stmts.append(f"{var} := {value.code}")
            return GoValue(var, "any")
        return value

    def branch(self, test, st, rest, env, fn):
        """A Go if/else for a test known at run time; `rest` follows each branch that does not end."""
        parts = []
        at = len(self.stmts)
        self.stmts.append(f"if {test.code} {{")
        for k, block in enumerate((st.body, st.orelse)):
            if k == 1:
                self.stmts.append("} else {")
            todo = list(block) + ([] if _terminates(block) else list(rest))
            out = self.run(todo, branch_env(path_queries.narrowed(st.test, env) if k == 0 else env), fn)
            if out is None and self.depth > 0:
                out = Ret(Const(None))
            if out is None:
                raise NotRecognised(f"the view does not return on every path (line {fn['line'] + st.lineno - 1})")
            parts.append((out, len(self.stmts)))
        self.stmts.append("}")
        if all(isinstance(o, Done) for o, _ in parts):
            return Done()
        if any(isinstance(o, Done) for o, _ in parts) and not all(isinstance(o, (Done, Ret)) for o, _ in parts):
            raise NotRecognised("branches that end differently")
        rets = [(o.value, end) for o, end in parts if isinstance(o, Ret)]
        if len(rets) > 1 and any(isinstance(v, Rows) for v, _ in rets):  # each path's rows, as JSON (path_queries)
            rets = [(GoValue(self.json(v), "any") if isinstance(v, Rows) else v, end) for v, end in rets]
        if (merged := merge_objects(self, rets, at)) is not None:  # a dict each path completes (handlers_json)
            return Ret(merged)
        typ = self.merge_type([v for v, _ in rets])
        var = self.var("result")
        for value, end in sorted(rets, key=lambda r: -r[1]):  # insert from the end: indexes stay valid
            if self.as_type(value, typ) != _ZERO.get(typ, "nil" if typ.startswith("*") else None):  # `var result T`: zero
                self.stmts.insert(end, f"{var} = {self.as_type(value, typ)}")
        if self.stmts[at + 1] == "} else {":  # nothing to do when the test holds: test the negation
            self.stmts[at:at + 2] = [f"if {self.negate(test).code} {{"]
        self.stmts.insert(at, f"var {var} {typ}")
        return Ret(GoValue(var, typ))

    def merge_type(self, values) -> str:
        types = set()
        for v in values:
            if isinstance(v, Const):
                if v.value is None:
                    types.add("nil")
                elif isinstance(v.value, bool):
                    types.add("bool")
                elif isinstance(v.value, (int, str)):
                    types.add("int" if isinstance(v.value, int) else "string")
                else:
                    raise NotRecognised("a helper returning constants of several kinds")
            elif isinstance(v, GoValue) and v.type in ("int64", "int32", "int", "bool", "any", "string", "decimal.Decimal",
                                                       "djtypes.Date"):
                types.add("int64" if v.type in ("int32", "int") else v.type)
            else:
                raise NotRecognised("a helper returning values of several kinds")
        if types <= {"bool"}:
            return "bool"
        if types <= {"int", "int64"} or types <= {"string"}:
            return "string" if "string" in types else "int64"
        if types <= {"any", "nil"}:
            return "any"
        if len(types - {"nil"}) == 1 and (types - {"nil"}) <= {"int", "int64", "string", "bool", "decimal.Decimal", "djtypes.Date"}:
            return "*" + {"int": "int64"}.get(*types - {"nil"}, *types - {"nil"})  # a value or None: optional
        raise NotRecognised(f"a helper returning {sorted(types)}")

    def as_type(self, value, typ: str) -> str:
        if isinstance(value, Const):
            if value.value is None:
                return "nil"
            if isinstance(value.value, bool):
                code = "true" if value.value else "false"
            else:
                code = q(value.value) if isinstance(value.value, str) else str(value.value)
            return f"Ptr({code})" if typ.startswith("*") else code
        if typ.startswith("*") and not value.type.startswith("*"):  # an optional's value (merge_type)
            return f"&{value.code}" if value.code.isidentifier() or is_placeholder(value.code) else f"Ptr({value.code})"
        if typ == "int64" and value.type != "int64":
            return f"int64({value.code})"
        return value.code

    def emit_response(self, resp) -> None:
        body = "NoBody" if resp.body is None else self.response_body(resp.body)
        self.stmts.append(f"return {resp.status}, {body}, nil")

    # ---- exceptions
    def try_(self, st, rest, env, fn):
        if st.finalbody or st.orelse:
            raise NotRecognised(f"try with else/finally at line {fn['line'] + st.lineno - 1}")
        loaded = self.json_try(st, rest, env, fn)
        if loaded is not None:
            return loaded
        pushed = []
        for h in st.handlers:
            if h.type is None:
                raise NotRecognised(f"a bare except (line {fn['line'] + h.lineno - 1}): it catches every error, "
                                    "KeyboardInterrupt and SystemExit too, which the Go does not tell apart")
            types = h.type.elts if isinstance(h.type, _ast.Tuple) else [h.type]
            refs = {self.exc_ref(t, env, fn) for t in types}
            if not _terminates(h.body):
                raise NotRecognised(f"an except clause that does not return (line {fn['line'] + h.lineno - 1})")
            pushed.append(ExceptHandler(refs, h.name, h.body, fn, env, self.depth))
        self.handlers.extend(reversed(pushed))  # the first clause is tried first: it is innermost
        try:
            out = self.run(list(st.body) + list(rest), env, fn)
        finally:
            del self.handlers[len(self.handlers) - len(pushed):]
        return out

    def json_try(self, st, rest, env, fn):
        """`try: x = json.loads(body) except ValueError: <return>` in a helper: a Go if/else on the error,
        the statements after the try in the else (the except clause returns a value, not an answer)."""
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
        if self.depth > 0 and _object_or_none(assign.targets[0].id, h.body, rest):
            data = self.expr(value.args[0], env, fn) if len(value.args) == 1 and not value.keywords else None
            if not isinstance(data, GoValue) or data.type != "[]byte" or self.reads_body:
                raise NotRecognised("json.loads of something that is not the request body")
            var = self.var("data")
            self.stmts.append(f"{var} := BodyObject[requestBody]({data.code})")
            self.reads_body = True
            return Ret(GoValue(var, BODY))
        self.defer_json = True
        try:
            data = self.expr(value, env, fn)
        finally:
            self.defer_json = False
        env = dict(env)
        env[assign.targets[0].id] = data
        if h.name:
            env[h.name] = Exc("builtins.ValueError", None)
        synthetic = _ast.If(test=None, body=list(h.body), orelse=[], lineno=st.lineno)
        return self.branch(GoValue("err != nil", "bool"), synthetic, rest, env, fn)

    def _open_blocks(self) -> tuple:
        """Where each Go block still open starts (statement and line), outermost first."""
        stack = []
        for i, st in enumerate(self.stmts):
            for j, line in enumerate(st.split("\n")):
                if line.startswith("}"):
                    stack.pop()
                if line.rstrip().endswith("{"):
                    stack.append((i, j))
        return tuple(stack)

    def computed(self, key):
        """The variable that already holds ``key`` (the same conversion of the same value) where it is
        in scope here (declared in this block or one enclosing it), else None."""
        found = self.memo.get(key)
        if found is None:
            return None
        var, blocks = found
        return var if self._open_blocks()[:len(blocks)] == blocks else None

    def remember(self, key, var: str) -> None:
        self.memo[key] = (var, self._open_blocks())


