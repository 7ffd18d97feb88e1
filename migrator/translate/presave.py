"""Write sites that store a column whose field class computes its value in ``pre_save`` (issue 12).

A field class outside django.* with its own ``pre_save`` (django-oauth-toolkit's ClientSecretField hashes the
secret, TokenChecksumField stores sha256(token), django-extensions' AutoSlugField builds a slug) decides in Python
the value a save writes. Django calls it for every INSERT (save(), create(), get_or_create(), bulk_create()) and for
every UPDATE a Model.save() sends (update_or_create(), a related manager's save), never for QuerySet.update(), which
stores the value it is given. A query that binds the caller's value instead would write something else: the site is
FIELD_PRE_SAVE, not translated. Reads of the column stay translated (pre_save only runs on writes).

A field class outside django.* with its own ``get_prep_value`` / ``get_db_prep_value`` / ``get_db_prep_save``
converts or validates in Python every value Django binds for it: an INSERT's and an UPDATE's values (save(),
create(), QuerySet.update() alike) and the right-hand side of a lookup on the column (exact, in, gt...: Lookup's
get_prep_lookup and get_db_prep_lookup). A query binding the caller's value instead would store or compare something
else, or accept what Django refuses (oauth2_provider's ResourceJSONField: "Resource must be a list of URI strings"):
a site binding a run-time value of such a field is FIELD_CONVERSION, not translated, unless migrator.yaml ``types:``
declares a Go type for the field (that type converts). Constants are exact: the compile bound what Django converted.
"""

from __future__ import annotations

import re

from .types import user_type_key

_INSERT = re.compile(r'\s*INSERT\s+(?:IGNORE\s+)?INTO\s+[`"]?(\w+)[`"]?', re.I)
_UPDATE = re.compile(r'\s*UPDATE\s+[`"]?(\w+)[`"]?\s+SET\s', re.I)
INSERTING = ("create", "get_or_create", "update_or_create", "bulk_create")  # terminals whose path may INSERT
_ASSIGNED = re.compile(r'\s*[`"]?(\w+)[`"]?\s*=')


def pre_save_columns(models) -> dict[str, dict[str, str]]:
    """table -> {column: "pkg.Class.pre_save"} for every concrete column whose field class has its own pre_save,
    and model label -> {"table.column": ...} for the columns a save of that model writes (its own and its parents')."""
    out: dict[str, dict[str, str]] = {}
    tables = {mo.label: mo.db_table for mo in models}
    for mo in models:
        if mo.kind == "abstract":
            continue
        for f in mo.fields:
            owner = next((c for c in f.conversions if c.endswith(".pre_save")), "")
            table = tables.get(f.inherited_from) or tables.get(mo.proxy_for) or mo.db_table  # where the column is
            if owner and f.column:
                out.setdefault(mo.label, {})[f"{table}.{f.column}"] = owner
                if not mo.proxy_for:
                    out.setdefault(mo.db_table, {})[f.column] = owner
    return out


def _set_columns(sql: str, start: int) -> list[str]:
    """The columns an UPDATE's SET clause assigns: the left-hand side of each top-level comma-separated item,
    up to the top-level WHERE (a subquery's own commas and WHERE are inside parentheses)."""
    items, depth, item = [], 0, ""
    for i in range(start, len(sql)):
        ch = sql[i]
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and re.match(r"\s+WHERE\s", sql[i:i + 8], re.I):
            break
        if depth == 0 and ch == ",":
            items.append(item)
            item = ""
            continue
        item += ch
    items.append(item)
    return [m.group(1) for m in (_ASSIGNED.match(i) for i in items) if m]


def pre_save_write(compiled: dict, site: dict, columns: dict[str, dict[str, str]]) -> str:
    """Why the compiled write stores a pre_save column (a FIELD_PRE_SAVE detail), or "" when it does not."""
    if not columns:
        return ""
    terminal = (site.get("chain") or [{}])[-1].get("method", "")
    by_update = terminal == "update"
    if terminal in INSERTING and site.get("model") in columns:
        # whatever statements were captured (bulk_create's, a sequence's), Django's INSERT on this path writes every
        # column, the pre_save one too (a compile that raised after update_or_create's SELECT never gets here: it is
        # COMPILE_FAILED in load.compile)
        return (f"{terminal}() INSERTs a {site['model']} row, writing {_named(columns[site['model']])} with the value "
                f"computed in Python at save time; the query would store the value it is given instead")
    for n, st in enumerate(compiled.get("statements") or [], 1):
        sql = st.get("sql", "")
        m = _INSERT.match(sql)
        hit: dict[str, str] = {}
        verb = "INSERT"
        if m and m.group(1) in columns:
            table = m.group(1)
            hit = {f"{table}.{c}": o for c, o in columns[table].items()}
        m = None if hit else _UPDATE.match(sql)
        if m and m.group(1) in columns and not by_update:
            table, verb = m.group(1), "UPDATE"
            hit = {f"{table}.{c}": columns[table][c] for c in _set_columns(sql, m.end()) if c in columns[table]}
        if hit:
            return (f"statement {n} ({verb} {table}) writes {_named(hit)} with the value computed in Python at save "
                    f"time; the query would store the value it is given instead")
    return ""


def _named(written: dict[str, str]) -> str:
    """table.column (its field class's pre_save), for each column."""
    return ", ".join(f"{col} ({owner.rsplit('.', 2)[-2]}.pre_save)" for col, owner in sorted(written.items()))


_CONVERTING = (".get_prep_value", ".get_db_prep_value", ".get_db_prep_save")


def converting_fields(models, user_types=None) -> dict[str, tuple[str, str]]:
    """"app.Model.field" -> (its converting methods "pkg.Class.method, ...", internal type) for every field whose
    class converts the values Django binds for it, unless migrator.yaml ``types:`` declares a Go type for it."""
    out: dict[str, tuple[str, str]] = {}
    for mo in models:
        for f in mo.fields:
            owners = [c for c in f.conversions if c.endswith(_CONVERTING)]
            key = user_type_key(f, user_types)
            if owners and not (key and key != f.internal_type):
                out[f"{mo.label}.{f.name}"] = (", ".join(owners), f.internal_type)
    return out


def conversion_bind(compiled: dict, fields: dict[str, tuple[str, str]]) -> str:
    """Why the compiled site binds a run-time value that its field converts in Python (a FIELD_CONVERSION detail),
    or "". A sentinel's field is the one it is assigned to or compared with; an isnull flag (a boolean on a
    non-boolean field) and a year (compared through ExtractYear's integer) are not converted by the field."""
    hit = {}
    for s in compiled.get("sentinels") or []:
        owners, internal = fields.get(s.get("field") or "", ("", ""))
        if not owners or s.get("kind") == "year" or (s.get("kind") == "bool" and "Boolean" not in internal):
            continue
        hit.setdefault(f"{s['field']} ({owners})", []).append(f"`{s.get('name')}`")
    if not hit:
        return ""
    return ("binds the run-time value " + "; ".join(f"{', '.join(v)} for {k}" for k, v in sorted(hit.items())) +
            ": Django converts or validates it in Python before binding (or refuses it); the query would bind the "
            "value it is given")


def write_refusal(compiled: dict, site: dict, pre_saved: dict, converting: dict) -> tuple[str, str] | tuple[()]:
    """(reason, detail) of a site whose statements Django does not send as the query would (FIELD_CONVERSION, then
    FIELD_PRE_SAVE; both details when both hold), or ()."""
    pre = pre_save_write(compiled, site, pre_saved)
    if why := conversion_bind(compiled, converting):
        return "FIELD_CONVERSION", why + (f"; and {pre}" if pre else "")
    return ("FIELD_PRE_SAVE", pre) if pre else ()
