"""The project files a Python file imports, read from its import statements (every one, also inside functions)
without importing anything: the compile cache's dependencies of a site beyond its own file (load/compile_cache.py).
``bases``: the project root and the --source trees; a file outside them (an installed package) is not followed."""

from __future__ import annotations

import ast
import os


def is_project(path: str, bases: tuple[str, ...]) -> bool:
    return any(path.startswith(b + os.sep) for b in bases) and "site-packages" not in path


def imported(path: str, bases: tuple[str, ...], memo: dict[str, list[str]]) -> list[str]:
    """``path`` and the project files it imports, transitively (every import statement, also inside functions):
    the interpreter reads the site module's constants (load.bindings), which may come from another module."""
    seen: list[str] = []
    todo = [path]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.append(p)
        if p not in memo:
            memo[p] = imports_of(p, bases)
        todo += [q for q in memo[p] if q not in seen]
    return seen


def imports_of(path: str, bases: tuple[str, ...]) -> list[str]:
    """The project files an import statement of ``path`` names (a package's ``__init__`` and the submodule)."""
    try:
        with open(path, "rb") as fh:
            tree = ast.parse(fh.read())
    except (OSError, SyntaxError, ValueError):
        return []
    names: list[tuple[str, ...]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [tuple(a.name.split(".")) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            start = tuple(node.module.split(".")) if node.module else ()
            found = [start] + [start + (a.name,) for a in node.names if a.name != "*"]
            if node.level:  # relative: from the file's package, ``level - 1`` folders up
                up = os.path.dirname(path)
                for _ in range(node.level - 1):
                    up = os.path.dirname(up)
                found = [("@" + up,) + n for n in found]
            names += found
    out = []
    for parts in names:
        relative = bool(parts) and parts[0].startswith("@")
        roots, rel = ([parts[0][1:]], parts[1:]) if relative else (list(bases), parts)
        for base in roots:
            for i in range(1, len(rel) + 1):  # every package on the way runs its __init__
                stem = os.path.join(base, *rel[:i])
                for candidate in (stem + ".py", os.path.join(stem, "__init__.py")):
                    if os.path.isfile(candidate):
                        out.append(os.path.realpath(candidate))
    return sorted(set(p for p in out if is_project(p, bases)))
