"""A DRF view's ``get_serializer`` and ``get_object`` overrides read for what they change in a read (runs inside
Django).

An override that returns ``super().get_serializer(...)`` after calls that only narrow a relation field's ``queryset``
(its choices for a write) changes nothing a read renders (a related field writes the pk whatever its queryset),
provided the arguments are read without running a query (load/drf_queryset's Reader). A ``get_object`` that only
runs model methods on DRF's object (each only reading: drf_queryset.only_reads) is read as those methods' names.
Anything else raises Unread.
"""

from __future__ import annotations

import ast
import inspect

from .drf_queryset import (QS, SELF, SERIALIZER, Reader, Unread, facts, function_node, only_reads, project_code,
                           settled)


def read_get_serializer(view: type, permission_classes: tuple[str, ...], fields: dict) -> None:
    """Unread unless ``get_serializer`` only narrows relation fields' querysets (``fields``: the serializer's
    field name -> its kind, ``pk`` / ``slug`` for a relation)."""
    fn = next(k.__dict__["get_serializer"] for k in view.__mro__ if "get_serializer" in k.__dict__)
    body = [s for s in function_node(fn).body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    first, *calls, last = body if len(body) >= 2 else (None, None)
    if not (isinstance(first, ast.Assign) and isinstance(first.targets[0], ast.Name)
            and ast.unparse(first.value) == "super().get_serializer(*args, **kwargs)"
            and isinstance(last, ast.Return) and isinstance(last.value, ast.Name)
            and last.value.id == first.targets[0].id):
        raise Unread("get_serializer does more than return super().get_serializer(*args, **kwargs)")
    settled(lambda known: _narrowing(Reader(view, known), fn, first.targets[0].id, calls, fields),
            facts(permission_classes))


def _narrowing(reader: Reader, fn, name: str, calls: list, fields: dict) -> bool:
    env = {"self": SELF, name: SERIALIZER, "__globals__": fn.__globals__}
    for c in calls:
        call = c.value if isinstance(c, ast.Expr) and isinstance(c.value, ast.Call) else None
        if call is None or not call.args or ast.unparse(call.args[0]) != name or call.keywords:
            raise Unread(f"get_serializer: `{ast.unparse(c)}` is not a call narrowing the serializer")
        narrow = reader.expr(call.func, env)
        field = reader.expr(call.args[1], env) if len(call.args) == 3 else None
        if fields.get(field) not in ("pk", "slug"):
            raise Unread(f"get_serializer: `{ast.unparse(c)}` does not name a relation field of the serializer")
        if not isinstance(reader.expr(call.args[2], env), QS):
            raise Unread(f"get_serializer: `{ast.unparse(call.args[2])}` is not a QuerySet read without a query")
        _only_sets_queryset(narrow)
    return True


def _only_sets_queryset(fn) -> None:
    """Unread unless ``fn(serializer, field_name, queryset)`` only looks the field up, raises, and sets its
    ``queryset`` (DRF's choices for a write: what a read renders is unchanged)."""
    if not callable(fn) or not project_code(fn):
        raise Unread(f"get_serializer calls {getattr(fn, '__qualname__', fn)}, which is not read")
    allowed_calls = {"getattr", "hasattr", "type"}
    tree = function_node(fn)
    raised = {id(n) for r in ast.walk(tree) if isinstance(r, ast.Raise) for n in ast.walk(r)}  # the error it raises
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and id(node) not in raised:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in allowed_calls and not (name == "get" and ast.unparse(func).endswith(".fields.get")):
                raise Unread(f"{fn.__qualname__} calls `{ast.unparse(func)}`")
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if not (isinstance(t, ast.Name) or isinstance(t, ast.Attribute) and t.attr == "queryset"):
                    raise Unread(f"{fn.__qualname__} sets `{ast.unparse(t)}`")
        if isinstance(node, (ast.Delete, ast.Global, ast.Nonlocal, ast.For, ast.While, ast.With)):
            raise Unread(f"{fn.__qualname__}: `{ast.unparse(node).splitlines()[0]}` is not read")


def read_get_object(view: type, model: type) -> tuple[str, ...]:
    """The methods of ``model`` that a ``get_object`` override runs on DRF's object before returning it (``obj =
    super().get_object()``, then ``obj.method()`` calls, ``return obj``; helpdesk's ``TicketViewSet``), each one that
    only reads rows and sets attributes (drf_queryset.only_reads); else Unread."""
    fn = next(k.__dict__["get_object"] for k in view.__mro__ if "get_object" in k.__dict__)
    body = [s for s in function_node(fn).body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    first, *calls, last = body if len(body) >= 2 else (None, None)
    name = first.targets[0].id if isinstance(first, ast.Assign) and isinstance(first.targets[0], ast.Name) else ""
    if not (name and ast.unparse(first.value) == "super().get_object()" and isinstance(last, ast.Return)
            and isinstance(last.value, ast.Name) and last.value.id == name):
        raise Unread("get_object does more than return super().get_object() after calls on it")
    out = []
    for c in calls:
        call = c.value if isinstance(c, ast.Expr) and isinstance(c.value, ast.Call) else None
        if call is None or call.args or call.keywords or not isinstance(call.func, ast.Attribute) \
                or ast.unparse(call.func.value) != name:
            raise Unread(f"get_object: `{ast.unparse(c)}` is not a call of a method of the object")
        method = getattr(model, call.func.attr, None)
        if not (inspect.isfunction(method) and project_code(method)):
            raise Unread(f"get_object: {model.__name__}.{call.func.attr} is not a project method of the model")
        only_reads(method)
        out.append(call.func.attr)
    return tuple(out)
