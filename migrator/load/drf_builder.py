"""The model method that builds a serializer field per row, read, never run (runs inside Django): helpdesk's
``CustomField.build_api_field``::

    customfield_to_api_field_dict = {"varchar": serializers.CharField, ..., "slug": serializers.SlugField}
    attributes = {"label": self.label, "help_text": self.help_text, "required": self.required}
    if self.data_type in ("varchar", "text"):
        attributes["max_length"] = self.max_length
        if self.data_type == "text":
            attributes["style"] = {"base_template": "textarea.html"}
    elif self.data_type == "decimal":
        ...
    try:
        return customfield_to_api_field_dict[self.data_type](**attributes)
    except KeyError:
        raise NameError(f"Unrecognized data_type {self.data_type}")

read into FieldBuilder: the column that picks the DRF field class, the class per value, and each keyword argument
with the values of the column it is given for (``*``: all) as Python source. A value the table lacks raises (DRF's
``__init__`` fails: a 500). Any other body is Unread.
"""

from __future__ import annotations

import ast

from ..ir_drf import FieldBuilder
from .drf_queryset import Unread, function_node


def read_builder(model: type, method: str) -> FieldBuilder:
    fn = getattr(model, method)
    body = [s for s in function_node(fn).body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) < 3:
        raise Unread(f"{fn.__qualname__} is not a table of field classes, their arguments and one call")
    table, classes = _classes(body[0], fn)
    attrs, args = _always(body[1], fn)
    column, returned = _call(body[-1], table, attrs, fn)
    kinds = tuple(k for k, _ in classes)
    for stmt in body[2:-1]:
        args += _branch(stmt, column, attrs, kinds, fn)
    return FieldBuilder(f"{model.__name__}.{method}", column, classes, tuple(args))


def _classes(stmt: ast.stmt, fn) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``name = {"value": serializers.X, ...}``: each X a DRF field class."""
    from rest_framework import fields

    if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Dict) and _name(stmt)):
        raise Unread(f"{fn.__qualname__} does not begin with a dict of field classes")
    out = []
    for k, v in zip(stmt.value.keys, stmt.value.values):
        cls = _resolve(v, fn.__globals__)
        if not (isinstance(k, ast.Constant) and isinstance(k.value, str) and isinstance(cls, type)
                and issubclass(cls, fields.Field) and cls.__module__.startswith("rest_framework")):
            raise Unread(f"{fn.__qualname__}: {ast.unparse(v)} is not a DRF field class")
        out.append((k.value, cls.__name__))
    return _name(stmt), tuple(out)


def _resolve(node: ast.expr, env: dict):
    if isinstance(node, ast.Name):
        return env.get(node.id)
    if isinstance(node, ast.Attribute):
        return getattr(_resolve(node.value, env), node.attr, None)
    return None


def _name(stmt: ast.Assign) -> str:
    return stmt.targets[0].id if len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) else ""


def _always(stmt: ast.stmt, fn) -> tuple[str, list]:
    """``attributes = {"label": self.label, ...}``: keyword arguments every class gets."""
    if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Dict) and _name(stmt)
            and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in stmt.value.keys)):
        raise Unread(f"{fn.__qualname__}: the second statement is not a dict of keyword arguments")
    return _name(stmt), [(("*",), k.value, ast.unparse(v)) for k, v in zip(stmt.value.keys, stmt.value.values)]


def _call(stmt: ast.stmt, table: str, attrs: str, fn) -> tuple[str, str]:
    """``try: return table[self.<column>](**attrs) except KeyError: raise ...`` (or the return alone)."""
    ret = stmt.body[0] if isinstance(stmt, ast.Try) and len(stmt.body) == 1 else stmt
    if isinstance(stmt, ast.Try) and not (len(stmt.handlers) == 1 and ast.unparse(stmt.handlers[0].type) == "KeyError"
                                          and all(isinstance(s, ast.Raise) for s in stmt.handlers[0].body)):
        raise Unread(f"{fn.__qualname__}: the except is not `except KeyError: raise ...`")
    call = ret.value if isinstance(ret, ast.Return) else None
    sub = call.func if isinstance(call, ast.Call) else None
    if not (isinstance(sub, ast.Subscript) and ast.unparse(sub.value) == table and not call.args
            and [ast.unparse(k.value) for k in call.keywords if k.arg is None] == [attrs] and len(call.keywords) == 1
            and isinstance(sub.slice, ast.Attribute) and ast.unparse(sub.slice.value) == "self"):
        raise Unread(f"{fn.__qualname__} does not end with `return {table}[self.<column>](**{attrs})`")
    return sub.slice.attr, ast.unparse(call)


def _branch(stmt: ast.stmt, column: str, attrs: str, kinds: tuple[str, ...], fn) -> list:
    """An ``if self.<column> in (...)`` / ``== "..."`` chain whose bodies set ``attrs["kwarg"] = <expr>``."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Subscript) \
            and ast.unparse(stmt.targets[0].value) == attrs and isinstance(stmt.targets[0].slice, ast.Constant):
        return [(kinds, stmt.targets[0].slice.value, ast.unparse(stmt.value))]
    if not isinstance(stmt, ast.If):
        raise Unread(f"{fn.__qualname__}: `{ast.unparse(stmt).splitlines()[0]}` is not read")
    chosen = _chosen(stmt.test, column, fn)
    out = [a for s in stmt.body for a in _branch(s, column, attrs, tuple(k for k in kinds if k in chosen), fn)]
    rest = tuple(k for k in kinds if k not in chosen)
    return out + [a for s in stmt.orelse for a in _branch(s, column, attrs, rest, fn)]


def _chosen(test: ast.expr, column: str, fn) -> tuple[str, ...]:
    ok = (isinstance(test, ast.Compare) and len(test.ops) == 1 and ast.unparse(test.left) == f"self.{column}")
    try:
        value = ast.literal_eval(test.comparators[0]) if ok else None
    except ValueError:
        value = None
    if ok and isinstance(test.ops[0], ast.Eq) and isinstance(value, str):
        return (value,)
    if ok and isinstance(test.ops[0], ast.In) and isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return value
    raise Unread(f"{fn.__qualname__}: the test `{ast.unparse(test)}` is not self.{column} == / in constants")
