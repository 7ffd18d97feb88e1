"""A path of a migrated view that answers 501, before any write, where Django's own behaviour there is not one
answer to reproduce: the rest of the view is read and migrated.

Only ``NotCoveredPath`` does this, raised where a value known on one path makes Django run other SQL than the
query compiled for the site, with results that differ per database: django-scheduler's
``update(original_start=F("original_start") + dts)`` is compiled with ``dts`` a timedelta, and on a resize
``dts = 0``, an integer: Django then writes ``"original_start" + 0`` (SQLite stores an integer in the datetime
column, PostgreSQL refuses ``timestamp + integer``: a 500 after the event's save() has written). Every other
construct not read keeps the whole view a stub, as before.

The ``if`` whose block meets it is read again: ``if <test> { return 501 }`` (the stub's body, the reason as a
comment), then the other block and what follows, in the same scope. Allowed only when the path wrote nothing before
that ``if`` (``_wrote``: a write query called in a Go block still open there), so a 501 never follows a write of
the same request; otherwise the view stays a stub with the reason.
"""

from __future__ import annotations

import re

from . import path_queries
from .handlers_json import branch_env
from .handlers_values import NotRecognised

_WRITES = ("INSERT", "UPDATE", "DELETE")


class NotCoveredPath(NotRecognised):
    """A construct whose Django behaviour on this path is not translated (module docstring)."""


def mismatch(v, typ: str, p) -> NotRecognised:
    """The error of a value bound to a parameter of another type: NotCoveredPath for an integer where the query was
    compiled for a timedelta (Django's SQL for the integer is another), else the reader's usual NotRecognised."""
    if typ.lstrip("*") == "djtypes.Duration" and getattr(v, "type", "") in ("int", "int64"):
        return NotCoveredPath(f"{p.name}: an integer where Django compiled the query for a timedelta (it sends "
                              f"other SQL for an integer: `F(...) + 0` stores an integer in SQLite's datetime column "
                              f"and is PostgreSQL's 500)")
    return NotRecognised(f"a {getattr(v, 'type', type(v).__name__)} value for a {typ} parameter")


def _wrote(reader, mark: int) -> bool:
    """Whether the Go read before ``mark`` calls a write query on the path to it: in no block closed since."""
    writes = {q.name for q in reader.all_queries if (q.sql or "").lstrip().upper().startswith(_WRITES)}
    stack, closed, found = [0], set(), []
    n = 0
    for line in "\n".join(reader.stmts[:mark]).split("\n"):
        line = line.strip()
        if line.startswith("}"):
            closed.add(stack.pop())
        found += [tuple(stack) for name in re.findall(r"s\.Store\.(\w+)\(", line) if name in writes]
        if line.endswith("{"):
            n += 1
            stack.append(n)
    return any(not closed & set(path) for path in found)


_STATE = ("memo", "guards", "lazy_rows")


def branch(reader, test, st, rest, env, fn):
    """``reader.branch`` with its paths' writes kept apart; a block meeting NotCoveredPath answers 501 instead."""
    mark, used = len(reader.stmts), len(reader.used)
    saved = {k: _copy(getattr(reader, k)) for k in _STATE}
    try:
        return reader.branch(test, st, rest, env, fn)
    except NotCoveredPath as exc:
        if _wrote(reader, mark):
            raise NotRecognised(f"{exc} (on a path that wrote before line {fn['line'] + st.lineno - 1})") from exc
        del reader.stmts[mark:]
        del reader.used[used:]
        for k, v in saved.items():
            setattr(reader, k, v)
        failing = _failing_block(reader, test, st, rest, env, fn)
        from .handlers_form import not_covered

        cond = test.code if failing == 0 else reader.negate(test).code
        reader.stmts.append(f"if {cond} {{\n// not translated on this path: {_comment(exc)}: a stub's 501\n"
                            f"return 501, {not_covered(reader)}, nil\n}}")
        block = st.orelse if failing == 0 else st.body
        return reader.run(list(block) + list(rest), env, fn)


def _failing_block(reader, test, st, rest, env, fn) -> int:
    """Which block meets NotCoveredPath: the first is tried alone (its statements then dropped)."""
    mark, used = len(reader.stmts), len(reader.used)
    saved = {k: _copy(getattr(reader, k)) for k in _STATE}
    try:
        reader.run(list(st.body) + list(rest), branch_env(path_queries.narrowed(st.test, env)), fn)  # as branch()
        failing = 1
    except NotCoveredPath:
        failing = 0
    del reader.stmts[mark:]
    del reader.used[used:]
    for k, v in saved.items():
        setattr(reader, k, v)
    return failing


def _copy(v):
    return type(v)(v) if isinstance(v, (dict, set, list)) else v


def _comment(exc) -> str:
    return " ".join(str(exc).split())
