"""Where a Django object is declared: a class's (or its attribute's) file and line, found by parsing the file
(cached per file), a path shown relative to the project, an object's dotted name, and a Python value in JSON
form. The registry reader's source locating (load/registry.py), which the DRF reader shares."""

from __future__ import annotations

import ast
import datetime
import decimal
import enum
import inspect
import os
import sys
import uuid
from functools import lru_cache
from typing import Any, Optional


def _rel(root: str, path: Optional[str]) -> str:
    if not path:
        return ""
    if os.path.isabs(path):  # a relative path depends on the working directory: not cached
        return _rel_abs(root, path)
    return _rel_abs(root, os.path.abspath(path))


@lru_cache(maxsize=None)
def _rel_abs(root: str, path: str) -> str:
    """Cached: every field of a model asks about the same file."""
    from .sources import display_path

    return display_path(root, path)  # an installed file: its package path; beside the project: ../src/...


def _inside(root: str, path: Optional[str]) -> bool:
    """Under the project's root (or the root itself: an app config's path may be it)."""
    from .sources import within

    return bool(path) and within(os.path.abspath(path), root, itself=True)


@lru_cache(maxsize=None)
def _class_lines(path: str) -> dict[str, tuple[int, dict[str, int]]]:
    """class name -> (line, {attribute: line}) for every class in a source file."""
    try:
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), path)
    except (OSError, SyntaxError, ValueError):
        return {}
    out: dict[str, tuple[int, dict[str, int]]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            attrs: dict[str, int] = {}
            for stmt in node.body:
                targets = []
                if isinstance(stmt, ast.Assign):
                    targets = stmt.targets
                elif isinstance(stmt, ast.AnnAssign):
                    targets = [stmt.target]
                elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    attrs[stmt.name] = stmt.lineno
                for t in targets:
                    if isinstance(t, ast.Name):
                        attrs[t.id] = stmt.lineno
            out.setdefault(node.name, (node.lineno, attrs))
    return out


@lru_cache(maxsize=None)
def _class_source_file(cls: type) -> str:
    return _source_file(cls)


def _source_file(obj: Any) -> str:
    try:
        return inspect.getsourcefile(obj) or ""
    except (TypeError, OSError):
        mod = sys.modules.get(getattr(obj, "__module__", ""), None)
        return getattr(mod, "__file__", "") or ""


def _locate(cls: type, attr: str = "") -> tuple[str, int]:
    path = _class_source_file(cls)
    if not path:
        return "", 0
    info = _class_lines(path).get(cls.__name__)
    if not info:
        return path, 0
    if attr:
        return path, info[1].get(attr, 0)
    return path, info[0]


def _dotted(obj: Any) -> str:
    mod = getattr(obj, "__module__", "") or ""
    owner = getattr(obj, "__self__", None)
    if not mod and isinstance(owner, type):  # a builtin class method: datetime.date.today
        mod = owner.__module__
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
    return f"{mod}.{name}" if mod and mod != "builtins" else name


def json_value(value: Any) -> Any:
    """A Python default/choice value in JSON form (lossless for the types Django uses)."""
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):  # ISO 8601, exact to the microsecond (parity's one form)
        from django.utils.duration import duration_iso_string

        return duration_iso_string(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return repr(value)
