"""Small, fast helpers over libcst trees for the scanner (its visitor machinery is far slower)."""

from __future__ import annotations

import dataclasses
from typing import Iterator

import libcst as cst


class _PerType(dict):
    """type -> fact about the type, computed on first use (a dict hit, no Python call, on the hot path)."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, cls: type):
        value = self[cls] = self.compute(cls)
        return value


_CHILD_FIELDS = _PerType(lambda cls: tuple(
    f.name for f in dataclasses.fields(cls) if f.name not in ("lpar", "rpar") and not f.name.startswith("whitespace")))
# Tokens and whitespace hold no name, call or statement, so children() leaves them out: they are a
# third of all nodes, and nothing the scanner looks for is one of them or under one.
_TRIVIA = (cst.BaseParenthesizableWhitespace, cst.EmptyLine, cst.TrailingWhitespace, cst.Newline, cst.Comment,
           cst.Comma, cst.Dot, cst.AssignEqual, cst.Colon, cst.Semicolon, cst.LeftSquareBracket,
           cst.RightSquareBracket, cst.LeftParen, cst.RightParen, cst.LeftCurlyBrace, cst.RightCurlyBrace,
           cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp, cst.Asynchronous,
           cst.ImportStar)
_IS_CHILD = _PerType(lambda cls: issubclass(cls, cst.CSTNode) and not issubclass(cls, _TRIVIA))


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Child nodes, straight from the dataclass fields (libcst's visitor machinery is far slower)."""
    out = []
    for name in _CHILD_FIELDS[type(node)]:
        value = getattr(node, name)
        t = type(value)
        if t is tuple or t is list:
            for v in value:
                if _IS_CHILD[type(v)]:
                    out.append(v)
        elif _IS_CHILD[t]:
            out.append(value)
    return out


_KINDS: dict[tuple[type, type], bool] = {}


def is_a(value: object, cls: type) -> bool:
    """isinstance() for libcst's abstract node classes, cached per concrete type (ABC checks are slow)."""
    key = (type(value), cls)
    hit = _KINDS.get(key)
    if hit is None:
        hit = _KINDS[key] = isinstance(value, cls)
    return hit


def walk(node: cst.CSTNode, prune: tuple[type, ...] = (), expressions: bool = True) -> Iterator[cst.CSTNode]:
    """Every node under ``node`` (itself included), not descending into ``prune`` types below it, nor
    into expressions unless ``expressions`` (an expression holds no statement: looking for imports, the
    walk can skip them; the statements it yields come in the same order).

    Node types are compared with ``type(x) is T`` here and below, not isinstance(): libcst's node classes
    are ABCs (slow isinstance), and the concrete ones the scanner names have no subclasses.
    """
    stack = [node]
    while stack:
        cur = stack.pop()
        yield cur
        kids = children(cur)
        if prune or not expressions:
            kids = [c for c in kids if type(c) not in prune and (expressions or not is_a(c, cst.BaseExpression))]
        stack.extend(kids)


def reads(node: cst.CSTNode) -> set[str]:
    """Names an expression reads (not attribute names, not keyword names)."""
    out: set[str] = set()
    stack = [node]
    while stack:
        cur = stack.pop()
        t = type(cur)
        if t is cst.Name:
            out.add(cur.value)
        elif t is cst.Attribute or t is cst.Arg:
            stack.append(cur.value)
        else:
            stack.extend(children(cur))
    return out


def target_names(node: cst.CSTNode) -> Iterator[str]:
    """Names bound by an assignment target (``a``, ``a, b``, ``*rest``); not attributes or subscripts."""
    if type(node) is cst.Name:
        yield node.value
    elif type(node) in (cst.Tuple, cst.List):
        for el in node.elements:
            yield from target_names(el.value)
    elif type(node) is cst.StarredElement:
        yield from target_names(node.value)


_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_BINDS_TARGET = (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr)


def _named(node: cst.CSTNode, name: str) -> bool:
    """``name`` or ``<anything>.name``."""
    return (type(node) is cst.Name and node.value == name) or (type(node) is cst.Attribute and node.attr.value == name)


def function_scope(body: cst.CSTNode) -> tuple[set[str], list[cst.CSTNode]]:
    """The local names a function body binds, and its import statements, in one walk."""
    names: set[str] = set()
    imports: list[cst.CSTNode] = []
    for node in walk(body, _SCOPES):
        t = type(node)
        if t in _BINDS_TARGET:
            names.update(target_names(node.target))
        elif t is cst.AsName:
            names.update(target_names(node.name))
        elif t is cst.Import or t is cst.ImportFrom:
            imports.append(node)
    return names, imports
