"""Table tests of the translators on tiny in-memory IR, with their exact output (fast tier: no Django process,
no sqlc, no Go build). One row per behaviour; a change of output is a change of this table."""

from __future__ import annotations

import pytest

from migrator.ir import App, Field, Model, Project, Relation
from migrator.translate.gorm import translate_models
from migrator.translate.sqlc import translate


def field(name: str, internal: str, column: str | None = None, **kw) -> Field:
    return Field(name=name, attname=kw.pop("attname", name), column=name if column is None else column,
                 internal_type=internal, field_class=f"django.db.models.{internal}", **kw)


PK = field("id", "BigAutoField", primary_key=True, auto_created=True)
CATEGORY = Model(app_label="shop", name="Category", db_table="shop_category", kind="concrete", module="shop.models",
                 file="shop/models.py", line=1, fields=(PK, field("name", "CharField", max_length=50, unique=True)))
ITEM = Model(app_label="shop", name="Item", db_table="shop_item", kind="concrete", module="shop.models",
             file="shop/models.py", line=5, fields=(
                 PK, field("name", "CharField", max_length=100),
                 field("price", "DecimalField", null=True, max_digits=10, decimal_places=2),
                 field("created", "DateTimeField", auto_now_add=True),
                 field("category", "ForeignKey", column="category_id", attname="category_id", null=True,
                       relation=Relation(kind="foreign_key", target="shop.Category", on_delete="CASCADE"))))
PROJECT = Project(root=".", settings_module="shop.settings", django_version="5.2", models=(CATEGORY, ITEM),
                  apps=(App(label="shop", name="shop", path="shop", models=("shop.Category", "shop.Item")),))


def test_gorm_structs_of_a_two_model_project():
    gm = translate_models(PROJECT)
    assert gm.diagnostics == []
    assert {s.name: (s.table, [(f.name, f.type, f.tag) for f in s.fields]) for s in gm.structs} == {
        "Category": ("shop_category", [
            ("ID", "int64", '`gorm:"column:id;primaryKey;autoIncrement" json:"id"`'),
            ("Name", "string", '`gorm:"column:name;size:50;not null;uniqueIndex" json:"name"`')]),
        "Item": ("shop_item", [
            ("ID", "int64", '`gorm:"column:id;primaryKey;autoIncrement" json:"id"`'),
            ("Name", "string", '`gorm:"column:name;size:100;not null" json:"name"`'),
            ("Price", "*decimal.Decimal", '`gorm:"column:price" json:"price"`'),  # never a float; NULL is nil
            ("Created", "time.Time", '`gorm:"column:created;not null;autoCreateTime" json:"created"`'),
            ("CategoryID", "*int64", '`gorm:"column:category_id" json:"category"`'),
            ("Category", "*Category", '`gorm:"foreignKey:CategoryID;references:ID" json:"-"`')]),
    }


def test_two_apps_with_one_model_name_get_prefixed_struct_names():
    other = Model(app_label="blog", name="Category", db_table="blog_category", kind="concrete", module="blog.models",
                  file="blog/models.py", line=1, fields=(PK,))
    project = Project(root=".", settings_module="s", django_version="5.2", models=(CATEGORY, other))
    assert sorted(s.name for s in translate_models(project).structs) == ["BlogCategory", "ShopCategory"]


def sentinel(name: str, value, kind: str = "int", *, is_list: bool = False) -> dict:
    return {"name": name, "source": name, "kind": kind, "value": value, "optional": False, "is_list": is_list,
            "field": name}


SELECT = 'SELECT "shop_item"."id" FROM "shop_item" WHERE '
ROWS = [  # Django's WHERE, its parameters, the sentinels -> per dialect: the sqlc WHERE, (param, kind, transform, list)
    ('"shop_item"."name" = %s', ["s7301"], [sentinel("name", "s7301", "str")],
     {"sqlite": '"shop_item"."name" = sqlc.arg(name)', "postgresql": '"shop_item"."name" = sqlc.arg(name)'},
     [("name", "str", "", False)]),
    # contains: Django binds %value%; the Go side adds the % (transform like)
    ('"shop_item"."name" LIKE %s ESCAPE \'\\\'', ["%s7301%"], [sentinel("q", "s7301", "str")],
     {"sqlite": '("shop_item"."name" LIKE sqlc.arg(q) ESCAPE \'\\\')',
      "postgresql": '"shop_item"."name" LIKE sqlc.arg(q) ESCAPE \'\\\''},
     [("q", "str", "like", False)]),
    # icontains on PostgreSQL
    ('UPPER("shop_item"."name"::text) LIKE UPPER(%s)', ["%s7301%"], [sentinel("q", "s7301", "str")],
     {d: 'UPPER(CAST("shop_item"."name" AS TEXT)) LIKE UPPER(sqlc.arg(q))' for d in ("sqlite", "postgresql")},
     [("q", "str", "like", False)]),
    # __in: sqlc.slice on SQLite, = ANY(array) on PostgreSQL
    ('"shop_item"."id" IN (%s, %s)', [7301, 7302], [sentinel("ids", [7301, 7302], is_list=True)],
     {"sqlite": '"shop_item"."id" IN (sqlc.slice(ids))', "postgresql": '"shop_item"."id" = ANY(sqlc.arg(ids)::bigint[])'},
     [("ids", "int", "", True)]),
    # a constant of the chain is inlined; only the runtime argument is a parameter
    ('("shop_item"."id" > %s AND "shop_item"."name" = %s) LIMIT 21', [3, "s7301"], [sentinel("name", "s7301", "str")],
     {d: '("shop_item"."id" > 3 AND "shop_item"."name" = sqlc.arg(name)) LIMIT 21' for d in ("sqlite", "postgresql")},
     [("name", "str", "", False)]),
]


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
@pytest.mark.parametrize("where, params, sentinels, expected, expected_params", ROWS)
def test_sqlc_translation_table(dialect, where, params, sentinels, expected, expected_params):
    compiled = {"site": "s", "dialect": dialect, "command": "many", "result": "rows",
                "statements": [{"sql": SELECT + where, "params": params, "kind": "select"}], "sentinels": sentinels}
    q = translate(compiled, {"chain": [{"method": "filter", "args": []}], "function": "f", "model": "shop.Item"},
                  dialect)
    assert q.sql == SELECT + expected[dialect]
    assert [(p.name, p.kind, p.transform, p.is_list) for p in q.params] == expected_params


def test_the_plan_is_plain_json():
    import json

    from migrator.plan import Plan

    compiled = {"site": "s", "dialect": "sqlite", "command": "many", "result": "rows", "sentinels": [
        sentinel("name", "s7301", "str")], "statements": [
        {"sql": SELECT + '"shop_item"."name" = %s', "params": ["s7301"], "kind": "select"}]}
    q = translate(compiled, {"chain": [{"method": "filter", "args": []}], "function": "f", "model": "shop.Item"},
                  "sqlite")
    q.name = "FItemFilter"
    plan = Plan(dialects=("sqlite",), queries={"sqlite": [q]}, skipped={"sqlite": [("t", "NOT_COMPILED", "")]},
                names={"s": "FItemFilter"})
    data = json.loads(json.dumps(plan.to_json()))
    assert data["queries"]["sqlite"][0]["params"] == [{
        "name": "name", "source": "name", "kind": "str", "transform": "", "optional": False, "is_list": False,
        "field": "name", "sentinel": "name"}]
    assert data["skipped"] == {"sqlite": [["t", "NOT_COMPILED", ""]]} and data["names"] == {"s": "FItemFilter"}


def test_the_whole_plan_round_trips_through_json():
    """The Plan with its queries, GORM structs and http plan: JSON and back gives equal values."""
    import json

    from migrator.plan import Plan
    from migrator.translate.gorm_model import GormModel
    from migrator.translate.http_stage import HTTPPlan
    from migrator.translate.handlers_plan import MigratedView
    from migrator.translate.http import Handler, HTTPModel, MuxEntry, Param, Route
    from migrator.translate.sqlc_model import Query

    compiled = {"site": "s", "dialect": "sqlite", "command": "many", "result": "rows", "sentinels": [
        sentinel("name", "s7301", "str")], "statements": [
        {"sql": SELECT + '"shop_item"."name" = %s', "params": ["s7301"], "kind": "select"}]}
    q = translate(compiled, {"chain": [{"method": "filter", "args": []}], "function": "f", "model": "shop.Item"},
                  "sqlite")
    q.name = "FItemFilter"
    route = Route(index=0, django="items/<int:pk>/", name="shop:item", view="shop.views.item", kind="function",
                  app="shop", file="shop/views.py", line=3, python="def item(request, pk): ...", methods=("GET",),
                  branches=(), handler="Item", mux_path="/items/{pk}/", fiber_path="/items/:pk/",
                  path_regex="^/items/(?P<pk>[0-9]+)/$", params=(Param("pk", "int", "[0-9]+", "pk", "pk"),),
                  status="migrated", actions=(("GET", "retrieve"),))
    model = HTTPModel(routes=[route], entries=[MuxEntry("/items/{pk}/", ("GET",), (0,))], handlers=[Handler(
        name="Item", view="shop.views.item", app="shop", kind="function", file="shop/views.py", line=3, python="",
        routes=(route,), status="migrated")])
    view = MigratedView(view="shop.views.item", source="shop/views.py:3", path_params=[{"name": "pk", "int": True}],
                        groups=[{"methods": ["GET"]}], migrated_methods=["GET"], stubbed={}, queries=["FItemFilter"],
                        body_keys={"qty": "int"})
    gorm = translate_models(PROJECT)
    plan = Plan(dialects=("sqlite",), queries={"sqlite": [q]}, skipped={"sqlite": [("t", "NOT_COMPILED", "")]},
                names={"s": "FItemFilter"}, gorm=gorm,
                http=HTTPPlan(model=model, migrated={"shop.views.item": view}, sqlc=True))
    data = json.loads(json.dumps(plan.to_json()))
    back = Plan.from_json(data, query=Query, gorm=GormModel, http=HTTPPlan)
    assert back == plan
    assert isinstance(back.gorm.structs[1].fields[4].type, str) and back.http.model.routes[0].params[0].name == "pk"
    assert data["gorm"]["structs"][1]["fields"][2]["type"] == "*decimal.Decimal"


def _sentinel(name: str, optional: bool = False, kind: str = "str") -> dict:
    return {"name": name, "source": name, "kind": kind, "value": None, "optional": optional, "is_list": False,
            "field": ""}


def test_placeholders_name_each_argument_once_and_wrap_optional_predicates():
    """sqlc_params on its own: a name SQL reserves takes `_value`, a later argument of that name is numbered, the
    same sentinel twice is one parameter, a constant is inlined, each predicate of an optional one is wrapped."""
    import sqlglot

    from migrator.translate.sqlc_params import Placeholders, numbered

    order, order_value, q = _sentinel("order"), _sentinel("order_value"), _sentinel("q", optional=True)
    sql = 'SELECT "a" FROM "t" WHERE "a" = %s AND "b" = %s AND "c" = %s AND "d" = %s AND ("e" = %s OR "f" = %s)'
    tree = sqlglot.parse_one(numbered(sql, 6), read="sqlite")
    holders = Placeholders(["x", "y", "x", 7, "z", "z"], [(order, ""), (order_value, ""), (order, ""), None,
                                                          (q, ""), (q, "")], [])
    holders.wrap_optional(tree, "postgresql", frozenset())
    text = tree.transform(holders.rewrite, copy=False).sql(dialect="sqlite")
    assert sorted(holders.by_name) == ["order_value", "order_value2", "q"]
    assert text == ('SELECT "a" FROM "t" WHERE "a" = :q_order_value AND "b" = :q_order_value2 AND "c" = :q_order_value '
                    'AND "d" = 7 AND ((:n_q IS NULL OR "e" = :q_q) OR (:n_q IS NULL OR "f" = :q_q))')
