"""Query parity: every generated sqlc read query returns what its QuerySet returns through Django.

For each query and dialect, several parameter sets (values from the fixture, values that match
nothing, NULL for every optional filter, an empty list for __in) run through the generated Go
(sqlccheck, by reflection over the sqlc Queries) and through Django (the same chain, interpreted
with real values), and the normalised results must be equal: in order where the SQL orders.
"""

from __future__ import annotations

import datetime
import decimal
import json
import subprocess

import pytest

from conftest import SAMPLE, django_side

READ_COMMANDS = ("one", "many")
NO_MATCH = {"int": 987654321, "str": "no such value ✓ 100%_x", "decimal": "12345678.91", "date": "1999-12-31",
            "datetime": "2026-03-02T00:00:00+00:00", "year": 1999, "uuid": "00000000-0000-4000-8000-000000000000",
            "float": 0.123}


def like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def sqlite_text(iso: str) -> str:
    """Django's SQLite form of an aware datetime (djtypes.SQLiteText on the Go side)."""
    dt = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(datetime.timezone.utc)
    return dt.replace(tzinfo=None).isoformat(" ")


def go_value(p, v, field_types, dialect="postgresql"):
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
        is_date = field_types.get(p.field) == "DateField"
        if t == "year_start":
            return f"{v}-01-01" if is_date else f"{v}-01-01T00:00:00Z"
        return f"{v}-12-31" if is_date else f"{v}-12-31T23:59:59.999999Z"
    if p.kind == "datetime":
        return sqlite_text(v) if dialect == "sqlite" else v.replace("+00:00", "Z")
    return v


def fixture_value(kind, field_label, dump):
    app_model, _, field = field_label.rpartition(".")
    for row in dump.get(app_model, []):
        v = row.get(field)
        if v is not None and not isinstance(v, (dict, list)):
            if kind == "date" and isinstance(v, str) and "T" in v:
                return v[:10]
            if kind == "datetime" and isinstance(v, str):
                return v.replace("Z", "+00:00")
            if kind == "year":
                return int(str(v)[:4])
            return v
    return NO_MATCH.get(kind)


def param_sets(query, dump):
    """name -> value per source argument, for each parameter set."""
    kinds = {p.sentinel: p.kind for p in query.params}
    lists = {p.sentinel for p in query.params if p.is_list}
    optional = {p.sentinel for p in query.params if p.optional}
    fields = {p.sentinel: p.field for p in query.params}
    base = {s: fixture_value(kinds[s], fields[s], dump) for s in kinds}
    sets = [{s: ([v] if s in lists else v) for s, v in base.items()}]
    sets.append({s: ([] if s in lists else NO_MATCH.get(kinds[s], v)) for s, v in base.items()})
    if optional:
        sets.append({s: (None if s in optional else ([v] if s in lists else v)) for s, v in base.items()})
    return [s for s in sets if not any(isinstance(v, list) and not v for s_, v in s.items() if s_ in optional)] or sets[:1]


def norm(d, g):
    """Normalise a Django value (d, from django_side.plain) and a Go JSON value (g) for comparison."""
    if isinstance(d, dict) and len(d) == 1:
        (k, v), = d.items()
        if g is None:
            return d, None
        if k == "decimal":
            # Known difference: SQLite computes aggregates of decimals as floats, which Django rounds in
            # Python (15 significant digits); compared at 12 significant digits here (docs/sqlc.md).
            ctx = decimal.Context(prec=12)
            return ctx.plus(decimal.Decimal(v)), ctx.plus(decimal.Decimal(str(g)))
        if k == "datetime":
            dd = datetime.datetime.fromisoformat(v)
            gg = datetime.datetime.fromisoformat(str(g).replace("Z", "+00:00"))
            return dd.replace(microsecond=dd.microsecond // 1000 * 1000), gg.replace(microsecond=gg.microsecond // 1000 * 1000)
        if k == "date":
            return v, str(g)[:10]
        if k == "uuid":
            return v.replace("-", ""), str(g).replace("-", "").lower()
        if k == "duration":
            return v, g
    if isinstance(d, bool):
        return d, bool(g)
    if isinstance(d, float) and g is not None:
        return round(d, 6), round(float(g), 6)
    if isinstance(d, int) and isinstance(g, str) and g.lstrip("-").isdigit():
        return d, int(g)
    return d, g


def row_values(g):
    if isinstance(g, dict):
        return list(g.values())
    if isinstance(g, list):
        return g
    return [g]


def same_row(d_row, g_row):
    g_vals = row_values(g_row)
    if len(g_vals) < len(d_row):
        return False, f"{len(g_vals)} columns vs {len(d_row)}"
    for i, dv in enumerate(d_row):
        a, b = norm(dv, g_vals[i])
        if a != b:
            return False, f"column {i}: django {a!r} != go {b!r}"
    return True, ""


def compare(query, dj, go):
    if "error" in dj or "error" in go:
        return f"errors: django {dj.get('error')!r}, go {go.get('error')!r}"
    if "rows" in dj:
        g_rows = go.get("rows") or []
        d_rows = dj["rows"]
        if len(g_rows) != len(d_rows):
            return f"{len(d_rows)} rows from Django, {len(g_rows)} from Go"
        pairs = list(zip(d_rows, g_rows))
        if not (dj.get("ordered") and "ORDER BY" in query.sql):
            key = lambda r: json.dumps(r, sort_keys=True, default=str)  # noqa: E731
            d_sorted = sorted(d_rows, key=lambda r: key([norm(x, x)[0] for x in r]))
            g_sorted = sorted(g_rows, key=lambda r: key([norm(d, g)[1] for d, g in zip(d_sorted[0], row_values(r))])
                              if d_sorted else "")
            pairs = list(zip(d_sorted, g_sorted))
        for i, (d, g) in enumerate(pairs):
            ok, why = same_row(d, g)
            if not ok:
                return f"row {i}: {why}"
        return ""
    if "none" in dj:
        return "" if "none" in go else f"Django found nothing, Go returned {go}"
    if "row" in dj:
        if "none" in go:
            return "Go found nothing"
        g = go.get("row", go.get("value"))
        ok, why = same_row(dj["row"], g)
        return "" if ok else why
    if "value" in dj:
        d = dj["value"]
        if isinstance(d, bool):
            g = bool(go.get("value")) if "none" not in go else False
        else:
            g = go.get("value")
        a, b = norm(d, g)
        return "" if a == b else f"django {a!r} != go {b!r}"
    return f"unexpected result shapes {dj} / {go}"


def test_every_read_query_matches_django(sample_generated, loaded_db_queries, tmp_path):
    dialect, url, _ = loaded_db_queries
    queries = [q for q in sample_generated.emitted.queries[dialect] if q.command in READ_COMMANDS
               and not q.sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(queries) >= 50
    project = sample_generated.project
    field_types = {f"{m.label}.{f.name}": f.internal_type for m in project.models for f in m.fields}
    sites = {s.id: s for s in project.querysets}
    dump = django_side(SAMPLE, "shopapi.settings", url, "dump")
    go_cases, dj_cases, meta = [], [], []
    from migrator.ir import to_dict

    for q in queries:
        for values in param_sets(q, dump):
            params = {p.name: go_value(p, values[p.sentinel], field_types, dialect) for p in q.params}
            arg = None if not params else (next(iter(params.values())) if len(params) == 1 else params)
            go_cases.append({"query": q.name, "params": arg})
            dj_cases.append({"site": to_dict(sites[q.site]), "values": values,
                             "kinds": {p.sentinel: p.kind for p in q.params}})
            meta.append((q, values))
    (tmp_path / "go.json").write_text(json.dumps(go_cases))
    (tmp_path / "dj.json").write_text(json.dumps(dj_cases))
    proc = subprocess.run([str(sample_generated.out / "bin" / "sqlccheck"), url, str(tmp_path / "go.json")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    go_results = json.loads(proc.stdout)
    dj_results = django_side(SAMPLE, "shopapi.settings", url, "querysets", str(tmp_path / "dj.json"))
    failures = []
    for (q, values), g, d in zip(meta, go_results, dj_results):
        why = compare(q, d, g)
        if why:
            failures.append(f"{q.name} ({q.site}) with {values}: {why}")
    checked = len(meta)
    assert not failures, f"{len(failures)} of {checked} query runs differ:\n" + "\n".join(failures[:40])
