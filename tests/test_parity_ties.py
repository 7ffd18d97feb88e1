"""Rows tied on an ordered read's first ORDER BY key (migrator/parity/tie_rows.py): PostgreSQL's survivors of
session 8 were `id ASC -> DESC` flips after a first key no two generated rows of one parent shared
(`ORDER BY applied_at ASC, id ASC` over one order's coupons, `ORDER BY 6 DESC, 1 ASC` over one user's orders).
Fast table tests; the kill rate they lead to is measured in tests/test_mutation_kill_rate.py."""

from __future__ import annotations

from types import SimpleNamespace

from migrator.parity.boundary_rows import SHARED
from migrator.parity.tie_rows import first_order_key, order_keys, tie_rows, tie_sets

COUPONS = ('SELECT "orders_ordercoupon"."id", "orders_ordercoupon"."applied_at" FROM "orders_ordercoupon" '
           'WHERE "orders_ordercoupon"."order_id" = sqlc.arg(order_id) '
           'ORDER BY "orders_ordercoupon"."applied_at" ASC, "orders_ordercoupon"."id" ASC')
BY_POSITION = ('SELECT "orders_order"."id" AS "id", "orders_order"."placed_at" AS "placed_at", "auth_user"."username" '
               'AS "user__username" FROM "orders_order" INNER JOIN "auth_user" ON ("orders_order"."user_id" = '
               '"auth_user"."id") WHERE ("orders_order"."user_id" = sqlc.arg(user_id) AND "orders_order"."status" = '
               'sqlc.arg(status)) ORDER BY 2 DESC, 1 ASC')
LIMITED = ('SELECT "orders_order"."id" AS "id" FROM "orders_order" WHERE ("orders_order"."user_id" = sqlc.arg(u) AND '
           '"orders_order"."status" IN (\'pending\', \'paid\')) ORDER BY "orders_order"."created_at" DESC, 1 ASC LIMIT 10')
TABLES = {"orders_order": "orders.Order", "orders_ordercoupon": "orders.OrderCoupon"}
COLUMNS = {("orders_ordercoupon", "applied_at"): "orders.OrderCoupon.applied_at",
           ("orders_order", "placed_at"): "orders.Order.placed_at", ("orders_order", "status"): "orders.Order.status",
           ("orders_order", "created_at"): "orders.Order.created_at"}


def test_the_first_order_key_is_read_as_a_column_a_position_or_an_alias():
    assert first_order_key(COUPONS) == ("orders_ordercoupon", "applied_at", "ASC")
    assert first_order_key(BY_POSITION) == ("orders_order", "placed_at", "DESC")
    assert first_order_key(BY_POSITION.replace("ORDER BY 2 DESC", 'ORDER BY "placed_at" DESC')) == (
        "orders_order", "placed_at", "DESC")
    assert first_order_key(LIMITED) == ("orders_order", "created_at", "DESC")
    # one key only (nothing after it to flip), an expression, an aggregate: no tie to build
    assert first_order_key(COUPONS.split(", \"orders_ordercoupon\".\"id\" ASC")[0]) is None
    assert first_order_key(BY_POSITION.replace("ORDER BY 2 DESC", "ORDER BY 3 DESC")) == (
        "auth_user", "username", "DESC")  # another table's: tie_rows leaves it
    assert first_order_key('SELECT COUNT("t"."id") AS "n", "t"."id" FROM "t" GROUP BY 2 ORDER BY 1 DESC, 2 ASC') is None


def test_an_ordered_read_gets_two_rows_tied_on_its_first_key():
    assert tie_rows([COUPONS, BY_POSITION, LIMITED], TABLES, COLUMNS) == [
        {"model": "orders.OrderCoupon", "rows": 2, "set": {"applied_at": SHARED}, "first": ""},
        # the column compared with a parameter holds one value too, so one parameter set keeps both rows
        {"model": "orders.Order", "rows": 2, "set": {"status": SHARED, "placed_at": SHARED}, "first": ""},
        # under a LIMIT the tie is the value the read puts first (the latest created_at), and the rows meet the
        # literal conditions
        {"model": "orders.Order", "rows": 2, "set": {"status": "pending", "created_at": SHARED}, "first": "max"}]
    assert tie_rows([BY_POSITION.replace("ORDER BY 2 DESC", "ORDER BY 3 DESC")], TABLES, COLUMNS) == []


def test_the_parameter_set_of_the_tied_pair_is_asked():
    p = SimpleNamespace(name="order_id", sentinel="order_id", field="orders.OrderCoupon.order", kind="int",
                        transform="", is_list=False, optional=False)
    q = SimpleNamespace(sql=COUPONS, model="orders.OrderCoupon", params=[p])
    rows = [{"id": 1, "order": 1, "applied_at": "2026-01-01T00:00:00Z"},
            {"id": 2, "order": 1, "applied_at": "2026-01-02T00:00:00Z"},
            {"id": 3, "order": 2, "applied_at": "2026-01-01T00:00:00Z"},  # same instant, another order
            {"id": 4, "order": 7, "applied_at": "2026-01-03T00:00:00Z"},
            {"id": 5, "order": 7, "applied_at": "2026-01-03T00:00:00Z"}]
    assert tie_sets(q, {"orders.OrderCoupon": rows}) == [{"order_id": 7}]
    assert tie_sets(q, {"orders.OrderCoupon": rows[:4]}) == []


def test_a_read_ordered_on_an_aggregate_of_a_joined_table_gets_two_groups_that_tie():
    """SQLite and PostgreSQL survivor (sessions 8-9): `TopCustomersUserValues` `ORDER BY 4 DESC, 1 ASC` with
    `1 ASC -> DESC`, where 4 is `SUM(orders_order.total)` per user: no two generated customers spent the same.
    Two paid orders of one total, each under a user no order points at yet, make two groups that tie."""
    from migrator.parity.boundary_rows import SHARED
    from migrator.parity.tie_rows import aggregate_ties

    sql = ('SELECT "auth_user"."id" AS "id", COALESCE(SUM("orders_order"."total"), NULL) AS "spent", '
           'COUNT("orders_order"."id") AS "n" FROM "auth_user" INNER JOIN "orders_order" ON ("auth_user"."id" = '
           '"orders_order"."user_id") WHERE "orders_order"."status" IN (\'paid\', \'shipped\') GROUP BY 1 '
           'ORDER BY {} DESC, 1 ASC LIMIT sqlc.arg(limit_value)')
    tables = {"auth_user": "auth.User", "orders_order": "orders.Order"}
    columns = {("orders_order", "total"): "orders.Order.total", ("orders_order", "status"): "orders.Order.status",
               ("orders_order", "id"): "orders.Order.id", ("auth_user", "id"): "auth.User.id"}
    tied_sum = {"model": "orders.Order", "rows": 2, "set": {"status": "paid", "total": SHARED}, "fresh": "user_id"}
    for key in ("2", '"spent"', 'COALESCE(SUM("orders_order"."total"), NULL)'):  # position, alias, expression
        assert aggregate_ties([sql.format(key)], tables, columns) == [tied_sum], key
    # a count: one row under each fresh user ties them at 1, no value is shared (least of all the id)
    assert aggregate_ties([sql.format("3")], tables, columns) == [{**tied_sum, "set": {"status": "paid"}}]
    # not grouped, a single key, an aggregate of the read's own table, or a plain column: nothing
    assert aggregate_ties([sql.format("2").replace(" GROUP BY 1", "")], tables, columns) == []
    assert aggregate_ties([sql.format("2").replace(", 1 ASC", "")], tables, columns) == []
    assert aggregate_ties([sql.format('COUNT("auth_user"."id")')], tables, columns) == []
    assert aggregate_ties([sql.format("1")], tables, columns) == []
    # the join written the other way round
    flipped = sql.format("2").replace('("auth_user"."id" = "orders_order"."user_id")',
                                      '("orders_order"."user_id" = "auth_user"."id")')
    assert aggregate_ties([flipped], tables, columns) == [tied_sum]


CRON = "django_celery_beat_crontabschedule"
DISTINCT = (f'SELECT "_distinct"."timezone" FROM (SELECT DISTINCT "{CRON}"."timezone" AS "timezone", "{CRON}"."month_of_year" '
            f'AS "__o1", "{CRON}"."hour" AS "__o2" FROM "{CRON}" ORDER BY "{CRON}"."month_of_year" ASC, "{CRON}"."hour" '
            f'ASC, 1 ASC) AS "_distinct" ORDER BY "_distinct"."__o1" ASC, "_distinct"."__o2" DESC, "_distinct"."timezone" ASC')


def test_each_later_order_key_gets_a_pair_tied_on_the_keys_before_it():
    """celery_beat's crontab reads order by month_of_year, day_of_month, day_of_week, hour, minute: rows tied on
    the first key only (and generated crontabs whose columns all follow the row) left the flips of the later keys
    alive; a DISTINCT read orders by its derived table's aliases of the columns."""
    assert order_keys(DISTINCT) == [(CRON, "month_of_year", "ASC"), (CRON, "hour", "DESC")]
    columns = {(CRON, c): f"django_celery_beat.CrontabSchedule.{c}" for c in ("month_of_year", "hour", "timezone")}
    assert tie_rows([DISTINCT], {CRON: "django_celery_beat.CrontabSchedule"}, columns) == [
        {"model": "django_celery_beat.CrontabSchedule", "rows": 2, "set": {"month_of_year": SHARED}, "first": ""},
        {"model": "django_celery_beat.CrontabSchedule", "rows": 2, "set": {"month_of_year": SHARED, "hour": SHARED},
         "first": ""}]
    # a key of another table stops the prefix: the pairs tie on the keys before it only
    other = LIMITED.replace("1 ASC LIMIT 10", '"auth_user"."username" ASC, 1 ASC LIMIT 10')
    assert [s["set"] for s in tie_rows([other], TABLES, COLUMNS)] == [{"status": "pending", "created_at": SHARED}]
