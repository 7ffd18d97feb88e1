"""Parity's comparison is strict, judged by an oracle of this file (not by migrator.parity's own code).

`oracle` below is a separate, small comparator: same columns, same JSON types, booleans as booleans,
exact text, plus only the rules docs/parity.md declares (a SQLite 0/1 for a boolean, an integer Go
marshals as its exact decimal text, floats at 6 decimals, datetimes as instants to the millisecond,
decimals at 12 significant digits). Each leniency parity once had is a row here: with the old
comparison these rows fail (extra Go columns ignored, any truthy value equal to True, "12.50" equal
to 12.5 and "007" to 7 in HTTP bodies, both sides raising counted as a pass).
"""

from __future__ import annotations

import datetime
import decimal
from types import SimpleNamespace

import pytest

from migrator.parity.checks_queries import judge_write
from migrator.parity.http import compare_answers
from migrator.parity.values import both_raised, compare, error_kind

Q = SimpleNamespace(sql="SELECT 1", command="many")


def _instant(s: str):
    dt = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    return dt.astimezone(datetime.timezone.utc).replace(microsecond=dt.microsecond // 1000 * 1000)


def oracle_value(d, g) -> bool:
    """Django value d (django_side.plain form) equals Go JSON value g under the declared rules only."""
    if isinstance(d, dict) and len(d) == 1 and next(iter(d)) in ("decimal", "datetime", "date", "uuid"):
        (tag, v), = d.items()
        if not isinstance(g, (str, int, float)) or isinstance(g, bool):
            return False
        if tag == "decimal":
            ctx = decimal.Context(prec=12)
            try:
                return ctx.plus(decimal.Decimal(str(v))) == ctx.plus(decimal.Decimal(str(g)))
            except decimal.InvalidOperation:
                return False
        if tag == "datetime":
            try:
                return _instant(v) == _instant(str(g))
            except ValueError:
                return False
        if tag == "date":
            return str(g)[:10] == v
        return str(g).replace("-", "").lower() == str(v).replace("-", "").lower()
    if isinstance(d, bool):
        return g is d or (type(g) is int and g == int(d))
    if isinstance(d, int):
        return (type(g) is int and g == d) or (isinstance(g, str) and g == str(d))
    if isinstance(d, float):
        return isinstance(g, (int, float)) and not isinstance(g, bool) and round(d, 6) == round(float(g), 6)
    return type(d) is type(g) and d == g


def oracle_rows(d_rows, g_rows) -> bool:
    if len(d_rows) != len(g_rows):
        return False
    for d, g in zip(d_rows, g_rows):
        g = list(g.values()) if isinstance(g, dict) else g
        if len(d) != len(g) or not all(oracle_value(a, b) for a, b in zip(d, g)):
            return False
    return True


ROWS = [
    # (django row, go row): the oracle decides; parity must agree
    ([1, "a"], {"id": 1, "name": "a"}),
    ([1, "a"], {"id": 1, "name": "a", "extra": 3}),  # an extra Go column
    ([True], {"b": 1}),  # SQLite's 0/1 for a computed boolean: declared
    ([True], {"b": 2}),  # truthy is not True
    ([True], {"b": "yes"}),
    ([False], {"b": 0}),
    ([False], {"b": None}),
    ([7], {"n": "7"}),  # an int64 Go writes as text: declared
    ([7], {"n": "007"}),  # not 7
    ([7], {"n": 7.0}),
    ([{"decimal": "12.50"}], {"p": "12.5"}),  # a decimal by value
    ([{"decimal": "12.50"}], {"p": "12.51"}),
    ([{"decimal": "12.50"}], {"p": True}),
    (["12.50"], {"p": 12.5}),  # a string is not a number
    (["007"], {"p": 7}),
    ([1.5], {"f": 1.5000001}),  # floats at 6 decimals: declared
    ([1.5], {"f": "1.5"}),
    ([{"datetime": "2026-01-01T10:00:00.123456+00:00"}], {"t": "2026-01-01T10:00:00.123Z"}),
    ([{"datetime": "2026-01-01T10:00:00+00:00"}], {"t": "2026-01-01T11:00:00+01:00"}),
    ([{"datetime": "2026-01-01T10:00:00+00:00"}], {"t": "2026-01-01T10:00:01Z"}),
    ([None], {"x": None}),
    ([None], {"x": 0}),
    (["a"], {"x": "A"}),
]


@pytest.mark.parametrize("d_row,g_row", ROWS, ids=[f"{d}~{g}" for d, g in ROWS])
def test_query_comparison_agrees_with_the_oracle(d_row, g_row):
    expected = oracle_rows([d_row], [g_row])
    got = compare(Q, {"rows": [d_row], "ordered": False}, {"rows": [g_row]})
    assert (got == "") == expected, (d_row, g_row, got)


def test_the_oracle_is_not_lenient():
    """The rows that used to pass and must not: the oracle itself rejects them."""
    for d, g in (([1, "a"], {"id": 1, "name": "a", "extra": 3}), ([True], {"b": 2}), (["12.50"], {"p": 12.5}),
                 ([7], {"n": "007"})):
        assert not oracle_rows([d], [g])


def test_exists_and_single_values_are_strict():
    assert compare(Q, {"value": True}, {"value": 1}) == ""
    assert compare(Q, {"value": True}, {"value": 2}) != ""
    assert compare(Q, {"value": False}, {"none": True}) == ""
    assert compare(Q, {"value": 3}, {"value": "3"}) == ""
    assert compare(Q, {"value": 3}, {"value": "03"}) != ""


def test_both_sides_raising_passes_only_for_the_same_kind_of_error():
    assert error_kind("IntegrityError: UNIQUE constraint failed: x.y") == "integrity"
    assert error_kind("ERROR: duplicate key value violates unique constraint (SQLSTATE 23505)") == "integrity"
    assert both_raised("IntegrityError: UNIQUE constraint failed", "UNIQUE constraint failed: t.c") == ""
    assert both_raised("ProtectedError: ...", "cannot delete: 1 row(s) still reference it through the protected "
                       "foreign key a.B.c") == ""
    assert both_raised("IntegrityError: NOT NULL", "sql: no rows in result set") != ""
    assert both_raised("ValueError: odd", "some other failure") != ""  # unknown kinds match nothing


def test_a_write_that_never_succeeds_is_a_failure_not_a_pass():
    q = SimpleNamespace(command="exec")
    res = {"go": {"error": "UNIQUE constraint failed"}, "django": {"error": "IntegrityError: UNIQUE constraint failed"},
           "after_go": {}, "after_django": {}, "skip": set()}
    assert "never succeeded" in judge_write(q, res)
    ok = {"go": {"value": None}, "django": {"value": None}, "after_go": {"a.B": [{"id": 1, "n": 2}]},
          "after_django": {"a.B": [{"id": 1, "n": 2}]}, "skip": set()}
    assert judge_write(q, ok) == ""
    assert "differs" in judge_write(q, {**ok, "after_go": {"a.B": [{"id": 1, "n": 3}]}})
    # a masked column is masked in its own table only
    assert judge_write(q, {**ok, "after_go": {"a.B": [{"id": 1, "n": 3}]}, "skip": {("a.B", "n")}}) == ""
    assert judge_write(q, {**ok, "after_go": {"a.B": [{"id": 1, "n": 3}]}, "skip": {("a.C", "n")}}) != ""


def _answer(body: str):
    return 200, "application/json", body.encode()


@pytest.mark.parametrize("django,go,same", [
    ('{"price": "12.50"}', '{"price": 12.5}', False),  # a string is not a number
    ('{"price": "12.50"}', '{"price": "12.5"}', False),  # the exact decimal text
    ('{"code": "007"}', '{"code": 7}', False),
    ('{"ok": true}', '{"ok": 1}', False),
    ('{"n": 250}', '{"n": 250.0}', True),  # JSON numbers by value: declared
    ('{"a": 1, "b": 2}', '{"b": 2, "a": 1}', True),  # object keys as a set
    ('{"a": 1}', '{"a": 1, "b": null}', False),  # an extra key
    ('{"t": "2026-01-01T10:00:00.123456Z"}', '{"t": "2026-01-01T10:00:00.123+00:00"}', True),  # instants, ms: declared
])
def test_http_bodies_compare_strictly(django, go, same):
    assert (not compare_answers("GET", "/x", _answer(django), _answer(go))) == same


def test_only_a_random_order_makes_a_read_noise():
    """The declared rule: a read ordered at random (order_by('?')) whose sides differ is noise. What it hides:
    which matching row comes first; any other ORDER BY (even one that reads RANDOM()) is compared."""
    from migrator.parity.checks_queries import RANDOM_ORDER

    assert RANDOM_ORDER.search('SELECT "t"."id" FROM "t" ORDER BY RANDOM() ASC LIMIT 1')
    assert RANDOM_ORDER.search("SELECT `t`.`id` FROM `t` ORDER BY RAND() ASC")
    assert not RANDOM_ORDER.search('SELECT RANDOM() AS "r" FROM "t" ORDER BY "t"."id" ASC')


def test_an_insert_into_unique_text_columns_gets_a_value_no_row_holds():
    """StaffTagViewSetTagCreate (session 8): every name and slug tried was a row's own, so the INSERT failed
    on both sides for every set ("the write never succeeded")."""
    from types import SimpleNamespace as NS

    from migrator.parity.values import write_param_sets

    params = [NS(sentinel="name", name="name", field="catalog.Tag.name", kind="str", is_list=False, optional=False,
                 transform=""),
              NS(sentinel="slug", name="slug", field="catalog.Tag.slug", kind="str", is_list=False, optional=False,
                 transform="")]
    q = NS(sql='INSERT INTO "catalog_tag" ("name", "slug") VALUES (?1, ?2)', params=params, model="catalog.Tag")
    dump = {"catalog.Tag": [{"id": 1, "name": "cotton", "slug": "limited"}, {"id": 2, "name": "wool", "slug": "x"}]}
    sets = write_param_sets(q, dump)
    assert any(s["name"] not in {"cotton", "wool"} and s["slug"] not in {"limited", "x"} for s in sets), sets
    assert sets[-1]["slug"].endswith("-w")  # tried last: the data's own values come first
    # no longer than the row's value it stands for: a longer text broke a varchar(20) column (DataError)
    assert sets[-1] == {"name": "cott-w", "slug": "limit-w"}, sets[-1]
    q.sql = 'UPDATE "catalog_tag" SET "name" = ?1 WHERE "slug" = ?2'
    assert all(s["slug"] in {"limited", "x"} for s in write_param_sets(q, dump))  # an UPDATE selects rows


def test_an_insert_gets_a_set_it_can_perform():
    """oauth2_provider SaveIDTokenIDTokenCreate and helpdesk FollowUpAttachmentViewSetFollowUpAttachmentCreate
    (session 8): the written model's rows gave every foreign key a value no target row has (987654321) or a
    unique UUID a row holds, and the `-w` text made the UUID invalid, so every set failed on both sides and the
    write was never compared. The last set points each key at a target row (a one-to-one at a free one) and
    gives the UUID one no row holds."""
    from types import SimpleNamespace as NS

    from migrator.ir import Field, Relation
    from migrator.parity.values import write_param_sets

    def param(name, field, kind):
        return NS(sentinel=name, name=name, field=field, kind=kind, is_list=False, optional=False, transform="",
                  source=name)

    fk = Field(name="user", attname="user_id", column="user_id", internal_type="ForeignKey", field_class="",
               relation=Relation(kind="foreign_key", target="auth.User"))
    one = Field(name="app", attname="app_id", column="app_id", internal_type="OneToOneField", field_class="",
                unique=True, relation=Relation(kind="one_to_one", target="o.App"))
    jti = Field(name="jti", attname="jti", column="jti", internal_type="UUIDField", field_class="", unique=True)
    fields = {"o.IDToken.user": fk, "o.IDToken.app": one, "o.IDToken.jti": jti}
    q = NS(sql='INSERT INTO "o_idtoken" ("user_id", "app_id", "jti") VALUES (?1, ?2, ?3)', model="o.IDToken",
           params=[param("user", "o.IDToken.user", "int"), param("app", "o.IDToken.app", "int"),
                   param("jti", "o.IDToken.jti", "uuid")])
    held = "a1c2d9bf-0dcf-435b-b552-c6e86953a1ff"
    dump = {"auth.User": [{"id": 4}, {"id": 7}], "o.App": [{"id": 1}, {"id": 2}],
            "o.IDToken": [{"id": 1, "user": 7, "app": 1, "jti": held}]}
    last = write_param_sets(q, dump, fields)[-1]
    assert last == {"user": 7, "app": 2, "jti": "a1c2d9bf-0dcf-435b-b552-c6e86953a200"}, last
    # no row of the model: the keys still point at target rows, never at 987654321
    last = write_param_sets(q, {**dump, "o.IDToken": []}, fields)[-1]
    assert last["user"] == 4 and last["app"] == 1 and last["jti"] != "00000000-0000-4000-8000-000000000000", last


def test_an_insert_into_a_unique_pair_of_keys_gets_a_pair_no_row_holds():
    """ApplyCouponOrderCouponCreate (session 10): with other generated data every (order, coupon) pair the sets
    named was a row's own, so unique_together refused the INSERT on both sides and the write was never compared.
    The last set moves the keys to a combination of target rows no row of the model holds."""
    from types import SimpleNamespace as NS

    from migrator.ir import Field, Relation
    from migrator.parity.values import write_param_sets

    def fk(name, target):
        return Field(name=name, attname=f"{name}_id", column=f"{name}_id", internal_type="ForeignKey", field_class="",
                     relation=Relation(kind="foreign_key", target=target))

    def param(name):
        return NS(sentinel=name, name=name, field=f"orders.OrderCoupon.{name}", kind="int", is_list=False,
                  optional=False, transform="", source=name)

    fields = {"orders.OrderCoupon.order": fk("order", "orders.Order"), "orders.OrderCoupon.coupon": fk("coupon", "orders.Coupon")}
    q = NS(sql='INSERT INTO "orders_ordercoupon" ("order_id", "coupon_id") VALUES (?1, ?2)', model="orders.OrderCoupon",
           params=[param("order"), param("coupon")])
    dump = {"orders.Order": [{"id": 1}, {"id": 2}], "orders.Coupon": [{"id": 5}, {"id": 6}],
            "orders.OrderCoupon": [{"id": 1, "order": 1, "coupon": 5}, {"id": 2, "order": 2, "coupon": 5},
                                   {"id": 3, "order": 1, "coupon": 6}]}
    together = {"orders.OrderCoupon": [("order", "coupon")]}
    assert write_param_sets(q, dump, fields, together=together)[-1] == {"order": 2, "coupon": 6}
    # without the unique set the keys stay on a pair a row holds (the failure); with every pair taken, unchanged
    held = {(r["order"], r["coupon"]) for r in dump["orders.OrderCoupon"]}
    plain = write_param_sets(q, dump, fields)[-1]
    assert (plain["order"], plain["coupon"]) in held, plain
    full = {**dump, "orders.OrderCoupon": dump["orders.OrderCoupon"] + [{"id": 4, "order": 2, "coupon": 6}]}
    assert write_param_sets(q, full, fields, together=together)[-1] == write_param_sets(q, full, fields)[-1]


def test_two_text_columns_of_an_insert_set_hold_different_texts():
    """StaffTagViewSetTagCreate's name <-> slug swap survived (session 10): the fixture's tags have name == slug
    ("eco"), so the set that can write gave both columns "e-w" and the swapped INSERT wrote the same row. Each
    text parameter now gets a text no other parameter of the set holds."""
    from types import SimpleNamespace as NS

    from migrator.parity.values import write_param_sets

    params = [NS(sentinel=n, name=n, field=f"catalog.Tag.{n}", kind="str", is_list=False, optional=False,
                 transform="", source=n) for n in ("name", "slug")]
    q = NS(sql='INSERT INTO "catalog_tag" ("name", "slug") VALUES (?1, ?2)', params=params, model="catalog.Tag")
    dump = {"catalog.Tag": [{"id": 1, "name": "eco", "slug": "eco"}, {"id": 2, "name": "sale", "slug": "sale"}]}
    last = write_param_sets(q, dump)[-1]
    assert last == {"name": "e-w", "slug": "-w1"}, last  # no longer than "eco", held by no row, not the name's


def _alone_project():
    from migrator.ir import Call, Default, Field, Model, QuerySetSite, Relation

    def f(name, internal, column=None, **kw):
        return Field(name=name, attname=column or name, column=column or name, internal_type=internal,
                     field_class="", **kw)

    line = Model(app_label="orders", name="OrderLine", db_table="orders_orderline", kind="concrete", module="",
                 file="", line=0, fields=(f("id", "BigAutoField", primary_key=True),
                                          f("order", "ForeignKey", "order_id", relation=Relation("foreign_key", "orders.Order")),
                                          f("quantity", "PositiveIntegerField"), f("unit_price", "DecimalField"),
                                          f("created_at", "DateTimeField", auto_now_add=True),
                                          f("note", "TextField", default=Default("literal", ""))))
    order = Model(app_label="orders", name="Order", db_table="orders_order", kind="concrete", module="", file="",
                  line=0, fields=(f("id", "BigAutoField", primary_key=True),))
    sites = {s.id: s for s in (QuerySetSite("b", "", 0, 0, "", "orders.OrderLine", "", (Call("bulk_create"),), "static"),
                               QuerySetSite("g", "", 0, 0, "", "orders.OrderLine", "", (Call("get_or_create"),), "static"),
                               QuerySetSite("c", "", 0, 0, "", "orders.OrderLine", "", (Call("create"),), "static"))}
    return [line, order], sites


def test_the_insert_of_a_bulk_create_or_get_or_create_is_a_write_of_its_own():
    """The INSERTs of bulk_create / get_or_create / update_or_create were never compared (session 10: nine
    insert-column mutants `not compared`): the bulk_create case was skipped (Django cannot run the list that
    builds its objects) and every column was "computed by Django at save time", so masked; get_or_create's
    INSERT is statement 2/2 of a sequence. Each becomes a write whose columns take values from the data (a
    field and a kind each), Django writing one object with the same fields; only auto_now_add stays computed."""
    from migrator.parity.insert_alone import InsertAlone, alone_inserts, django_case
    from migrator.translate.sqlc_model import Param, Query

    models, sites = _alone_project()
    sql = ('INSERT INTO "orders_orderline" ("order_id", "quantity", "unit_price", "created_at", "note") VALUES '
           '(sqlc.arg(order_id), sqlc.arg(quantity), sqlc.arg(unit_price), sqlc.arg(created_at), sqlc.arg(note)) '
           'RETURNING "orders_orderline"."id";')
    computed = [Param(n, f"<{n}: computed by Django at save time>", "value", field=n, sentinel=n)
                for n in ("order_id", "quantity", "unit_price", "created_at", "note")]
    queries = [Query("Bulk", "b", "", "orders.OrderLine", "sqlite", "one", sql, list(computed), part="1/1 insert"),
               Query("Get", "g", "", "orders.OrderLine", "sqlite", "one", sql, list(computed), part="2/2 insert"),
               Query("Create", "c", "", "orders.OrderLine", "sqlite", "one", sql, list(computed)),
               Query("GetSelect", "g", "", "orders.OrderLine", "sqlite", "one", "SELECT 1", [], part="1/2 select")]
    alone = alone_inserts(queries, sites, models)
    assert [(a.name, a.method, a.part) for a in alone] == [("Bulk", "bulk_create", ""), ("Get", "create", "")]
    bulk = alone[0]
    assert isinstance(bulk, InsertAlone) and bulk.model == "orders.OrderLine"
    assert [(p.field, p.kind, p.source.startswith("<")) for p in bulk.params] == [
        ("orders.OrderLine.order", "int", False), ("orders.OrderLine.quantity", "int", False),
        ("orders.OrderLine.unit_price", "decimal", False), ("created_at", "value", True),
        ("orders.OrderLine.note", "str", False)]
    values = {"order_id": 3, "quantity": 2, "unit_price": "9.50", "created_at": None, "note": "n-w"}
    assert django_case(bulk, values)["insert"] == {
        "model": "orders.OrderLine", "method": "bulk_create",
        "fields": {"order": 3, "quantity": 2, "unit_price": "9.50", "note": "n-w"}}  # created_at: Django's own
    # an INSERT whose columns and values do not pair up is left as it was (its case says why it is not compared)
    odd = Query("Odd", "b", "", "orders.OrderLine", "sqlite", "one", sql.replace("sqlc.arg(note)", "'x'"),
                list(computed), part="1/1 insert")
    assert alone_inserts([odd], sites, models) == []


def test_an_insert_alone_the_data_cannot_write_is_skipped_with_what_it_lacks():
    """The sample's fixture gives every user a profile, so `Profile.objects.get_or_create(user=...)`'s INSERT
    alone is refused (unique user_id) for every set on both sides: `skipped` with the reason, as it was before it
    was compared at all; generated data adds a free user (parity.free_targets). Any other write failing that way
    stays `failed`, and an INSERT alone the two sides answer differently is a failure too."""
    from types import SimpleNamespace as NS

    from migrator.parity.checks_queries import _write_case
    from migrator.parity.insert_alone import InsertAlone
    from migrator.translate.sqlc_model import Query

    ctx = NS(_tree_sql={})
    refused = {"error": "IntegrityError: UNIQUE constraint failed: accounts_profile.user_id"}
    res = {"go": refused, "django": refused, "after_go": {}, "after_django": {}, "skip": set()}
    plain = Query("MeProfileGetOrCreateInsert", "s", "", "accounts.Profile", "sqlite", "one", "INSERT ...")
    alone = InsertAlone(**{k: getattr(plain, k) for k in ("name", "site", "function", "model", "dialect", "command",
                                                          "sql")})
    case = _write_case(ctx, alone, {"user": 1}, res)
    assert case.status == "skipped" and "generated data" in case.reason, case
    assert _write_case(ctx, plain, {"user": 1}, res).status == "failed"
    differ = {**res, "go": {"value": 7}}
    assert _write_case(ctx, alone, {"user": 1}, differ).status == "failed"
