"""A serializer's own ``__init__`` that adds one field per row of a model, read, never run (runs inside Django).

django-helpdesk's ``BaseTicketSerializer.__init__`` is the shape::

    super().__init__(*args, **kwargs)
    custom_fields = CustomField.objects.all()
    if not self.include_staff_only_custom_fields:
        custom_fields = custom_fields.filter(staff_only=False)
    for field in custom_fields:
        self.fields[f"custom_{field.name}"] = field.build_api_field()

DRF's answer then has, after the declared fields, one key ``prefix + row.<attr>`` per row of that QuerySet, in its
order, each rendered by the field the row's method builds. The QuerySet is built with Django (never evaluated), so
the order is the manager's (``CustomFieldManager.order_by("ordering")``) or ``Meta.ordering``; a test over a class
attribute of the serializer (``include_staff_only_custom_fields``) is decided per class. Any other statement, a
QuerySet method other than all / filter / exclude / order_by with constant arguments, a name that is not a model:
Unread with what could not be read.
"""

from __future__ import annotations

import ast
from typing import Any

from ..ir_drf import RowFields
from .drf_queryset import _CONST, Unread, function_node

_METHODS = ("all", "filter", "exclude", "order_by")


def own_init_class(cls: type) -> type | None:
    """The project class whose ``__init__`` ``cls`` runs (None when DRF's own, or object's)."""
    own = next((k for k in cls.__mro__ if "__init__" in vars(k)), None)
    return None if own in (None, object) or own.__module__.startswith("rest_framework") else own


def read_row_fields(cls: type) -> RowFields:
    """The fields ``cls``'s own ``__init__`` adds per row (raises Unread when its body is another shape)."""
    own = own_init_class(cls)
    if own is None:
        raise Unread(f"{cls.__qualname__} has no __init__ of its own")
    fn = vars(own)["__init__"]
    body = [s for s in function_node(fn).body if not _docstring(s)]
    if not body or not _super_init(body[0]):
        raise Unread(f"{own.__qualname__}.__init__ does not begin with super().__init__(*args, **kwargs)")
    names: dict[str, tuple[str, Any]] = {}  # local name -> (source, QuerySet)
    for stmt in body[1:-1]:
        _statement(stmt, cls, fn.__globals__, names)
    return _loop(body[-1] if len(body) > 1 else body[0], own, names)


def _docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)


def _super_init(stmt: ast.stmt) -> bool:
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"
            and isinstance(call.func.value, ast.Call) and isinstance(call.func.value.func, ast.Name)
            and call.func.value.func.id == "super" and not call.func.value.args
            and [type(a) for a in call.args] == [ast.Starred] and [k.arg for k in call.keywords] == [None])


def _statement(stmt: ast.stmt, cls: type, env: dict, names: dict) -> None:
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        names[stmt.targets[0].id] = _queryset(stmt.value, env, names)
        return
    if isinstance(stmt, ast.If) and not stmt.orelse:
        for s in stmt.body if _test(stmt.test, cls) else ():
            _statement(s, cls, env, names)
        return
    raise Unread(f"line {stmt.lineno} of the __init__ is not an assignment of a QuerySet or an if over a class "
                 f"attribute: {ast.unparse(stmt).splitlines()[0]}")


def _test(test: ast.expr, cls: type) -> bool:
    negate = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
    node = test.operand if negate else test
    if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"):
        raise Unread(f"the if tests {ast.unparse(test)}, not an attribute of the serializer class")
    value = getattr(cls, node.attr, _Missing)
    if value is _Missing or not isinstance(value, _CONST):
        raise Unread(f"{cls.__qualname__}.{node.attr} is not a constant class attribute")
    return bool(value) != negate


class _Missing:
    pass


def _queryset(node: ast.expr, env: dict, names: dict) -> tuple[str, Any]:
    from django.db import models

    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        model = env.get(node.value.id)
        if isinstance(model, type) and issubclass(model, models.Model) and \
                isinstance(getattr(model, node.attr, None), models.Manager):
            return f"{model.__name__}.{node.attr}", getattr(model, node.attr).all()
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _METHODS:
        source, qs = _queryset(node.func.value, env, names)
        try:
            args = [ast.literal_eval(a) for a in node.args]
            kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
        except ValueError as exc:
            raise Unread(f"{ast.unparse(node)}: arguments that are not constants") from exc
        if len(kwargs) != len(node.keywords):
            raise Unread(f"{ast.unparse(node)}: **arguments")
        text = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
        return f"{source}.{node.func.attr}({text})", getattr(qs, node.func.attr)(*args, **kwargs)
    raise Unread(f"{ast.unparse(node)} is not a QuerySet of a model's manager")


def _loop(stmt: ast.stmt, own: type, names: dict) -> RowFields:
    if not (isinstance(stmt, ast.For) and isinstance(stmt.target, ast.Name) and isinstance(stmt.iter, ast.Name)
            and stmt.iter.id in names and len(stmt.body) == 1 and not stmt.orelse):
        raise Unread(f"{own.__qualname__}.__init__ does not end with one loop over a QuerySet adding one field")
    row = stmt.target.id
    add = stmt.body[0]
    key = add.targets[0] if isinstance(add, ast.Assign) and len(add.targets) == 1 else None
    if not (isinstance(key, ast.Subscript) and ast.unparse(key.value) == "self.fields"):
        raise Unread(f"the loop's body is not self.fields[...] = ...: {ast.unparse(add)}")
    prefix, attr = _key(key.slice, row)
    call = add.value
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and ast.unparse(call.func.value) == row
            and not call.args and not call.keywords):
        raise Unread(f"the field added is not {row}.<method>(): {ast.unparse(call)}")
    source, qs = names[stmt.iter.id]
    model = qs.model
    if not callable(getattr(model, call.func.attr, None)):
        raise Unread(f"{model.__name__}.{call.func.attr} is not a method")
    order = tuple(qs.query.order_by) or tuple(model._meta.ordering or ())
    return RowFields(model._meta.label, source, tuple(str(o) for o in order), prefix, attr,
                     f"{model.__name__}.{call.func.attr}", own.__qualname__)


def _key(node: ast.expr, row: str) -> tuple[str, str]:
    """f"custom_{field.name}" -> ("custom_", "name")."""
    parts = node.values if isinstance(node, ast.JoinedStr) else []
    if (len(parts) == 2 and isinstance(parts[0], ast.Constant) and isinstance(parts[1], ast.FormattedValue)
            and parts[1].conversion == -1 and parts[1].format_spec is None
            and isinstance(parts[1].value, ast.Attribute) and ast.unparse(parts[1].value.value) == row):
        return parts[0].value, parts[1].value.attr
    raise Unread(f"the key {ast.unparse(node)} is not f\"<prefix>{{{row}.<attribute>}}\"")
