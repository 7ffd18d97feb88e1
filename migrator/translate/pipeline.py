"""Statement pipelining in migrated handlers (issue 21): statements sent to PostgreSQL in one round trip.

A handler that runs two statements one after the other waits for PostgreSQL twice; the second wait, its
socket writes and the scheduler's wake-ups are most of what a write such as ``restock`` (an UPDATE, then a
``get()``) costs the Go server beyond the floor. This module decides, from a handler's finished Go
statements, which store calls may be sent together, and rewrites them into one ``s.Store.Pipeline`` call
(``dbpool.Pipeline`` on PostgreSQL: every statement with its own Sync, so each runs in its own implicit
transaction as under Django's autocommit, and a failure stops only its own statement; SQLite and MySQL
run the same closure one statement after the other).

A group is a store call at the handler's top level that writes (``first-reads``: a group of reads only is not
formed: the round trip it saves is not worth the Go it adds to a read view), then later top-level calls, each of which must be exact when sent at the first one's place:

- **read-only** (``not-read-only``, ``locks``, ``side-effect``): a plain SELECT without ``FOR UPDATE``/
  ``FOR SHARE`` and without functions that change anything. It is now sent even when the first statement
  fails or the Go between returns (Django would not have run it): a read changes nothing, and its answer
  is then never looked at. After the first statement's Sync it sees what Django's would (the first one
  committed).
- **independent** (``depends``): its arguments read no variable the Go between assigns (the first
  statement's result among them): they are computed at the first call's place.
- **nothing between touches the database** (``database-between``): no other query, no session or user
  lookup (``s.``, ``djauth.``) between the first call and it, so no statement changes order.
- **top level** (``nested``): a call inside a branch, a loop or a closure ends the group.

The rewrite: a struct of every call's result and error, filled by the closure at the first call's place;
each call's own line then reads its result from it (``updated, err := piped.updated, piped.updatedErr``),
so the Go between (error checks, returns) is unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STRING = re.compile(r'"(?:\\.|[^"\\\n])*"|`[^`]*`')
_CALL = re.compile(r"^(\w+), (\w+) (:?=) s\.Store\.(\w+)\(ctx(?:, (.*))?\)$")
_DATABASE = re.compile(r"(?<![\w.])(s|djauth|tx)\.")
_ASSIGNED = re.compile(r"^(?:if |for )?([\w.]+(?:, [\w.]+)*) (?::=|[-+*/%|&^]?=) |^var (\w+)|^(\w+)(?:\+\+|--)$")
_IDENT = re.compile(r"(?<![\w.])([A-Za-z_]\w*)(?!\w)(\s*:(?!=))?")
_SQL_STRING = re.compile(r"'(?:''|[^'])*'|\"(?:[^\"])*\"|--[^\n]*")
_LOCKING = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b", re.I)
_EFFECTS = re.compile(r"\b(nextval|setval|pg_advisory\w*|pg_try_advisory\w*|pg_notify|set_config|txid_current\w*|"
                      r"pg_current_xact_id\w*|pg_sleep\w*|lo_\w+|dblink\w*)\s*\(", re.I)

# why a later call is not sent with the first one (the reason codes the tests and the docs name)
REASONS = {
    "not-read-only": "it writes: sent early it would run after the first statement failed, or where Django's code "
                     "returned before it",
    "locks": "SELECT ... FOR UPDATE/SHARE takes row locks Django would not have taken on every path",
    "side-effect": "it calls a function that changes state (nextval, advisory locks, ...)",
    "depends": "its arguments read a value computed after the first statement (its result, or the Go between)",
    "database-between": "the Go between touches the database (another query, the session): order would change",
    "nested": "it is not at the handler's top level (inside a branch, a loop or a closure)",
    "first-reads": "the first statement only reads: two reads sent together save one round trip, and the "
                   "pipeline's Go (about ten lines) would push a read view past issue 17's size bar; the write "
                   "then its read-back (restock) is where the round trip is the CPU bench's cost",
}


@dataclass(frozen=True)
class Call:
    """``value, err := s.Store.Query(ctx, args)`` at line ``at`` of the handler."""

    at: int
    value: str
    err: str
    op: str
    query: str
    args: str


def parse_call(line: str, at: int = 0) -> Call | None:
    m = _CALL.match(line)
    if m is None or _balanced(m.group(5) or "") is False:
        return None
    return Call(at, m.group(1), m.group(2), m.group(3), m.group(4), m.group(5) or "")


def _balanced(code: str) -> bool:
    depth = 0
    for ch in _STRING.sub('""', code):
        depth += {"(": 1, "{": 1, "[": 1, ")": -1, "}": -1, "]": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def read_only(sql: str) -> str:
    """"" when running ``sql`` changes nothing, else the reason code."""
    text = _SQL_STRING.sub("''", sql).strip()
    if not re.match(r"SELECT\b", text, re.I):  # a WITH may hide a data-modifying statement
        return "not-read-only"
    if _LOCKING.search(text):
        return "locks"
    if _EFFECTS.search(text):
        return "side-effect"
    return ""


def assigned(line: str) -> set[str]:
    """The variables a Go line assigns or declares (the base of ``a.b = ...``)."""
    m = _ASSIGNED.match(line.strip())
    if m is None:
        return set()
    names = m.group(1) or m.group(2) or m.group(3)
    return {n.split(".")[0] for n in names.split(", ")}


def reads(code: str) -> set[str]:
    """The identifiers Go code reads (not selectors after a dot, not a params struct's keys: ``Pk: pk``)."""
    return {m.group(1) for m in _IDENT.finditer(_STRING.sub('""', code)) if not (m.group(2) and m.group(1)[0].isupper())}


def groups(lines: list[str], sql: dict[str, str]) -> tuple[list[list[Call]], list[tuple[str, str, str]]]:
    """The groups of calls to pipeline, and each refusal (first query, later query, reason code).

    ``sql``: query name -> its PostgreSQL SQL (a call to a query it lacks is never a later statement)."""
    depths, depth = [], 0
    for line in lines:
        depths.append(depth)
        code = _STRING.sub('""', line)
        depth += code.count("{") - code.count("}")
    out, refused, i = [], [], 0
    while i < len(lines):
        first = parse_call(lines[i], i) if depths[i] == 0 else None
        if first is not None and first.query in sql and not read_only(sql[first.query]):
            later = next((c for c in (parse_call(line) for line in lines[i + 1:]) if c is not None), None)
            if later is not None:
                refused.append((first.query, later.query, "first-reads"))
            first = None
        if first is None:
            i += 1
            continue
        group, changed, j = [first], {first.value, first.err}, i + 1
        while j < len(lines):
            later = parse_call(lines[j], j) if depths[j] == 0 else None
            code = _STRING.sub('""', lines[j])
            if later is not None:
                why = read_only(sql[later.query]) if later.query in sql else "not-read-only"
                why = why or ("depends" if reads(later.args) & changed else "")
                if why:
                    refused.append((first.query, later.query, why))
                    break
                group.append(later)
                changed |= {later.value, later.err}
            elif _DATABASE.search(code):
                nested = re.search(r"s\.Store\.(\w+)\(", code)
                refused.append((first.query, nested.group(1) if nested else "", "nested" if nested and depths[j] else
                                "database-between"))
                break
            else:
                changed |= assigned(lines[j])
            j += 1
        if len(group) > 1:
            out.append(group)
        i = j
    return out, refused


def pipelined(lines: list[str], queries, package) -> list[str]:
    """The handler's lines with each group sent as one ``s.Store.Pipeline`` (see the module docstring).

    ``queries``: the PostgreSQL queries (``.name``, ``.sql``) the handler was read against; ``package``: the
    store's methods (``.methods[name].ret``: the Go type of a result, "" for an :exec)."""
    sql = {q.name: q.sql for q in queries}
    results = {name: m.ret for name, m in package.methods.items()}
    found, _ = groups(lines, sql)
    found = [g for g in found if all(results.get(c.query) for c in g)]  # an :exec (error only) is not rewritten
    if not found:
        return lines
    text = "\n".join(_STRING.sub('""', line) for line in lines)
    taken = set(re.findall(r"\b\w+\b", text))
    out, starts, reads_of = list(lines), {}, {}
    for g in found:
        var = _fresh("piped", taken)
        fields = _fields(g)
        decl = [f"var {var} struct {{"] + [f"{v} {results[c.query]}\n{e} error" for c, (v, e) in zip(g, fields)] + ["}"]
        body = [f"{var}.{v}, {var}.{e} = st.{c.query}(ctx{', ' + c.args if c.args else ''})" for c, (v, e) in zip(g, fields)]
        starts[g[0].at] = decl + ["s.Store.Pipeline(ctx, func(st Store) {"] + body + ["})"]
        for c, (v, e) in zip(g, fields):
            reads_of[c.at] = f"{c.value}, {c.err} {c.op} {var}.{v}, {var}.{e}"
    result = []
    for k, line in enumerate(out):
        result += starts.get(k, [])
        result.append(reads_of.get(k, line))
    return result


def _fields(group: list[Call]) -> list[tuple[str, str]]:
    """The struct's field names: each call's result variable (``updated``, ``updatedErr``), else ``result<i>``."""
    out, used = [], set()
    for i, c in enumerate(group):
        base = c.value if c.value != "_" and c.value not in used else f"result{i}"
        used.add(base)
        out.append((base, f"{base}Err"))
    return out


def _fresh(name: str, taken: set[str]) -> str:
    k, out = 1, name
    while out in taken:
        k += 1
        out = f"{name}{k}"
    taken.add(out)
    return out
