"""Fast table tests of a function view's form writes (schedule's api_select_create shape): ``request.POST``
read from the form body (translate.handlers_form), ``dateutil.parser.parse`` of a posted value, a module
constant read at generation, ``.get(field=value)`` of a value that may be None, and the form bodies the http
check posts (parity.http_forms). No Django, no Go: the Go helpers are compared with Python in
tests/test_http_pyform.py (slow)."""

from __future__ import annotations

import urllib.parse

import pytest

from test_handlers_units import _reader

UTC = {"use_tz": True, "time_zone": "UTC"}
VIEW = '''def item_detail(request, pk):
    when = dateutil.parser.parse(request.POST.get("start"))
    item = Item.objects.get(pk=pk)
    return JsonResponse({"qty": item.qty, "label": LABEL})
'''
PROLOGUE = [
    "form, covered := req.Form()",
    "// a form body Django reads with code this port does not cover (pyform.go): a stub's 501",
    "if !covered {",
    'return 501, NotCovered("shop.views.item_detail", "shop/views.py:1"), nil',
    "}",
]


def _form_reader(view, tz=UTC):
    r = _reader(view, "POST")
    names = r.route["functions"]["shop.views.item_detail"]["names"]
    names["dateutil.parser"] = {"kind": "module", "ref": "dateutil.parser"}
    names["parse"] = {"kind": "external", "ref": "dateutil.parser._parser.parse"}
    names["LABEL"] = {"kind": "constant", "ref": "'Event Name'", "value": "Event Name"}
    r.route.update(tz=tz, file="shop/views.py", line=1)
    return r


def test_request_post_is_the_form_body_parsed_once_before_the_view():
    r = _form_reader(VIEW)
    out = r.read()
    assert out[:5] == PROLOGUE
    assert out[5:13] == [
        'if QGet(form, "start") == nil {',
        'return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught TypeError Parser must be a '
        'string or character stream, not NoneType")',
        "}",
        '_, err := PyDateutilParse(*QGet(form, "start"))',  # the value nothing reads: only its errors
        "// text dateutil reads with rules this port does not cover (pyform.go): a stub's 501",
        "if err == ErrNotCovered {",
        'return 501, NotCovered("shop.views.item_detail", "shop/views.py:1"), nil',
        "}",
    ]
    assert out[-1] == 'return 200, ItemDetailResponse{Qty: item.Qty, Label: "Event Name"}, nil'  # the constant
    assert (r.form_keys, r.query_keys, r.reads_body) == ({"start"}, set(), False)  # no JSON body struct


@pytest.mark.parametrize("call", ["dateutil.parser.parse(request.POST.get('start'))",
                                  "parse(request.POST.get('start'))"])
def test_dateutil_parse_spelled_either_way(call):
    assert '_, err := PyDateutilParse(*QGet(form, "start"))' in _form_reader(
        VIEW.replace("dateutil.parser.parse(request.POST.get(\"start\"))", call)).read()


@pytest.mark.parametrize("view, tz, why", [
    (VIEW, {"use_tz": True, "time_zone": "Europe/Paris"}, "dateutil.parser.parse without USE_TZ and TIME_ZONE = 'UTC'"),
    (VIEW, {"use_tz": False, "time_zone": "UTC"}, "dateutil.parser.parse without USE_TZ and TIME_ZONE = 'UTC'"),
    (VIEW, None, "dateutil.parser.parse without USE_TZ and TIME_ZONE = 'UTC'"),
    (VIEW.replace('request.POST.get("start")', 'request.POST.get("start"), dayfirst=True'), UTC,
     "dateutil.parser.parse arguments"),
    (VIEW.replace('request.POST.get("start")', "pk"), UTC, "dateutil.parser.parse of a value that is not text"),
    # the parsed value is only stored in a DateTimeField: printed, it would be Python's naive datetime
    (VIEW.replace('"label": LABEL', '"label": when'), UTC, "a dateutil datetime value in the response"),
])
def test_what_is_not_read(view, tz, why):
    from migrator.translate.handlers import NotRecognised

    with pytest.raises(NotRecognised) as exc:
        _form_reader(view, tz).read()
    assert why in str(exc.value)


def test_request_get_still_reads_the_query_string():
    r = _form_reader(VIEW.replace("request.POST", "request.GET"))
    out = r.read()
    assert "form, covered := req.Form()" not in out
    assert '_, err := PyDateutilParse(*QGet(req.Query, "start"))' in out
    assert (r.form_keys, r.query_keys) == (set(), {"start"})


def test_form_requests_post_a_csrf_token_and_each_shape():
    from migrator.parity.http_forms import CSRF_SECRET, DATETIMES, FORM, MISSING, form_requests

    reqs = form_requests(["slug", "start", "end"], {"slug": "cal-1", "start": "datetime", "end": "datetime"})
    forms = [dict(urllib.parse.parse_qsl(r["form"], keep_blank_values=True)) for r in reqs]
    token = {"csrfmiddlewaretoken": CSRF_SECRET}
    valid = {"slug": "cal-1", "start": DATETIMES[0], "end": DATETIMES[0]}
    assert forms[0] == {**valid, **token}  # the valid form first
    assert forms[1] == token
    for k in valid:
        assert {x: y for x, y in valid.items() if x != k} | token in forms  # the key missing
        assert {**valid, k: "", **token} in forms
    assert {**valid, "slug": MISSING, **token} in forms  # a value no row has, for a key bound to a field
    assert all({**valid, "start": d, **token} in forms for d in DATETIMES)  # the texts on the first datetime key
    assert len(forms) == 2 + 3 * 2 + 1 + len(DATETIMES) - 1 + 3
    assert all(r["cookie"] == f"csrftoken={CSRF_SECRET}" and r["content_type"] in (FORM, "application/json")
               for r in reqs)
    assert reqs[-3]["form"].endswith("&&x&csrfmiddlewaretoken=" + CSRF_SECRET) and "+" in reqs[-3]["form"]
    assert reqs[-2]["as"] == "no CSRF token" and "csrfmiddlewaretoken" not in reqs[-2]["form"]
    assert reqs[-1]["content_type"] == "application/json" and reqs[-1]["headers"] == {"X-CSRFToken": CSRF_SECRET}
    assert form_requests([], {}) == []


@pytest.mark.parametrize("null, sql, transform, no_match, expect", [
    (False, 'WHERE "slug" = sqlc.arg(slug)', "", "shop.Cal.DoesNotExist", True),
    (True, 'WHERE "slug" = sqlc.arg(slug)', "", "shop.Cal.DoesNotExist", False),  # None matches NULL rows
    (False, 'WHERE "slug" LIKE sqlc.arg(slug)', "", "shop.Cal.DoesNotExist", False),
    (False, 'WHERE "slug" >= sqlc.arg(slug)', "", "shop.Cal.DoesNotExist", False),  # __gte=None: Django refuses it
    (False, 'WHERE "slug" = sqlc.arg(slug)', "like_exact", "shop.Cal.DoesNotExist", False),
    (False, 'WHERE "slug" = sqlc.arg(slug)', "", None, False),  # not a .get(): a filter's empty list
])
def test_get_of_a_value_that_may_be_none(null, sql, transform, no_match, expect):
    from types import SimpleNamespace as NS

    from migrator.translate.handlers_form import nil_matches_nothing

    thrown = []
    reader = NS(models={"shop.Cal": NS(fields=[NS(name="slug", null=null)])}, query=NS(sql=sql), no_match=no_match,
                throw_if=lambda cond, ref: thrown.append((cond, ref)))
    p = NS(field="shop.Cal.slug", name="slug", transform=transform)
    assert nil_matches_nothing(reader, p, NS(code="slugText")) is expect
    assert thrown == ([("slugText == nil", "shop.Cal.DoesNotExist")] if expect else [])


@pytest.mark.parametrize("internal, null, sql, base, value, expect", [
    ("AutoField", False, 'WHERE "id" = sqlc.arg(id)', "int64", "*string", 32),  # request.POST.get("id")
    ("BigAutoField", False, 'WHERE "id" = sqlc.arg(id)', "int64", "string", 64),
    ("IntegerField", True, 'WHERE "id" = sqlc.arg(id)', "int64", "*string", None),  # None matches NULL rows
    ("AutoField", False, 'WHERE "id" >= sqlc.arg(id)', "int64", "*string", None),  # __gte: another overflow rule
    ("AutoField", False, 'WHERE "id" = sqlc.arg(id)', "int32", "*string", None),  # narrower than SQLite's column
    ("PositiveIntegerField", False, 'WHERE "id" = sqlc.arg(id)', "int64", "*string", None),
    ("CharField", False, 'WHERE "id" = sqlc.arg(id)', "int64", "*string", None),
])
def test_get_of_an_integer_field_by_text(internal, null, sql, base, value, expect):
    """django-scheduler's ``Occurrence.objects.get(id=request.POST.get("id"))``: PyIntLookup (int() and
    Django's ValueError, a number beyond the column's range matching nothing) for an exact lookup of a NOT NULL
    integer field by text; anything else stays a stub (None)."""
    from types import SimpleNamespace as NS

    from migrator.translate.handlers_form import int_lookup

    stmts, thrown = [], []
    names = iter(["number", "ok"])
    reader = NS(models={"shop.Cal": NS(fields=[NS(name="id", null=null, internal_type=internal)])},
                query=NS(sql=sql), no_match="shop.Cal.DoesNotExist", stmts=stmts, var=lambda hint: next(names),
                throw_if=lambda cond, ref, message=None: thrown.append((cond, ref)))
    p = NS(field="shop.Cal.id", name="id", transform="")
    got = int_lookup(reader, p, NS(code="idText", type=value), base)
    if expect is None:
        assert (got, stmts, thrown) == (None, [], [])
        return
    star = "*" if value == "*string" else ""
    assert got == "number"
    assert stmts == [f'number, ok, err := PyIntLookup({star}idText, "id", {expect})']
    assert thrown == [("idText == nil", "shop.Cal.DoesNotExist")] * bool(star) + [
        ("err != nil", "builtins.ValueError"), ("!ok", "shop.Cal.DoesNotExist")]


@pytest.mark.parametrize("default, go", [
    (False, '(QGet(form, "resize") != nil && *QGet(form, "resize") != "")'),  # absent: False
    (None, '(QGet(form, "resize") != nil && *QGet(form, "resize") != "")'),
    (True, '(QGet(form, "resize") == nil || *QGet(form, "resize") != "")'),  # absent: True
])
def test_truth_of_a_form_value_with_a_default(default, go):
    """``bool(request.POST.get("resize", False))``: the posted text's truth (not empty), the default's when absent."""
    from migrator.translate.handlers import GoValue
    from migrator.translate.handlers_exprs import Defaulted

    value = Defaulted(GoValue('QGet(form, "resize")', "*string"), default)
    assert _reader(VIEW, "POST").truth(value) == GoValue(go, "bool")


INTS_VIEW = '''def item_detail(request, pk):
    n = int(request.POST.get("delta"))
    item = Item.objects.get(pk=pk)  # the query's line: the reader's site
    m = int(request.GET.get("page"))
    return JsonResponse({"qty": item.qty, "n": n + m, "on": request.POST.get("existed") == "true",
                         "off": request.GET.get("x") == "y", "kind": request.POST.get("kind") in ("a", "b"),
                         "resize": bool(request.POST.get("resize", False))})
'''


def test_the_reader_records_the_form_keys_int_reads_and_the_constants_compared():
    """django-scheduler's api_move_or_resize_by_code: ``int(request.POST.get("delta"))`` and
    ``request.POST.get("existed") == "true"``. The http check posted neither an integer nor "true" (its values come
    from the data), so it compared only int()'s ValueError (a 500) and one branch; the reader now records both
    (request.GET's keys are not: the check asks its QUERY_VALUES of them)."""
    r = _form_reader(INTS_VIEW)
    r.read()
    assert r.form_ints == {"delta"}
    assert r.form_texts == {"existed": {"true"}, "kind": {"a", "b"}, "resize": {""}}  # a truth test: ""
    assert r.query_keys == {"page", "x"}


def test_form_requests_post_integer_texts_and_the_compared_constants():
    from migrator.parity.http_forms import CSRF_SECRET, INTS, MISSING, form_requests

    reqs = form_requests(["delta", "existed", "id", "step"], {"delta": "int", "id": "7", "step": "int"},
                         {"existed": ["true", "parity"]})
    forms = [dict(urllib.parse.parse_qsl(r["form"], keep_blank_values=True)) for r in reqs]
    token = {"csrfmiddlewaretoken": CSRF_SECRET}
    valid = {"delta": "1", "existed": "parity", "id": "7", "step": "1"}
    assert forms[0] == {**valid, **token}  # an integer the valid form's int() takes: the writes past it run
    assert [f["delta"] for f in forms if f.keys() == forms[0].keys() and f != forms[0] and all(
        f[k] == valid[k] for k in valid if k != "delta")] == ["", MISSING, *INTS[1:]]
    assert [f["step"] for f in forms if f.keys() == forms[0].keys() and f != forms[0] and all(
        f[k] == valid[k] for k in valid if k != "step")] == ["", MISSING]  # the texts once per kind
    assert [f["existed"] for f in forms if f.keys() == forms[0].keys() and f != forms[0] and all(
        f[k] == valid[k] for k in valid if k != "existed")] == ["", MISSING, "true"]  # the branch "true" opens
    # the integer texts on the valid form and on the form "true" opens (the occurrence branch of the scheduler)
    assert [f["delta"] for f in forms if f.get("existed") == "true" and "id" in f and "step" in f] == [*INTS[1:], "1"]
    assert len(forms) == 2 + 4 * 3 + 2 * (len(INTS) - 1) + 1 + 3
    assert {"0", "-1", " 7 ", "1_0", str(2**63)} <= set(INTS)  # zero, a sign, what int() accepts, beyond 64 bits


def test_the_manifest_facts_reach_the_posted_forms(tmp_path):
    """The manifest's form_ints / form_texts (emit.manifest) are read into the route and posted."""
    from migrator.parity.http_forms import INTS
    from migrator.parity.http_requests import MigratedRoute, build_requests

    rt = MigratedRoute(view="v", django="m/", methods=("POST",), regex=r"^/m/$", queries=(), migrated_methods=None,
                       body_keys={}, query_keys=(), form_keys=("delta", "existed"), form_ints=("delta",),
                       form_texts={"existed": ["true"]})
    forms = [dict(urllib.parse.parse_qsl(r["form"])) for r in build_requests([rt], [], {}) if "form" in r]
    assert forms[0]["delta"] == "1"
    assert {"delta": "1", "existed": "true"} in [{k: f[k] for k in ("delta", "existed") if k in f} for f in forms]
    assert {f.get("delta") for f in forms} >= {"0", "-1", str(2**63)}
    # signed in: the scheduler's writes need user.is_authenticated, so each form is posted as the ordinary user too
    csrf = {"secret": "S" * 32, "token": "T" * 64, "header": "X-CSRFTOKEN", "cookie": "csrftoken"}
    signed_in = {"cookie": "sessionid", "csrf": csrf,
                 "sessions": [{"who": "staff", "key": "s"}, {"who": "user", "key": "u"}]}
    reqs = build_requests([rt], [], {}, signed_in)
    signed = [dict(urllib.parse.parse_qsl(r["form"])) for r in reqs if r.get("as") == "user" and "form" in r]
    assert [f.get("delta") for f in signed if f.get("existed") == "true"] == [*INTS[1:], "1"]
    assert all(f["csrfmiddlewaretoken"] == "T" * 64 for f in signed)  # the user's own token in each form
    assert len([r for r in reqs if r.get("as") == "staff" and "form" in r]) == 1  # the others: the valid form only
    rt.form_ints, rt.form_texts = (), {}
    assert len([r for r in build_requests([rt], [], {}, signed_in) if r.get("as") == "user" and "form" in r]) == 1
