"""Which source argument a parameter Django bound came from (and how Django transformed it), and the constants
of the chain that become SQL literals."""

from __future__ import annotations

import re
from typing import Any, Optional

from sqlglot import exp

from ..codec import decode

def _text(value: Any) -> str:
    v = _decode(value)
    v = v[1] if isinstance(v, tuple) else v
    try:  # Decimal("0") in the source, "0.00" once Django quantized it
        import decimal

        return str(decimal.Decimal(str(v)).normalize()) if isinstance(v, (str, int, float)) and not isinstance(
            v, bool) and str(v).replace(".", "", 1).lstrip("-").isdigit() else str(v)
    except decimal.InvalidOperation:
        return str(v)


def _source_constants(site: dict) -> set[str]:
    """Every constant written in the chain's arguments (F("views") + 1 holds 1, Decimal("0") holds "0")."""
    import ast as pyast

    out = set()
    for c in site["chain"]:
        for a in c["args"]:
            try:
                tree = pyast.parse(a["source"], mode="eval")
            except SyntaxError:
                continue
            for n in pyast.walk(tree):
                if isinstance(n, pyast.Constant) and n.value is not None:
                    out.add(_text(n.value))
    return out


def _write_columns(sql: str) -> list[str]:
    """For each placeholder of an INSERT or UPDATE, the column it writes ("" when it is in WHERE)."""
    m = re.match(r'\s*INSERT INTO \S+ \((.*?)\) VALUES \((.*)\)', sql, re.S)
    if m:
        cols = [c.strip().strip('"`') for c in m.group(1).split(",")]
        values = _split_top(m.group(2).split(") RETURNING")[0])
        out = [c for c, v in zip(cols, values) if "%s" in v]
        return out + [""] * (sql.count("%s") - len(out))
    m = re.match(r'\s*UPDATE \S+ SET (.*?)( WHERE .*)?$', sql, re.S)
    if m:
        out = []
        for part in _split_top(m.group(1)):
            col = part.split("=")[0].strip().strip('"`')
            out += [col] * part.count("%s") if part.count("%s") == 1 else [""] * part.count("%s")
        return out + [""] * (sql.count("%s") - len(out))
    return [""] * sql.count("%s")


def _split_top(text: str) -> list[str]:
    parts, depth, cur, quote = [], 0, "", False
    for ch in text:
        if ch == "'":
            quote = not quote
        if not quote:
            depth += ch == "("
            depth -= ch == ")"
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
                continue
        cur += ch
    return parts + [cur]


def _decode(v: Any) -> Any:
    """A tagged value (migrator.codec) as a (tag, value) tuple; anything else as it is."""
    return decode(v, ("decimal", "date", "datetime", "time", "uuid", "duration", "json", "repr")) or v


def _sqlite_form(kind: str, value: Any) -> Any:
    """How Django binds a sentinel on SQLite, and dates and datetimes on MySQL (its adapters run before the
    driver: ``str(date)``, ``str(naive UTC datetime)``, the same text as on SQLite)."""
    import datetime
    import uuid

    if kind == "uuid":
        return uuid.UUID(value[1]).hex
    if kind == "datetime":
        dt = datetime.datetime.fromisoformat(value[1]).replace(tzinfo=None)
        return dt.isoformat(" ")
    if kind in ("date", "time"):
        return value[1]
    if kind == "decimal":
        return value[1]
    return value


def match(param: Any, sentinels: list[dict], dialect: str) -> Optional[tuple[dict, str]]:
    """The sentinel a bound value came from, and the transformation Django applied to it."""
    p = _decode(param)
    for s in sentinels:
        value = _decode(s["value"])
        values = value if s["is_list"] else [value]
        for v in values:
            forms = {repr(v)}
            if dialect == "sqlite" or (dialect == "mysql" and s["kind"] in ("date", "datetime")):
                forms.add(repr(_sqlite_form(s["kind"], v)))
            if isinstance(v, tuple) and s["kind"] == "decimal":
                forms.add(repr(("decimal", v[1])))
            if isinstance(v, tuple) and s["kind"] == "duration":
                forms.add(repr(v[1]))  # SQLite: Django binds a duration as microseconds
            if repr(p) in forms or (isinstance(p, tuple) and isinstance(v, tuple) and p[1] == v[1]):
                return s, ""
            if s["kind"] == "json" and isinstance(v, tuple) and isinstance(p, str):
                import json as _json

                try:
                    if _json.loads(p) == v[1]:
                        return s, "json"
                except ValueError:
                    pass
            if isinstance(p, str) and isinstance(v, str) and v in p and p != v:
                if p == f"%{v}%":
                    return s, "like"
                if p == f"{v}%":
                    return s, "like_prefix"
                if p == f"%{v}":
                    return s, "like_suffix"
        if s["kind"] == "year":
            y = value
            starts = {f"{y}-01-01 00:00:00", f"{y}-01-01", f"{y}-01-01T00:00:00+00:00"}
            ends = {f"{y}-12-31 23:59:59.999999", f"{y}-12-31", f"{y}-12-31T23:59:59.999999+00:00"}
            text = p[1] if isinstance(p, tuple) else p
            if text in starts:
                return s, "year_start"
            if text in ends:
                return s, "year_end"
    return None


def _literal(value: Any) -> exp.Expression:
    v = _decode(value)
    if v is None:
        return exp.Null()
    if isinstance(v, bool):
        return exp.Boolean(this=v)
    if isinstance(v, (int, float)):
        return exp.Literal.number(v)
    if isinstance(v, tuple) and v[0] == "json":  # psycopg's Jsonb (PostgreSQL): the text it sends is json.dumps
        import json  # (Django's filter(data=None) is JSON null, 'null', never Python's 'None' nor SQL NULL)

        return exp.Literal.string(json.dumps(v[1]))
    if isinstance(v, tuple):
        return exp.Literal.string(str(v[1]))
    return exp.Literal.string(str(v))
