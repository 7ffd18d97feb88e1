"""An integer argument for a narrower query parameter (PostgreSQL's int32 where SQLite's sqlc gave
interface{}, so the store keeps int32): never a bare cast that wraps. GET /x/4294967297/ cast as int32(pk) read
row 1 where Django's lookup of that number matches nothing (lookups.IntegerFieldOverflow: 404)."""

from types import SimpleNamespace as NS

import pytest

from migrator.translate.handlers_query import QueryMixin
from migrator.translate.handlers_values import Const, GoValue, NotRecognised


def _arg(value, typ, digits=False):
    reader = NS(models={}, query=NS(sql=""),
                path={"pk": {"name": "pk", "var": "pk", "digits": digits}}, parse_int=lambda v: GoValue("number", "int64"))
    p = NS(name="pk", optional=False, transform="", kind="int", field="shop.Item.id")
    return QueryMixin.arg(reader, p, value, typ)


@pytest.mark.parametrize("value, typ, expect", [
    (GoValue("pk", "int64"), "int64", "pk"),
    (GoValue("pk", "int64"), "*int64", "Ptr(pk)"),
    (GoValue("n", "int32"), "int64", "int64(n)"),  # widening: exact
    (GoValue("n", "int"), "int64", "int64(n)"),
    (Const(7), "int32", "int32(7)"),  # a literal that fits
    (Const(-2147483648), "int32", "int32(-2147483648)"),
    (GoValue("n", "int16"), "int32", "int32(n)"),
])
def test_an_integer_argument_converts_exactly(value, typ, expect):
    assert _arg(value, typ) == expect


@pytest.mark.parametrize("value, typ", [
    (GoValue("pk", "int64"), "int32"),  # <int:pk>: int32(pk) wrapped 4294967297 to 1
    (GoValue("pk", "int64"), "*int32"),
    (GoValue("n", "int"), "int32"),
    (GoValue("pk", "int64"), "int16"),
    (Const(2147483648), "int32"),  # a literal beyond the parameter
    (Const(40000), "int16"),
    (GoValue("pk", "string"), "int32"),  # int() of a re_path group of digits: int32(number) wrapped too
])
def test_a_narrowing_that_could_wrap_is_reported(value, typ):
    digits = value.type == "string" if isinstance(value, GoValue) else False
    with pytest.raises(NotRecognised, match="would wrap"):
        _arg(value, typ, digits=digits)
