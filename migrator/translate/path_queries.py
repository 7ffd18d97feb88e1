"""A QuerySet variable refined in ``if``/``elif``/``else`` arms, read in a migrated view (load/path_sites).

``generate`` compiles one query per path of such a variable (site ``<id>/path<line>``, ``line`` the
assignment that last bound it on that path). The view reader follows the same ``if`` in Go; each
assignment it reads binds the variable to ``PathChain(line)``, and the evaluation runs that path's query.
A variable whose assignments have no path queries is read as before (and the dynamic site stays a stub).
"""

from __future__ import annotations

import ast as _ast

from ..load.path_sites import PATH  # noqa: F401 (handlers_query reads it here)


class PathChain:
    """A QuerySet variable last bound at ``line`` (of the file), evaluated where a path site reads it."""

    def __init__(self, line: int):
        self.line = line


def binding(reader, st, env, fn):
    """``name = <chain>`` at a line whose path queries exist: (name, PathChain), else None."""
    if not (isinstance(st, _ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], _ast.Name)
            and isinstance(st.value, _ast.Call) and reader._is_chain(st.value, env, fn)):
        return None
    line = fn["line"] + st.lineno - 1
    prefix, suffix = f"{fn['file']}:", f"{PATH}{line}"
    if not any(site.startswith(prefix) and site.endswith(suffix) for site in reader.queries):
        return None
    return st.targets[0].id, PathChain(line)


def path_of(root, env) -> str:
    """The suffix of the path site a chain rooted at ``root`` runs ("" when it is not a PathChain)."""
    if isinstance(root, _ast.Name) and isinstance(env.get(root.id), PathChain):
        return f"{PATH}{env[root.id].line}"
    return ""


def narrowed(test, env) -> dict:
    """The names an ``if`` arm knows more of: under ``if status:``, ``request.GET.get("status")`` is text (its Go
    ``*string`` is not nil), so ``filter(status=status)`` there takes ``*status``."""
    from .handlers_values import GoValue

    out = dict(env)
    v = env.get(test.id) if isinstance(test, _ast.Name) else None
    if isinstance(v, GoValue) and v.type == "*string":
        out[test.id] = GoValue(f"*{v.code}", "string", v.field)
    return out
