"""Parameter sets for the rows a query's joins tell apart (issue 18, session 14's survivors), on small dumps.

- `NewsletterOrdersOrderLineOrderBy` (`OrderLine JOIN orders_order ... WHERE DATE(placed_at) >= ?1`) with the join's
  `=` turned into `<>`: only a `since` that keeps an order without lines, and none of its user's lined orders, shows it
  (the fixture's order 27, placed 2026-03-05: asked were 2026-03-01 and NULL).
- `OrderByNumberOrderGet` reading `is_staff` for `is_superuser`: only the number of an order whose user holds one flag
  and not the other shows it (the fixture's users hold both or neither).
- `ProductsLaunchedInProductValues` (`launch_date BETWEEN Jan 1 AND Dec 31` of `?year`) with its lower bound made
  exclusive: only the year of a row launched on January 1 shows it.
"""

from __future__ import annotations

from types import SimpleNamespace

from migrator.parity.boundary import boundary_sets, childless_values, differing_flags, edge_years


def param(name: str, field: str, kind: str, transform: str = "") -> SimpleNamespace:
    return SimpleNamespace(name=name, sentinel=name, field=field, kind=kind, transform=transform, is_list=False,
                           optional=False)


ORDERS = [{"id": 1, "user": 1, "number": "A-1", "placed_at": "2026-03-01T23:59:59Z"},
          {"id": 3, "user": 3, "number": "A-3", "placed_at": "2026-03-01T23:30:00Z"},
          {"id": 5, "user": 2, "number": "A-5", "placed_at": "2026-03-02T10:00:00Z"},
          {"id": 27, "user": 3, "number": "A-27", "placed_at": "2026-03-05T10:00:00Z"}]
LINES = [{"id": 10, "order": 3, "product": 1}, {"id": 11, "order": 5, "product": 1}]
USERS = [{"id": 1, "is_superuser": True, "is_staff": True, "is_active": True},
         {"id": 2, "is_superuser": False, "is_staff": False, "is_active": False},
         {"id": 3, "is_superuser": False, "is_staff": True, "is_active": True}]
DUMP = {"orders.Order": ORDERS, "orders.OrderLine": LINES, "auth.User": USERS}


def test_a_parent_no_row_of_the_query_points_at_gives_its_value():
    # orders 1 and 27 have no line; the dates as the `__date` parameter takes them
    assert childless_values("date", "orders.Order.placed_at", "orders.OrderLine", DUMP) == ["2026-03-01", "2026-03-05"]
    query = SimpleNamespace(model="orders.OrderLine", sql="SELECT 1",
                            params=[param("since", "orders.Order.placed_at", "date")])
    assert {"since": "2026-03-05"} in boundary_sets(query, DUMP, {"since": "2026-03-01"})
    # a field of the query's own model, or a model no row points at through a key: nothing
    assert childless_values("date", "orders.Order.placed_at", "orders.Order", DUMP) == []
    assert childless_values("int", "auth.User.id", "orders.OrderLine", DUMP) == []
    # a many-to-many key holds a list of ids: order 1 is pointed at through it
    tagged = {**DUMP, "orders.OrderLine": LINES + [{"id": 14, "order": [1, 5]}]}
    assert childless_values("date", "orders.Order.placed_at", "orders.OrderLine", tagged) == ["2026-03-05"]
    # every parent has a child: nothing
    assert childless_values("date", "orders.Order.placed_at", "orders.OrderLine",
                            {**DUMP, "orders.OrderLine": LINES + [{"id": 12, "order": 1}, {"id": 13, "order": 27}]}) == []


def test_a_row_pointing_at_a_row_whose_flags_differ_gives_its_value():
    # user 3 is active and staff, not a superuser; user 1 holds all three flags, user 2 none
    assert differing_flags("str", "orders.Order.number", DUMP) == ["A-3"]
    query = SimpleNamespace(model="orders.Order", sql="SELECT 1", params=[param("number", "orders.Order.number", "str")])
    assert {"number": "A-3"} in boundary_sets(query, {**DUMP, "orders.Order": ORDERS[:1] * 7 + ORDERS[1:]},
                                              {"number": "A-1"})
    # flags equal on every user: nothing
    same = [{**u, "is_staff": u["is_superuser"], "is_active": u["is_superuser"]} for u in USERS]
    assert differing_flags("str", "orders.Order.number", {**DUMP, "auth.User": same}) == []


def test_a_year_parameter_takes_the_year_of_a_row_on_january_1_or_december_31():
    products = [{"id": 1, "launch_date": "2025-06-01"}, {"id": 2, "launch_date": "2027-01-01"},
                {"id": 3, "launch_date": "2026-12-31"}, {"id": 4, "launch_date": "2024-01-02"}]
    dump = {"catalog.Product": products}
    assert edge_years("catalog.Product.launch_date", dump) == [2027, 2026]
    query = SimpleNamespace(model="catalog.Product", sql="SELECT 1", params=[
        param("year", "catalog.Product.launch_date", "year", "year_start"),
        param("year", "catalog.Product.launch_date", "year", "year_end")])
    sets = boundary_sets(query, dump, {"year": 2025})
    assert {"year": 2027} in sets and {"year": 2026} in sets
    assert edge_years("catalog.Product.launch_date", {"catalog.Product": products[:1] + products[3:]}) == []
