"""A static site per forward relation read lazily on a row (``task.task_list``): the query Django's descriptor runs.

``ForwardManyToOneDescriptor.__get__`` fetches the related row the first time ``row.<fk>`` is read, when the
row was loaded without ``select_related``: ``Target._base_manager.get(<to_field>=row.<fk>_id)`` (Django skips
the query when the key is None). The scanner sees no QuerySet there, so the view translator had nothing to run
("attribute task_list of todo.Task is not a column the query selected"). ``generate`` adds a site per such
target model (and the field it is matched on), compiled by Django like any static site:

    def user_can_read_task(task, user):                      # todo/utils.py, a helper a view calls
        return task.task_list.group in user.groups.all()
        # task.task_list       -> site <file>:<line>:<col>/fk:todo.TaskList.id: TaskList._base_manager.get(id=?)
        # task.task_list.group -> site <file>:<line>:<col>/fk:auth.Group.id:    Group._base_manager.get(id=?)

Only reads in a function that already holds a QuerySet site are considered (a helper that queries), of a name
or a dotted chain of names (``task``, ``self.task``, ``task.task_list``), whose attribute is the name of a
forward foreign key or one-to-one field of some model (``request.user`` is the request's); the attribute name
alone does not say which model the row is, so each model's target gets a site (the translator, which knows the row's model, picks
its own: handlers_fk). One site per target serves every read of it (the translator hands the key itself);
its id is ``<file>:<line>:<col>/fk:<target>.<field>``, at the first read found.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

from ..ir import Arg, Call, Project, QuerySetSite
from .sources import resolve_sources

FK = "/fk:"


def _targets(project: Project) -> dict[str, set[tuple[str, str, str]]]:
    """Attribute name -> {(target label, the target field it matches, the row's attname)} of forward relations."""
    out: dict[str, set] = {}
    for m in project.models:
        if m.kind == "abstract":  # its relations name "self" or another abstract model: no table to query
            continue
        for f in m.fields:
            if f.relation and f.relation.kind in ("foreign_key", "one_to_one") and f.column:
                out.setdefault(f.name, set()).add((f.relation.target, f.relation.target_field, f.attname))
    return out


def _dotted(node) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _request_user(node: ast.Attribute) -> bool:
    """``request.user`` / ``self.request.user``: the request's user, not a relation of a row."""
    base = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, "id", "")
    return node.attr == "user" and base == "request"


def _source(project: Project, file: str) -> str | None:
    roots = [Path(project.root)] + [Path(t.base) for t in resolve_sources(Path(project.root), project.sources)[0]]
    for root in roots:
        try:
            return (root / file).read_text(encoding="utf-8")
        except (OSError, ValueError):
            continue
    return None


def _functions(tree) -> dict[str, ast.FunctionDef]:
    """Qualified name (``Class.method``, as the scanner names a site's function) -> function."""
    out = {}

    def walk(body, prefix):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out[prefix + node.name] = node
            elif isinstance(node, ast.ClassDef):
                walk(node.body, f"{prefix}{node.name}.")
    walk(tree.body, "")
    return out


def fk_reads(func, targets: dict) -> list[tuple[ast.Attribute, str, str, str]]:
    """(node, target label, target field, attname) of each lazy forward-relation read in ``func``."""
    out = []
    for node in ast.walk(func):
        if (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and node.attr in targets
                and _dotted(node.value) and not _request_user(node)):
            out.extend((node, *t) for t in sorted(targets[node.attr]))
    return sorted(out, key=lambda x: (x[0].lineno, x[0].col_offset, ast.unparse(x[0]), x[1]))


def with_fk_sites(project: Project) -> Project:
    """The project with one static site per target of a lazy forward-relation read (module docstring)."""
    targets = _targets(project)
    holders: dict[str, set[str]] = {}
    for s in project.querysets:
        if FK not in s.id:
            holders.setdefault(s.file, set()).add(s.function)
    first: dict[tuple[str, str], tuple] = {}  # (target, to_field) -> where it is first read
    for file in sorted(holders):
        text = _source(project, file)
        try:
            funcs = _functions(ast.parse(text)) if text is not None else {}
        except (SyntaxError, ValueError):
            continue
        for name in sorted(holders[file] & set(funcs)):
            for node, target, to_field, attname in fk_reads(funcs[name], targets):
                first.setdefault((target, to_field), (file, node.lineno, node.col_offset + 1, name,
                                                      f"{ast.unparse(node.value)}.{attname}", ast.unparse(node)))
    added = []
    for (target, to_field), (file, line, col, name, key, expr) in sorted(first.items()):
        added.append(QuerySetSite(
            id=f"{file}:{line}:{col}{FK}{target}.{to_field}", file=file, line=line, column=col, function=name,
            model=target, root=f"{target.split('.')[1]}._base_manager", manager="_base_manager", end_line=line,
            chain=(Call("get", (Arg("runtime", key, to_field, None, (key.split(".")[0],)),), line, col),),
            kind="static", explanation=f"{expr}: the row Django's descriptor fetches (and every such read of a "
                                       f"{target} by {to_field})"))
    return replace(project, querysets=project.querysets + tuple(added)) if added else project
