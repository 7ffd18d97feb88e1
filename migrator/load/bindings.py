"""What a name in a site's argument holds: a Q object or expression built earlier in the function, or a
module constant (``filter(inherit_q | event_q)``, ``filter(Q_OPEN_STATUSES)``).

The scanner records an argument's source text; a name there is a runtime value unless it is bound to an
expression Django builds (Q, F, aggregates...). A local name is followed only when the function binds it
exactly once, by a plain assignment, in a block that encloses the site, and never touches it through an
attribute (``q.add(...)`` mutates a Q in place): anything else is left to be a runtime value, which the
interpreter reports. A module-level name is read from the imported module (its value is fixed at import),
and only when it is a Django expression.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import sys
from typing import Any, Optional

_NOT_FOUND = object()


@functools.lru_cache(maxsize=64)
def _module_tree(module_name: str) -> Optional[ast.Module]:
    path = _module_path(module_name)
    if not path or not path.endswith(".py"):
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            return ast.parse(fh.read())
    except (OSError, SyntaxError, ValueError):
        return None


def _module_path(name: str) -> Optional[str]:
    """The file of a module, without importing it (importing a module the project has not imported yet may act:
    a view module that opens a socket at import ran into the compile step's side-effect guard)."""
    mod = sys.modules.get(name)
    if mod is not None:
        return getattr(mod, "__file__", None)
    parent = name.rpartition(".")[0]
    if parent and parent not in sys.modules:
        return None  # find_spec would import the parent package
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None else None


@functools.lru_cache(maxsize=1024)
def _import(file: str) -> None:
    """Import the module of ``file`` (trying shorter dotted names for a ``src/`` layout); errors ignored. Once
    per file and process: each failed name was searched for again on every call (4.6 of the 9.5 s of a batch
    of 18 write cases on the sample), and a module that raises on import ran its code again each time."""
    parts = file[:-3].split("/") if file.endswith(".py") else []
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    for i in range(len(parts)):
        try:
            importlib.import_module(".".join(parts[i:]))
            return
        except Exception:  # noqa: BLE001 - not this name, or it raises on import: the name stays a runtime value
            continue


def module_of(file: str) -> Optional[str]:
    """The module name of a site's file (``pkg/views.py`` -> ``pkg.views``, trying shorter prefixes for a
    ``src/`` layout); None when no importable module has that file."""
    if not file.endswith(".py"):
        return None
    parts = file[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    for i in range(len(parts)):
        name = ".".join(parts[i:])
        path = _module_path(name) if name else None
        if path and path.replace("\\", "/").endswith(file[len("/".join(parts[:i])):].lstrip("/")):
            return name
    return None


def _function(tree: ast.Module, qualname: str) -> Optional[ast.AST]:
    node: ast.AST = tree
    for part in [p for p in qualname.split(".") if p and p != "<locals>"]:
        body = getattr(node, "body", [])
        node = next((n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                     and n.name == part), None)
        if node is None:
            return None
    return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


# The trees are parsed once per module (_module_tree) and never changed, so what is read from a function's nodes is
# kept per node (a node is hashed by identity, and the cache holds it, so an id is never reused): parity's Django side
# asks the same function about the same names for each of its ~1,200 read cases, and walking the function's nodes
# anew each time was 40 of the 73 s of a `querysets` run on the sample (cProfile, session 12).
@functools.lru_cache(maxsize=4096)
def _own_nodes(fn: ast.AST) -> tuple[ast.AST, ...]:
    """The nodes of a function, not those of functions, lambdas or classes nested in it."""
    out, todo = [], list(ast.iter_child_nodes(fn))
    while todo:
        n = todo.pop()
        out.append(n)
        if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(n))
    return tuple(out)


@functools.lru_cache(maxsize=16384)
def _binds(fn: ast.AST, name: str) -> tuple[ast.AST, ...]:
    out: list[ast.AST] = []
    args = fn.args
    params = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)] + \
        [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    if name in params:
        out.append(fn)
    for n in _own_nodes(fn):
        if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, (ast.Store, ast.Del)):
            out.append(n)
        elif isinstance(n, (ast.Global, ast.Nonlocal)) and name in n.names:
            out.append(n)
        elif isinstance(n, ast.alias) and (n.asname or n.name.split(".")[0]) == name:
            out.append(n)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == name:
            out.append(n)
        elif isinstance(n, ast.ExceptHandler) and n.name == name:
            out.append(n)
    return tuple(out)


def _enclosing_block(fn: ast.AST, stmt: ast.stmt, line: int) -> bool:
    """Whether ``stmt`` sits in a statement list where a later statement spans ``line``."""
    for n in [fn, *_own_nodes(fn)]:
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(n, field, None)
            if isinstance(block, list) and any(s is stmt for s in block):
                at = next(i for i, s in enumerate(block) if s is stmt)
                return any(s.lineno <= line <= (s.end_lineno or s.lineno) for s in block[at + 1:])
    return False


def local_expression(site: dict, name: str) -> Optional[ast.expr]:
    """The expression the function of ``site`` assigned once to ``name`` before the site, or None."""
    module = module_of(site.get("file", ""))
    tree = _module_tree(module) if module else None
    fn = _function(tree, site.get("function", "")) if tree is not None else None
    if fn is None:
        return None
    binds = _binds(fn, name)
    if len(binds) != 1 or not isinstance(binds[0], ast.Name):
        return None
    stmt = next((n for n in _own_nodes(fn) if isinstance(n, ast.Assign) and len(n.targets) == 1
                 and n.targets[0] is binds[0]), None)
    if stmt is None or stmt.lineno >= site["line"] or not _enclosing_block(fn, stmt, site["line"]):
        return None
    if any(isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == name
           for n in _own_nodes(fn)):
        return None  # q.add(...), q.children...: changed in place, or read in a way not followed here
    return stmt.value


def _module_level(site: dict, name: str) -> tuple[Optional[str], Optional[ast.Module]]:
    """The site's module and its tree, when ``name`` in the site's function is the module's (not bound locally)."""
    module = module_of(site.get("file", ""))
    tree = _module_tree(module) if module else None
    if tree is None:
        return None, None
    fn = _function(tree, site.get("function", ""))
    if fn is not None and _binds(fn, name):
        return None, None
    return module, tree


def module_constant(site: dict, name: str, load: bool = False) -> Any:
    """The value of a module-level name of the site's module, when the site's function does not bind it.
    ``load``: import the module if the project has not (the Django side of parity, which runs the project's
    code anyway, must read what compiling read in a process where the URLconf had imported it)."""
    if load:
        _import(site.get("file", ""))
    module, _tree = _module_level(site, name)
    if module is None:
        return _NOT_FOUND
    loaded = sys.modules.get(module)  # only a module the project imported: its constants exist already
    return getattr(loaded, name, _NOT_FOUND) if loaded is not None else _NOT_FOUND


def module_expression(site: dict, name: str) -> Optional[ast.expr]:
    """The expression of a module-level name the module binds exactly once, by a plain assignment (for a module
    the project has not imported: its value is then read from the source, not from a running module)."""
    _module, tree = _module_level(site, name)
    return None if tree is None else _module_binding(tree, name)


@functools.lru_cache(maxsize=4096)
def _module_binding(tree: ast.Module, name: str) -> Optional[ast.expr]:
    binds = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, (ast.Store, ast.Del))]
    binds += [n for n in ast.walk(tree) if isinstance(n, ast.alias) and (n.asname or n.name.split(".")[0]) == name]
    top = [n for n in tree.body if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)
           and n.targets[0].id == name]
    if len(binds) != 1 or len(top) != 1 or top[0].targets[0] is not binds[0]:
        return None
    if any(isinstance(n, (ast.Global, ast.Nonlocal)) and name in n.names for n in ast.walk(tree)):
        return None
    return top[0].value


def is_found(value: Any) -> bool:
    return value is not _NOT_FOUND
