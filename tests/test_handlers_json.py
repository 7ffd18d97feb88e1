"""Fast table tests of the response-struct emitter (translate/handlers_json.py): the Go type and expression of
each value a view answers, the structs' names, and their resolution into package-level names, exact.
No Django, no sqlc, no Go build (the sample's parity tests run the structs against Django)."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest

from migrator.plan import GoPackage, GoStruct
from migrator.translate.handlers_json import JSONMixin, Local, Responses, singular, singular_name, valid_tag
from migrator.translate.handlers_values import (JSON, Aggregate, Const, GoValue, JSONObj, NotRecognised, Rows)


class Reader(JSONMixin):
    """What JSONMixin reads from ViewReader: the route, the store package, the local structs."""

    def __init__(self, structs=None):
        self.route = {"view": "shop.views.order_lines"}
        self.pkg = GoPackage(structs=structs or {})
        self.local = Local()

    def view_name(self) -> str:
        return "order_lines"

    def _row_type(self, rows) -> str:
        return "LinesRow"


def _decimal(places=2):
    return NS(internal_type="DecimalField", decimal_places=places)


@pytest.mark.parametrize("value, expect", [
    (Const(3), ("3", "int64")),
    (Const(True), ("true", "bool")),
    (Const("x"), ('"x"', "string")),
    (Const(None), ("nil", "any")),
    (Const(2.0), ("PyFloat(2.0)", "PyFloat")),  # Python writes 2.0, encoding/json 2
    (GoValue("o.Number", "string"), ("o.Number", "string")),
    (GoValue("o.Qty", "int32"), ("o.Qty", "int32")),
    (GoValue("o.Weight", "float64"), ("PyFloat(o.Weight)", "PyFloat")),
    (GoValue("o.Total", "decimal.Decimal", _decimal()), ("o.Total.StringFixed(2)", "string")),
    (GoValue("o.Total", "*decimal.Decimal", _decimal(3)), ("JDecimal(o.Total, 3)", "any")),
    (GoValue("o.Born", "*djtypes.Date"), ("o.Born", "*djtypes.Date")),  # null, or "YYYY-MM-DD"
    (GoValue("o.SKU", "djtypes.UUID"), ("o.SKU", "djtypes.UUID")),
    (GoValue("o.At", "interface{}"), ("JV(o.At)", "any")),  # typed differently per dialect
    (GoValue("data.Tag", JSON), ("data.Tag.Value", "any")),  # any JSON the client sent
    (GoValue("r.Spent", "interface{}", Aggregate("Sum", 2)), ("DecimalAggregate(r.Spent, 2)", "any")),
    (GoValue("names", "[]string"), ("names", "[]string")),
])
def test_a_value_has_the_type_encoding_json_writes_as_django(value, expect):
    assert Reader().typed(value, "X") == expect


def _structs(reader: Reader, stmts=()):
    responses = Responses({"Store"})
    out = responses.resolve(reader.local, list(stmts))
    return out, {s["name"]: ([(f["name"], f["type"], f["tag"]) for f in s["fields"]], s["row"], s["init"])
                 for s in responses.view_model()}


def test_a_dict_is_a_struct_with_the_keys_in_order():
    r = Reader()
    body = JSONObj([("order", GoValue("o.Number", "string")), ("line_count", GoValue("n", "int64")),
                    ("category", JSONObj([("id", GoValue("o.CategoryID", "int64"))]))])
    code, typ = r.typed(body, "OrderLinesResponse")
    out, structs = _structs(r, [f"return 200, {code}, nil"])
    assert out == ["return 200, OrderLinesResponse{Order: o.Number, LineCount: n, "
                   "Category: OrderLinesCategory{ID: o.CategoryID}}, nil"]
    assert structs == {
        "OrderLinesCategory": ([("ID", "int64", "id")], "", ""),
        "OrderLinesResponse": ([("Order", "string", "order"), ("LineCount", "int64", "line_count"),
                                ("Category", "OrderLinesCategory", "category")], "", "")}


@pytest.mark.parametrize("origin, keys, name", [
    ("_product_payload", ["id"], "ProductPayload"),  # a helper's dict: the helper's name, shared
    ("", ["error"], "ErrorResponse"),
    ("_bad_request", ["error"], "ErrorResponse"),  # every {"error": message} is one struct
    ("", ["id"], "OrderLinesResponse"),
])
def test_a_struct_is_named_from_the_source(origin, keys, name):
    r = Reader()
    code, _ = r.typed(JSONObj([(k, GoValue("x", "string")) for k in keys], origin), "OrderLinesResponse")
    out, structs = _structs(r, [code])
    assert out[0].startswith(name + "{") and list(structs) == [name]


def test_values_rows_get_a_constructor_unless_encoding_json_writes_them_as_they_are():
    row = {"id": GoValue("r.ID", "int64"), "unit_price": GoValue("r.UnitPrice", "decimal.Decimal", _decimal())}
    r = Reader({"LinesRow": GoStruct((("ID", "int64", "id"), ("UnitPrice", "decimal.Decimal", "unit_price")))})
    code, typ = r.typed(Rows("lines", "values", row), "OrderLinesLines")
    out, structs = _structs(r, [code, typ])
    assert out == ["MapRows(lines, newOrderLinesLine)", "[]OrderLinesLine"]
    assert structs["OrderLinesLine"] == ([("ID", "int64", "id"), ("UnitPrice", "string", "unit_price")], "LinesRow",
                                         "ID: r.ID, UnitPrice: r.UnitPrice.StringFixed(2)")
    plain = Reader({"LinesRow": GoStruct((("ID", "int64", "id"),))})
    assert plain.typed(Rows("lines", "values", {"id": GoValue("r.ID", "int64")}), "X") == ("List(lines)", "[]LinesRow")


def test_a_name_is_shared_by_one_shape_only():
    responses = Responses({"Store"})
    a, b, c, d = Reader(), Reader(), Reader(), Reader()
    for reader, key in ((a, "id"), (b, "id"), (c, "pk"), (d, "x")):
        reader.typed(JSONObj([(key, GoValue("v", "int64"))], "_payload"), "R")
    names = [responses.resolve(x.local, [x.local.structs[0][0]])[0] for x in (a, b, c)]
    assert names == ["Payload", "Payload", "Payload2"]
    d.typed(JSONObj([("s", GoValue("v", "int64"))]), "StoreResponse")
    assert Responses({"StoreResponse"}).resolve(d.local, [d.local.structs[-1][0]]) == ["StoreResponse2"]  # taken


def test_a_key_that_is_not_a_json_tag_keeps_the_view_a_stub():
    with pytest.raises(NotRecognised, match="not a Go json tag"):
        Reader().typed(JSONObj([('a"b', Const(1))]), "X")


@pytest.mark.parametrize("key, ok", [("order__number", True), ("a-b.c", True), ("prénom", True), ("", False),
                                     ('say "hi"', False), ("a,b", False), ("a`b", False), ("a\\b", False)])
def test_valid_tag(key, ok):
    assert valid_tag(key) is ok


@pytest.mark.parametrize("word, expect", [("lines", "line"), ("categories", "category"), ("boxes", "box"),
                                          ("staff", "staff"), ("address", "address"), ("results", "result")])
def test_singular(word, expect):
    assert singular(word) == expect


def test_singular_name():
    assert singular_name("OrderLinesLines") == "OrderLinesLine"
    assert singular_name("TopCustomersResults") == "TopCustomersResult"
