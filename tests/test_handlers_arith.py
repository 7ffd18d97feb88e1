"""Fast table tests of integer arithmetic (translate/handlers_arith), ``in`` of a JSON body value against constant
choices, ``if a and <call>`` read as nested ifs (handlers_shortcut) and ``Model.objects.create(...)``
(handlers_create): exact Go expected, no Django, no sqlc, no Go build. The Go helpers (Ints, JSONValue.In,
PyInt, PyStr, PyJSON) are checked against Python itself in tests/test_http_pyjson.py."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest

from migrator.plan import GoMethod, GoPackage, GoStruct
from migrator.translate.handlers_arith import WIDE, is_slice_bound
from migrator.translate.handlers_values import JSON, GoValue
from tests.test_handlers_exprs import _read
from tests.test_handlers_units import _field, _reader

CHECK = ['if err != nil {', 'return http.StatusInternalServerError, nil, fmt.Errorf("item_detail: {}: %w", err)', '}']


def _checked(expr: str, go: str) -> list[str]:
    return [f"number, err := CheckedInt(func(c *Ints) int64 {{ return {go} }})",
            CHECK[0], CHECK[1].replace("{}", expr), CHECK[2]]


@pytest.mark.parametrize("source, value, stmts", [
    ("(n - 1) * 20", ("number", WIDE), _checked("(n - 1) * 20", "c.Mul(c.Sub(n, 1), 20)")),
    ("n + m", ("number", WIDE), _checked("n + m", "c.Add(n, int64(m))")),  # an int32 column widened
    ("n * (m - 4)", ("number", WIDE), _checked("n * (m - 4)", "c.Mul(n, c.Sub(int64(m), 4))")),
    ("2 * 3 - 1", ("const", 5), []),  # known now: Python's value
    ("2 ** 70 - 2 ** 70", "arithmetic 2 ** 70: only +, - and * of integers are read", []),
    ("n / 2", "arithmetic n / 2: only +, - and * of integers are read", []),  # a float in Python 3
    ("n // 2", "arithmetic n // 2: only +, - and * of integers are read", []),
    ("price * 2", "arithmetic price * 2 of a value that is not an integer", []),
    ("name + name", "arithmetic name + name of a value that is not an integer", []),
    ("n + 9223372036854775808", "the integer constant 9223372036854775808 is beyond 64 bits", []),
])
def test_integer_arithmetic_is_checked(source, value, stmts):
    assert _read(source) == (value, stmts)


def test_a_checked_integer_is_a_slice_bound_only():
    """Django writes LIMIT/OFFSET numbers into the SQL: past int64 both databases refuse them (500), as Go does."""
    sql = "SELECT 1 FROM t WHERE a = sqlc.arg(size_value) LIMIT sqlc.arg(size) OFFSET sqlc.arg(offset_value)"
    assert [is_slice_bound(sql, n) for n in ("size", "offset_value", "size_value", "offset")] == [True, True, False, False]


@pytest.mark.parametrize("source, value", [
    ("rating in (1, 2, 3)", ("data.Rating.In(1, 2, 3)", "bool")),
    ("rating not in (1, None, 'a')", ('!data.Rating.In(1, nil, "a")', "bool")),
    ("rating in (1.5,)", "`in` a tuple for this value"),  # a float option: not read
    ("rating in (True,)", "`in` a tuple for this value"),  # a bool option: not read
])
def test_in_of_a_json_value(source, value):
    assert _read(source, {"rating": GoValue("data.Rating", JSON)})[0] == value


SPLIT_VIEW = '''def item_detail(request, pk):
    """One item."""
    item = get_object_or_404(Item, pk=pk)
    text = request.GET.get("n")
    if text and int(text) > 3:
        return JsonResponse({"error": "big"}, status=400)
    return JsonResponse({"id": item.id, "qty": item.qty})
'''


def test_and_with_a_call_runs_the_call_only_where_the_first_test_holds():
    """int(text) is not evaluated for a missing text: its statements sit inside `if text`."""
    assert _reader(SPLIT_VIEW).read()[4:] == [
        'text := QGet(req.Query, "n")',
        'if text != nil && *text != "" {',
        "number, err := PyInt(*text)",
        "if IsPyValueError(err) {",
        'return http.StatusInternalServerError, nil, errors.New("item_detail: uncaught ValueError")',
        "}",
        "if err != nil {",
        'return http.StatusInternalServerError, nil, fmt.Errorf("item_detail: int(): %w", err)',
        "}",
        "if number > 3 {",
        'return 400, ErrorResponse{Error: "big"}, nil',
        "}",
        "}",
        "return 200, ItemDetailResponse{ID: item.ID, Qty: item.Qty}, nil",
    ]


CREATE_VIEW = '''def item_detail(request, pk):
    """One item."""
    item = get_object_or_404(Item, pk=pk)
    data = _json_body(request)
    note = Note.objects.create(item=item, qty=data.get("qty"), text=data.get("text", ""))
    return JsonResponse(model_to_dict(note), status=201)
'''


def _create_reader():
    """_reader's view with a JSON body helper and a Note model created from it (an INSERT returning its id)."""
    reader = _reader(CREATE_VIEW, "POST")
    note = NS(label="shop.Note", fields=[
        _field("id", "id", "AutoField", pk=True), _field("item", "item_id", "ForeignKey"),
        _field("qty", "qty", "SmallIntegerField"), _field("text", "text", "CharField"),
        _field("at", "at", "DateTimeField")])
    note.fields[1].relation = NS(target="shop.Item", kind="many_to_one", target_field="id")
    note.fields[0].editable = True  # an AutoField is editable: model_to_dict writes the id
    note.fields[4].auto_now_add = True
    note.fields[4].editable = False
    reader.models["shop.Note"] = note
    site = NS(id="s2", file="shop/views.py", line=5, column=12, model="shop.Note", function="item_detail",
              chain=(NS(method="create", args=()),))
    reader.sites[("shop/views.py", 5)] = [site]
    params = [NS(name=n, source=s, field=f"shop.Note.{f}", is_list=False, optional=False, kind="value", transform="")
              for n, s, f in (("item", "item", "item"), ("qty", 'data.get("qty")', "qty"),
                              ("text", 'data.get("text", "")', "text"), ("at", "<at: computed by Django at save time>", "at"))]
    reader.queries["s2"] = NS(site="s2", part="", name="AddNote", command="one", result="pk", params=params)
    reader.pkg.methods["AddNote"] = GoMethod((("arg", "AddNoteParams"),), "int64")
    reader.pkg.structs["AddNoteParams"] = GoStruct((("Item", "int64", "item"), ("Qty", "int64", "qty"),
                                                    ("Text", "string", "text"), ("At", "djtypes.DateTime", "at")))
    names = reader.route["functions"]["shop.views.item_detail"]["names"]
    names.update({"Note": {"kind": "model", "ref": "shop.Note"},
                  "model_to_dict": {"kind": "external", "ref": "django.forms.models.model_to_dict"},
                  "_json_body": {"kind": "function", "ref": "shop.views._json_body"}})
    reader.functions["shop.views._json_body"] = {"source": JSON_BODY, "names": {"json": {"kind": "module", "ref": "json"}},
                                                 "file": "shop/views.py", "line": 20}
    return reader


JSON_BODY = '''def _json_body(request):
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
'''


def test_create_binds_as_get_prep_value_and_returns_the_values_given():
    """int() and str() of the JSON values are bound (an error is Django's 500); the instance keeps them as given."""
    got = _create_reader().read()
    assert got[got.index('data := BodyObject[requestBody](OrBytes(req.Body, []byte("{}")))') + 1:] == [
        "number, err := data.Qty.PyInt()",
        "if err != nil {",
        'return http.StatusInternalServerError, nil, fmt.Errorf("item_detail: qty: get_prep_value: %w", err)',
        "}",
        'text, err := data.Text.GetOr("").PyText()',
        "if err != nil {",
        'return http.StatusInternalServerError, nil, fmt.Errorf("item_detail: text: get_prep_value: %w", err)',
        "}",
        "now := djtypes.DateTimeOf(djtypes.Now())",  # auto_now_add: timezone.now()
        "note, err := s.Store.AddNote(ctx, AddNoteParams{Item: item.ID, Qty: number, Text: text, At: now})",
        'return 201, ItemDetailResponse{ID: note, Item: item.ID, Qty: PyJSON(data.Qty.Value), '
        'Text: PyJSON(data.Text.GetOr("").Value)}, Wrap(err, "item_detail: create note")',
    ]


@pytest.mark.parametrize("source, names, expect", [
    ("def f(): pass", {}, False),
    ("@transaction.atomic\ndef f(): pass", {"transaction": {"kind": "module", "ref": "django.db.transaction"}}, True),
    ("@atomic\ndef f(): pass", {"atomic": {"kind": "external", "ref": "django.db.transaction.atomic"}}, True),
    ("@cache\ndef f(): pass", {"cache": {"kind": "external", "ref": "functools.cache"}},
     "f is decorated with @cache: the decorator is not read"),
    ("@transaction.atomic(using='x')\ndef f(): pass", {"transaction": {"kind": "module", "ref": "django.db.transaction"}},
     "f is decorated with @transaction.atomic(using='x'): the decorator is not read"),
])
def test_a_helper_is_read_undecorated_or_atomic(source, names, expect):
    import ast

    from migrator.translate.handlers_shortcut import decorated
    from migrator.translate.handlers_values import NotRecognised

    try:
        got = decorated(ast.parse(source).body[0], names)
    except NotRecognised as exc:
        got = str(exc)
    assert got == expect


def test_atomic_around_two_writes_is_not_read():
    from migrator.translate.handlers_shortcut import one_write
    from migrator.translate.handlers_values import NotRecognised

    queries = [NS(name="A", sql="INSERT INTO t VALUES (1)"), NS(name="B", sql=" update t SET a = 1"),
               NS(name="C", sql="SELECT 1")]
    one_write("f", ["A", "C"], queries)  # one write and reads: one statement is atomic by itself
    with pytest.raises(NotRecognised, match="f writes 2 times under @transaction.atomic"):
        one_write("f", ["A", "C", "B"], queries)
