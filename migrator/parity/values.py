"""Values for query parity: parameter sets, the Go form of each parameter, and the normalised comparison of
a Django result (django_side.plain) with a Go one (sqlccheck's JSON). Same rules as
tests/test_query_parity.py, which keeps its own copy."""

from __future__ import annotations

import datetime
import decimal
import json
import re

from ..codec import decode
from .boundary import as_kind, boundary_sets, named_model
from .match_rows import match_sets
from .ranges import no_match_value, within_columns
from .tie_rows import tie_sets
from .write_sets import insert_set

READ_COMMANDS = ("one", "many")
NO_MATCH = {"int": 987654321, "str": "no such value ✓ 100%_x", "decimal": "12345678.91", "date": "1999-12-31",
            "datetime": "2026-03-02T00:00:00+00:00", "year": 1999, "uuid": "00000000-0000-4000-8000-000000000000",
            "float": 0.123, "duration": 3_600_000_001}  # a duration: one hour and a microsecond
# a value matching nothing must fit the column's type: 987654321 overflows a smallint, which sqlc types int16
# (the Go side cannot even bind it, while MySQL compares it and matches nothing); 32123 fits every dialect's
SMALL_INTEGER_FIELDS = ("SmallIntegerField", "PositiveSmallIntegerField", "SmallAutoField")
NO_MATCH_SMALL_INT = 32123


def no_match(kind: str, field_type: str = "", default=None):
    """A value of `kind` that matches no row, within the range of a field of internal type `field_type`."""
    if kind == "int" and field_type in SMALL_INTEGER_FIELDS:
        return NO_MATCH_SMALL_INT
    valid = no_match_value(field_type, default)  # parity.ranges: a value the field refuses in Python is no call
    return valid if valid is not None else NO_MATCH.get(kind, default)


def like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def sqlite_text(iso: str) -> str:
    """Django's SQLite form of an aware datetime (djtypes.SQLiteText on the Go side)."""
    dt = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(datetime.timezone.utc)
    return dt.replace(tzinfo=None).isoformat(" ")


def duration_iso(us: int) -> str:
    """Django's duration_iso_string, which djtypes.Duration reads."""
    td = datetime.timedelta(microseconds=us)
    sign = ""
    if td < datetime.timedelta(0):
        sign, td = "-", -td
    minutes, seconds = divmod(td.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    ms = f".{td.microseconds:06d}" if td.microseconds else ""
    return f"{sign}P{td.days}DT{hours:02d}H{minutes:02d}M{seconds:02d}{ms}S"


def go_value(p, v, field_types, dialect="postgresql"):
    if p.transform == "present":  # SQLite's flag for an optional __in list
        return v is not None and v != []
    if p.is_list and dialect == "sqlite" and p.optional and not v:
        return [0 if p.kind == "int" else ""]  # with <name>_present false: sqlc's SQLite code needs a non-empty slice
    if v is None:
        return None
    if p.is_list:
        return list(v)
    t = p.transform
    if t == "like":
        return f"%{like_escape(v)}%"
    if t == "like_prefix":
        return f"{like_escape(v)}%"
    if t == "like_suffix":
        return f"%{like_escape(v)}"
    if t == "like_exact":
        return like_escape(v)
    if t in ("year_start", "year_end"):
        # on MySQL sqlc types a date bound as time.Time (parseTime): a timestamp at midnight
        is_date = field_types.get(p.field) == "DateField" and dialect != "mysql"
        if t == "year_start":
            return f"{v}-01-01" if is_date else f"{v}-01-01T00:00:00Z"
        return f"{v}-12-31" if is_date else f"{v}-12-31T23:59:59.999999Z"
    if p.kind == "datetime":
        return sqlite_text(v) if dialect == "sqlite" else v.replace("+00:00", "Z")
    if p.kind == "decimal" and not p.optional:  # a JSON number: sqlc may type it decimal or float64
        return float(v)
    if p.kind == "duration":
        return v if isinstance(v, str) else duration_iso(v)
    return v


def fixture_value(kind, field_label, dump):
    app_model, _, field = field_label.rpartition(".")
    for row in dump.get(app_model, []):
        v = row.get(field)
        if v is not None and not isinstance(v, (dict, list)):
            return as_kind(kind, v)
    return NO_MATCH.get(kind)


def midnight_edges(dump) -> list[str]:
    """A datetime of the data in the last minute before midnight UTC and one in the first minute after
    (ISO, +00:00): as parameters they put rows on both sides of a day boundary."""
    edges: dict[str, str] = {}
    for rows in dump.values():
        for row in rows:
            for v in row.values():
                if isinstance(v, str) and len(v) >= 19 and v[10:11] == "T" and v[4:5] == "-":
                    side = "before" if v[11:16] == "23:59" else "after" if v[11:16] == "00:00" else ""
                    if side and side not in edges:
                        edges[side] = v.replace("Z", "+00:00")
    return [edges[k] for k in ("before", "after") if k in edges]


def _is_offset(query, p) -> bool:
    """`p` is the query's OFFSET: named (`OFFSET sqlc.arg(offset_value)`), or, in sqlc's MySQL form where LIMIT and
    OFFSET stay positional (`LIMIT ? OFFSET ?`), the parameter named for it (`offset`, as sqlc names it)."""
    if re.search(rf'\bOFFSET sqlc\.arg\({re.escape(p.name)}\)', query.sql):
        return True
    return bool(re.search(r'\bOFFSET \?', query.sql)) and p.name.lower().startswith("offset")


def param_sets(query, dump, field_types: dict | None = None):
    """name -> value per source argument: values from the data, values matching nothing, NULL for optionals,
    and dates and datetimes on both sides of midnight UTC."""
    kinds = {p.sentinel: p.kind for p in query.params}
    lists = {p.sentinel for p in query.params if p.is_list}
    optional = {p.sentinel for p in query.params if p.optional}
    fields = {p.sentinel: p.field for p in query.params}
    base = {s: fixture_value(kinds[s], fields[s], dump) for s in kinds}
    for p in query.params:  # a field-less id named after a model (`task_list`): that model's first row
        named = "" if p.field or p.kind != "int" else named_model(p.name, dump, "")
        if named and dump.get(named) and dump[named][0].get("id") is not None:
            base[p.sentinel] = dump[named][0]["id"]
        if not p.field and p.kind == "int" and _is_offset(query, p):
            base[p.sentinel] = 0  # an OFFSET past every row (a value matching nothing) would empty every set
    sets = [{s: ([v] if s in lists else v) for s, v in base.items()}]
    types = {s: (field_types or {}).get(f, "") for s, f in fields.items()}
    sets.append({s: ([] if s in lists else (not v) if kinds[s] == "bool" else no_match(kinds[s], types[s], v))
                 for s, v in base.items()})
    if optional:
        sets.append({s: (None if s in optional else ([v] if s in lists else v)) for s, v in base.items()})
    ties = tie_sets(query, dump) + match_sets(query, dump)  # rows tied on the ORDER BY; a row passing the WHERE
    sets += boundary_sets(query, dump, sets[0], ties)
    if optional:  # each optional filter present on its own, the others absent: no other filter hides its rows
        sets += [s for s in boundary_sets(query, dump, sets[2], ties) if s not in sets]
    timed = {s for s, k in kinds.items() if k in ("date", "datetime")}
    for edge in midnight_edges(dump) if timed else ():
        moved = {s: (edge[:10] if kinds[s] == "date" else edge) if s in timed else v for s, v in base.items()}
        sets.append({s: ([v] if s in lists else v) for s, v in moved.items()})
    sets = within_columns(sets, query, field_types)  # parity.ranges: a value no column of its type holds
    return [s for s in sets if not any(isinstance(v, list) and not v for s_, v in s.items() if s_ in optional)] or sets[:1]


def write_param_sets(query, dump, fields: dict | None = None, tries: int = 4, together: dict | None = None):
    """Parameter sets for a write, tried in order until one lets Django write: the first set of param_sets,
    then values taken from different rows for each argument (a unique pair the first rows already hold
    is not retried); for an INSERT, last, a set it can perform (write_sets.insert_set: foreign keys on existing
    rows, texts and UUIDs no row holds: a tag whose name and slug are unique otherwise never writes).
    `fields`: "app.Model.field" -> ir.Field; `together`: "app.Model" -> its unique sets of field names."""
    sets = param_sets(query, dump)[:1]
    for k in range(1, tries):
        values = {}
        for j, p in enumerate(query.params):
            app_model, _, field = p.field.rpartition(".") if p.field else (named_model(p.name, dump, query.model),
                                                                           "", "id")
            found = [x for r in dump.get(app_model, []) for x in
                     (r.get(field) if isinstance(r.get(field), list) else [r.get(field)])
                     if x is not None and not isinstance(x, (dict, list))]
            v = found[(k * (j + 2)) % len(found)] if found else sets[0].get(p.sentinel)
            if found and p.kind == "date" and isinstance(v, str):
                v = v[:10]
            values[p.sentinel] = [v] if p.is_list and not isinstance(v, list) else v
        if values not in sets:
            sets.append(values)
    if query.sql.lstrip().upper().startswith("INSERT") and sets:  # one it can perform (write_sets.insert_set)
        fresh = insert_set(query, dump, fields or {}, sets[0], together)
        if fresh not in sets:
            sets.append(fresh)
    return sets


def _duration_text(g):
    """A Go duration result as Django's ISO 8601 string: djtypes.Duration marshals to it; a bare integer
    (a SQLite bigint that sqlc did not type as a duration) is microseconds."""
    if isinstance(g, int) and not isinstance(g, bool):
        return duration_iso(g)
    if isinstance(g, str) and g.lstrip("-").isdigit():
        return duration_iso(int(g))
    return g


def _norm_tagged(k, v):
    """A tagged value ({"decimal": ...}, from either side) in comparable form."""
    if k == "decimal":
        # Known difference: SQLite computes aggregates of decimals as floats, which Django rounds in
        # Python (15 significant digits); compared at 12 significant digits (docs/sqlc.md).
        return decimal.Context(prec=12).plus(decimal.Decimal(str(v)))
    if k == "datetime":
        dt = datetime.datetime.fromisoformat(str(v).replace("Z", "+00:00"))
        return dt.replace(microsecond=dt.microsecond // 1000 * 1000)
    if k == "date":
        return str(v)[:10]
    if k == "uuid":
        return str(v).replace("-", "").lower()
    if k == "duration":
        return _duration_text(v)
    if k == "binary":  # both sides base64: Go's encoding/json form of a []byte
        return v
    return v


TAGS = ("decimal", "datetime", "date", "uuid", "duration", "binary")


def _tag(d):
    """(tag, value) of a value django_side.plain tagged; (None, None) for anything else (a JSON object)."""
    return decode(d, TAGS) or (None, None)

DECIMAL_TEXT = re.compile(r"-?\d+(?:\.\d+)?")


def norm(d, g, decimal_text: bool = False):
    """Normalise a Django value (d, from django_side.plain) and a Go JSON value (g) for comparison."""
    k, v = _tag(d)
    if k is not None:
        if g is None:
            return d, None
        try:
            return _norm_tagged(k, v), _norm_tagged(k, g)
        except (ValueError, TypeError, ArithmeticError):  # Go's value is not of that kind at all
            return _norm_tagged(k, v), g
    if isinstance(d, bool):
        # declared rule: SQLite has no boolean type, so a computed boolean sqlc types as an integer comes
        # back as 0 or 1; any other value (2, "yes", a string) stays itself and differs from True/False
        return d, (bool(g) if type(g) is int and g in (0, 1) else g)
    if isinstance(d, float) and isinstance(g, (int, float)) and not isinstance(g, bool):
        # declared rule: floats compared at 6 decimals (SQLite and PostgreSQL print the last bits differently)
        return round(d, 6), round(float(g), 6)
    if decimal_text and isinstance(d, float) and isinstance(g, str) and DECIMAL_TEXT.fullmatch(g):
        # declared rule (docs/mysql.md): an aggregate sqlc's MySQL engine leaves untyped (AVG) is the DECIMAL
        # text MySQL sends; Django's value is float() of that same text
        return round(d, 6), round(float(g), 6)
    if isinstance(d, int) and not isinstance(d, bool) and isinstance(g, str) and g == str(d):
        # declared rule: a 64-bit integer Go marshals as text (",string" tags) is its exact decimal text;
        # "007" is not 7
        return d, int(g)
    if isinstance(d, int) and not isinstance(d, bool) and isinstance(g, float):
        return d, f"float {g!r}"  # JSON text 7.0 is not an integer column's 7
    return d, g


def _sort_key(values) -> str:
    return json.dumps(values, sort_keys=True, default=str)


def _column_samples(rows) -> list:
    """Per column, a non-NULL Django value (its tag tells how to read the Go value of that column)."""
    width = max((len(r) for r in rows), default=0)
    samples = [None] * width
    for r in rows:
        for i, v in enumerate(r):
            if samples[i] is None and v is not None:
                samples[i] = v
    return samples


def _django_sort_key(row) -> str:
    out = []
    for d in row:
        k, v = _tag(d)
        out.append(_norm_tagged(k, v) if k is not None else norm(d, d)[0])
    return _sort_key(out)


def _go_sort_key(samples, row) -> str:
    return _sort_key([norm(samples[i] if i < len(samples) else None, g)[1] if g is not None else None
                      for i, g in enumerate(row_values(row))])


def row_values(g):
    if isinstance(g, dict):
        return list(g.values())
    if isinstance(g, list):
        return g
    return [g]


def same_row(d_row, g_row, decimal_text: bool = False):
    g_vals = row_values(g_row)
    if len(g_vals) != len(d_row):
        return False, f"{len(g_vals)} columns from Go vs {len(d_row)} from Django"
    for i, dv in enumerate(d_row):
        a, b = norm(dv, g_vals[i], decimal_text)
        if a != b:
            return False, f"column {i}: django {a!r} != go {b!r}"
    return True, ""


def compare(query, dj, go, decimal_text: bool = False) -> str:
    """'' when Django's result (dj) and Go's (go) agree, else where they first differ. ``decimal_text``: on MySQL
    only, a float of Django's may come from Go as the DECIMAL text it was converted from (see ``norm``)."""
    if "error" in dj or "error" in go:
        if _same_multiple(dj.get("error", ""), go.get("error", "")):
            return ""  # get() found several rows on both sides (MultipleObjectsReturned, the same count)
        return f"errors: django {dj.get('error')!r}, go {go.get('error')!r}"
    if "rows" in dj:
        g_rows = go.get("rows") or []
        d_rows = dj["rows"]
        if len(g_rows) != len(d_rows):
            return f"{len(d_rows)} rows from Django, {len(g_rows)} from Go"
        pairs = list(zip(d_rows, g_rows))
        if not (dj.get("ordered") and "ORDER BY" in query.sql):
            # no order to compare: both sides sorted by their normalised values (a Django value is read
            # as the Go value of its column would be, so equal rows sort alike)
            samples = _column_samples(d_rows)
            pairs = list(zip(sorted(d_rows, key=_django_sort_key), sorted(g_rows, key=lambda r: _go_sort_key(samples, r))))
        for i, (d, g) in enumerate(pairs):
            ok, why = same_row(d, g, decimal_text)
            if not ok:
                return f"row {i}: {why}"
        return ""
    if "none" in dj:
        return "" if "none" in go else f"Django found nothing, Go returned {go}"
    if "row" in dj:
        if "none" in go:
            return "Go found nothing"
        g = go.get("row", go.get("value"))
        ok, why = same_row(dj["row"], g, decimal_text)
        return "" if ok else why
    if "value" in dj:
        d = dj["value"]
        g = False if isinstance(d, bool) and "none" in go else go.get("value")  # exists(): no row is False
        a, b = norm(d, g, decimal_text)
        return "" if a == b else f"django {a!r} != go {b!r}"
    return f"unexpected result shapes {dj} / {go}"


ERROR_KINDS = (  # (kind, words in Django's exception or Go's error text), first match wins
    ("protected", ("ProtectedError", "RestrictedError", "protected foreign key", "restricted foreign key")),
    ("multiple", ("MultipleObjectsReturned", "returned more than one")),
    ("not-found", ("DoesNotExist", "no rows in result set", "not found")),
    ("integrity", ("IntegrityError", "UNIQUE constraint", "FOREIGN KEY constraint", "NOT NULL constraint",
                   "CHECK constraint", "constraint failed", "violates", "SQLSTATE 23",
                   " (23000):")),  # go-sql-driver: "Error 1062 (23000): Duplicate entry ..."
    ("data", ("DataError", "invalid input", "out of range", "SQLSTATE 22", "ValidationError",
              " (22001):", " (22003):", " (22007):", " (22012):")),
)


def _same_multiple(d_error: str, g_error: str) -> bool:
    """Both sides raised MultipleObjectsReturned with Django's words ("... -- it returned 3!")."""
    words = d_error.partition("MultipleObjectsReturned: ")[2]
    return error_kind(d_error) == error_kind(g_error) == "multiple" and bool(words) and words in g_error


def error_kind(text: str) -> str:
    """The kind of a failure, so that two sides raising compare by what went wrong: an unknown error is
    its own kind (it matches nothing, not even another unknown one)."""
    for kind, words in ERROR_KINDS:
        if any(w.lower() in text.lower() for w in words):
            return kind
    return f"other: {text[:120]}"


def both_raised(d_error: str, g_error: str) -> str:
    """'' when both sides failed the same way, else why that is a difference."""
    dk, gk = error_kind(d_error), error_kind(g_error)
    if dk == gk and not dk.startswith("other"):
        return ""
    refused = re.search(r"delete refused by the delete\(\) override of \S+: (\w+) \(", g_error)  # a ported refusal
    if refused and re.match(rf"{refused[1]}\b", d_error):
        return ""
    return f"both failed, differently: django {dk} ({d_error[:160]}) / go {gk} ({g_error[:160]})"


def read_queries(queries):
    """Reads only: a statement of a sequence or the ids a delete() removes are not a QuerySet's result."""
    return [q for q in queries if q.command in READ_COMMANDS and not q.part and q.result != "delete_ids"
            and not q.sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def write_queries(queries):
    return [q for q in queries if (not q.part or q.part.startswith("1/1")) and q.result != "delete_ids"
            and q.sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def first_difference(a: dict, b: dict, skip: set = frozenset()) -> str:
    """The first differing table, row and field of two dumps ('' when equal); (label, field) in skip is ignored."""
    for label in sorted(set(a) | set(b)):
        d = table_difference(label, a.get(label), b.get(label), skip)
        if d:
            return d
    return ""


def table_difference(label, ra, rb, skip: set = frozenset()) -> str:
    if ra is None or rb is None:
        return f"{label}: present on one side only"
    if len(ra) != len(rb):
        return f"{label}: {len(ra)} rows vs {len(rb)} rows"
    for x, y in zip(ra, rb):
        for key in sorted(set(x) | set(y)):
            if (label, key) in skip:
                continue
            if x.get(key, "<missing>") != y.get(key, "<missing>"):
                return (f"{label} pk={x.get('id', next(iter(x.values()), '?'))} field {key}: "
                        f"{x.get(key, '<missing>')!r} != {y.get(key, '<missing>')!r}")
    return ""


def noisy_fields(a: dict, b: dict) -> set:
    """(label, field) whose values differ between two dumps of the same data (two Django runs)."""
    out = set()
    for label in set(a) & set(b):
        for x, y in zip(a[label], b[label]):
            for key in set(x) | set(y):
                if x.get(key) != y.get(key):
                    out.add((label, key))
    return out
