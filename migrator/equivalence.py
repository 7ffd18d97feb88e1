"""Proofs that a SQL mutant is equivalent: no data can tell it from the statement it mutates.

A mutant is called equivalent only with one of these proofs, each a property of the statement's text and
of the schema (primary keys, unique columns), never of the data a run happens to hold:

- **at most one row** (`single_row`): the outermost query reads one table, each of its joins is on a unique
  column of the joined table (select_related: at most one joined row per row read), and its WHERE is a
  conjunction holding `"t"."c" = value` for a primary-key or unique column `c` of that table: at most
  one row can match (NULL equals nothing), so its ORDER BY and a LIMIT n >= 1 change nothing;
- **a key the WHERE fixes** (`constant_key`): an ORDER BY key for which the outermost WHERE is a conjunction
  holding `key IS NULL` or `key = value`: every row returned ties on it, so flipping its direction leaves
  the order to the next keys;
- **inside EXISTS** (`inside_exists`): `EXISTS(SELECT ... LIMIT n)` is true when one row exists, for any
  n >= 1: a LIMIT moved between values >= 1 there changes nothing;
- **a repeated conjunct** (`repeated_conjunct`): in `x AND x`, dropping one `x` leaves `x`;
- **a primary key is never NULL** (`never_null`): `NOT "t"."pk" IS NULL` (`"t"."pk" IS NOT NULL`) on a
  table read in FROM or an inner join is true on every row: dropping that conjunct changes nothing;
- **a group holds a row** (`group_count`): in the HAVING of a GROUP BY, `COUNT("t"."pk")` of such a table is
  at least 1 in every group, so `COUNT(...) >= 1` and `>= 0` (or `> 0`) are both true on every group.

Pure text in, text out: mutate_sql calls these while it derives mutants.
"""

from __future__ import annotations

import re

_ALIAS = r'(?:\s+(?:AS\s+)?(?!(?:WHERE|ON|INNER|LEFT|RIGHT|CROSS|JOIN|GROUP|ORDER|LIMIT|HAVING)\b)("?\w+"?))?'
_FROM = re.compile(r'\bFROM\s+"(\w+)"' + _ALIAS, re.I)
_JOIN = re.compile(r"\bJOIN\b", re.I)
_WHERE_END = re.compile(r"\b(ORDER\s+BY|GROUP\s+BY|HAVING|LIMIT|OFFSET|UNION|RETURNING)\b", re.I)
_EQ = re.compile(r'^\(?\s*"(\w+)"\."(\w+)"\s*=\s*(\?\d*|\$\d+|\'[^\']*\'|-?\d+|sqlc\.n?arg\(\w+\))\s*\)?$')


def code_mask(sql: str) -> list[bool]:
    """Per character: True when it is SQL code (not inside '...', "...", or a /* */ or -- comment)."""
    mask = [True] * len(sql)
    i = 0
    while i < len(sql):
        c = sql[i]
        end = -1
        if c in "'\"":
            end = i + 1
            while end < len(sql):
                if sql[end] == c and sql[end + 1:end + 2] == c:
                    end += 2
                    continue
                if sql[end] == c:
                    break
                end += 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i)
            end = len(sql) - 1 if end < 0 else end + 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = len(sql) - 1 if end < 0 else end
        if end >= 0:
            for k in range(i, min(end + 1, len(sql))):
                mask[k] = False
            i = end + 1
        else:
            i += 1
    return mask


def depth(sql: str, mask: list[bool], pos: int) -> int:
    """Parenthesis depth of the code at `pos`."""
    return sum(1 if c == "(" else -1 for c, code in zip(sql[:pos], mask) if code and c in "()")


def _top(sql: str, mask: list[bool], pattern: re.Pattern, start: int = 0) -> list[re.Match]:
    return [m for m in pattern.finditer(sql, start) if mask[m.start()] and depth(sql, mask, m.start()) == 0]


def _split_and(text: str) -> list[str] | None:
    """The operands of a conjunction at depth 0 (one enclosing pair of parentheses removed); None when the
    text holds an OR at depth 0."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _closes_at_end(text):
        text = text[1:-1].strip()
    parts, d, start = [], 0, 0
    for i, c in enumerate(text):
        if c == "(":
            d += 1
        elif c == ")":
            d -= 1
        elif d == 0 and re.match(r"\b(AND|OR)\b", text[i:i + 3], re.I) and (i == 0 or not text[i - 1].isalnum()):
            if text[i:i + 2].upper() == "OR":
                return None
            parts.append(text[start:i].strip())
            start = i + 3
    return parts + [text[start:].strip()]


def _closes_at_end(text: str) -> bool:
    d = 0
    for i, c in enumerate(text):
        d += c == "("
        d -= c == ")"
        if d == 0 and i < len(text) - 1:
            return False
    return True


def single_row(sql: str, mask: list[bool], unique: set[tuple[str, str]], together: frozenset = frozenset()) -> str:
    """The proof that the outermost SELECT returns at most one row, or "". ``together``: (table, frozenset of
    columns) of the multi-column unique sets; joins are admitted only on a unique column of the joined table."""
    if not re.match(r"\s*SELECT\b", sql, re.I):
        return ""
    froms = _top(sql, mask, _FROM)
    if len(froms) != 1 or not _to_one_joins(sql, mask, froms[0].end(), unique):
        return ""
    table = froms[0].group(1)
    where = _top(sql, mask, re.compile(r"\bWHERE\b", re.I), froms[0].end())
    if len(where) != 1:
        return ""
    end = next((m.start() for m in _top(sql, mask, _WHERE_END, where[0].end())), len(sql))
    conjuncts = _split_and(sql[where[0].end():end]) or []
    equal = [m.group(2) for m in map(_EQ.match, conjuncts) if m and m.group(1) == table]
    for column in equal:
        if (table, column) in unique:
            return (f'`"{table}"."{column}" = ...` on a unique column of the table read (each join on a unique '
                    "column of the joined table), in a WHERE of conjuncts: at most one row matches for any data")
    for t, columns in sorted(together, key=lambda x: (x[0], sorted(x[1]))):
        if t == table and columns <= set(equal):
            return (f"one equality per column of the unique set ({', '.join(sorted(columns))}) of {table}, in a WHERE "
                    "of conjuncts: at most one row matches for any data")
    return ""


_JOIN_ON = re.compile(r'\b(?:INNER|LEFT(?:\s+OUTER)?)\s+JOIN\s+"(\w+)"(?:\s+(?:AS\s+)?(?!ON\b)("?\w+"?))?\s+ON\s+'
                      r'\(\s*("?\w+"?)\."(\w+)"\s*=\s*("?\w+"?)\."(\w+)"\s*\)', re.I)


def _to_one_joins(sql: str, mask: list[bool], start: int, unique: set[tuple[str, str]]) -> bool:
    """True when every JOIN of the outermost query (after `start`) is an inner or left join on a unique column
    of the joined table (`JOIN "auth_user" ON ("p"."user_id" = "auth_user"."id")`): each row read joins at
    most one row, so the joins never multiply rows (no join at all is true too)."""
    joins = _top(sql, mask, _JOIN, start)
    ons = _top(sql, mask, _JOIN_ON, start)
    if len(ons) != len(joins):
        return False
    for m in ons:
        name = (m.group(2) or m.group(1)).strip('"')
        sides = ((m.group(3).strip('"'), m.group(4)), (m.group(5).strip('"'), m.group(6)))
        if not any(alias == name and (m.group(1), column) in unique for alias, column in sides):
            return False
    return True


_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.I)
_REF = re.compile(r'^"(\w+)"\."(\w+)"(?:\s+AS\s+"(\w+)")?$', re.I)
_FIXED = re.compile(r'^\(?\s*"(\w+)"\."(\w+)"\s*(?:IS\s+NULL|=\s*(?:\?\d*|\$\d+|\'[^\']*\'|-?\d+))\s*\)?$', re.I)


def _items(text: str) -> list[str]:
    """Comma-separated items at parenthesis depth 0."""
    out, d, start = [], 0, 0
    for i, c in enumerate(text):
        d += (c == "(") - (c == ")")
        if c == "," and d == 0:
            out.append(text[start:i].strip())
            start = i + 1
    return out + [text[start:].strip()]


def constant_key(sql: str, mask: list[bool], pos: int) -> str:
    """The proof that the ORDER BY key whose ASC/DESC is at `pos` holds one value on every row the outermost
    query returns (the WHERE is a conjunction holding `key IS NULL` or `key = value`): all rows tie on it,
    so either direction leaves the order to the next keys, for any data; or ""."""
    if not re.match(r"\s*SELECT\b", sql, re.I) or _top(sql, mask, re.compile(r"\b(UNION|INTERSECT|EXCEPT)\b", re.I)):
        return ""
    order = [m for m in _top(sql, mask, _ORDER_BY) if m.start() < pos]
    froms = _top(sql, mask, _FROM)
    if len(order) != 1 or len(froms) != 1 or depth(sql, mask, pos) != 0:
        return ""
    key = sql[order[0].end():pos]
    key = key.rsplit(",", 1)[-1].strip() if "(" not in key else ""
    select = _items(sql[re.match(r"\s*SELECT\s+(DISTINCT\s+)?", sql, re.I).end():froms[0].start()])
    refs = [_REF.match(item) for item in select]
    ref = None
    if key.isdigit() and 1 <= int(key) <= len(refs):
        ref = refs[int(key) - 1]
    elif _REF.match(key):
        ref = _REF.match(key)
    elif re.fullmatch(r'"\w+"', key):
        ref = next((r for r in refs if r and r.group(3) == key.strip('"')), None)
    where = _top(sql, mask, re.compile(r"\bWHERE\b", re.I), froms[0].end())
    if not ref or len(where) != 1:
        return ""
    end = next((m.start() for m in _top(sql, mask, _WHERE_END, where[0].end())), len(sql))
    for c in _split_and(sql[where[0].end():end]) or []:
        m = _FIXED.match(c)
        if m and (m.group(1), m.group(2)) == (ref.group(1), ref.group(2)):
            return (f"the WHERE holds `{' '.join(c.split())}`: every row returned has one value of this ORDER BY key, "
                    "so ASC and DESC leave the order to the next keys, for any data")
    return ""


def unique_sets(model) -> list:
    """The field-name tuples a model's rows are unique on together: unique_together and the unique constraints
    without a condition (a conditional one holds on some rows only)."""
    return [*model.unique_together, *(c.fields for c in model.constraints if c.kind == "unique" and not c.condition)]


def keys(project) -> tuple[frozenset, frozenset, frozenset]:
    """(primary keys, unique columns with them, multi-column unique sets) of the tables migrations create,
    as (table, column) and (table, frozenset of columns): what the database enforces (an unmanaged model
    over a view promises nothing; a unique constraint with a condition holds on some rows only)."""
    models = [m for m in project.models if m.kind == "concrete"]
    columns = [(m.db_table, f) for m in models for f in m.fields if f.column]
    pks = frozenset((t, f.column) for t, f in columns if f.primary_key)
    unique = pks | {(t, f.column) for t, f in columns if f.unique}
    sets = set()
    for m in models:
        by_name = {f.name: f.column for f in m.fields if f.column}
        for names in unique_sets(m):
            if names and all(n in by_name for n in names):
                sets.add((m.db_table, frozenset(by_name[n] for n in names)))
    return pks, frozenset(unique), frozenset(sets)


def inside_exists(sql: str, mask: list[bool], pos: int) -> bool:
    """True when `pos` is at depth 1 inside `EXISTS(`."""
    d = 0
    for i in range(pos - 1, -1, -1):
        if not mask[i] or sql[i] not in "()":
            continue
        if sql[i] == ")":
            d += 1
        elif d:
            d -= 1
        else:
            return bool(re.search(r"\bEXISTS\s*$", sql[:i], re.I))
    return False


def repeated_conjunct(operand: str, other: str) -> str:
    if " ".join(operand.split()) == " ".join(other.split()):
        return (f"`{' '.join(operand.split())[:80]}` is repeated on the other side of this AND: dropping one "
                "leaves the same condition, for any data")
    return ""


def true_alternative(sql: str, mask: list[bool], a: int, b: int) -> str:
    """The OR that sql[a:b] is an alternative of also holds `1 = 1` as an alternative at its own level
    (SQLite's `(CAST(?1 AS INTEGER) IS NULL OR CAST(?2 AS INTEGER) IS NULL OR 1 = 1)`, which keeps a LIMIT's
    and an OFFSET's parameters in the statement): the OR is true whatever the others hold."""
    lo, level = a - 1, 0
    while lo >= 0 and not (mask[lo] and sql[lo] == "(" and level == 0):
        level += (sql[lo] == ")") - (sql[lo] == "(") if mask[lo] else 0
        lo -= 1
    hi, level = b, 0
    while hi < len(sql) and not (mask[hi] and sql[hi] == ")" and level == 0):
        level += (sql[hi] == "(") - (sql[hi] == ")") if mask[hi] else 0
        hi += 1
    if lo < 0 or hi >= len(sql):
        return ""
    parts = _alternatives(sql, mask, lo + 1, hi)
    if parts and " ".join(sql[a:b].split()) != "1 = 1" and any(" ".join(p.split()) == "1 = 1" for p in parts):
        return ("`1 = 1` is another alternative of this OR: it is true with or without this one, for any data")
    return ""


def always_true(operand: str) -> str:
    """A conjunct that is an OR holding `1 = 1` as an alternative (see true_alternative): dropping it from
    its AND leaves the same condition."""
    text = operand.strip()
    mask = code_mask(text)
    parts = _alternatives(text, mask, 1, len(text) - 1) if text.startswith("(") and _closes_at_end(text) else None
    if parts and len(parts) > 1 and any(" ".join(p.split()) == "1 = 1" for p in parts):
        return "this condition is an OR holding `1 = 1`: it is true for any data, with or without it"
    return ""


def _alternatives(sql: str, mask: list[bool], start: int, end: int) -> list[str] | None:
    """The alternatives of sql[start:end] split at its top-level ORs; None when an AND is at that level."""
    parts, first, level = [], start, 0
    for i in range(start, end):
        if mask[i] and sql[i] in "()":
            level += 1 if sql[i] == "(" else -1
        elif level == 0 and mask[i] and re.match(r"(AND|OR)\b", sql[i:i + 4], re.I) and not sql[i - 1].isalnum():
            if sql[i:i + 3].upper() == "AND":
                return None
            parts.append(sql[first:i].strip())
            first = i + 2
    return parts + [sql[first:end].strip()]


_NOT_NULL = re.compile(r'^(?:NOT\s+("?\w+"?)\."(\w+)"\s+IS\s+NULL|("?\w+"?)\."(\w+)"\s+IS\s+NOT\s+NULL)$', re.I)


def never_null(sql: str, operand: str, pks: set[tuple[str, str]]) -> str:
    """The proof that `operand` (`NOT a."pk" IS NULL`) holds on every row, or ""."""
    m = _NOT_NULL.match(" ".join(operand.split()))
    if not m:
        return ""
    alias, column = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    alias = alias.strip('"')
    tables = [(f.group(1).upper(), f.group(2)) for f in re.finditer(
        r'\b(FROM|LEFT\s+OUTER\s+JOIN|LEFT\s+JOIN|INNER\s+JOIN|JOIN)\s+"(\w+)"' + _ALIAS, sql, re.I)
        if (f.group(3) or f.group(2)).strip('"') == alias]
    # Django reuses aliases (U0, U1) across subqueries: every table the alias names must qualify
    if not tables or any("LEFT" in how or (table, column) not in pks for how, table in tables):
        return ""
    return (f"`{alias}.{column}` is the primary key of {tables[0][1]}, read without an outer join: never NULL, "
            "so the condition holds on every row for any data")


_COUNT_CMP = re.compile(r'COUNT\(\s*("?\w+"?\."\w+")\s*\)\s*(>=|>)\s*$', re.I)


def group_count(sql: str, mask: list[bool], pos: int, pks: set[tuple[str, str]], before: int, after: int) -> str:
    """The proof that the comparison whose operator starts at `pos` (`COUNT("t"."pk") >= before`, mutated to
    `after`) is true on every group either way, or "": it sits in the HAVING of the outermost GROUP BY, counts
    a primary key that is never NULL (never_null: FROM or an inner join), and both bounds admit a count of 1."""
    m = _COUNT_CMP.search(sql[:pos + 2])
    if not m or not mask[m.start()] or depth(sql, mask, m.start()) != 0:
        return ""
    having = [h for h in _top(sql, mask, re.compile(r"\bHAVING\b", re.I)) if h.start() < m.start()]
    group = _top(sql, mask, re.compile(r"\bGROUP\s+BY\b", re.I))
    if not having or not group or any(x.start() > having[-1].start() and x.start() < m.start()
                                      for x in _top(sql, mask, _WHERE_END) if not re.match("HAVING", x.group(0), re.I)):
        return ""
    if not never_null(sql, f"{m.group(1)} IS NOT NULL", pks):
        return ""
    op = m.group(2)
    admits_one = (lambda v: v <= 1) if op == ">=" else (lambda v: v <= 0)
    if not (admits_one(before) and admits_one(after)):
        return ""
    return (f"`COUNT({m.group(1)}) {op} {before}` and `{op} {after}` in a HAVING: every group holds at least one "
            "row, whose primary key is never NULL, so both are true on every group, for any data")
