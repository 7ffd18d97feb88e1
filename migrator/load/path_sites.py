"""One static site per path for a QuerySet refined in an ``if``/``elif``/``else`` (the scanner's BRANCH_DEPENDENT).

The scanner reports ``qs`` refined differently in each branch as one dynamic site: one query cannot say which
branch ran. The view translator can: it follows the same ``if`` in Go. So, for the one shape it reads
exactly, ``generate`` adds a site per path, each compiled by Django like any static site:

    qs = user.orders.all()                 # the flow before the branches (the site's calls before the if)
    if status == "draft":
        qs = qs.filter(placed_at__isnull=True)        # path 315
    elif status:
        qs = qs.filter(status=status)                 # path 317
    return list(qs.order_by(...).values(...))        # the evaluation: the site's calls after the if
                                                      # path 313: no branch taken (no else)

The id of a path's site is ``<site id>/path<line>``, ``line`` the line of the assignment that last bound the
variable on that path; the translator (handlers_query.site_at) picks it from the assignment it followed.
Anything else (an arm with more than one statement, a call argument that is not a constant or a name, the
variable bound elsewhere, more than ``MAX_PATHS`` paths) keeps the site dynamic, as reported.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

from ..ir import Arg, Call, Project, QuerySetSite

PATH = "/path"
MAX_PATHS = 4


def _arg(node, keyword: str = "") -> Arg | None:
    source = ast.unparse(node)
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool)) or (
            isinstance(node, ast.Constant) and node.value is None):
        return Arg("literal", source, keyword, node.value)
    if isinstance(node, ast.Name):
        return Arg("runtime", source, keyword, None, (node.id,))
    return None


def _refinement(st, name: str) -> tuple[Call, ...] | None:
    """``name = name.m1(...).m2(...)``: its calls, innermost first; None for any other statement."""
    if not (isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name)
            and st.targets[0].id == name):
        return None
    calls, node = [], st.value
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        args = [_arg(a) for a in node.args] + [_arg(k.value, k.arg or "") for k in node.keywords]
        if any(a is None for a in args) or any(k.arg is None for k in node.keywords):
            return None
        calls.append(Call(node.func.attr, tuple(args), node.func.value.end_lineno or st.lineno,
                          (node.func.value.end_col_offset or 0) + 2))  # the method's name, 1-based
        node = node.func.value
    if not calls or not (isinstance(node, ast.Name) and node.id == name):
        return None
    return tuple(reversed(calls))


def _arms(st: ast.If, name: str) -> list[tuple[int, tuple[Call, ...]]] | None:
    """(line, calls) of each arm of an if/elif/else whose arms each refine ``name`` once; (None line) when
    no branch may run is added by the caller."""
    out = []
    while True:
        if len(st.body) != 1:
            return None
        calls = _refinement(st.body[0], name)
        if calls is None:
            return None
        out.append((st.body[0].lineno, calls))
        if len(st.orelse) == 1 and isinstance(st.orelse[0], ast.If):
            st = st.orelse[0]
            continue
        if st.orelse:
            if len(st.orelse) != 1 or _refinement(st.orelse[0], name) is None:
                return None
            out.append((st.orelse[0].lineno, _refinement(st.orelse[0], name)))
            out.append((-1, ()))  # marks "has an else": no path without a branch
        return out


def _binds(node, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, (ast.Store, ast.Del))
               for n in ast.walk(node))


def paths(func: ast.FunctionDef, site: QuerySetSite) -> list[tuple[int, tuple[Call, ...]]] | None:
    """(line, chain) per path of ``site`` in ``func``, or None when its shape is not the one read exactly."""
    body = func.body
    evaluation = next((i for i, st in enumerate(body) if st.lineno <= site.line <= (st.end_lineno or st.lineno)), None)
    if evaluation is None:
        return None
    for k in range(evaluation - 1, 0, -1):
        st, first = body[k], body[k - 1]
        if not isinstance(st, ast.If):
            continue
        if not (isinstance(first, ast.Assign) and len(first.targets) == 1 and isinstance(first.targets[0], ast.Name)):
            return None
        name = first.targets[0].id
        arms = _arms(st, name)
        if arms is None or any(_binds(b, name) for b in body[k + 1:evaluation + 1]) or _binds(first.value, name):
            return None
        prefix = tuple(c for c in site.chain if c.line < st.lineno)
        tail = tuple(c for c in site.chain if c.line > (st.end_lineno or st.lineno))
        middle = [c for c in site.chain if st.lineno <= c.line <= (st.end_lineno or st.lineno)]
        if (len(prefix) + len(tail) + len(middle) != len(site.chain) or not ast.unparse(first.value).startswith(site.root)
                or any(not first.lineno <= c.line <= (first.end_lineno or first.lineno) for c in prefix)
                or any(c.line < body[evaluation].lineno for c in tail)):
            return None
        if arms[-1][0] == -1:
            arms = arms[:-1]
        else:
            arms.append((first.lineno, ()))
        read = {n for _line, calls in arms for c in prefix + calls for a in c.args for n in a.names}
        if len(arms) > MAX_PATHS or any(_binds(b, n) for b in body[k:evaluation + 1] for n in read):
            return None  # an argument rebound before the evaluation: the query would read its later value
        return [(line, prefix + calls + tail) for line, calls in arms]
    return None


def _function(root: str, site: QuerySetSite) -> ast.FunctionDef | None:
    try:
        tree = ast.parse((Path(root) / site.file).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    return next((n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == site.function
                 and n.lineno <= site.line <= (n.end_lineno or n.lineno)), None)


def with_path_sites(project: Project) -> Project:
    """The project with a static site per path of each BRANCH_DEPENDENT site read exactly (module docstring)."""
    added = []
    for site in project.querysets:
        if site.kind != "dynamic" or site.reason != "BRANCH_DEPENDENT" or PATH in site.id:
            continue
        func = _function(project.root, site)
        found = paths(func, site) if func is not None else None
        for line, chain in found or ():
            added.append(replace(site, id=f"{site.id}{PATH}{line}", chain=chain, kind="static", reason="",
                                 explanation=f"the path through {site.file}:{line}"))
    return replace(project, querysets=project.querysets + tuple(added)) if added else project
