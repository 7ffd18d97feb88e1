"""Which source trees hold the project's code, and how their files are named.

A Django project's apps are not always below the directory that holds ``manage.py``: real projects
install them as packages or keep them in a ``src/`` tree beside it. ``--source`` (repeatable, or
``sources:`` in migrator.yaml) names such a tree, as an importable package (``todo``) or a directory
(``../src``, relative to the project root). Their files are scanned like the project's own, and their
apps count as project apps.

Every file gets a *display path* that is the same on any machine: relative to the project root when
it is inside it or beside it (``../src/shop/views.py``), its package path when it is installed
(``todo/views.py``), never an absolute path. This module imports nothing of Django.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from ..ir import Diagnostic

ENV = "MIGRATOR_SOURCE_DIRS"  # the resolved trees, handed to the Django worker (os.pathsep-separated)
_SITE = os.sep + "site-packages" + os.sep

# test code is not application code: left out of analyze and generate unless --include-tests
TEST_DIRS = frozenset({"tests"})


def is_test_file(rel: str) -> bool:
    """``tests.py``, ``test_*.py``, ``*_tests.py``, ``conftest.py`` or any file under a ``tests/`` directory."""
    parts = rel.split("/")
    name = parts[-1]
    return (any(p in TEST_DIRS for p in parts[:-1]) or name in ("tests.py", "conftest.py")
            or name.startswith("test_") or name.endswith("_tests.py"))


@dataclass(frozen=True)
class SourceTree:
    spec: str  # as the user wrote it
    path: str  # absolute directory scanned
    base: str  # absolute directory module names are relative to (on sys.path)


def display_path(root: str, path: str, trees: Optional[Iterable[str]] = None) -> str:
    """The one machine-independent name of a file, the same in every stage (registry, scanner, URLconf,
    compile isolation), so that a view and its QuerySet sites name the same file:

    - an installed file (site-packages): its package path (``todo/views.py``);
    - a file under ``root``, or in a ``--source`` tree (``trees``, default: the trees handed to this
      process in MIGRATOR_SOURCE_DIRS): relative to ``root`` (``shop/views.py``, ``../src/shop/views.py``);
    - anything else: relative to the longest ``sys.path`` entry holding it (``django/views/generic/base.py``),
      else its bare name. Never an absolute path."""
    path = os.path.abspath(path)
    if _SITE in path:
        return path.split(_SITE, 1)[1].replace(os.sep, "/")
    try:
        rel = os.path.relpath(path, root)
    except ValueError:  # another drive
        rel = ""
    if rel and within(path, root, itself=True):  # by components: a file named ``..x`` at the root is under it
        return rel.replace(os.sep, "/")
    tree_paths = [p for p, _b in decode(os.environ.get(ENV, ""))] if trees is None else list(trees)
    if rel and any(within(path, t) for t in tree_paths):
        return rel.replace(os.sep, "/")
    best = ""
    for entry in sys.path:
        entry = os.path.abspath(entry or ".")
        if within(path, entry) and len(entry) > len(best):
            best = entry
    return os.path.relpath(path, best).replace(os.sep, "/") if best else Path(path).name


def in_source_tree(path: Optional[str]) -> bool:
    """Whether ``path`` (a file, or an app's directory: the tree itself counts) is in a ``--source`` tree handed
    to this process (an installed app scanned as the project's own: its helpers are the project's code too)."""
    return bool(path) and any(within(os.path.abspath(path), t, itself=True) for t, _b in decode(os.environ.get(ENV, "")))


def within(path: str, directory: str, itself: bool = False) -> bool:
    """Whether the absolute ``path`` lies under ``directory`` (or is it, with ``itself``): compared by path
    components, so ``/a/b..c`` is inside ``/a`` and ``/ab`` is not inside ``/a``."""
    directory = os.path.abspath(directory).rstrip(os.sep) or os.sep
    return (itself and path == directory) or path.startswith(directory.rstrip(os.sep) + os.sep)


def resolve_sources(root: Path, specs: Iterable[str]) -> tuple[list[SourceTree], list[Diagnostic]]:
    """Each spec as a directory (relative to ``root`` or absolute) or an importable package name."""
    trees: list[SourceTree] = []
    diags: list[Diagnostic] = []
    for spec in dict.fromkeys(s.strip() for s in specs if s and s.strip()):
        tree = _as_dir(root, spec) or _as_package(spec)
        if tree is None:
            diags.append(Diagnostic(code="SOURCE_NOT_FOUND", file="migrator.yaml" if (root / "migrator.yaml").is_file() else "",
                                    message=f"source {spec!r} is neither a directory nor an importable package",
                                    hint="pass a directory relative to the project root, or the name of an installed "
                                         "package (python -c 'import NAME' must work in this environment)"))
        elif not any(t.path == tree.path for t in trees):
            trees.append(tree)
    return trees, diags


def _as_dir(root: Path, spec: str) -> Optional[SourceTree]:
    if not ("/" in spec or os.sep in spec or spec.startswith(".") or (root / spec).is_dir()):
        return None
    path = (root / spec).resolve()
    if not path.is_dir():
        return None
    # a package directory is imported by its parent; a src/ tree holds packages and is itself on sys.path
    base = path.parent if (path / "__init__.py").is_file() else path
    return SourceTree(spec=spec, path=str(path), base=str(base))


def _as_package(spec: str) -> Optional[SourceTree]:
    if not all(part.isidentifier() for part in spec.split(".")):
        return None
    try:
        found = importlib.util.find_spec(spec)
    except (ImportError, ValueError):
        return None
    if found is None or not found.submodule_search_locations:
        return None
    path = os.path.abspath(list(found.submodule_search_locations)[0])
    base = path
    for _ in spec.split("."):
        base = os.path.dirname(base)
    return SourceTree(spec=spec, path=path, base=base)


def encode(trees: Iterable[SourceTree]) -> str:
    return os.pathsep.join(f"{t.path}={t.base}" for t in trees)


def decode(value: str) -> list[tuple[str, str]]:
    """(path, base) pairs from ``encode``: for the Django worker (apps inside them are project apps)."""
    out = []
    for item in value.split(os.pathsep) if value else ():
        path, _, base = item.partition("=")
        out.append((path, base or path))
    return out
