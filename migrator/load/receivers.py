"""Signal receivers that write rows, read from their Python (never run while analysing: load.isolate).

A write site's compile records the receivers its signals would reach, without running them. Most of them
act outside the database (a search index, an e-mail, a cache) and the generated query still writes what
Django writes: they are named (SIGNAL_NOT_RUN). A receiver that writes rows of its own (helpdesk's
``create_usersettings``: ``UserSettings.objects.create(user=instance)`` on User's post_save; celery_beat's
``PeriodicTasks.update_changed``), or a pre_save receiver that sets fields of the row being written, makes the
Go query leave the database different from Django's: the site is RECEIVER_WRITES, not translated.

Read here (``body_writes``, plain text in): ORM writes through a manager or a QuerySet (``X.objects.create``,
``.filter(...).update``), ``save()``/``delete()`` of an object, related-manager ``add/remove/set/clear``, and in a
pre_save receiver an assignment to the instance. Followed (``receiver_writes``, live objects of the worker):
functions the receiver calls by name, methods of its own class (``cls.x()``, ``self.x()``), attributes of
module-level names (``PeriodicTasks.update_changed``) and custom manager methods (``LogEntry.objects.log_create``),
``DEPTH`` calls deep, when they belong to the receiver's own top-level package. Missed: a write behind a call the reading cannot
resolve (a value passed in, a dispatch table, a method of the instance), in another package, or deeper than
``DEPTH``: the receiver stays SIGNAL_NOT_RUN (a warning), as before.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass
from typing import Any, Callable, Optional

MANAGER_WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update", "update", "delete"}
RELATED_WRITES = {"add", "remove", "set", "clear"}
MANAGER_READS = {"filter", "exclude", "all", "get", "first", "last", "exists", "count", "order_by", "values",
                 "values_list", "select_related", "prefetch_related", "annotate", "aggregate", "only", "defer",
                 "using", "none", "distinct", "in_bulk", "iterator", "latest", "earliest", "get_queryset"}
DEPTH = 3


@dataclass(frozen=True)
class Write:
    line: int  # in the function's file
    text: str  # the call or assignment, one line
    what: str  # "writes rows" | "sets the row's fields before the write"


def _dotted(node: ast.AST) -> str:
    return ast.unparse(node)


def _queryset_like(text: str) -> bool:
    return any(k in text for k in (".objects", "_default_manager", "_base_manager")) or text == "objects" \
        or any(f".{m}(" in text for m in ("filter", "exclude", "all"))


def _function(source: str) -> Optional[ast.FunctionDef]:
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return None
    fn = tree.body[0] if tree.body else None
    return fn if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _instance_names(fn: ast.FunctionDef) -> set[str]:
    """The names the saved instance goes by: the ``instance`` parameter, or a name bound from
    ``kwargs["instance"]`` / ``kwargs.get("instance")``."""
    names = {a.arg for a in fn.args.args + fn.args.kwonlyargs if a.arg == "instance"}
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            text = ast.unparse(node.value).replace("'", '"')
            if text.endswith(('["instance"]', '.get("instance")')):
                names.add(node.targets[0].id)
    return names


def _root_name(node: ast.AST) -> str:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def body_writes(source: str, first_line: int = 1, pre_save: bool = False,
                manager: bool = False) -> tuple[list[Write], list[ast.Call]]:
    """The writes read in one function's source (lines in its file: ``first_line`` is its first line), and
    the calls left to follow (neither a write nor a known read). ``manager``: a manager's method, whose
    ``self`` is the manager (``self.create(...)`` writes)."""
    fn = _function(source)
    if fn is None:
        return [], []
    at = first_line - 1  # the source starts at the function's first line (its first decorator)
    writes: list[Write] = []
    calls: list[ast.Call] = []
    instance = _instance_names(fn) if pre_save else set()
    for node in (n for stmt in fn.body for n in ast.walk(stmt)):  # not its decorators
        if isinstance(node, (ast.Assign, ast.AugAssign)) and instance:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Attribute) and _root_name(t) in instance:
                    writes.append(Write(node.lineno + at, ast.unparse(node).splitlines()[0],
                                        "sets the row's fields before the write"))
        if not isinstance(node, ast.Call):
            continue
        what = _call_write(node, manager)
        if what is None:
            calls.append(node)
        elif what:
            writes.append(Write(node.lineno + at, ast.unparse(node).splitlines()[0], what))
    return sorted(set(writes), key=lambda w: (w.line, w.text)), calls


def _call_write(call: ast.Call, manager: bool = False) -> Optional[str]:
    """"writes rows" for a write, "" for a call known not to write, None for one to follow."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    owner = _dotted(func.value)
    if owner.startswith("super("):
        return ""
    if manager and (owner == "self" or owner.startswith("self.get_queryset()")):
        owner = "self.objects" + owner[4:]
    if func.attr in MANAGER_WRITES and _queryset_like(owner):
        return "writes rows"
    if func.attr == "save" or (func.attr == "delete" and not call.args):
        return "writes rows"  # an object's save(), delete() (cache.delete(key) takes a key)
    if func.attr in RELATED_WRITES and "." in owner:
        return "writes rows"  # instance.tags.add(t); a plain name (a set, a cache) is not a related manager
    if func.attr in MANAGER_READS and _queryset_like(owner + "."):
        return ""
    return None


# ----------------------------------------------------------------------------- following live functions


def _source(fn: Callable) -> tuple[str, int]:
    fn = inspect.unwrap(getattr(fn, "__func__", fn))
    try:
        lines, start = inspect.getsourcelines(fn)
    except (OSError, TypeError):
        return "", 0
    return "".join(lines), start


def _package(fn: Any) -> str:
    return (getattr(fn, "__module__", None) or "").partition(".")[0]


def _followed(call: ast.Call, fn: Callable, owner: Any, package: str,
              in_manager: bool = False) -> tuple[Optional[Callable], Any]:
    """The function a call names, when the reading can resolve it in the caller's globals or class and it
    belongs to the receiver's own package (not Django's, the standard library's or another library's)."""
    glb = getattr(inspect.unwrap(getattr(fn, "__func__", fn)), "__globals__", {})
    func = call.func
    target: Any = None
    manager: Any = None  # the class whose method it is, when that is a manager
    if isinstance(func, ast.Name):
        target = glb.get(func.id)
    elif isinstance(func, ast.Attribute):
        base = func.value
        if isinstance(base, ast.Name) and base.id in ("cls", "self") and owner is not None:
            target = getattr(owner, func.attr, None)
            manager = owner if in_manager else None
        elif isinstance(base, ast.Name):
            target = getattr(glb.get(base.id), func.attr, None) if base.id in glb else None
        elif isinstance(base, ast.Attribute) and base.attr == "objects" and isinstance(base.value, ast.Name):
            model = owner if base.value.id in ("cls", "self") else glb.get(base.value.id)
            objects = getattr(model, "objects", None) if isinstance(model, type) else None
            manager = type(objects) if objects is not None else None
            target = getattr(manager, func.attr, None) if manager is not None else None
    target = getattr(target, "__func__", target)
    if not inspect.isfunction(target) or _package(target) != package:
        return None, None
    return target, manager


def receiver_writes(receiver: Callable, signal: str, where: Callable[[Callable], str]) -> list[str]:
    """``file:line: code (what)`` of each write the receiver makes, itself or through the calls it makes
    (``DEPTH`` deep); ``where(fn)`` locates a function's file as messages show it."""
    owner = getattr(receiver, "__self__", None)
    owner = owner if isinstance(owner, type) or owner is None else type(owner)
    package = _package(inspect.unwrap(getattr(receiver, "__func__", receiver)))
    found: list[str] = []
    seen: set[int] = set()
    todo: list[tuple[Callable, int, Any]] = [(receiver, 0, None)]
    while todo:
        fn, depth, manager = todo.pop(0)
        plain = inspect.unwrap(getattr(fn, "__func__", fn))
        if id(plain) in seen:
            continue
        seen.add(id(plain))
        source, start = _source(fn)
        if not source:
            continue
        writes, calls = body_writes(source, start, pre_save=signal == "pre_save" and depth == 0,
                                    manager=manager is not None)
        file = where(plain).rpartition(":")[0]
        found += [f"{file}:{w.line}: {w.text} ({w.what})" for w in writes]
        if depth < DEPTH:
            for c in calls:
                target, of = _followed(c, fn, manager or owner, package, manager is not None)
                if target is not None:
                    todo.append((target, depth + 1, of))
    return found
