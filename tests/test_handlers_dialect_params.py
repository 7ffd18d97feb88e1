"""Fast table tests: one query whose dialects take other parameter shapes, read once by a migrated view
(orders.views.OrderCollectionView GET: ``status__in`` under ``if status``, ``email__iexact``, ``placed_at__year``).

PostgreSQL binds an optional ``__in`` list as one nullable array; SQLite and MySQL as ``sqlc.slice`` plus a
presence flag, which the store's adapter sets from the list (nil: the filter is off). ``__iexact`` is
``UPPER(x) = UPPER(%s)`` of the value on PostgreSQL and ``LIKE %s ESCAPE '\\'`` of the escaped value elsewhere:
the SQLite adapter escapes it as Django does. No Django, no sqlc, no Go build."""

from __future__ import annotations

import ast

import pytest

from migrator.plan import GoMethod, GoPackage, GoStruct
from migrator.translate.handlers_plan import dialect_transforms, presence_flags, shared_queries
from migrator.translate.handlers_store import neutral_store
from migrator.translate.handlers_store_go import store_file
from migrator.translate.handlers_values import Const, GoValue, NotRecognised
from migrator.translate.sqlc_model import Param, Query
from tests.test_handlers_units import VIEW, _reader


def _list_packages(flag_list: str = "status"):
    """ListOrders: PostgreSQL's Params (array first), SQLite's (slices last, with the presence flag)."""
    pg = GoPackage(methods={"ListOrders": GoMethod((("arg", "ListOrdersParams"),), "int64")},
                   structs={"ListOrdersParams": GoStruct((("Status", "[]string", "status"), ("Email", "pgtype.Text", "email"),
                                                          ("Size", "int32", "size")))})
    lite = GoPackage(methods={"ListOrders": GoMethod((("arg", "ListOrdersParams"),), "int64")},
                     structs={"ListOrdersParams": GoStruct((("Size", "int64", "size"), ("Email", "sql.NullString", "email"),
                                                            ("StatusPresent", "bool", "status_present"),
                                                            ("Status", "[]string", flag_list)))})
    return {"postgresql": pg, "sqlite": lite}


def _calls(store, name="ListOrders"):
    return {a["dialect"]: a["methods"][0]["call"] for a in store_file(store, [name])["adapters"]}


def test_an_optional_list_is_one_neutral_slice_and_the_adapter_sets_the_flag():
    store = neutral_store(_list_packages(), flags={"ListOrders": {"status_present": "status"}})
    assert store.structs["ListOrdersParams"].fields == (
        ("Status", "[]string", "status"), ("Email", "*string", "email"), ("Size", "int64", "size"))
    assert _calls(store) == {
        "postgresql": "s.q.ListOrders(ctx, pgdb.ListOrdersParams{Status: arg.Status, Email: PgTextOf(arg.Email), Size: size32})",
        "sqlite": "s.q.ListOrders(ctx, sqlitedb.ListOrdersParams{Status: arg.Status, Email: NullStringOf(arg.Email), "
                  "Size: arg.Size, StatusPresent: arg.Status != nil})"}
    # SQLite's struct has other fields in another order: the neutral one is no alias of it
    assert store_file(store, ["ListOrders"])["structs"][0]["alias"] == ""


@pytest.mark.parametrize("flags", [
    None,  # the flag unknown: the dialects' fields differ, the query stays out of the store (a stub, not a guess)
    {"ListOrders": {"status_present": "statuses"}},  # a flag whose list is not there
])
def test_a_flag_that_is_not_an_optional_lists_leaves_the_query_out(flags):
    assert "ListOrders" not in neutral_store(_list_packages(), flags=flags).methods


def _email_packages(ptype="string"):
    return {d: GoPackage(methods={"ByEmail": GoMethod((("email", ptype),), "int64")}, structs={})
            for d in ("postgresql", "sqlite")}


@pytest.mark.parametrize("transforms, expect", [
    # iexact: the value on PostgreSQL (UPPER = UPPER), escaped for SQLite's LIKE ... ESCAPE '\' (customer_lines
    # passed it raw: an email with "_" matched any character there)
    ({"email": {"sqlite": "like_exact"}}, {"postgresql": "s.q.ByEmail(ctx, email)",
                                           "sqlite": "s.q.ByEmail(ctx, djtypes.LikeEscape(email))"}),
    ({}, {"postgresql": "s.q.ByEmail(ctx, email)", "sqlite": "s.q.ByEmail(ctx, email)"}),
    ({"email": {"sqlite": "like"}}, None),  # any other difference: the query stays out
])
def test_iexact_is_escaped_by_the_dialects_that_bind_it_to_like(transforms, expect):
    store = neutral_store(_email_packages(), transforms={"ByEmail": transforms})
    assert (_calls(store, "ByEmail") if "ByEmail" in store.methods else None) == expect


def test_an_optional_iexact_value_stays_nil_when_escaped():
    pkgs = _email_packages("pgtype.Text")
    pkgs["sqlite"] = _email_packages("sql.NullString")["sqlite"]
    store = neutral_store(pkgs, transforms={"ByEmail": {"email": {"sqlite": "like_exact"}}})
    assert _calls(store, "ByEmail")["sqlite"] == "s.q.ByEmail(ctx, NullStringOf(LikeEscaped(email)))"


def _query(dialect, *params):
    return Query(name="ListOrders", site="s1", function="list_orders", model="orders.Order", dialect=dialect,
                 command="one", sql="SELECT 1", params=list(params))


def test_presence_flags_and_iexact_do_not_make_the_shapes_differ():
    status = Param("status", "status.split(',')", "str", optional=True, is_list=True)
    flag = Param("status_present", "status.split(',')", "bool", transform="present")
    email = Param("email", "email", "str", optional=True)
    queries = {"postgresql": [_query("postgresql", status, email)],
               "sqlite": [_query("sqlite", email.__class__(**{**email.__dict__, "transform": "like_exact"}), flag, status)]}
    assert [q.name for q in shared_queries(queries)] == ["ListOrders"]
    assert presence_flags(queries) == {"ListOrders": {"status_present": "status"}}
    assert dialect_transforms(queries) == {"ListOrders": {"email": {"sqlite": "like_exact"}}}
    queries["sqlite"][0].params.append(Param("other", "other", "int"))  # a parameter of its own: not shared
    assert shared_queries(queries) == []


@pytest.mark.parametrize("source, env, expect", [
    ('s.split(",")', {"s": GoValue("s", "string")}, ('strings.Split(s, ",")', "[]string")),
    ('s.split(",")', {"s": GoValue("s", "*string")}, "split() of this value, or by this separator"),  # may be None
    ('s.split("")', {"s": GoValue("s", "string")}, "split() of this value, or by this separator"),  # ValueError
    ("s.split()", {"s": GoValue("s", "string")}, None),  # whitespace runs: not Go's Split (not a split() we read)
])
def test_split_by_a_separator(source, env, expect):
    reader = _reader(VIEW)
    try:
        got = reader.expr(ast.parse(source, mode="eval").body, env, {"names": {}, "line": 1})
        assert (got.code, got.type) == expect
    except NotRecognised as exc:
        assert str(exc) == (expect or "call of s.split at line 1")


@pytest.mark.parametrize("settings, year, last, expect", [
    ({"use_tz": True, "time_zone": "UTC"}, GoValue("year", "*int64"), True,
     ["yearEnd, err := PyYearBound(year, true)", "if err != nil {"]),
    ({"use_tz": True, "time_zone": "UTC"}, GoValue("n", "int64"), False,
     ["yearStart, err := PyYearBound(Ptr(int64(n)), false)", "if err != nil {"]),
    ({"use_tz": True, "time_zone": "Europe/Paris"}, GoValue("year", "*int64"), False,
     "a datetime's __year bound without USE_TZ and TIME_ZONE = 'UTC'"),
    ({"use_tz": False, "time_zone": "UTC"}, GoValue("year", "*int64"), False,
     "a datetime's __year bound without USE_TZ and TIME_ZONE = 'UTC'"),
    ({"use_tz": True, "time_zone": "UTC"}, Const(2024), False,
     "a datetime's __year bound of a value that is not an integer"),
])
def test_a_datetimes_year_bounds_are_djangos_in_utc(settings, year, last, expect):
    from migrator.translate.handlers_names import finish

    reader = _reader(VIEW)
    reader.settings = lambda: settings
    try:
        var = reader.datetime_year_bound(year, last)
    except NotRecognised as exc:
        assert str(exc) == expect
        return
    lines = finish(reader.stmts + [f"use({var})"], reader.hints, ())
    assert lines[:2] == expect


@pytest.mark.parametrize("lite_field, why", [
    # a nullable filter sqlc's MySQL engine types NOT NULL: no Go value is NULL on one side and a value on the other
    (("Email", "string", "email"), "its parameter email is pgtype.Text on postgresql, string on sqlite (no one Go type)"),
    (("Other", "sql.NullString", "other"), "its parameter email is not on every dialect"),  # SQLite has other
])
def test_a_query_left_out_of_the_store_says_which_parameter(lite_field, why):
    pkgs = _list_packages()
    lite = pkgs["sqlite"].structs["ListOrdersParams"]
    pkgs["sqlite"] = GoPackage(methods=pkgs["sqlite"].methods, structs={"ListOrdersParams": GoStruct(
        tuple(lite_field if f[2] == "email" else f for f in lite.fields))})
    store = neutral_store(pkgs, flags={"ListOrders": {"status_present": "status"}})
    assert "ListOrders" not in store.methods and store.left_out == {"ListOrders": why}
