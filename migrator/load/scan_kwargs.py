"""Keyword arguments passed as a dict the function builds with literal keys: ``spec = {"event": e, "lat": x}``
then ``M.objects.get(**spec)``. The lookups are those keys, fixed in the source, so the site is the call with
the keywords written out (``get(event=e, lat=x)``), not DYNAMIC_KWARGS.

Followed only when nothing else can change the dict: the function assigns the name exactly once, to a dict
display whose keys are all string literals that are identifiers (no ``**other`` inside it), and every other
mention of the name is a ``**name`` argument. A dict grown with ``spec[k] = v``, ``spec.update()``, handed to
a function, or bound twice (``if``/``else``) stays DYNAMIC_KWARGS.
"""

from __future__ import annotations

import ast
from collections import Counter
from typing import Optional

import libcst as cst

from .branches import Reason
from .cst_tools import walk

_COMPREHENSIONS = (ast.ListComp, ast.GeneratorExp, ast.SetComp)


def _literal_keys(node: cst.Dict) -> Optional[list[str]]:
    keys = []
    for el in node.elements:
        if type(el) is not cst.DictElement or type(el.key) is not cst.SimpleString:
            return None
        try:
            key = ast.literal_eval(el.key.value)
        except (ValueError, SyntaxError):
            return None
        if not isinstance(key, str) or not key.isidentifier() or key in keys:
            return None
        keys.append(key)
    return keys


def _mentions(fn: cst.CSTNode) -> Counter:
    """How often each name is mentioned, attribute names and keyword names left out."""
    out: Counter = Counter()
    skip: set[int] = set()
    for node in walk(fn):
        t = type(node)
        if t is cst.Attribute:
            skip.add(id(node.attr))
        elif t is cst.Arg and node.keyword is not None:
            skip.add(id(node.keyword))
        elif t is cst.Name and id(node) not in skip:
            out[node.value] += 1
    return out


def kwarg_dicts(fn: cst.FunctionDef) -> dict[str, cst.Dict]:
    """Name -> the dict display it holds, for each name of ``fn`` that is only ever unpacked with ``**``."""
    assigned: dict[str, list[cst.CSTNode]] = {}
    unpacked: Counter = Counter()
    for node in walk(fn.body):
        t = type(node)
        if t is cst.Assign and len(node.targets) == 1 and type(node.targets[0].target) is cst.Name:
            assigned.setdefault(node.targets[0].target.value, []).append(node.value)
        elif t is cst.Arg and node.star == "**" and type(node.value) is cst.Name:
            unpacked[node.value.value] += 1
    found = {name: values[0] for name, values in assigned.items()
             if unpacked[name] and len(values) == 1 and type(values[0]) is cst.Dict
             and _literal_keys(values[0]) is not None}
    if not found:
        return {}
    mentions = _mentions(fn)
    return {name: d for name, d in found.items() if mentions[name] == 1 + unpacked[name]}


def expand(args, ctx) -> list[cst.Arg]:
    """The call's arguments with each ``**name`` of the function's kwarg_dicts written out as keywords (the
    function is read once, at its first ``**name``)."""
    if not any(a.star == "**" and type(a.value) is cst.Name for a in args) or ctx.node is None:
        return list(args)
    if ctx.kwarg_dicts is None:
        ctx.kwarg_dicts = kwarg_dicts(ctx.node)
    out = []
    for a in args:
        d = ctx.kwarg_dicts.get(a.value.value) if a.star == "**" and type(a.value) is cst.Name else None
        if d is None:
            out.append(a)
            continue
        out += [cst.Arg(keyword=cst.Name(ast.literal_eval(el.key.value)), value=el.value) for el in d.elements]
    return out


def runtime_shape(method: str, arg) -> Optional[Reason]:
    """What in an argument decides the statement's shape at run time, beyond its top-level ``*``/``**``:
    ``defaults=`` given anything but a dict display (the columns written), or expressions unpacked from a
    comprehension inside an expression (``Case(*[When(...) for tz in zones])``: how many WHENs)."""
    source = arg.source.strip()
    try:
        node = ast.parse(f"(\n{source}\n)", mode="eval").body
    except SyntaxError:
        return None
    if arg.keyword in ("defaults", "create_defaults") and method in ("get_or_create", "update_or_create") \
            and not isinstance(node, ast.Dict) and not (isinstance(node, ast.Constant) and node.value is None):
        return Reason("DYNAMIC_KWARGS", f"{arg.keyword}={source}: the columns written are decided at run time")
    if arg.keyword in ("*", "**"):
        return None  # a top-level unpacking: classified by its kind (DYNAMIC_FIELD, DYNAMIC_KWARGS)
    for n in ast.walk(node):
        if isinstance(n, ast.Starred) and isinstance(n.value, _COMPREHENSIONS):
            return Reason("DYNAMIC_FIELD", f"`{ast.unparse(n)[:120]}`: expressions built by a comprehension, how many "
                          "is decided at run time")
    return None
