"""A custom manager method whose body is not one chain, followed with the arguments its call site gives.

``Message.objects.inbox_unread_count(request.user)`` (django-postman) runs ``inbox()`` then ``_folder()``:
dicts of lookups, ``if`` on literal options, ``Q(**filters)``. ``follow`` evaluates such bodies statement by
statement with the call site's literal arguments, and the runtime ones (``request.user``) as values that may
only be passed along (into a dict, a lookup, another method of ``self``). It gives the QuerySet chain the
method builds: ``all().filter(Q(recipient=request.user, ...)).filter(read_at__isnull=True).count()``, as
(method, [(keyword, source)]) steps the scanner turns into calls, so that Django compiles it as any chain.

Anything whose outcome a runtime value could change (a test on it, an attribute of it, a loop, a ``try``, a
call the evaluator does not know) stops the evaluation with the reason: the site stays CUSTOM_METHOD, with
that reason in its explanation. Nothing is guessed: a branch is taken only when its test is decided by
literals and module constants.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from ..querysets import KNOWN_METHODS, TERMINAL_METHODS
from .model_source import class_body, method_def

MAX_DEPTH = 8  # methods of self calling each other


class Stop(Exception):
    """The body does something the evaluation cannot decide from the call site: the reason, for the site."""


@dataclass(frozen=True)
class Runtime:
    """A value known only at run time, by its source text at the call site: it may only be passed along."""
    source: str


@dataclass(frozen=True)
class Constant:
    """A module constant that is no literal (``OPTION_MESSAGES = pgettext_lazy(...)``): equal to itself only."""
    name: str


@dataclass(frozen=True)
class QExpr:
    kwargs: tuple  # ((lookup, value), ...)


@dataclass
class Chain:
    steps: list = field(default_factory=list)  # [(method, [(keyword, value)])]
    ended: bool = False  # a terminal method ran (count(), exists()...)


@dataclass
class _Scope:
    module: str
    constants: dict[str, str]
    env: dict[str, Any]


def follow(classes: dict, constants: dict[str, dict[str, str]], manager_paths: tuple[str, ...], name: str,
           args: list[tuple[str, Any]]) -> Chain:
    """The chain ``manager.<name>(*args)`` builds; ``args`` are (keyword or "", value) with Runtime values
    for what the call site computes. Raises Stop with the reason when the body cannot be followed."""
    return _Follower(classes, constants, manager_paths).method(name, args, 0)


class _Follower:
    def __init__(self, classes: dict, constants: dict[str, dict[str, str]], paths: tuple[str, ...]):
        self.classes, self.constants, self.paths = classes, constants, paths
        self.defaults: set[int] = set()  # ids of the containers parameters' defaults built: never changed here

    def method(self, name: str, args: list[tuple[str, Any]], depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise Stop(f"`{name}()` calls itself deeper than {MAX_DEPTH} levels")
        found = next(((p, f) for p in self.paths if (f := method_def(self.classes, p, name)) is not None), None)
        if found is None:
            raise Stop(f"`{name}()`: its source was not scanned")
        path, fn = found
        module = _module_of(self.classes, path, fn)
        scope = _Scope(module, self.constants.get(module, {}), {})
        self.bind(fn, args, scope)
        try:
            self.block(fn.body, scope, depth)
        except _Return as r:
            return r.value
        raise Stop(f"`{name}()` returns nothing")

    def bind(self, fn: cst.FunctionDef, args: list[tuple[str, Any]], scope: _Scope) -> None:
        p = fn.params
        if p.posonly_params:
            raise Stop(f"`{fn.name.value}()` takes positional-only parameters")
        names = [x for x in p.params][1:] + list(p.kwonly_params)  # self left out
        positional = [v for k, v in args if not k]
        keywords = {k: v for k, v in args if k}
        for i, prm in enumerate(names):
            pname = prm.name.value
            if i < len(positional) and prm in p.params:
                scope.env[pname] = positional[i]
            elif pname in keywords:
                scope.env[pname] = keywords.pop(pname)
            elif prm.default is not None:
                scope.env[pname] = self.expr(prm.default, scope, 0)
                if isinstance(scope.env[pname], (dict, list)):
                    self.defaults.add(id(scope.env[pname]))
            else:
                raise Stop(f"`{fn.name.value}()`: no value for its parameter `{pname}`")
        if type(p.star_arg) is cst.Param:
            scope.env[p.star_arg.name.value] = tuple(positional[len(p.params) - 1:])
        elif len(positional) > len(p.params) - 1:
            raise Stop(f"`{fn.name.value}()`: more positional arguments than parameters")
        if keywords and p.star_kwarg is None:
            raise Stop(f"`{fn.name.value}()`: unknown keyword arguments {sorted(keywords)}")
        if isinstance(p.star_kwarg, cst.Param):
            scope.env[p.star_kwarg.name.value] = dict(keywords)

    # ------------------------------------------------------------------ statements

    def block(self, body, scope: _Scope, depth: int) -> None:
        stmts = list(body.body) if type(body) is cst.IndentedBlock else [body]
        for i, st in enumerate(stmts):
            if type(st) is cst.SimpleStatementLine:
                for small in st.body:
                    if i == 0 and type(small) is cst.Expr and type(small.value) in (cst.SimpleString, cst.ConcatenatedString):
                        continue  # the docstring
                    self.small(small, scope, depth)
            elif type(st) is cst.If:
                self.branch(st, scope, depth)
            else:
                raise Stop(f"a `{type(st).__name__.lower()}` statement in the method's body")

    def branch(self, st: cst.If, scope: _Scope, depth: int) -> None:
        test = self.expr(st.test, scope, depth)
        if not isinstance(test, (bool, int, str, type(None), dict, tuple, list)):
            raise Stop(f"`if {_code(st.test)}`: its test is decided at run time")
        if test:
            self.block(st.body, scope, depth)
        elif type(st.orelse) is cst.If:
            self.branch(st.orelse, scope, depth)
        elif st.orelse is not None:
            self.block(st.orelse.body, scope, depth)

    def small(self, node: cst.BaseSmallStatement, scope: _Scope, depth: int) -> None:
        t = type(node)
        if t is cst.Return:
            raise _Return(self.expr(node.value, scope, depth) if node.value is not None else None)
        if t in (cst.Assign, cst.AnnAssign) and node.value is not None:
            targets = [x.target for x in node.targets] if t is cst.Assign else [node.target]
            value = self.expr(node.value, scope, depth)
            for target in targets:
                if type(target) is cst.Name:
                    scope.env[target.value] = value
                elif type(target) is cst.Subscript and type(target.value) is cst.Name \
                        and isinstance(scope.env.get(target.value.value), dict) and len(target.slice) == 1:
                    held = scope.env[target.value.value]
                    if id(held) in self.defaults:
                        raise Stop(f"`{_code(target)} = ...` changes a parameter's default value, shared by every call")
                    held[_key(self.expr(target.slice[0].slice.value, scope, depth))] = value  # in place, as Python
                else:
                    raise Stop(f"the assignment to `{_code(target)}`")
            return
        if t is cst.Pass:
            return
        raise Stop(f"the statement `{_code(node)}`")

    # ------------------------------------------------------------------ expressions

    def expr(self, node: cst.BaseExpression, scope: _Scope, depth: int) -> Any:
        t = type(node)
        if t in (cst.SimpleString, cst.Integer, cst.Float, cst.ConcatenatedString):
            return ast.literal_eval(_code(node))
        if t is cst.Name:
            return self.name(node.value, scope)
        if t in (cst.Tuple, cst.List):
            items = [self.expr(e.value, scope, depth) for e in node.elements if type(e) is cst.Element]
            if len(items) != len(node.elements):
                raise Stop(f"`{_code(node)}`: a starred element")
            return tuple(items) if t is cst.Tuple else items
        if t is cst.Dict:
            out = {}
            for e in node.elements:
                if type(e) is not cst.DictElement:
                    raise Stop(f"`{_code(node)}`: a ** element")
                out[_key(self.expr(e.key, scope, depth))] = self.expr(e.value, scope, depth)
            return out
        if t is cst.IfExp:
            return self.expr(node.body if self.decided(node.test, scope, depth) else node.orelse, scope, depth)
        if t is cst.Comparison:
            return self.compare(node, scope, depth)
        if t is cst.UnaryOperation and type(node.operator) is cst.Not:
            return not self.decided(node.expression, scope, depth)
        if t is cst.BooleanOperation:
            left = self.decided(node.left, scope, depth)
            if type(node.operator) is cst.And:
                return self.decided(node.right, scope, depth) if left else False
            return True if left else self.decided(node.right, scope, depth)
        if t is cst.Call:
            return self.call(node, scope, depth)
        raise Stop(f"`{_code(node)}` is not a value the tool follows")

    def name(self, name: str, scope: _Scope) -> Any:
        if name in scope.env:
            return scope.env[name]
        if name in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[name]
        if name in scope.constants:
            try:
                return ast.literal_eval(scope.constants[name])
            except (ValueError, SyntaxError):
                return Constant(f"{scope.module}.{name}")
        raise Stop(f"`{name}` is not a parameter, local or module constant")

    def decided(self, node: cst.BaseExpression, scope: _Scope, depth: int) -> bool:
        value = self.expr(node, scope, depth)
        if isinstance(value, (Runtime, Chain, QExpr)) or isinstance(value, Constant):
            raise Stop(f"`{_code(node)}`: a test whose outcome is decided at run time")
        return bool(value)

    def compare(self, node: cst.Comparison, scope: _Scope, depth: int) -> bool:
        if len(node.comparisons) != 1:
            raise Stop(f"`{_code(node)}`: a chained comparison")
        left = self.expr(node.left, scope, depth)
        cmp = node.comparisons[0]
        right = self.expr(cmp.comparator, scope, depth)
        op = type(cmp.operator)
        if isinstance(left, Constant) and isinstance(right, Constant) and left == right \
                and op in (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot):
            return op in (cst.Equal, cst.Is)  # a constant is equal to itself, whatever its value
        if any(_opaque(v, (Runtime, Chain, QExpr)) for v in (left, right)):
            raise Stop(f"`{_code(node)}`: compares a value known only at run time")
        if any(_opaque(v, (Constant,)) for v in (left, right)):
            raise Stop(f"`{_code(node)}`: compares a module constant whose value is computed at import")
        ops = {cst.Equal: lambda a, b: a == b, cst.NotEqual: lambda a, b: a != b, cst.Is: lambda a, b: a is b,
               cst.IsNot: lambda a, b: a is not b, cst.In: lambda a, b: a in b, cst.NotIn: lambda a, b: a not in b}
        if op not in ops:
            raise Stop(f"`{_code(node)}`: an ordering comparison")
        try:
            return ops[op](left, right)
        except TypeError:
            raise Stop(f"`{_code(node)}` raises TypeError") from None

    def call(self, node: cst.Call, scope: _Scope, depth: int) -> Any:
        func = node.func
        callee = _code(func)
        args = self.arguments(node, scope, depth)
        if callee == "isinstance" and len(args) == 2:
            kinds = {"list": list, "tuple": tuple, "dict": dict, "str": str, "int": int, "bool": bool}
            wanted = args[1][1] if isinstance(args[1][1], tuple) else (args[1][1],)
            value = args[0][1]
            if isinstance(value, (Runtime, Constant)) or not all(isinstance(w, _Type) for w in wanted):
                raise Stop(f"`{callee}(...)`: a type test on a value known only at run time")
            return isinstance(value, tuple(kinds[w.name] for w in wanted))
        if callee in ("Q", "models.Q"):
            kwargs: list = []
            for k, v in args:
                if k == "**" and isinstance(v, dict):
                    kwargs += list(v.items())
                elif k and k != "**":
                    kwargs.append((k, v))
                else:
                    raise Stop(f"`{_code(node)}`: a Q with positional or unknown ** arguments")
            return QExpr(tuple(kwargs))
        if type(func) is cst.Attribute:
            owner = func.value
            meth = func.attr.value
            if type(owner) is cst.Name and owner.value == "self":
                if meth in KNOWN_METHODS:
                    return Chain([(meth, _flat(args))], meth in TERMINAL_METHODS)
                return self.method(meth, _flat(args), depth + 1)
            target = self.expr(owner, scope, depth)
            if isinstance(target, dict) and meth == "get" and 1 <= len(args) <= 2 and not any(k for k, _ in args):
                return target.get(_key(args[0][1]), args[1][1] if len(args) == 2 else None)
            if isinstance(target, Chain) and not target.ended and meth in KNOWN_METHODS:
                return Chain([*target.steps, (meth, _flat(args))], meth in TERMINAL_METHODS)
        raise Stop(f"`{_code(node)}`: a call the tool does not follow")

    def arguments(self, node: cst.Call, scope: _Scope, depth: int) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = []
        for a in node.args:
            if type(a.value) is cst.Name and a.value.value in _TYPES and not a.star and a.keyword is None:
                out.append(("", _Type(a.value.value)))
                continue
            if type(a.value) is cst.Tuple and all(type(e.value) is cst.Name and e.value.value in _TYPES
                                                   for e in a.value.elements):
                out.append(("", tuple(_Type(e.value.value) for e in a.value.elements)))
                continue
            value = self.expr(a.value, scope, depth)
            if a.star == "*":
                if not isinstance(value, (list, tuple)):
                    raise Stop(f"`*{_code(a.value)}`: not a sequence the tool knows")
                out += [("", v) for v in value]
            else:
                out.append(("**" if a.star == "**" else (a.keyword.value if a.keyword else ""), value))
        return out


_TYPES = ("list", "tuple", "dict", "str", "int", "bool")


@dataclass(frozen=True)
class _Type:
    name: str


class _Return(Exception):
    def __init__(self, value: Any):
        super().__init__()
        self.value = value


def _opaque(value: Any, kinds: tuple) -> bool:
    """Whether ``value`` is, or holds, a value of ``kinds``: equal or not is then decided at run time."""
    if isinstance(value, kinds):
        return True
    if isinstance(value, dict):
        return any(_opaque(k, kinds) or _opaque(v, kinds) for k, v in value.items())
    return isinstance(value, (list, tuple)) and any(_opaque(v, kinds) for v in value)


def _key(value: Any) -> Any:
    """A dict key: a value known before run time (a Runtime's hash is its source text, not its value)."""
    if _opaque(value, (Runtime, Constant, Chain, QExpr)) or isinstance(value, (dict, list)):
        raise Stop(f"{value!r} as a dict key: its value is decided at run time")
    return value


def _flat(args: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """``filter(**d)`` with a known dict: its items as keywords."""
    out: list[tuple[str, Any]] = []
    for k, v in args:
        if k == "**":
            if not isinstance(v, dict):
                raise Stop("a ** argument that is not a dict the tool knows")
            out += list(v.items())
        else:
            out.append((k, v))
    return out


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _module_of(classes: dict, path: str, fn: cst.FunctionDef) -> str:
    """The module of the class (``path`` or one of its bases) that defines ``fn``."""
    seen: set[str] = set()
    todo = [path]
    while todo:
        p = todo.pop(0)
        if p in seen or p not in classes:
            continue
        seen.add(p)
        node, bases, _qs = classes[p]
        if any(st is fn for st in class_body(node)):
            return p.rpartition(".")[0]
        todo += list(bases)
    return path.rpartition(".")[0]


def source(value: Any) -> str:
    """Python source for a followed value, in the call site's terms (a Runtime is its own source text)."""
    if isinstance(value, Runtime):
        return value.source
    if isinstance(value, QExpr):
        return "Q(" + ", ".join(f"{k}={source(v)}" for k, v in value.kwargs) + ")"
    if isinstance(value, (Constant, Chain, _Type)):
        raise Stop(f"{value!r} reaches the query: a value computed at import or a QuerySet")
    if isinstance(value, (list, tuple)):
        inner = ", ".join(source(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{source(k)}: {source(v)}" for k, v in value.items()) + "}"
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    raise Stop(f"{value!r} is not a value the tool writes into a query")


def chain_text(chain: Any, name: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(method, [(keyword, source)]) per step of what ``name()`` returned; Stop when it is no chain."""
    if not isinstance(chain, Chain) or not chain.steps:
        raise Stop(f"`{name}()` returns no QuerySet chain on the manager")
    return [(m, [(k, source(v)) for k, v in args]) for m, args in chain.steps]

