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


@pytest.mark.parametrize("sql, expect", [
    ('SELECT a FROM t WHERE "t"."user_id" = sqlc.arg(user_id)', {"user_id"}),
    ('SELECT a FROM t WHERE "t"."user_id" = sqlc.arg(user_id) AND "t"."s" = sqlc.arg(s) LIMIT 1', {"user_id", "s"}),
    ('SELECT a FROM t WHERE "t"."user_id" >= sqlc.arg(user_id)', set()),  # __gte: another overflow rule
    ('SELECT a FROM t WHERE "t"."user_id" != sqlc.arg(user_id)', set()),
    ('SELECT a FROM t WHERE NOT ("t"."user_id" = sqlc.arg(user_id))', set()),  # exclude(): every row
    ('SELECT a FROM t WHERE "t"."user_id" = sqlc.arg(user_id) OR "t"."b"', set()),
    ('SELECT a FROM t WHERE "t"."user_id" = sqlc.narg(user_id)', set()),
    ('SELECT sqlc.arg(user_id) = 1 FROM t WHERE "t"."id" = sqlc.arg(user_id)', set()),  # also outside the WHERE
    ('UPDATE t SET "n" = sqlc.arg(n) WHERE "t"."id" = sqlc.arg(id)', set()),  # a written value: the error stays
])
def test_parameters_compared_by_equality_only(sql, expect):
    """Which narrowed parameters a store adapter answers "no row" for when beyond the dialect's column."""
    from migrator.translate.handlers_plan import exact_params

    q = NS(name="Q", sql=sql, params=[NS(name=n) for n in ("user_id", "s", "n", "id")])
    assert exact_params({"postgresql": [q], "sqlite": [q]}).get("Q", frozenset()) == expect


def test_a_parameter_beyond_the_column_is_no_row_in_the_adapter():
    """pgStore's narrowing of an `=`-only parameter: a row query answers sql.ErrNoRows (get_object_or_404's 404,
    .get()'s DoesNotExist), a list query no rows; another parameter stays the error it was (a 500)."""
    from migrator.translate.handlers_store import Param, StoreMethod
    from migrator.translate.handlers_store_go import _adapter_method

    rows = {"XRow": NS(name="XRow", fields=(("ID", "int64", "id"),), flags={}, reordered=frozenset(),
                       types={"postgresql": ("int64",), "sqlite": ("int64",)})}

    def method(ret, row, exact):
        p = Param("userID", "int64", "", {"postgresql": "int32", "sqlite": "int64"})
        return StoreMethod("Get", (p,), "", ret, row, {}, exact=frozenset(exact))

    one = _adapter_method(method("XRow", "XRow", {"user_id"}), "postgresql", "pgdb", rows)
    assert [n["no_match"] for n in one["narrows"]] == ["XRow{}, sql.ErrNoRows"]
    many = _adapter_method(method("[]XRow", "XRow", {"user_id"}), "postgresql", "pgdb", rows)
    assert [n["no_match"] for n in many["narrows"]] == ["[]XRow{}, nil"]
    other = _adapter_method(method("XRow", "XRow", set()), "postgresql", "pgdb", rows)
    assert [n["no_match"] for n in other["narrows"]] == [""]
    lite = _adapter_method(method("XRow", "XRow", {"user_id"}), "sqlite", "sqlitedb", rows)
    assert lite["narrows"] == []  # SQLite's int64: no narrowing
