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

from ..ir_drf import RowAttributes, RowFields
from .drf_builder import read_builder
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
        try:  # builds the QuerySet, never runs it
            return f"{source}.{node.func.attr}({text})", getattr(qs, node.func.attr)(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - Django refuses the call (FieldError): what DRF would raise too
            raise Unread(f"{ast.unparse(node)}: {type(exc).__name__}: {exc}") from exc
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
    built, why = None, ""
    try:
        built = read_builder(model, call.func.attr)
    except Unread as exc:
        why = str(exc)
    return RowFields(model._meta.label, source, tuple(str(o) for o in order), prefix, attr,
                     f"{model.__name__}.{call.func.attr}", own.__qualname__, built, why)


def _key(node: ast.expr, row: str) -> tuple[str, str]:
    """f"custom_{field.name}" -> ("custom_", "name")."""
    parts = node.values if isinstance(node, ast.JoinedStr) else []
    if (len(parts) == 2 and isinstance(parts[0], ast.Constant) and isinstance(parts[1], ast.FormattedValue)
            and parts[1].conversion == -1 and parts[1].format_spec is None
            and isinstance(parts[1].value, ast.Attribute) and ast.unparse(parts[1].value.value) == row):
        return parts[0].value, parts[1].value.attr
    raise Unread(f"the key {ast.unparse(node)} is not f\"<prefix>{{{row}.<attribute>}}\"")


def read_row_attributes(model: type, method: str) -> RowAttributes:
    """What ``model.method`` sets per row of another model (helpdesk's ``Ticket.set_custom_field_values``)::

        for field in CustomField.objects.all():
            try:
                value = self.ticketcustomfieldvalue_set.get(field=field).value
            except TicketCustomFieldValue.DoesNotExist:
                value = None
            setattr(self, f"custom_{field.name}", value)

    Unread when the body is another shape."""
    fn = getattr(model, method)
    body = [s for s in function_node(fn).body if not _docstring(s)]
    loop = body[0] if len(body) == 1 else None
    if not (isinstance(loop, ast.For) and isinstance(loop.target, ast.Name) and not loop.orelse
            and len(loop.body) == 2 and isinstance(loop.body[0], ast.Try)):
        raise Unread(f"{fn.__qualname__} is not one loop over a QuerySet of try: value = ... / setattr(self, ...)")
    source, qs = _queryset(loop.iter, fn.__globals__, {})
    row = loop.target.id
    value, related, lookup, column = _get_value(loop.body[0], row, fn)
    default, rel = _default(loop.body[0], value, model, related, fn)
    key = next((f for f in rel._meta.get_fields() if f.name == lookup), None)
    if not (getattr(key, "many_to_one", False) and key.related_model is qs.model):
        raise Unread(f"{fn.__qualname__}: {rel.__name__}.{lookup} is not a foreign key to {qs.model.__name__}")
    prefix, attr = _setattr(loop.body[1], row, value)
    order = tuple(qs.query.order_by) or tuple(qs.model._meta.ordering or ())
    return RowAttributes(f"{model.__name__}.{method}", qs.model._meta.label, source, tuple(str(o) for o in order),
                         prefix, attr, related, rel._meta.label, lookup, column, default)


def _get_value(node: ast.Try, row: str, fn) -> tuple[str, str, str, str]:
    """``value = self.<related>.get(<lookup>=<row>).<column>``, the try's only statement."""
    stmt = node.body[0] if len(node.body) == 1 and not node.orelse and not node.finalbody else None
    get = stmt.value.value if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Attribute) else None
    if not (isinstance(get, ast.Call) and isinstance(get.func, ast.Attribute) and get.func.attr == "get"
            and isinstance(get.func.value, ast.Attribute) and ast.unparse(get.func.value.value) == "self"
            and not get.args and len(get.keywords) == 1 and ast.unparse(get.keywords[0].value) == row
            and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
        raise Unread(f"{fn.__qualname__}: the try is not `value = self.<manager>.get(<field>={row}).<column>`")
    return stmt.targets[0].id, get.func.value.attr, get.keywords[0].arg, stmt.value.attr


def _default(node: ast.Try, value: str, model: type, related: str, fn) -> tuple[Any, type]:
    """The constant ``value`` takes when the related row is missing (``except <Related>.DoesNotExist``)."""
    manager = getattr(model, related, None)
    rel = getattr(getattr(manager, "rel", None), "related_model", None)
    if rel is None:
        raise Unread(f"{fn.__qualname__}: self.{related} is not a reverse foreign key's manager")
    h = node.handlers[0] if len(node.handlers) == 1 else None
    ok = (h is not None and isinstance(h.type, ast.Attribute) and h.type.attr == "DoesNotExist"
          and fn.__globals__.get(ast.unparse(h.type.value)) is rel and len(h.body) == 1
          and isinstance(h.body[0], ast.Assign) and ast.unparse(h.body[0].targets[0]) == value)
    try:
        default = ast.literal_eval(h.body[0].value) if ok else _Missing
    except ValueError:
        default = _Missing
    if default is _Missing:
        raise Unread(f"{fn.__qualname__}: the except is not `except {rel.__name__}.DoesNotExist: {value} = <constant>`")
    return default, rel


def _setattr(node: ast.stmt, row: str, value: str) -> tuple[str, str]:
    call = node.value if isinstance(node, ast.Expr) else None
    if not (isinstance(call, ast.Call) and ast.unparse(call.func) == "setattr" and len(call.args) == 3
            and ast.unparse(call.args[0]) == "self" and ast.unparse(call.args[2]) == value and not call.keywords):
        raise Unread(f"the loop does not end with setattr(self, <key>, {value})")
    return _key(call.args[1], row)
