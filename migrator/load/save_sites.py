"""A static site per ``row.save()`` of a row the same function loaded with ``.get()``: the UPDATE Django sends.

``Model.save()`` of an instance with its primary key set (``_save_table``, neither ``force_insert`` nor
``update_fields``) runs ``Model._base_manager.filter(pk=pk)._update(values)``, ``values`` being every concrete
field but the primary key, each after its ``pre_save(add=False)`` (``auto_now`` sets now; the others give the
attribute); only when that updates no row does it INSERT. The scanner sees no QuerySet there, so the view
translator had no query to run. ``generate`` adds one site per such call, compiled by Django like any static site:

    occurrence = Occurrence.objects.get(id=id)     # a site of the function: the row's model
    occurrence.end += delta
    occurrence.save()   # -> site <file>:<line>:<col>/save:
                        #    Occurrence._base_manager.filter(pk=occurrence.pk).update(event=occurrence.event_id, ...)

``QuerySet.update()`` compiles the UPDATE ``_update`` sends (the same ``add_update_fields``), without the
``pre_save`` calls: the translator (translate/handlers_rowedit) binds the row's values, now for ``auto_now``, and
refuses a model whose save() override, pre_save/post_save receivers or field ``pre_save`` Django would run.
Only a bare ``name.save()`` is considered, ``name`` assigned once in the function from a ``.get()`` site of a
concrete model without parents (multi-table inheritance saves each parent's table too).
"""

from __future__ import annotations

import ast
from dataclasses import replace

from ..ir import Arg, Call, Project, QuerySetSite
from .fk_sites import _functions, _source

SAVE = "/save"
NOW = "timezone.now()"  # an auto_now field's value: pre_save's (translate/clock_fields reads it as the clock)


_NOT_WHOLE = {"only", "defer", "values", "values_list", "annotate", "extra", "select_for_update"}


def _loaded(func, sites: list[QuerySetSite]) -> dict[str, QuerySetSite]:
    """Name -> the ``.get()`` site it is assigned from, for names assigned exactly once in ``func``."""
    by_line = {}
    for s in sites:
        if s.chain and s.chain[-1].method == "get":
            by_line.setdefault(s.line, []).append(s)
    counts: dict[str, int] = {}
    out = {}
    for node in ast.walk(func):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.With)) and hasattr(node, "target") else []
        for t in targets:
            if isinstance(t, ast.Name):
                counts[t.id] = counts.get(t.id, 0) + 1
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            found = by_line.get(node.value.lineno, [])
            if len(found) == 1:
                out[node.targets[0].id] = found[0]
    return {k: v for k, v in out.items() if counts.get(k) == 1}


def save_calls(func, sites: list[QuerySetSite]) -> list[tuple[ast.Call, str, QuerySetSite]]:
    """(call node, name, the site that loaded it) of each bare ``name.save()`` in ``func``."""
    loaded = _loaded(func, sites)
    out = []
    for node in ast.walk(func):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "save"
                and isinstance(node.func.value, ast.Name) and node.func.value.id in loaded
                and not node.args and not node.keywords):
            out.append((node, node.func.value.id, loaded[node.func.value.id]))
    return sorted(out, key=lambda x: (x[0].lineno, x[0].col_offset))


def with_save_sites(project: Project) -> Project:
    """The project with one static site per ``row.save()`` of a loaded row (module docstring)."""
    by_function: dict[tuple[str, str], list[QuerySetSite]] = {}
    for s in project.querysets:
        if s.id == f"{s.file}:{s.line}:{s.column}":  # the scanner's own sites, not derived ones
            by_function.setdefault((s.file, s.function), []).append(s)
    added = []
    for file in sorted({f for f, _ in by_function}):
        text = _source(project, file)
        try:
            funcs = _functions(ast.parse(text)) if text is not None else {}
        except (SyntaxError, ValueError):
            continue
        for (f, name), sites in sorted(by_function.items()):
            if f != file or name not in funcs:
                continue
            for node, var, loaded in save_calls(funcs[name], sites):
                model = project.model(loaded.model)
                if model is None or model.kind != "concrete" or model.parents or any(
                        c.method in _NOT_WHOLE for c in loaded.chain):
                    continue
                line, col = node.lineno, node.col_offset + 1
                values = tuple(Arg("runtime", NOW if fl.auto_now else f"{var}.{fl.attname}", fl.name, None, (var,))
                               for fl in model.fields if fl.column and not fl.primary_key)
                added.append(QuerySetSite(
                    id=f"{file}:{line}:{col}{SAVE}", file=file, line=line, column=col, function=name,
                    model=model.label, root=f"{model.name}._base_manager", manager="_base_manager", end_line=line,
                    chain=(Call("filter", (Arg("runtime", f"{var}.pk", "pk", None, (var,)),), line, col),
                           Call("update", values, line, col)),
                    kind="static", explanation=f"{var}.save(): the UPDATE of every column Model.save() sends"))
    return replace(project, querysets=project.querysets + tuple(added)) if added else project


def with_derived_sites(project: Project) -> Project:
    """The lazy forward relations' sites (load/fk_sites), then the saves' (above)."""
    from .fk_sites import with_fk_sites

    return with_save_sites(with_fk_sites(project))
