"""Boundary parameter sets for query parity: the values that tell a comparison from its neighbours.

For every parameter compared with a field: the lowest, a middle and the highest value the data holds,
each with one unit below and above (a `>=` and a `>` differ only on a row's exact value), and the value
the most rows hold (a result of several rows: their order shows); every distinct
text value (up to MAX_TEXT: the slug of an inactive product as well as an active one); for a list
(`__in`), one value, several, and one with the values of the rows that stand out; parameters compared
with the same field (a range's two ends) set to the same value at once; for a LIKE pattern, "" and a prefix several values share (a result of several rows, so
its order shows). For a number that is not a field (LIMIT, OFFSET, a slice bound):
0, 1, 2 and the model's row count -1, +0, +1 (a LIMIT above the number of matching rows, an OFFSET
past them). Each set changes one parameter of the base set (values from the data), so a failure
points at that parameter.
"""

from __future__ import annotations

import datetime
import decimal
import json
import re

MAX_TEXT = 6
NUMERIC = ("int", "decimal", "float", "year")


def as_kind(kind: str, v):
    """A dump value in the form a parameter of this kind takes (a date from a datetime, a year...)."""
    if kind == "date" and isinstance(v, str) and "T" in v:
        return v[:10]
    if kind == "datetime" and isinstance(v, str):
        return v.replace("Z", "+00:00")
    if kind == "year":
        return int(str(v)[:4])
    return v


def field_values(kind: str, field_label: str, dump: dict) -> list:
    """Distinct values of a field in the data (many-to-many ids flattened), in row order."""
    app_model, _, name = field_label.rpartition(".")
    out = []
    for row in dump.get(app_model, []):
        v = row.get(name)
        for x in v if isinstance(v, list) else [v]:
            if x is not None and not isinstance(x, (dict, list)):
                x = as_kind(kind, x)
                if x not in out:
                    out.append(x)
    return out


def minority_values(kind: str, field_label: str, dump: dict, most: int = 6, both: bool = False) -> list:
    """The field's values on the rows that stand out: for every boolean or nullable column of the model,
    the rows on its rarer side (the inactive product, the soft-deleted review, the category with a
    parent): the objects a query filters out, which a parity run must ask for too. `both`: then a row of
    the other side of each column that has two (the category with a parent where roots are rarer: a LEFT
    JOIN on the parent reads something only for a child)."""
    app_model, _, name = field_label.rpartition(".")
    picked: list = []
    rows_of = dump.get(app_model, [])
    sides = _standing_out(rows_of)
    if both:
        sides += [[r for r in rows_of if r not in side] for side in sides if side]
    for rows in sides:
        for r in rows:
            if r.get(name) is not None:
                v = as_kind(kind, r.get(name))
                if not isinstance(v, (list, dict)) and v not in picked:
                    picked.append(v)
                    break
    return picked[:most]


def related_minority(kind: str, field_label: str, model: str, dump: dict, most: int = 6) -> list:
    """The field's values on the rows of its model that the rows standing out of `model` point at (a foreign
    key named after the field's model: `category` -> catalog.Category): the slug of the inactive product's
    category, for a write of products that takes a category slug (`UPDATE ... WHERE category slug = ?1 AND
    is_active`: a dropped `is_active` shows only in a category holding an inactive product)."""
    target, _, name = field_label.rpartition(".")
    rows = dump.get(model, [])
    if target == model or not rows:
        return []
    by_pk = {r.get("id"): r for r in dump.get(target, []) if r.get("id") is not None}
    links = [k for k in sorted({k for r in rows for k in r}) if named_model(k, dump, "") == target]
    picked: list = []
    for group in _standing_out(rows):
        for r in group:
            found = [by_pk[r[k]].get(name) for k in links if isinstance(r.get(k), (int, str)) and r.get(k) in by_pk]
            v = next((as_kind(kind, x) for x in found if x is not None and not isinstance(x, (list, dict))), None)
            if v is not None and v not in picked:
                picked.append(v)
                break
    return picked[:most]


def childless_values(kind: str, field_label: str, model: str, dump: dict, most: int = 3) -> list:
    """The field's values on rows of its model that no row of the query's model points at (an order without
    lines, for `OrderLine JOIN orders_order ... WHERE DATE(placed_at) >= ?1`): a join whose condition changed
    (`=` -> `<>`) pairs such a row with another's children, so a bound that keeps only it shows."""
    target, _, name = field_label.rpartition(".")
    rows = dump.get(model, [])
    if target == model or not rows:
        return []
    links = [k for k in sorted({k for r in rows for k in r}) if named_model(k, dump, "") == target]
    pointed = {x for r in rows for k in links for x in (r[k] if isinstance(r.get(k), list) else [r.get(k)])
               if isinstance(x, (int, str))}  # a many-to-many key holds a list of ids
    out: list = []
    for r in dump.get(target, []) if links else ():
        v = r.get(name)
        if r.get("id") not in pointed and v is not None and not isinstance(v, (list, dict)):
            v = as_kind(kind, v)
            if v not in out:
                out.append(v)
    return out[:most]


def differing_flags(kind: str, field_label: str, dump: dict, most: int = 3) -> list:
    """The field's values on rows pointing at a row whose two boolean columns differ (the order of a staff user
    who is not a superuser): a query that reads the joined row's `is_staff` for its `is_superuser` shows only
    there (the fixture's users hold both flags or neither)."""
    model, _, name = field_label.rpartition(".")
    rows = dump.get(model, [])
    out: list = []
    for k in sorted({k for r in rows for k in r}):
        target = named_model(k, dump, "")
        by_pk = {t.get("id"): t for t in dump.get(target, [])} if target and target != model else {}
        flags = sorted({c for t in by_pk.values() for c, v in t.items() if isinstance(v, bool)})
        for i, a in enumerate(flags):
            for b in flags[i + 1:]:
                v = next((r.get(name) for r in rows if isinstance(r.get(k), int) and r.get(k) in by_pk
                          and by_pk[r[k]].get(a) != by_pk[r[k]].get(b) and r.get(name) is not None), None)
                if v is not None and not isinstance(v, (list, dict)) and as_kind(kind, v) not in out:
                    out.append(as_kind(kind, v))
    return out[:most]


def edge_years(field_label: str, dump: dict, most: int = 2) -> list:
    """The years of the field's values on January 1 or December 31: a `__year` lookup is `BETWEEN Jan 1 AND
    Dec 31`, and a bound made exclusive shows only on a row that lies on it."""
    years = [int(v[:4]) for v in field_values("date", field_label, dump) if str(v)[5:10] in ("01-01", "12-31")]
    return list(dict.fromkeys(years))[:most]


def _standing_out(rows: list[dict]) -> list[list[dict]]:
    """Per boolean or nullable column (sorted by name), the rows on its rarer side."""
    out = []
    for key in sorted({k for r in rows for k in r}):
        flags = [bool(r.get(key)) for r in rows if isinstance(r.get(key), bool) or r.get(key) is None]
        if len(flags) != len(rows) or not rows:
            flags = [r.get(key) is not None for r in rows]
        rare = sum(flags) * 2 < len(flags)
        out.append([r for r, f in zip(rows, flags) if f == rare])
    return out


def row_sets(query, dump: dict, most: int = MAX_TEXT) -> list[dict]:
    """Every parameter compared with a field of the query's own model set from one row at once: the
    combination the most rows share, then each row that stands out (the inactive coupon: its code and its `valid_until` for `code = ?1 AND is_active AND
    valid_until >= ?2`): one parameter at a time, the other parameters keep a value that may leave that row
    out anyway, so a dropped `is_active` would not show."""
    ps = [p for p in query.params if p.field and not p.is_list and not p.transform
          and p.field.rpartition(".")[0] == query.model]
    if len(ps) < 2:
        return []
    rows = dump.get(query.model, [])
    combos = [{p.sentinel: as_kind(p.kind, r.get(p.field.rpartition(".")[2])) for p in ps} for r in rows]
    counts: dict[str, int] = {}
    for c in combos:
        counts[json.dumps(c, sort_keys=True, default=str)] = counts.get(json.dumps(c, sort_keys=True, default=str), 0) + 1
    shared = [json.loads(k) for k, n in sorted(counts.items(), key=lambda kv: -kv[1])[:1] if n > 1]
    out: list[dict] = []  # the combination the most rows share (a get() of 21 rows: GET_ROWS), then the rows
    standing = [combos[rows.index(group[0])] for group in _standing_out(rows) if group]
    for values in shared + standing:
        if all(v is not None and not isinstance(v, (list, dict)) for v in values.values()) and values not in out:
            out.append(values)
    return out[:most]


def named_model(name: str, dump: dict, default: str) -> str:
    """The model a field-less id parameter names (`task_list` -> todo.TaskList), else `default`."""
    bare = name.removesuffix("_id").replace("_", "").lower()
    return next((label for label in sorted(dump) if label.rpartition(".")[2].lower() == bare), default)


def frequent_value(kind: str, field_label: str, dump: dict) -> list:
    """The value the most rows hold ([] when no value repeats): a filter on it keeps several rows, so their
    order, a LIMIT and a secondary ORDER BY key show (the category with the most children)."""
    app_model, _, name = field_label.rpartition(".")
    counts: dict = {}
    for row in dump.get(app_model, []):
        v = row.get(name)
        if v is not None and not isinstance(v, (dict, list)):
            counts[json.dumps(v, default=str)] = counts.get(json.dumps(v, default=str), 0) + 1
    if not counts or max(counts.values()) < 2:
        return []
    best = max(counts, key=lambda k: counts[k])
    return [as_kind(kind, json.loads(best))]


def _step(kind: str, v, delta: int):
    """v moved by one unit of its kind (None when it cannot be)."""
    try:
        if kind in ("int", "year") and isinstance(v, int) and not isinstance(v, bool):
            return v + delta
        if kind == "decimal":
            d = decimal.Decimal(str(v))
            unit = decimal.Decimal(1).scaleb(d.as_tuple().exponent)
            return str(d + delta * unit)
        if kind == "float":
            return float(v) + delta
        if kind == "date":
            return (datetime.date.fromisoformat(str(v)[:10]) + datetime.timedelta(days=delta)).isoformat()
        if kind == "datetime":
            dt = datetime.datetime.fromisoformat(str(v).replace("Z", "+00:00"))
            return (dt + datetime.timedelta(seconds=delta)).isoformat()
    except (ValueError, ArithmeticError, TypeError):
        return None
    return None


def _around(kind: str, values: list) -> list:
    try:
        ordered = sorted(values, key=lambda x: decimal.Decimal(str(x)) if kind in NUMERIC else str(x))
    except (ArithmeticError, ValueError):
        ordered = values
    picks = []
    for v in (ordered[0], ordered[len(ordered) // 2], ordered[-1]) if ordered else ():
        for x in (_step(kind, v, -1), v, _step(kind, v, 1)):
            if x is not None and x not in picks:
                picks.append(x)
    return picks


def _common_prefix(values: list) -> str:
    """The longest prefix two of the text values share ("" when none do)."""
    texts = sorted(v for v in values if isinstance(v, str))
    best = ""
    for a, b in zip(texts, texts[1:]):
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        best = max(best, a[:n], key=len)
    return best


def _together(query, dump: dict) -> list[dict]:
    """Parameters compared with the same field (a range's two ends, `>= ?1 AND <= ?2`) set to the same data
    value at once: the row on both bounds is in, `>` in place of `>=` leaves it out."""
    by_field: dict[tuple[str, str], list] = {}
    for p in query.params:  # the same kind, taken as it is (a `__year` of a date field is another parameter)
        if p.field and not p.is_list and not p.transform and p.kind in NUMERIC + ("date", "datetime"):
            by_field.setdefault((p.field, p.kind), []).append(p)
    out = []
    for (label, kind), ps in by_field.items():
        if len(ps) > 1:
            values = field_values(kind, label, dump)
            out += [{p.sentinel: v for p in ps} for v in _around(kind, values) + values[:MAX_TEXT]
                    if not isinstance(v, (list, dict))]
    return out


# identifiers quoted "x" (SQLite, PostgreSQL) or `x` (MySQL): the same parameter sets on every dialect
_FROM = re.compile(r'\bFROM [`"](\w+)[`"]')
_EQ_ARG = re.compile(r'[`"](\w+)[`"]\.[`"](\w+)[`"] = sqlc\.n?arg\((\w+)\)')
_ORDER = re.compile(r'ORDER BY [`"](\w+)[`"]\.[`"](\w+)[`"]')


def _row_key(rows: list[dict], column: str) -> str:
    """The dump key of a column (`parent_id` -> `parent`), "" when the rows hold neither."""
    keys = {k for r in rows for k in r}
    return next((k for k in (column, column.removesuffix("_id")) if k in keys), "")


def sibling_values(query, dump: dict) -> dict[str, list]:
    """sqlc parameter name -> values for a parameter compared with a column of the query's own table
    (`"catalog_category"."parent_id" = sqlc.arg(c_id)`): the value whose rows tie on the first ORDER BY key
    (the children of one parent with the same sort_order: only the next key orders them, so a flipped
    secondary key shows), the value whose rows differ on it (a flipped first key shows), then the value the
    most rows hold (a LIMIT below their number shows). The
    parameter's own field is often the target's id (`c.children.all()` takes `Category.id`), whose lowest,
    middle and highest values need not be the parent of anything."""
    first = _FROM.search(query.sql)
    rows = dump.get(query.model, [])
    if not first or not rows:
        return {}
    table = first.group(1)
    order = next((m.group(2) for m in _ORDER.finditer(query.sql) if m.group(1) == table), "")
    order_key = _row_key(rows, order) if order else ""
    out: dict[str, list] = {}
    for m in _EQ_ARG.finditer(query.sql):
        key = _row_key(rows, m.group(2)) if m.group(1) == table else ""
        if not key:
            continue
        groups: dict[str, list] = {}
        for r in rows:
            v = r.get(key)
            if v is not None and not isinstance(v, (dict, list)):
                groups.setdefault(json.dumps(v, default=str), []).append(r)
        by_size = sorted(groups, key=lambda g: -len(groups[g]))
        distinct = {g: len({json.dumps(r.get(order_key), default=str) for r in groups[g]}) for g in by_size}
        tied = [g for g in by_size if order_key and distinct[g] < len(groups[g])]
        spread = [g for g in by_size if order_key and distinct[g] > 1]
        picks = [json.loads(g) for g in tied[:1] + spread[:1] + by_size[:1] if len(groups[g]) > 1]
        out[m.group(3)] = [v for i, v in enumerate(picks) if v not in picks[:i]]
    return out


def boundary_sets(query, dump: dict, base: dict, ties: list[dict] = ()) -> list[dict]:
    """Extra parameter sets for `query` (see the module docstring); `base` maps sentinel -> value; `ties` the sets
    that select rows tied on its ORDER BY (parity.tie_rows.tie_sets)."""
    table_rows = len(dump.get(query.model, []))
    out: list[dict] = []
    seen = {json.dumps(base, sort_keys=True, default=str)}
    siblings = sibling_values(query, dump)
    for change in _together(query, dump) + row_sets(query, dump) + list(ties):
        key = json.dumps({**base, **change}, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            out.append({**base, **change})
    for p in query.params:
        s = p.sentinel
        if p.kind == "bool" or p.transform == "present":
            continue
        if not p.field:
            if p.kind != "int" or p.is_list:
                continue
            tries = [0, 1, 2] + [n for n in (table_rows - 1, table_rows, table_rows + 1) if n > 2]
            named = named_model(p.name, dump, "")  # `task_list`: the ids of todo.TaskList rows
            tries += field_values("int", f"{named}.id", dump)[:MAX_TEXT] if named else []
        else:
            values = field_values(p.kind, p.field, dump)
            if p.is_list:  # and one list with the rows that stand out (an inactive product among the ids asked)
                tries = [[v] for v in values[:2]] + ([values[:3]] if len(values) > 2 else [])
                odd = [v for v in minority_values(p.kind, p.field, dump) if v not in values[:1]]
                tries += [values[:1] + odd] if odd else []
            elif p.kind in NUMERIC + ("date", "datetime"):
                tries = _around(p.kind, values) + minority_values(p.kind, p.field, dump)
                tries += edge_years(p.field, dump) if p.kind == "year" else []
            else:
                tries = values[:MAX_TEXT] + minority_values(p.kind, p.field, dump, both=True)
                if p.transform.startswith("like"):  # a pattern that matches several rows: "" and a shared prefix
                    tries += ["", _common_prefix(values)]
            if not p.is_list and not p.transform.startswith("like"):  # rows the joins tell apart: a parent without
                # children, a row whose two flags differ
                tries += childless_values(p.kind, p.field, query.model, dump) + differing_flags(p.kind, p.field, dump)
            tries += frequent_value(p.kind, p.field, dump) if not p.is_list else []
        tries += [] if p.is_list else siblings.get(p.name, [])
        for v in tries:
            candidate = {**base, s: v}
            key = json.dumps(candidate, sort_keys=True, default=str)
            if key not in seen:
                seen.add(key)
                out.append(candidate)
    return out


_LITERAL = re.compile(r'[`"](\w+)[`"]\.[`"](\w+)[`"]\s*(>=|<=|<>|!=|=|<|>)\s*\'?(-?\d+(?:\.\d+)?)\'?(?![\w.])')


def literal_bounds(statements: list[str], columns: dict[tuple[str, str], str]) -> dict[str, list[str]]:
    """"app.Model.field" -> the numbers the queries compare it with, each with one unit either side: the
    rows datagen adds so that `price >= '10.00'` and `price > '10.00'` select different rows; and for a
    literal LIKE pattern, a text it matches and one it does not (like_values)."""
    out: dict[str, list[str]] = {}
    for sql in statements:
        for m in _LITERAL.finditer(sql):
            label = columns.get((m.group(1), m.group(2)))
            if not label:
                continue
            lit = m.group(4)
            kind = "decimal" if "." in lit else "int"
            for v in (_step(kind, int(lit) if kind == "int" else lit, -1), lit, _step(kind, int(lit) if kind == "int" else lit, 1)):
                if v is not None and str(v) not in out.setdefault(label, []):
                    out[label].append(str(v))
        for m in _LIKE.finditer(sql):
            label = columns.get((m.group(1), m.group(2)))
            for v in like_values(m.group(3)) if label else ():
                if v not in out.setdefault(label, []):
                    out[label].append(v)
    return out


_LIKE = re.compile(r'[`"](\w+)[`"]\.[`"](\w+)[`"](?: AS TEXT\))? LIKE \'([^\'\\]*)\'')


def like_values(pattern: str) -> list[str]:
    """A text a literal LIKE pattern matches and one it does not (`'% %'` -> "m m", "mxm"): the rows that
    tell the condition from its absence (`product__name__contains=" "`)."""
    literal = [c for c in pattern if c not in "%_"]
    if not literal:
        return []
    match = pattern.replace("%", "m").replace("_", "m")
    miss = "".join("m" if c in "%_" else ("y" if c == "x" else "x") for c in pattern)
    return [match, miss]
