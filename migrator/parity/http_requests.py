"""The http check's requests: the migrated routes read from the tree's manifest, and the requests asked of both
servers (every route with values from the loaded data and one matching nothing, signed in as each user, the write
bodies with the traps of typed decoding). Pure functions of the tree and the data: no process (checks_http runs them).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from .http_forms import FORM, form_requests, signed_form

MISSING_INT = "987654"
WRAPS_INT32 = str(2**32 + 1)  # an int32 cast reads row 1; PostgreSQL's and MySQL's integer column cannot hold it
MISSING_STR = "no-such-value"
MISSING_UUID = "00000000-0000-4000-8000-000000000000"  # a uuid converter takes only this shape

_GROUP = re.compile(r"\(\?P<(\w+)>")


@dataclass
class MigratedRoute:
    view: str
    django: str
    methods: tuple[str, ...]
    regex: str
    queries: tuple[str, ...]
    migrated_methods: tuple[str, ...] | None  # None: every method the route accepts
    body_keys: dict  # JSON body key -> the type the view tests ("int", "str"...) or "any"
    query_keys: tuple[str, ...]
    strict: bool = False  # the JSON compared exactly: keys, their order, types and values (a DRF view)
    signed_in: bool = False  # behind a login guard: its values and query keys are asked signed in too
    form_keys: tuple[str, ...] = ()  # request.POST keys the view reads (a form body: parity.http_forms)
    form_ints: tuple[str, ...] = ()  # those of them the view passes to int(): posted as integer texts too
    form_texts: dict = field(default_factory=dict)  # key -> the constants the view compares it with: posted too
    clock_fields: tuple[str, ...] = ()  # "app.Model.field" its writes stamp from the clock (parity.stamps)
    signed_in_as: tuple[str, ...] = ()  # the sessions' kinds its DRF permission classes let read, preferred first
    json_query_keys: tuple[str, ...] = ()  # query keys read through json.loads: asked JSON_VALUES too

    @property
    def get_only(self) -> bool:
        return self.migrated_methods is not None and not (set(self.migrated_methods) - {"GET", "HEAD"})

    def migrated(self, method: str) -> bool:
        return self.migrated_methods is None or method in self.migrated_methods


def migrated_routes(tree: Path) -> list[MigratedRoute]:
    """The migrated views' routes, from the tree's JSON manifest (write.PRODUCED, its ``http`` section)."""
    from ..write import read_produced

    out = []  # in Django's URLconf order
    for v in read_produced(tree).get("http", {}).get("views", []):
        if v["status"] != "migrated":
            continue
        only = tuple(v["methods"]) if v.get("stubbed_methods") else None  # None: every method the route accepts
        for r in v["routes"]:
            methods = tuple(r["methods"]) or (tuple(v["methods"]) if v.get("every_method") else ())  # preludes: each one
            out.append((r["index"], MigratedRoute(view=v["view"], django=r["django"], methods=methods, regex=r["regex"],
                                     queries=tuple(v["queries"]), migrated_methods=only,
                                     body_keys=dict(v.get("body_keys", {})), query_keys=tuple(v.get("query_keys", ())),
                                     strict=bool(v.get("strict")), signed_in=bool(v.get("signed_in")),
                                     form_keys=tuple(v.get("form_keys", ())), form_ints=tuple(v.get("form_ints", ())),
                                     form_texts=dict(v.get("form_texts", {})),
                                     clock_fields=tuple(v.get("clock_fields", ())),
                                     signed_in_as=tuple(v.get("signed_in_as", ())),
                                     json_query_keys=tuple(v.get("json_query_keys", ())))))
    return [r for _, r in sorted(out, key=lambda x: x[0])]


def _group_patterns(regex: str) -> dict[str, str]:
    """name -> the sub-pattern of each named group (balanced parentheses)."""
    out = {}
    for m in _GROUP.finditer(regex):
        depth, i = 1, m.end()
        while i < len(regex) and depth:
            if regex[i] == "\\":
                i += 2
                continue
            depth += {"(": 1, ")": -1}.get(regex[i], 0)
            i += 1
        out[m.group(1)] = regex[m.end():i - 1]
    return out


def _field_values(dump: dict, target: str, year: bool) -> list:
    """Values of "app.Model.field" in the dump (a relation's id; the year of a date when asked)."""
    label, _, name = target.rpartition(".")
    rows = dump.get(label) or []
    if rows and name not in rows[0] and name == "id":
        name = next(iter(rows[0]))  # the primary key is the first dumped field
    out = []
    for row in rows:
        v = row.get(name)
        if v is None or isinstance(v, (list, dict)):
            continue
        if year:
            v = str(v)[:4]
        if v not in out:
            out.append(v)
    return out


def _param_values(name: str, query_params: dict, dump: dict, models: tuple = ()) -> list:
    """Values for one path parameter: from the query parameter it is bound to, else a field with its name
    (``pk``: the primary key of the route's query's model, as a DRF detail route looks it up)."""
    if name == "pk" and models and _field_values(dump, f"{models[0]}.id", False):
        return _field_values(dump, f"{models[0]}.id", False)
    qp = query_params.get(name)
    if qp is not None and qp.field:
        found = _field_values(dump, qp.field, qp.kind == "year" or bool(qp.transform.startswith("year")))
        if found:
            return found
    bare = name[:-3] if name.endswith("_id") else name
    for label in sorted(dump):
        rows = dump[label]
        if rows and (bare in rows[0] or name in rows[0]):
            found = _field_values(dump, f"{label}.{bare if bare in rows[0] else name}", name == "year")
            if found:
                return found
    return []


MAX_VALUES = 8


def build_requests(routes: list[MigratedRoute], queries: list, dump: dict, signed_in: dict | None = None) -> list[dict]:
    """GET requests for every migrated route (up to eight values from the data and one matching nothing), the
    same GETs of the first and the missing value signed in as each user of `signed_in` (django_side sessions:
    a superuser, a staff member, an ordinary user), and the write requests of routes whose other methods are
    migrated too."""
    cookies = [(x["who"], f"{signed_in['cookie']}={x['key']}") for x in (signed_in or {}).get("sessions", [])]
    by_name = {q.name: q for q in queries}
    reqs, seen = [], set()

    def add(method: str, path: str, route: MigratedRoute, body: dict | None = None) -> None:
        key = (method, path, json.dumps(body, sort_keys=True))
        if key not in seen:
            seen.add(key)
            reqs.append({"method": method, "path": path, "view": route.view, "route": route.django, **(body or {}),
                         **({"strict": True} if route.strict else {})})

    for rt in routes:
        groups = _group_patterns(rt.regex)
        qparams = {}
        for qn in rt.queries:
            for p in getattr(by_name.get(qn), "params", []):
                for key in (p.source, p.sentinel, p.name):
                    qparams.setdefault(key, p)
        values, missing = {}, {}
        for g, pattern in groups.items():
            models = tuple(by_name[qn].model for qn in rt.queries if qn in by_name)
            ok = [str(v) for v in _param_values(g, qparams, dump, models) if re.fullmatch(pattern, str(v))]
            if rt.strict and g == "format":
                # DRF's JSON renderer (".json": the API root's format converter)
                ok = ["json" if re.fullmatch(pattern, "json") else ".json"]
            values[g] = ok[:MAX_VALUES]  # every row's value (up to 8): inactive / filtered-out objects too
            numeric = bool(values[g]) and all(v.isdigit() for v in values[g])
            missing[g] = next((m for m in ((MISSING_INT, MISSING_STR) if numeric else (MISSING_STR, MISSING_INT))
                               + ("1999", MISSING_UUID) if re.fullmatch(pattern, m)), None)

        def path(vals: dict) -> str:
            p = rt.regex
            for g, pattern in groups.items():
                p = p.replace(f"(?P<{g}>{pattern})", urllib.parse.quote(vals[g], safe="@"), 1)
            return p.lstrip("^").rstrip("$").replace("\\", "")

        n = max([len(v) for v in values.values()] + [1])
        for i in range(n):
            if all(values[g] for g in groups):
                add("GET", path({g: values[g][i % len(values[g])] for g in groups}), rt)
        if groups and all(missing.values()):
            for vals in (missing, _beyond_int32(missing)) if MISSING_INT in missing.values() else (missing,):
                add("GET", path(vals), rt)
        for who, cookie in cookies if rt.migrated("GET") else ():  # a login_required view, a view of request.user
            for vals in ([{g: values[g][0] for g in groups}] if all(values[g] for g in groups) else []) + (
                    [missing] if groups and all(missing.values()) else []):
                add("GET", path(vals), rt, {"cookie": cookie, "as": who})
        if rt.signed_in and cookies and rt.migrated("GET") and all(values[g] for g in groups):
            _signed_in(add, rt, cookies, [path({g: values[g][i % len(values[g])] for g in groups}) for i in range(n)])
        if rt.strict and set(groups) == {"pk"} and values["pk"]:
            add("GET", path({"pk": MISSING_STR}), rt)  # a lookup Django's int() refuses: DRF's bare 404
        if all(values[g] for g in groups) and rt.migrated("GET"):
            first = path({g: values[g][0] for g in groups})
            for key, v in _query_values(rt):  # the view reads request.GET[key]: good, bad and edge values
                add("GET", f"{first}?{urllib.parse.urlencode({key: v})}", rt)
        writes = [m for m in rt.methods if m not in ("GET", "HEAD", "OPTIONS") and rt.migrated(m)]
        if not writes or not all(values[g] for g in groups):
            continue
        combos = [{g: values[g][0] for g in groups}] + _linked(groups, qparams, dump) + (
            [missing] if groups and all(missing.values()) else [])
        bodies = _bodies(rt.body_keys, dump) if not rt.form_keys else form_requests(list(rt.form_keys), {
            k: "int" if k in rt.form_ints else "datetime" if getattr(qparams.get(k), "kind", "") == "datetime"
            else next(iter(_param_values(k, qparams, dump)), "") for k in rt.form_keys}, rt.form_texts, _csrf_names(signed_in))
        for m in writes:
            for n, combo in enumerate(combos):
                for body in (bodies if n == 0 else bodies[:1]):
                    add(m, path(combo), rt, body)
            # the first values and the valid body, as each user; not again through a DRF format suffix (`.json`): the
            # same view and handler as the route without it, whose signed-in writes are sent
            for signed in signed_writes(signed_in) if not (rt.strict and "format" in groups) else ():
                first = bodies[0] or {}
                add(m, path(combos[0]), rt, signed_form(first, signed) if "form" in first else {**first, **signed})
            _signed_forms(add, m, path(combos[0]), rt, bodies, signed_in)
    return reqs


def _signed_in(add, rt: MigratedRoute, cookies: list, paths: list[str]) -> None:
    """A login-guarded route, or a DRF view whose permission classes refuse anonymous reads (anonymous requests only
    reach the guard): every value, and the query keys it reads, asked as the first user of ``signed_in_as`` the data
    has (IsAdminUser: a staff member, else a superuser), else the ordinary user, else the first session, so the code
    past the guard is compared on them too."""
    who, cookie = next((c for kind in rt.signed_in_as or ("user",) for c in cookies if c[0] == kind),
                       next((c for c in cookies if c[0] == "user"), cookies[0]))
    for p in paths[1:]:
        add("GET", p, rt, {"cookie": cookie, "as": who})
    for key, v in _query_values(rt):
        add("GET", f"{paths[0]}?{urllib.parse.urlencode({key: v})}", rt, {"cookie": cookie, "as": who})


def _signed_forms(add, method: str, path: str, rt: MigratedRoute, bodies: list, signed_in: dict | None) -> None:
    """A form write whose path depends on posted values (int() texts, compared constants): every form body also
    sent signed in as the ordinary user, so the writes a permission check keeps from anonymous requests (the
    scheduler's user.is_authenticated) are compared on each branch and number, not only on the valid form."""
    user = next((s for s in signed_writes(signed_in) if s["as"] == "user"), None)
    for body in bodies[1:] if user and (rt.form_ints or rt.form_texts) else ():
        if body.get("content_type") == FORM and "as" not in body:
            add(method, path, rt, signed_form(body, user))


def csrf_refused(answer: tuple) -> bool:
    """Whether Django's answer is CsrfViewMiddleware's 403 page or DRF's SessionAuthentication CSRF refusal."""
    return answer[0] == 403 and (b"CSRF verification failed" in answer[2] or b'"CSRF Failed: ' in answer[2])


def _beyond_int32(missing: dict) -> dict:
    """The missing path values with each number beyond 32 bits: no row (Django's 404), never row 1 read through an
    int32 cast nor the 500 of a narrowing's error."""
    return {g: WRAPS_INT32 if v == MISSING_INT else v for g, v in missing.items()}


def _csrf_names(signed_in: dict | None) -> tuple[str, str]:
    """The project's CSRF cookie and header names (django_side's, from its settings), Django's defaults without them."""
    csrf = (signed_in or {}).get("csrf") or {}
    return csrf.get("cookie") or "csrftoken", csrf.get("header") or "X-CSRFToken"


def signed_writes(signed_in: dict | None) -> list[dict]:
    """What a write sends signed in as each user of `signed_in` (django_side sessions), as a browser sends it: the
    session cookie, and Django's CSRF token (the secret in the CSRF cookie unless the session holds it, the masked
    token in the CSRF header: django_side.csrf_token). A csrf_exempt view ignores the token, as Django does."""
    csrf = (signed_in or {}).get("csrf") or {}
    jar = f"; {csrf['cookie']}={csrf['secret']}" if csrf.get("cookie") else ""
    headers = {"headers": {csrf["header"]: csrf["token"]}} if csrf.get("token") else {}
    return [{"cookie": f"{signed_in['cookie']}={x['key']}{jar}", "as": x["who"], **headers}
            for x in (signed_in or {}).get("sessions", [])]


# query-string values for a key the view reads: a number, text int() refuses, empty, spaces and a sign
# (int() accepts them), underscores, out of the usual ranges
QUERY_VALUES = ("3", "abc", "", " 7 ", "+2", "1_0", "0", "-1", "999")
# a value json.loads reads (dal's forward, translate.handlers_jsontext): an object (with NaN, which Python reads), not an
# object, broken JSON, a BOM, an integer past int()'s 4300 digits, nesting Python's RecursionError refuses (Django's 500)
JSON_VALUES = ('{}', '{"a": [1, {"b": NaN}], "c": "\\ud800"}', '[1]', 'null', '{"a": 1,}', '{', '\ufeff{}',
               '{"a": ' + '1' * 4301 + '}', '[' * 5000 + ']' * 5000, ' {"x": -Infinity} ')


def _query_values(rt: MigratedRoute) -> list[tuple[str, str]]:
    """(key, value) asked of each query key the route reads: QUERY_VALUES, and JSON_VALUES for a JSON one."""
    return [(k, v) for k in rt.query_keys for v in QUERY_VALUES + (JSON_VALUES if k in rt.json_query_keys else ())]


def _bodies(keys: dict, dump: dict) -> list:
    """Request bodies for a write: a valid one first (values of the types the view tests), then an
    empty object, text that is not JSON, each key with a value of the wrong type, a negative number."""
    if not keys:
        return [None]

    def sample(key: str, kind: str):
        if kind.startswith("choices:"):  # `x in (…)` of constants: the first option (translate.handlers_input)
            return json.loads(kind[len("choices:"):])[0]
        if kind == "int":
            return 3
        if kind == "float":
            return 2.5
        for label in sorted(dump):
            rows = dump[label]
            if rows and key in rows[0] and isinstance(rows[0][key], str):
                return rows[0][key]
        return "parity"

    valid = {k: sample(k, v) for k, v in keys.items()}
    out = [{"body": valid}, {"body": {}}, {"raw": "not json"}, {"raw": "[]"}, {"body": {**valid, "unknown_key": 1}}]
    for k, kind in keys.items():
        others = {x: v for x, v in valid.items() if x != k}
        numeric = kind in ("int", "float") or isinstance(valid[k], (int, float))
        out.append({"body": {**valid, k: "x" if numeric else 7}})
        out.append({"body": {**valid, k: None}})
        out.append({"body": {**others, k.upper(): valid[k]}})  # dict keys are case-sensitive (Go's json is not)
        # a repeated key: the last one counts (json.loads), the first has the wrong type
        out.append({"raw": json.dumps(others)[:-1] + (", " if others else "")
                    + f'{json.dumps(k)}: "x", {json.dumps(k)}: {json.dumps(valid[k])}}}'})
        if kind == "int" or type(valid[k]) is int:
            # isinstance(3.0, int) is False; true is an int in Python (the sample's restock binds it into
            # F("stock") + %s: SQLite adds 1, PostgreSQL refuses integer + boolean, a 500 on both sides)
            out += [{"body": {**valid, k: -1}}, {"body": {**valid, k: 3.0}}, {"body": {**valid, k: True}}]
    return out


def _linked(groups: dict, qparams: dict, dump: dict) -> list[dict]:
    """Parameter values that belong together: for two parameters bound to two models' fields, pairs where
    the first model's row links to the second's through a many-to-many list (a product and one of its tags)."""
    if len(groups) != 2:
        return []
    (a, _), (b, _) = groups.items()
    pa, pb = qparams.get(a), qparams.get(b)
    if pa is None or pb is None or not pa.field or not pb.field:
        return []
    la, _, fa = pa.field.rpartition(".")
    lb, _, fb = pb.field.rpartition(".")
    rows_b = {row.get("id", next(iter(row.values()))): row for row in dump.get(lb) or []}
    out = []
    for row in dump.get(la) or []:
        for value in row.values():
            if isinstance(value, list) and value and all(v in rows_b for v in value):
                out.append({a: str(row.get(fa, row.get("id"))), b: str(rows_b[value[0]].get(fb))})
                break
        if len(out) >= 2:
            break
    return out
