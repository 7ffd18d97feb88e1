"""The data that kills mutants (issue 18): the parameter values and generated rows a survivor asked for.

Fast table tests on small in-memory inputs; the sample's kill rate they lead to is measured in
tests/test_mutation_kill_rate.py.
"""

from __future__ import annotations

from types import SimpleNamespace

from migrator.parity.boundary import boundary_sets, like_values, literal_bounds, sibling_values
from migrator.parity.boundary_rows import limit_rows
from migrator.parity.http_requests import MigratedRoute, build_requests

TREE_SQL = ('SELECT "c"."id" FROM "catalog_category" WHERE "catalog_category"."parent_id" = sqlc.arg(c_id) '
            'ORDER BY "catalog_category"."sort_order" ASC, "catalog_category"."name" ASC')
CATEGORIES = [  # parent 1 has the most children, but only parent 9's children tie on sort_order
    {"id": 2, "parent": 1, "sort_order": 1, "name": "a"}, {"id": 3, "parent": 1, "sort_order": 2, "name": "b"},
    {"id": 4, "parent": 1, "sort_order": 3, "name": "c"}, {"id": 5, "parent": 9, "sort_order": 7, "name": "d"},
    {"id": 6, "parent": 9, "sort_order": 7, "name": "e"}, {"id": 9, "parent": None, "sort_order": 0, "name": "f"},
]


def test_a_parameter_compared_with_a_column_takes_the_value_whose_rows_tie_on_the_order():
    query = SimpleNamespace(sql=TREE_SQL, model="catalog.Category", params=[
        SimpleNamespace(name="c_id", sentinel="c_id", field="catalog.Category.id", kind="int", transform="",
                        is_list=False, optional=False)])
    # the parameter's field is Category.id: its lowest, middle and highest values (2, 5, 9 +-1) parent
    # nothing but 9; 9 (the tie: only `name` orders 5 and 6) and 1 (the most children, on three sort_orders)
    # are asked for
    assert sibling_values(query, {"catalog.Category": CATEGORIES}) == {"c_id": [9, 1]}
    tied_only = [r for r in CATEGORIES if r["parent"] != 1] + [{"id": 7, "parent": 9, "sort_order": 8, "name": "g"},
                                                              {"id": 8, "parent": 3, "sort_order": 1, "name": "h"},
                                                              {"id": 10, "parent": 3, "sort_order": 2, "name": "i"}]
    # 9: tied (and spread, and the most); 3: spread over two sort_orders, so a flipped first key shows
    assert sibling_values(query, {"catalog.Category": tied_only}) == {"c_id": [9]}
    tied_only = [r for r in tied_only if r["id"] != 7]
    assert sibling_values(query, {"catalog.Category": tied_only}) == {"c_id": [9, 3]}
    sets = boundary_sets(query, {"catalog.Category": CATEGORIES}, {"c_id": 2})
    assert {"c_id": 9} in sets and {"c_id": 1} in sets
    # a column of another table, or no row holding a value twice: nothing added
    other = SimpleNamespace(sql=TREE_SQL.replace('"catalog_category"."parent_id"', '"x"."parent_id"'),
                            model="catalog.Category")
    assert sibling_values(other, {"catalog.Category": CATEGORIES}) == {}
    assert sibling_values(query, {"catalog.Category": CATEGORIES[:1]}) == {"c_id": []}


def test_a_literal_limit_asks_for_more_rows_than_it_keeps():
    sql = ['SELECT "orders_order"."id" FROM "orders_order" WHERE ("orders_order"."user_id" = sqlc.arg(user_id) '
           'AND "orders_order"."status" IN (\'pending\', \'paid\')) ORDER BY 1 ASC LIMIT 10',
           'SELECT "orders_order"."id" FROM "orders_order" WHERE "orders_order"."id" = ?1 LIMIT 21',  # get()
           'SELECT "orders_order"."id" FROM "orders_order" LIMIT 1',
           'SELECT "orders_order"."id" FROM "orders_order" WHERE "orders_order"."priority" = 3 LIMIT 5 OFFSET 2']
    columns = {("orders_order", "status"): "orders.Order.status", ("orders_order", "priority"): "orders.Order.priority"}
    assert limit_rows(sql, {"orders_order": "orders.Order"}, columns) == [
        {"model": "orders.Order", "rows": 11, "set": {"status": "pending"}},
        {"model": "orders.Order", "rows": 6, "set": {"priority": 3}}]


def test_a_literal_like_pattern_gets_a_row_it_matches_and_one_it_does_not():
    assert like_values("% %") == ["m m", "mxm"]
    assert like_values("ab_x%") == ["abmxm", "xxmym"]
    assert like_values("%") == []  # matches every text: nothing to tell apart
    sql = ['WHERE ("p"."name" LIKE \'% %\')', 'WHERE CAST("p"."name" AS TEXT) LIKE \'% %\'',
           'WHERE "p"."name" LIKE \'a\\%%\' ESCAPE \'\\\'']  # an escaped pattern is left alone
    assert literal_bounds(sql, {("p", "name"): "shop.P.name"}) == {"shop.P.name": ["m m", "mxm"]}


def test_every_migrated_view_is_also_asked_signed_in():
    route = MigratedRoute(view="accounts.views.profile_card", django="profiles/<int:user_id>/card/", methods=("GET",),
                          regex=r"^profiles/(?P<user_id>[0-9]+)/card/$", queries=(), migrated_methods=None,
                          body_keys={}, query_keys=())
    dump = {"accounts.Profile": [{"id": 1, "user_id": 7}, {"id": 2, "user_id": 8}]}
    signed_in = {"cookie": "sessionid", "sessions": [{"who": "superuser", "key": "k1"}, {"who": "user", "key": "k2"}]}
    reqs = build_requests([route], [], dump, signed_in)
    anonymous = [r["path"] for r in reqs if "cookie" not in r]
    # and a number beyond 32 bits: Django's 404, where an int32 cast read row 1 and a narrowing's error was a 500
    assert anonymous == ["profiles/7/card/", "profiles/8/card/", "profiles/987654/card/", "profiles/4294967297/card/"]
    assert [(r["path"], r["cookie"], r["as"]) for r in reqs if "cookie" in r] == [
        ("profiles/7/card/", "sessionid=k1", "superuser"), ("profiles/987654/card/", "sessionid=k1", "superuser"),
        ("profiles/7/card/", "sessionid=k2", "user"), ("profiles/987654/card/", "sessionid=k2", "user")]
    assert build_requests([route], [], dump) == [r for r in reqs if "cookie" not in r]


def test_siblings_hold_different_ids_in_their_foreign_keys():
    """todo's survivors (session 8): `task_list_id` read for `created_by_id` passed, since the siblings (rows 1,
    3, 4) pointed at each target's first row, id 1 in both tables. Each key now takes its own target."""
    import random

    from migrator.parity.datagen_values import field_value

    class Meta:
        pass

    model = SimpleNamespace(_meta=Meta())

    def fk(name, target):
        related = SimpleNamespace(_meta=SimpleNamespace(concrete_model=SimpleNamespace(
            _meta=SimpleNamespace(label=target))))
        return SimpleNamespace(name=name, model=model, is_relation=True, one_to_one=False, null=False, unique=False,
                               related_model=related, get_internal_type=lambda: "ForeignKey")

    fields = [fk("task_list", "todo.TaskList"), fk("created_by", "auth.User"), fk("assigned_to", "auth.User")]
    model._meta.concrete_fields = fields
    pools = {"todo.TaskList": [1, 2, 3, 4, 5], "auth.User": [1, 2, 3, 4, 5]}
    for row in (1, 3, 4):
        ids = [field_value(f, random.Random(row), row, pools, {}) for f in fields]
        assert len(set(ids)) == 3, ids
        assert ids == [field_value(f, random.Random(0), 1, pools, {}) for f in fields]  # still siblings


def test_the_row_that_stands_out_gives_every_parameter_at_once():
    """PostgreSQL survivor (session 7): `ApplyCouponCouponGet` without `is_active` — the inactive coupon's code
    was asked with a `today` past its validity, so both sides found nothing. Its own values, all at once, do."""
    from migrator.parity.boundary import row_sets

    def param(name, field, kind):
        return SimpleNamespace(sentinel=name, name=name, field=field, kind=kind, is_list=False, transform="",
                               optional=False)

    q = SimpleNamespace(model="orders.Coupon", sql="SELECT ...", params=[param("code", "orders.Coupon.code", "str"),
                                                       param("today", "orders.Coupon.valid_until", "date")])
    dump = {"orders.Coupon": [
        {"id": 1, "code": "A", "is_active": True, "valid_until": "2030-01-01"},
        {"id": 2, "code": "B", "is_active": True, "valid_until": "2031-01-01"},
        {"id": 3, "code": "OFF", "is_active": False, "valid_until": "2020-05-05"},
    ]}
    assert {"code": "OFF", "today": "2020-05-05"} in row_sets(q, dump)
    assert {"code": "OFF", "today": "2020-05-05"} in boundary_sets(q, dump, {"code": "A", "today": "2030-01-01"})
    q.params = q.params[:1]  # one parameter: the one-at-a-time sets already hold the row's value
    assert row_sets(q, dump) == []


def test_an_ordered_read_of_null_rows_gets_two_of_them_under_one_target():
    """PostgreSQL / SQLite survivor: `UserOrdersOrderValues` (`placed_at IS NULL ORDER BY 6 DESC, 1 ASC`) with
    `id ASC -> DESC`: the generated rows held NULL on row 0 only, so no user had two draft orders."""
    sql = ['SELECT "orders_order"."id" FROM "orders_order" WHERE ("orders_order"."user_id" = sqlc.arg(user_id) AND '
           '"orders_order"."placed_at" IS NULL) ORDER BY 1 DESC',
           'SELECT "orders_order"."id" FROM "orders_order" WHERE NOT ("orders_order"."placed_at" IS NULL) ORDER BY 1',
           'SELECT "orders_order"."id" FROM "orders_order" WHERE "orders_order"."placed_at" IS NULL']  # no order
    columns = {("orders_order", "placed_at"): "orders.Order.placed_at"}
    assert limit_rows(sql, {"orders_order": "orders.Order"}, columns) == [
        {"model": "orders.Order", "rows": 2, "set": {"placed_at": None}}]
    assert limit_rows(sql[1:], {"orders_order": "orders.Order"}, columns) == []


def test_a_get_that_several_rows_can_match_gets_21_of_them():
    """todo's survivors: `LIMIT 21 -> 20` of a get() on columns that are not unique. 21 rows sharing the compared
    columns (and the siblings' foreign rows), and the parameter set of that combination, tell them apart."""
    from migrator.parity.boundary import row_sets
    from migrator.parity.boundary_rows import GET_ROWS, SHARED, get_rows

    by_name = ('SELECT "todo_tasklist"."id" FROM "todo_tasklist" WHERE ("todo_tasklist"."group_id" = sqlc.arg(group) '
               'AND "todo_tasklist"."name" = sqlc.arg(name)) LIMIT 21')
    by_slug = 'SELECT "todo_tasklist"."id" FROM "todo_tasklist" WHERE "todo_tasklist"."slug" = sqlc.arg(slug) LIMIT 21'
    columns = {("todo_tasklist", "name"): "todo.TaskList.name", ("todo_tasklist", "slug"): "todo.TaskList.slug"}
    unique = frozenset({("todo_tasklist", "id"), ("todo_tasklist", "slug")})
    assert get_rows([by_name, by_slug], {"todo_tasklist": "todo.TaskList"}, columns, unique) == [
        {"model": "todo.TaskList", "rows": GET_ROWS, "set": {"name": SHARED}}]  # a unique slug: at most one row

    def param(name, field, kind):
        return SimpleNamespace(sentinel=name, name=name, field=field, kind=kind, is_list=False, transform="")

    q = SimpleNamespace(model="todo.TaskList", params=[param("group", "todo.TaskList.group", "int"),
                                                       param("name", "todo.TaskList.name", "str")])
    rows = [{"id": i, "group": 1 + i % 2, "name": f"n{i}"} for i in range(5)]
    rows += [{"id": 10 + i, "group": 2, "name": "shared"} for i in range(GET_ROWS)]
    assert row_sets(q, {"todo.TaskList": rows})[0] == {"group": 2, "name": "shared"}



def test_the_rows_past_a_literal_limit_sit_just_inside_its_range_conditions():
    """PostgreSQL survivor (sessions 8-9): `LoyaltyLeaderboardProfileOrderBy` `loyalty_points > 0 -> > 1`. The 11
    rows past its `LIMIT 10` drew random points above 1 and filled the LIMIT, so the row on the bound never
    showed; held at 1 (the value just inside `> 0`), `> 1` leaves them all out."""
    from migrator.parity.boundary_rows import edge_values

    columns = {("p", "points"): "a.P.points", ("p", "price"): "a.P.price", ("u", "age"): "a.U.age"}
    sql = ('SELECT "p"."id" FROM "p" INNER JOIN "u" ON ("p"."u_id" = "u"."id") WHERE ("p"."points" > 0 AND '
           '"p"."price" <= \'10.50\' AND "u"."age" >= 18) ORDER BY "p"."points" DESC, "p"."id" LIMIT 10')
    assert limit_rows([sql], {"p": "a.P"}, columns) == [
        {"model": "a.P", "rows": 11, "set": {"points": 1, "price": "10.50"}}]  # not the joined table's age
    assert edge_values(sql.replace("> 0", ">= 0").replace("<=", "<"), "p", columns) == {
        "points": 0, "price": "10.49"}
    # two bounds on one column: the value inside the first must hold the second too
    assert edge_values('SELECT 1 FROM "p" WHERE "p"."points" > 5 AND "p"."points" < 6', "p", columns) == {}
    assert edge_values('SELECT 1 FROM "p" WHERE "p"."points" > 5 AND "p"."points" < 9', "p", columns) == {"points": 6}
    # an OR or a NOT may turn the condition round: no value is set
    assert edge_values('SELECT 1 FROM "p" WHERE "p"."points" > 5 OR "p"."id" = 1', "p", columns) == {}
    assert edge_values('SELECT 1 FROM "p" WHERE NOT ("p"."points" > 5)', "p", columns) == {}


def test_an_exists_without_parameters_is_answered_no_on_the_second_database():
    """SQLite and PostgreSQL survivors (sessions 7-9): `CatalogStatsProductExists` (`is_active AND stock = 0`)
    without `stock = 0` and without `is_active`. Both databases held an active product out of stock, so the read
    said "yes" on both, whatever the Go side dropped. The second database turns those rows round."""
    from migrator.parity.boundary_rows import exists_rows

    columns = {("catalog_product", "is_active"): "catalog.Product.is_active",
               ("catalog_product", "stock"): "catalog.Product.stock",
               ("catalog_product", "kind"): "catalog.Product.kind"}
    sql = 'SELECT 1 AS "a" FROM "catalog_product" WHERE ("catalog_product"."is_active" AND "catalog_product"."stock" = 0) LIMIT 1;'
    assert exists_rows([sql], columns) == [
        {"model": "catalog.Product", "where": {"is_active": True, "stock": 0}, "flip": "is_active"}]
    texts = sql.replace('"catalog_product"."stock" = 0', '"catalog_product"."kind" = \'book\'')
    assert exists_rows([texts], columns)[0]["where"] == {"is_active": True, "kind": "book"}
    for other in (sql.replace(" AND ", " OR "),  # a disjunction, a negation, a parameter, a join: not turned round
                  sql.replace('("catalog_product"."is_active"', '(NOT "catalog_product"."is_active"'),
                  sql.replace("= 0", "= sqlc.arg(stock)"), sql.replace("= 0", "= ?1"),
                  sql.replace('"catalog_product"."stock" = 0', '"catalog_product"."stock" = 0 AND "c"."x"'),
                  sql.replace('"catalog_product"."is_active" AND ', ""),  # no boolean condition to turn false
                  sql.replace("LIMIT 1", "LIMIT 2")):
        assert exists_rows([other], columns) == [], other


def test_a_text_parameter_asks_for_a_row_of_each_side_of_a_nullable_column():
    """PostgreSQL survivor (session 9): `CategoryDetailCategoryGet` (a get() by slug with a LEFT JOIN on the
    parent) with `parent_id = T2.id -> <>`. The first six slugs were roots', and roots were the rarer side of
    `parent`, so no child category was asked for and the join never read a parent."""
    from migrator.parity.boundary import minority_values

    rows = [{"id": i, "slug": f"root{i}", "parent": None} for i in range(1, 7)]
    rows += [{"id": i, "slug": f"child{i}", "parent": 1} for i in range(7, 14)]
    dump = {"catalog.Category": rows}
    # the six roots are the rarer side of `parent` and the first six values: no child is asked for
    assert minority_values("str", "catalog.Category.slug", dump) == ["root1"]
    assert minority_values("str", "catalog.Category.slug", dump, both=True) == ["root1", "child7"]
    # a column without two sides (no NULL) adds nothing
    assert minority_values("str", "catalog.Category.slug", {"catalog.Category": rows[6:]}, both=True) == []
    query = SimpleNamespace(model="catalog.Category", sql="SELECT 1", params=[SimpleNamespace(
        name="slug", sentinel="slug", field="catalog.Category.slug", kind="str", transform="", is_list=False,
        optional=False)])
    assert {"slug": "child7"} in boundary_sets(query, dump, {"slug": "root1"})


def test_an_offset_parameter_starts_at_zero_so_the_other_parameters_sets_return_rows():
    """PostgreSQL survivor (session 9): `ListOrdersOrderValues` without `total >= $7`. The OFFSET parameter (no
    field) took the value matching nothing, 987654321, in every set but its own: each set that moved
    `min_total` read past every row, so both sides returned nothing whatever the WHERE held."""
    from migrator.parity.values import param_sets

    def param(name, field="", kind="int", optional=False):
        return SimpleNamespace(name=name, sentinel=name, field=field, kind=kind, is_list=False, transform="",
                               optional=optional, source="")

    q = SimpleNamespace(model="orders.Order", params=[
        param("min_total", "orders.Order.total", "decimal", optional=True), param("size"), param("offset_value")],
        sql='SELECT "o"."id" FROM "orders_order" WHERE (sqlc.narg(min_total)::numeric IS NULL OR "o"."total" >= '
            'sqlc.narg(min_total)) ORDER BY 1 LIMIT sqlc.arg(size) OFFSET sqlc.arg(offset_value)')
    dump = {"orders.Order": [{"id": 1, "total": "5.00"}, {"id": 2, "total": "50.00"}, {"id": 3, "total": "500.00"}]}
    sets = param_sets(q, dump)
    assert sets[0] == {"min_total": "5.00", "size": 987654321, "offset_value": 0}  # the LIMIT keeps every row
    assert {"min_total": "500.01", "size": 987654321, "offset_value": 0} in sets  # no row: the bound shows
    assert [s for s in sets if s["offset_value"] == 987654321] == [sets[1]]  # only the set matching nothing
    # sqlc's MySQL form keeps LIMIT and OFFSET positional (`LIMIT ? OFFSET ?`): the last parameter is the OFFSET
    # (session 10: on MariaDB every moved set still read past every row, 987654321)
    q.sql = q.sql.replace("LIMIT sqlc.arg(size) OFFSET sqlc.arg(offset_value)", "LIMIT ? OFFSET ?;")
    assert param_sets(q, dump) == sets
    q.sql = q.sql.replace("OFFSET ?;", "OFFSET 0")
    assert param_sets(q, dump)[0]["offset_value"] == 987654321  # no OFFSET parameter: nothing is taken for one


def test_a_write_also_takes_the_value_of_the_row_a_standing_out_row_points_at():
    """PostgreSQL survivor (session 9): `RepriceCategoryProductUpdate` (`UPDATE catalog_product ... WHERE id IN
    (... category slug = ?1 ... AND U0.is_active)`) without `U0.is_active`. Its writes named categories of active
    products only; the inactive product's category, by slug, shows the dropped condition."""
    from migrator.parity.boundary import related_minority
    from migrator.parity.checks_queries import extra_write_sets

    dump = {"catalog.Category": [{"id": 1, "slug": "tools"}, {"id": 2, "slug": "clearance"}],
            "catalog.Product": [{"id": 1, "category": 1, "is_active": True, "price": "2.00"},
                                {"id": 2, "category": 1, "is_active": True, "price": "3.00"},
                                {"id": 3, "category": 2, "is_active": False, "price": "4.00"}]}
    assert related_minority("str", "catalog.Category.slug", "catalog.Product", dump) == ["clearance"]
    assert related_minority("str", "catalog.Category.slug", "catalog.Category", dump) == []  # its own model
    assert related_minority("int", "catalog.Tag.id", "catalog.Product", dump) == []  # no key names the model

    def param(name, field, kind):
        return SimpleNamespace(name=name, sentinel=name, field=field, kind=kind, is_list=False, transform="",
                               optional=False, source="")

    q = SimpleNamespace(model="catalog.Product", params=[param("category_slug", "catalog.Category.slug", "str")])
    assert extra_write_sets(q, dump, [{"category_slug": "tools"}], 0) == [{"category_slug": "clearance"}]


def test_a_list_parameter_asks_for_the_rows_that_stand_out_among_the_others():
    """SQLite survivor (session 9): `CreateOrderProductInBulk` (`is_active AND id IN (...)`) without `is_active`:
    the lists asked held the first three products' ids, all active. One list holds the inactive one's too."""
    query = SimpleNamespace(model="catalog.Product", sql="SELECT 1", params=[SimpleNamespace(
        name="ids", sentinel="ids", field="catalog.Product.id", kind="int", transform="", is_list=True,
        optional=False)])
    dump = {"catalog.Product": [{"id": i, "is_active": i != 5} for i in range(1, 7)]}
    sets = boundary_sets(query, dump, {"ids": [1]})
    assert {"ids": [1, 5]} in sets
    assert [s for s in sets if 5 in s["ids"]] == [{"ids": [1, 5]}]
