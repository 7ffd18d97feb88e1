"""Fast table tests of the view reader's expressions (translate/handlers_exprs, handlers_optional): Python's
conditional expression, builtins, conversions that raise inside try/except, request.GET.get with a default,
the user or None. Exact Go expected; no Django, no sqlc, no Go build (the Go helpers PyDate / PyDecimal are
checked against Python itself in tests/test_http.py)."""

from __future__ import annotations

import ast
from types import SimpleNamespace as NS

import pytest

from migrator.translate.handlers import Const, GoValue, NotRecognised
from migrator.translate.handlers_names import finish
from tests.test_handlers_units import _reader, VIEW

NAMES = {"date": {"kind": "external", "ref": "datetime.date"},
         "Decimal": {"kind": "external", "ref": "decimal.Decimal"},
         "InvalidOperation": {"kind": "external", "ref": "decimal.InvalidOperation"}}
ENV = {"text": GoValue("text", "*string"), "name": GoValue("name", "string"), "n": GoValue("n", "int64"),
       "m": GoValue("m", "int32"), "flag": GoValue("flag", "bool"), "price": GoValue("price", "decimal.Decimal")}


def _read(source: str, env=None):
    """(value, Go statements named as finish names them) of one expression."""
    reader = _reader(VIEW)
    fn = {"names": NAMES, "file": "shop/views.py", "line": 1}
    try:
        value = reader.expr(ast.parse(source, mode="eval").body, dict(ENV, **(env or {})), fn)
    except NotRecognised as exc:
        return str(exc), []
    stmts = finish(reader.stmts + [f"return 200, {getattr(value, 'code', None)}, nil"], reader.hints, taken=set(ENV))
    code = stmts[-1][len("return 200, "):-len(", nil")]  # the value's Go, named
    got = (code, value.type) if isinstance(value, GoValue) else ("const", value.value) if isinstance(
        value, Const) else type(value).__name__
    return got, stmts[:-1]


@pytest.mark.parametrize("source, value, stmts", [
    # one side None: optional (a pointer); the branch with statements runs only when the test holds
    ("int(text) if text else None", ("value", "*int64"), [
        "var value *int64", 'if text != nil && *text != "" {', "number, err := PyInt(*text)",
        "if IsPyValueError(err) {", 'return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught ValueError")',
        "}", "if err != nil {", 'return http.StatusInternalServerError, nil, fmt.Errorf("item_detail: int(): %w", err)',
        "}", "value = &number", "}"]),
    ("None if not text else int(text)", ("value", "*int64"), [
        "var value *int64", 'if text != nil && *text != "" {', "number, err := PyInt(*text)",
        "if IsPyValueError(err) {", 'return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught ValueError")',
        "}", "if err != nil {", 'return http.StatusInternalServerError, nil, fmt.Errorf("item_detail: int(): %w", err)',
        "}", "value = &number", "}"]),
    # no statements on either side: one expression
    ("n if flag else None", ("Nullable(n, flag)", "*int64"), []),
    ("None if flag else name", ("Nullable(name, !flag)", "*string"), []),
    ("n if flag else 7", ("Cond(flag, n, 7)", "int64"), []),
    ("m if flag else n", ("Cond(flag, int64(m), n)", "int64"), []),
    ('name if flag else "x"', ('Cond(flag, name, "x")', "string"), []),
    ("text if flag else None", ("Cond(flag, text, nil)", "*string"), []),
    ("1 if True else n", ("const", 1), []),  # a test known now: the branch taken only
    ("n if flag else name", "a conditional of int64 and string", []),
    ("n if flag else price", "a conditional of int64 and decimal.Decimal", []),
])
def test_conditional_expression(source, value, stmts):
    assert _read(source) == (value, stmts)


@pytest.mark.parametrize("source, value", [
    ("max(n, 1)", ("max(n, 1)", "int64")),
    ("min(max(n, 1), 100)", ("min(max(n, 1), 100)", "int64")),
    ("max(m, n, 3)", ("max(int64(m), n, 3)", "int64")),
    ("max(2, 9, 4)", ("const", 9)),
    ("min(2, 9)", ("const", 2)),
    ("abs(n)", ("max(n, -n)", "int64")),
    ("abs(price)", ("price.Abs()", "decimal.Decimal")),
    ("abs(-3)", ("const", 3)),
    ("len(name)", ("int64(utf8.RuneCountInString(name))", "int64")),  # Python counts code points
    ('len("día")', ("const", 3)),
    ("bool(name)", ('name != ""', "bool")),
    ("bool(n)", ("n != 0", "bool")),
    ("bool(0)", ("const", False)),
    ("str(n)", ("strconv.FormatInt(n, 10)", "int64"[:0] + "string")),
    ("str(name)", ("name", "string")),
    ("str(12)", ("const", "12")),
    ("int(n)", ("n", "int64")),
    ("str(text)", "str() of this value"),  # None would be "None": not read
    ("max(name, 1)", "an integer from GoValue"),
    ("len(n)", "len() of this value"),
])
def test_builtins(source, value):
    assert _read(source)[0] == value


def test_int_of_a_query_value_with_a_default():
    """int(request.GET.get("page", 1)): the default when the key is absent, else Python's int() of the text."""
    got, stmts = _read('int(request.GET.get("page", 1))', {"request": _request()})
    assert got == ("number", "int64")
    assert stmts[0] == 'number, err := PyIntOr(QGet(req.Query, "page"), 1)'
    got, _ = _read('request.GET.get("deep", "1") == "1"', {"request": _request()})
    assert got == ('QGetOr(req.Query, "deep", "1") == "1"', "bool")
    assert _read('int(request.GET.get("page", None))', {"request": _request()})[0] == (
        "int() of a query value whose default is not an integer")


def _request():
    from migrator.translate.handlers_values import Request

    return Request()


# a view converting query text inside try/except: the except clause answers where the conversion fails
CONVERT_VIEW = '''def item_detail(request, pk):
    since = request.GET.get("since")
    try:
        since = {convert}(since) if since else None
    except {caught}:
        return JsonResponse({{"error": "bad"}}, status=400)
    return JsonResponse({{"since": since}})
'''


@pytest.mark.parametrize("convert, caught, expect", [
    # PyDate fails with Python's ValueError only: the except clause answers
    ("date.fromisoformat", "ValueError", ['date, err := PyDate(*sinceText)', "if err != nil {",
                                           'return 400, ErrorResponse{Error: "bad"}, nil', "}"]),
    # Decimal raises InvalidOperation (an ArithmeticError, not a ValueError): caught by its own class ...
    ("Decimal", "(ValueError, InvalidOperation)", ['amount, err := PyDecimal(*sinceText)', "if IsPyValueError(err) {",
                                                    'return 400, ErrorResponse{Error: "bad"}, nil', "}"]),
    ("Decimal", "ArithmeticError", ['amount, err := PyDecimal(*sinceText)', "if IsPyValueError(err) {",
                                     'return 400, ErrorResponse{Error: "bad"}, nil', "}"]),
    # ... and not by ValueError: uncaught, Django answers 500
    ("Decimal", "ValueError", ['amount, err := PyDecimal(*sinceText)', "if IsPyValueError(err) {",
                               'return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught InvalidOperation")',
                               "}"]),
])
def test_conversions_raise_where_python_raises(convert, caught, expect):
    view = CONVERT_VIEW.format(convert=convert, caught=caught)
    reader = _reader(view)
    reader.route["functions"]["shop.views.item_detail"]["names"].update(NAMES)
    if caught == "ArithmeticError":
        reader.route["functions"]["shop.views.item_detail"]["names"]["ArithmeticError"] = {
            "kind": "external", "ref": "builtins.ArithmeticError"}
    try:
        stmts = reader.read()
    except NotRecognised as exc:
        stmts = [str(exc)]
    start = next(i for i, s in enumerate(stmts) if "PyDate(" in s or "PyDecimal(" in s)
    assert stmts[start:start + 4] == expect
    assert stmts[start - 2:start] == ["var since *djtypes.Date" if convert == "date.fromisoformat"
                                      else "var since *decimal.Decimal", 'if sinceText != nil && *sinceText != "" {']


def test_the_user_or_none():
    """request.user if request.user.is_authenticated else None: one value, None for AnonymousUser."""
    from migrator.translate.handlers_user import OptionalUser

    reader = _reader(VIEW)
    user = NS(label="auth.User", kind="concrete", abstract_bases=["django.contrib.auth.base_user.AbstractBaseUser"],
              pk="id", field=lambda name: None)
    reader.project.models[0].kind = "concrete"
    reader.project.models[0].abstract_bases = []
    reader.project.models.append(user)
    fn = {"names": {}, "file": "shop/views.py", "line": 1}
    env = {"request": _request()}
    value = reader.expr(ast.parse("request.user if request.user.is_authenticated else None", mode="eval").body, env, fn)
    assert isinstance(value, OptionalUser)
    test = reader.cond(ast.parse("u is not None", mode="eval").body, {"u": value}, fn)
    assert test.code == f"{value.row.var}.IsAuthenticated"
    test = reader.cond(ast.parse("u is None", mode="eval").body, {"u": value}, fn)
    assert test.code == f"!{value.row.var}.IsAuthenticated"
    assert reader.stmts == [f"{value.row.var}, err := djauth.CurrentUser(ctx)\n" + reader.error_check("request.user")]
    # another test than is_authenticated: not the user-or-None shape
    with pytest.raises(NotRecognised, match="a conditional of UserRow"):
        reader.expr(ast.parse("request.user if flag else None", mode="eval").body, dict(env, flag=ENV["flag"]), fn)


OPTIONAL_VIEW = '''def item_detail(request, pk):
    qty = request.GET.get("qty")
    qs = Item.objects.all()
    if {test}:
        qs = qs.filter(qty=qty)
    return JsonResponse({{"n": qs.count()}})
'''


def _optional_reader(test: str, condition: str = "qty is not None"):
    """The reader on OPTIONAL_VIEW, whose site (line 6) the scanner compiled with an optional filter."""
    reader = _reader(OPTIONAL_VIEW.format(test=test))
    reader.route["functions"]["shop.views.item_detail"]["names"]["Item"] = {"kind": "model", "ref": "shop.Item"}
    site = NS(id="s2", file="shop/views.py", line=6, column=29, model="shop.Item", function="item_detail", reason="",
              chain=(NS(method="all", condition="", args=()), NS(method="filter", condition=condition, args=(
                  NS(source="qty", keyword="qty"),)), NS(method="count", condition="", args=())))
    reader.sites = {("shop/views.py", 6): [site]}
    query = NS(site="s2", part="", name="CountItems", command="one", result="scalar", function="item_detail", sql="",
               params=[NS(name="qty", source="qty", is_list=False, optional=True, kind="str", transform="", field="")])
    reader.queries = {"s2": query}
    reader.all_queries = [query]
    reader.pkg.methods["CountItems"] = reader.pkg.methods["GetItem"].__class__((("qty", "*string"),), "int64")
    return reader


@pytest.mark.parametrize("test, arg", [
    ("qty is not None", "qty"),
    ("qty", 'Cond(qty != nil && *qty != "", qty, nil)'),  # "" turns the filter off too: nil then
])
def test_a_queryset_refined_by_an_optional_filter_is_one_query_given_nil_when_the_test_fails(test, arg):
    """qs = ...; if qty is not None: qs = qs.filter(qty=qty): no Go for the refinement; the site's sqlc.narg
    parameter takes qty when the test holds, else nil (`narg IS NULL OR ...` leaves the filter off)."""
    assert _optional_reader(test, test).read() == [
        'qty := QGet(req.Query, "qty")',
        f"itemCount, err := s.Store.CountItems(ctx, {arg})",
        'return 200, ItemDetailResponse{N: itemCount}, Wrap(err, "item_detail: count item")']


@pytest.mark.parametrize("test, condition, expect", [
    # the site does not hold this refinement under this test: not the query the view runs
    ("qty is not None", "qty", "the filter under `if qty is not None` is not an optional filter of the site shop/views.py:6"),
    # the site filters under a test the view did not refine with on this path (`if False:` here)
    ("False", "qty is not None", "the site shop/views.py:6 filters under `if qty is not None`, which the view did not "
                                 "read on this path"),
])
def test_an_optional_filter_is_read_only_when_exact(test, condition, expect):
    with pytest.raises(NotRecognised) as exc:
        _optional_reader(test, condition).read()
    assert str(exc.value) == expect


@pytest.mark.parametrize("source, value", [
    # Python stops at the operand that decides: `n > limit` is never read when limit is None
    ("limit is not None and n > limit", ("const", False)),
    ("flag or n > limit", "an integer from Const"),  # read when flag is false: n > None (Python's TypeError)
    ("flag and n > 2", ("flag && n > 2", "bool")),
])
def test_boolean_operators_stop_where_python_stops(source, value):
    assert _read(source, {"limit": Const(None)})[0] == value


def test_timedelta_of_days_known_at_run_time():
    """timedelta(days=n): PyDays (Python's OverflowError and what int64 microseconds hold: a 500); under
    `if n is not None` an optional n is its value."""
    names = dict(NAMES, timedelta={"kind": "external", "ref": "datetime.timedelta"})
    reader = _reader(VIEW)
    fn = {"names": names, "file": "shop/views.py", "line": 1}
    got = reader.expr(ast.parse("timedelta(days=n) if n is not None else None", mode="eval").body,
                      {"n": GoValue("n", "*int64")}, fn)
    stmts = finish(reader.stmts + [f"return 200, {got.code}, nil"], reader.hints, taken={"n"})
    assert (got.type, stmts) == ("*djtypes.Duration", [
        "var value *djtypes.Duration", "if n != nil {", "duration, err := PyDays(*n)", "if err != nil {",
        'return http.StatusInternalServerError, nil, fmt.Errorf("item_detail: timedelta(): %w", err)', "}",
        "value = &duration", "}", "return 200, value, nil"])


@pytest.mark.parametrize("keyword, call", [
    ("minutes", 'PyTimedelta(n, 60000000, "minutes")'),
    ("hours", 'PyTimedelta(n, 3600000000, "hours")'),
    ("weeks", 'PyTimedelta(n, 604800000000, "weeks")'),
    ("seconds", 'PyTimedelta(n, 1000000, "seconds")'),
])
def test_timedelta_of_other_units_known_at_run_time(keyword, call):
    """timedelta(minutes=n) (django-scheduler's api_move_or_resize_by_code): the keyword's microseconds, checked as
    PyDays; two keywords, or microseconds / milliseconds (Python accepts floats there), are not read."""
    names = dict(NAMES, timedelta={"kind": "external", "ref": "datetime.timedelta"})
    fn = {"names": names, "file": "shop/views.py", "line": 1}
    reader = _reader(VIEW)
    got = reader.expr(ast.parse(f"timedelta({keyword}=n)", mode="eval").body, {"n": GoValue("n", "int64")}, fn)
    stmts = finish(reader.stmts + [f"return 200, {got.code}, nil"], reader.hints, taken={"n"})
    assert (got.type, stmts[0]) == ("djtypes.Duration", f"duration, err := {call}")
    for other in ("timedelta(minutes=n, seconds=n)", "timedelta(microseconds=n)", "timedelta(milliseconds=n)"):
        with pytest.raises(NotRecognised):
            _reader(VIEW).expr(ast.parse(other, mode="eval").body, {"n": GoValue("n", "int64")}, fn)


HELPER_VIEW = '''def item_detail(request, pk):
    return JsonResponse({"limit": _limit(request)})


def _limit(request):
    raw = request.GET.get("limit")
    if raw in (None, ""):
        return None
    return int(raw)
'''


def test_a_helper_returning_an_integer_or_none_gives_an_optional():
    reader = _reader(HELPER_VIEW.split("\n\n\n")[0] + "\n")
    fns = reader.route["functions"]
    fns["shop.views._limit"] = {"source": HELPER_VIEW.split("\n\n\n")[1], "names": {}, "file": "shop/views.py", "line": 5}
    fns["shop.views.item_detail"]["names"]["_limit"] = {"kind": "function", "ref": "shop.views._limit"}
    stmts = reader.read()
    assert stmts[:2] == ['raw := QGet(req.Query, "limit")', "var result *int64"]
    assert "result = &number" in stmts and stmts[-1] == "return 200, ItemDetailResponse{Limit: result}, nil"


def test_a_query_value_by_subscript_is_a_key_error_when_absent_unless_tested():
    """request.GET["k"]: MultiValueDictKeyError (a KeyError: Django's 500) when absent; under
    `if request.GET.get("k")` it is there."""
    got, stmts = _read('request.GET["user"]', {"request": _request()})
    assert got == ('QGet(req.Query, "user")', "*string")
    assert stmts == ['if QGet(req.Query, "user") == nil {',
                     'return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught KeyError \'user\'")', "}"]
    got, stmts = _read('int(request.GET["user"]) if request.GET.get("user") else None', {"request": _request()})
    assert got == ("value", "*int64") and not any("== nil" in s for s in stmts)
    assert stmts[2] == 'number, err := PyInt(*QGet(req.Query, "user"))'


@pytest.mark.parametrize("source, value", [
    ('data.get("title", "")', 'data.Title.GetOr("")'),  # the default only when the key is absent (null stays None)
    ('data.get("draft", False)', "data.Draft.GetOr(false)"),
    ('data.get("note", None)', "data.Note"),
    ('data.get("n", 0)', "dict.get with a default that is not text, a bool or None"),
])
def test_dict_get_with_a_default_on_the_json_body(source, value):
    from migrator.translate.handlers_values import BODY

    got = _read(source, {"data": GoValue("data", BODY)})[0]
    assert (got[0] if isinstance(got, tuple) else got) == value


@pytest.mark.parametrize("values, typ", [
    ([GoValue("n", "int64"), Const(None)], "*int64"),
    ([GoValue("price", "decimal.Decimal"), Const(None)], "*decimal.Decimal"),  # _decimal_param: None or Decimal(raw)
    ([GoValue("day", "djtypes.Date"), Const(None)], "*djtypes.Date"),
    ([Const(1), GoValue("n", "int32")], "int64"),
    ([GoValue("price", "decimal.Decimal"), GoValue("n", "int64")], "a helper returning ['decimal.Decimal', 'int64']"),
])
def test_the_result_of_a_helper_with_several_returns(values, typ):
    try:
        got = _reader(VIEW).merge_type(values)
    except NotRecognised as exc:
        got = str(exc)
    assert got == typ


@pytest.mark.parametrize("call, got", [
    ("_pick(n, 2)", ("const", 2)),  # a positional-only parameter fills first (Python's binding)
    ("_pick(n)", ("const", 1)),
    ("_pick(n, b=3)", ("const", 3)),
    # what Python refuses with a TypeError is never read (an IndexError before: a traceback)
    ("_pick(n, 2, 3)", "call of _pick with more positional arguments than it takes, or *args"),
    ("_pick(*text)", "call of _pick with more positional arguments than it takes, or *args"),
    ("_pick(n, 2, b=3)", "keyword argument"),
    ("_pick(a=n)", "keyword argument"),
])
def test_a_helper_call_binds_its_arguments_as_python_does(call, got):
    reader = _reader(VIEW)
    reader.route["functions"]["shop.views._pick"] = {"source": "def _pick(a, /, b=1):\n    return b\n", "names": {},
                                                      "file": "shop/views.py", "line": 5}
    names = dict(NAMES, _pick={"kind": "function", "ref": "shop.views._pick"})
    try:
        value = reader.expr(ast.parse(call, mode="eval").body, dict(ENV), {"names": names, "file": "shop/views.py",
                                                                           "line": 1})
    except NotRecognised as exc:
        value = str(exc)
    assert (("const", value.value) if isinstance(value, Const) else value) == got



INT_OF_JSON = '''def item_detail(request, pk):
    data = _json_body(request)
    if data is None:
        return JsonResponse({"error": "object"}, status=400)
    try:
        n = int(data["n"])
    except %s:
        return JsonResponse({"error": "bad"}, status=400)
    return JsonResponse({"n": n})
'''
_CAUGHT = 'return 400, ErrorResponse{Error: "bad"}, nil'


@pytest.mark.parametrize("caught, key, type_error, value_error", [
    ("KeyError", _CAUGHT, 'return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught TypeError")',
     'return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught ValueError")'),
    ("TypeError", 'return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught KeyError \'n\'")',
     _CAUGHT, 'return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught ValueError")'),
    ("ValueError", 'return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught KeyError \'n\'")',
     'return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught TypeError")', _CAUGHT),
])
def test_int_of_a_json_value_raises_as_pythons_int(caught, key, type_error, value_error):
    """int(data["n"]) (django-helpdesk's kanban_update_ticket reads int(data["status"]) under an except): Python's
    int() of what json.loads gave, "3" is 3 and 3.7 is 3 (JSONValue.PyInt, checked against Python in
    test_http_pyjson.py); None, a list or an object a TypeError and text int() refuses a ValueError, each caught by
    the except naming it. Before, JSONValue.Int() took an integer or a bool only and answered 500 for the rest."""
    from tests.test_handlers_arith import JSON_BODY

    reader = _reader(INT_OF_JSON % caught, method="POST")
    reader.route["functions"]["shop.views.item_detail"]["names"]["_json_body"] = {
        "kind": "function", "ref": "shop.views._json_body"}
    reader.functions["shop.views._json_body"] = {"source": JSON_BODY, "names": {"json": {"kind": "module", "ref": "json"}},
                                                 "file": "shop/views.py", "line": 20}
    out = reader.read()
    start = out.index("if !data.N.Set {")
    typ = "PyTypeName(data.N.Value)"
    assert out[start:] == [
        "if !data.N.Set {", key, "}",
        f'if {typ} == "NoneType" || {typ} == "list" || {typ} == "dict" {{', type_error, "}",
        "n, err := data.N.PyInt()", "if IsPyValueError(err) {", value_error, "}",
        "if err != nil {", 'return http.StatusInternalServerError, nil, fmt.Errorf("item_detail: int(): %w", err)', "}",
        "return 200, ItemDetailResponse{N: n}, nil"]


_JSON_NAMES = {"json": {"kind": "module", "ref": "json"},
               "json.JSONDecodeError": {"kind": "external", "ref": "json.decoder.JSONDecodeError"}}
LOADS_VIEW = '''def item_detail(request, pk):
    try:
        data = json.loads(request.body)
    except %s:
        return JsonResponse({"error": "bad"}, status=400)
    return JsonResponse({"ok": 1})
'''
_LOADS_CAUGHT = ["type requestBody struct {", "}", "_, err := DecodeBody[requestBody](req.Body)", "if err != nil {",
                 'return 400, ErrorResponse{Error: "bad"}, nil', "} else {", "return 200, ItemDetailResponse{Ok: 1}, nil", "}"]
_NO_SPLIT = "Python tells bad JSON from bytes that are not UTF-8, the Go does not"
_WIDE = "it catches errors the Go answers 500 for (a database error, an overflow) as well as the ones it raises"


@pytest.mark.parametrize("view, caught, expect", [
    # json.loads raises JSONDecodeError (bad JSON) or UnicodeDecodeError (bytes not UTF-8), both ValueErrors: the Go's
    # one DecodeBody error is caught exactly by an except naming ValueError; a lone JSONDecodeError or
    # UnicodeDecodeError catches one of the two (before: read as not catching, a 500 where Django answers 400)
    (LOADS_VIEW, "ValueError", _LOADS_CAUGHT),
    (LOADS_VIEW, "(ValueError, TypeError)", _LOADS_CAUGHT),
    (LOADS_VIEW, "(json.JSONDecodeError, ValueError)", _LOADS_CAUGHT),
    (LOADS_VIEW, "json.JSONDecodeError", f"except JSONDecodeError around json.loads: {_NO_SPLIT}"),
    (LOADS_VIEW, "UnicodeDecodeError", f"except UnicodeDecodeError around json.loads: {_NO_SPLIT}"),
    # classes above every error the reader raises catch Go errors it answers 500 for without a raise: refused
    (LOADS_VIEW, "Exception", f"except Exception (line 4): {_WIDE}"),
    (LOADS_VIEW, "(ValueError, BaseException)", f"except BaseException (line 4): {_WIDE}"),
    (INT_OF_JSON, "LookupError", f"except LookupError (line 7): {_WIDE}"),
    (INT_OF_JSON, "ArithmeticError", f"except ArithmeticError (line 7): {_WIDE}"),
    (VIEW.replace('    item = get_object_or_404(Item, pk=pk)\n', '    try:\n        item = get_object_or_404(Item, pk=pk)\n'
                  '    except %s:\n        return JsonResponse({"error": "bad"}, status=400)\n'), "Exception",
     f"except Exception (line 5): {_WIDE}"),
    # a bare except catches KeyboardInterrupt and SystemExit as well (before: 'a bare except', no line)
    (LOADS_VIEW.replace("except %s:", "except:"), None,
     "a bare except (line 4): it catches every error, KeyboardInterrupt and SystemExit too, which the Go does not tell apart"),
    (INT_OF_JSON.replace("except %s:", "except:"), None,
     "a bare except (line 7): it catches every error, KeyboardInterrupt and SystemExit too, which the Go does not tell apart"),
    # a plain ValueError (int() of text) is not a JSONDecodeError: uncaught by it, as in Python
    (INT_OF_JSON, "json.JSONDecodeError", ["n, err := data.N.PyInt()", "if IsPyValueError(err) {",
                                           'return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught ValueError")',
                                           "}"]),
])
def test_the_classes_an_except_names_catch_as_in_python(view, caught, expect):
    from tests.test_handlers_arith import JSON_BODY

    reader = _reader(view if caught is None else view % caught, method="POST")
    names = reader.route["functions"]["shop.views.item_detail"]["names"]
    names.update(_JSON_NAMES, _json_body={"kind": "function", "ref": "shop.views._json_body"})
    reader.functions["shop.views._json_body"] = {"source": JSON_BODY, "names": dict(_JSON_NAMES),
                                                 "file": "shop/views.py", "line": 20}
    try:
        out = reader.read()
    except NotRecognised as exc:
        out = str(exc)
    if isinstance(expect, list) and expect[0].startswith("n, err"):
        out = out[out.index(expect[0]):out.index(expect[0]) + len(expect)]
    assert out == expect


GET_VIEW = '''def item_detail(request, pk):
    try:
        item = Item.objects.get(pk=pk)
    except %s:
        return JsonResponse({"error": "bad"}, status=400)
    return JsonResponse({"id": item.id})
'''
RAISE_VIEW = '''def item_detail(request, pk):
    try:
        raise %s("x")
    except %s:
        return JsonResponse({"error": "bad"}, status=400)
    return JsonResponse({"id": 1})
'''


def _get(answer: str) -> list:
    return ["item, err := s.Store.GetItem(ctx, pk)", "if IsNoRows(err) {", answer, "}", "if err != nil {",
            'return http.StatusInternalServerError, nil, fmt.Errorf("item_detail: get item: %w", err)', "}",
            "return 200, ItemDetailResponse{ID: item.ID}, nil"]


_BAD = 'return 400, ErrorResponse{Error: "bad"}, nil'
_UNKNOWN = "whether that clause catches it depends on classes the reader does not know"


@pytest.mark.parametrize("source, expect", [
    # a model's DoesNotExist is an ObjectDoesNotExist (before: not caught by it, a 500 where Django answers 400)
    (GET_VIEW % "Item.DoesNotExist", _get(_BAD)),
    (GET_VIEW % "ObjectDoesNotExist", _get(_BAD)),
    (GET_VIEW % "ValueError", _get('return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught DoesNotExist")')),
    # another model's DoesNotExist catches it when that model is a concrete parent: not known here, refused
    (GET_VIEW % "Parent.DoesNotExist", f"shop.Item.DoesNotExist raised inside except shop.Parent.DoesNotExist: {_UNKNOWN}"),
    # Django's Http404 is no ValueError: Django's 404
    (RAISE_VIEW % ("Http404", "ValueError"), ["return http.StatusNotFound, NotFoundBody, nil"]),
    (RAISE_VIEW % ("Http404", "Http404"), [_BAD]),
    # a project's class may subclass ValueError (before: read as not caught by it, a 500 where Django may answer 400)
    (RAISE_VIEW % ("OutOfStock", "ValueError"), f"shop.errors.OutOfStock raised inside except builtins.ValueError: {_UNKNOWN}"),
    (RAISE_VIEW % ("OutOfStock", "OutOfStock"), [_BAD]),
    # ... and is never a base of Python's own ValueError; a model's DoesNotExist is no ValueError
    (RAISE_VIEW % ("ValueError", "Parent.DoesNotExist"), ['return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught ValueError x")']),
    (RAISE_VIEW % ("ValueError", "OutOfStock"), ['return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught ValueError x")']),
])
def test_a_raise_is_caught_by_the_classes_python_catches_it_with(source, expect):
    reader = _reader(source)
    reader.route["functions"]["shop.views.item_detail"]["names"].update({
        "ObjectDoesNotExist": {"kind": "external", "ref": "django.core.exceptions.ObjectDoesNotExist"},
        "Parent": {"kind": "model", "ref": "shop.Parent"}, "Http404": {"kind": "external", "ref": "django.http.response.Http404"},
        "OutOfStock": {"kind": "function", "ref": "shop.errors.OutOfStock"}})
    try:
        out = reader.read()
    except NotRecognised as exc:
        out = str(exc)
    assert out == expect
