"""Systematic mutants of one SQL statement (migrator.parity.mutate_sql): table tests, exact output."""

from __future__ import annotations

import pytest

from migrator.parity.mutate_go import mutants as go_mutants
from migrator.parity.mutate_sql import code_mask, mutants
from migrator.parity.mutation import Mutant, rounds, select

CASES = [
    ('SELECT "t"."a" FROM "t" WHERE "t"."n" >= ?1', "many", {
        'SELECT "t"."a" FROM "t" WHERE "t"."n" > ?1',
        'SELECT "t"."a" FROM "t" WHERE "t"."n" < ?1',
    }),
    ("SELECT 1 FROM \"t\" WHERE \"t\".\"p\" < '10.00'", "many", {
        "SELECT 1 FROM \"t\" WHERE \"t\".\"p\" <= '10.00'",
        "SELECT 1 FROM \"t\" WHERE \"t\".\"p\" >= '10.00'",
        "SELECT 1 FROM \"t\" WHERE \"t\".\"p\" < '10.01'",
        "SELECT 1 FROM \"t\" WHERE \"t\".\"p\" < '9.99'",
    }),
    ('SELECT 1 FROM "t" WHERE ("t"."a" AND "t"."b" = ?1)', "many", {
        'SELECT 1 FROM "t" WHERE (("t"."a" OR 1 = 1) AND "t"."b" = ?1)',
        'SELECT 1 FROM "t" WHERE ("t"."a" AND ("t"."b" = ?1 OR 1 = 1))',
        'SELECT 1 FROM "t" WHERE ("t"."a" AND "t"."b" <> ?1)',
    }),
    ('SELECT 1 FROM "t" WHERE ("t"."d" <= ?1 OR ?1 IS NULL)', "many", {
        'SELECT 1 FROM "t" WHERE ("t"."d" < ?1 OR ?1 IS NULL)',
        'SELECT 1 FROM "t" WHERE ("t"."d" > ?1 OR ?1 IS NULL)',
        'SELECT 1 FROM "t" WHERE (("t"."d" <= ?1 AND 1 = 0) OR ?1 IS NULL)',
        'SELECT 1 FROM "t" WHERE ("t"."d" <= ?1 OR (?1 IS NULL AND 1 = 0))',
        'SELECT 1 FROM "t" WHERE ("t"."d" <= ?1 OR ?1 IS NOT NULL)',
    }),
    ('SELECT 1 FROM "t" ORDER BY 1 ASC LIMIT $2 OFFSET $1', "many", {
        'SELECT 1 FROM "t" ORDER BY 1 DESC LIMIT $2 OFFSET $1',
        'SELECT 1 FROM "t" ORDER BY 1 ASC LIMIT $2 + 1 OFFSET $1',
        'SELECT 1 FROM "t" ORDER BY 1 ASC LIMIT $2 - 1 OFFSET $1',
        'SELECT 1 FROM "t" ORDER BY 1 ASC LIMIT $2 OFFSET $1 + 1',
        'SELECT 1 FROM "t" ORDER BY 1 ASC LIMIT $2 OFFSET $1 - 1',
    }),
    # an assignment is not a comparison; quoted text and /*SLICE*/ comments are never touched
    ('UPDATE "t" SET "n" = ("t"."n" + 1) WHERE "t"."id" IN (/*SLICE:ids*/?) AND "t"."s" = \'a<b\'', "exec", {
        'UPDATE "t" SET "n" = ("t"."n" + 1) WHERE "t"."id" IN (/*SLICE:ids*/?) AND "t"."s" <> \'a<b\'',
        'UPDATE "t" SET "n" = ("t"."n" + 1) WHERE ("t"."id" IN (/*SLICE:ids*/?) OR 1 = 1) AND "t"."s" = \'a<b\'',
        'UPDATE "t" SET "n" = ("t"."n" + 1) WHERE "t"."id" IN (/*SLICE:ids*/?) AND ("t"."s" = \'a<b\' OR 1 = 1)',
    }),
    ('SELECT 1 FROM "t" WHERE NOT "t"."x" IS NULL', "many", {
        'SELECT 1 FROM "t" WHERE NOT "t"."x" IS NOT NULL',
        'SELECT 1 FROM "t" WHERE "t"."x" IS NULL',
    }),
]


@pytest.mark.parametrize("sql,command,expected", CASES, ids=[c[0][:60] for c in CASES])
def test_mutants_of_a_statement(sql, command, expected):
    assert {m.sql for m in mutants(sql, command, {})} == expected


def test_limit_of_a_single_row_read_is_proven_equivalent_only_at_the_top():
    found = {m.what: m.equivalent for m in mutants('SELECT 1 FROM "t" WHERE "t"."a" = ?1 LIMIT 21', "one", {})}
    assert found["LIMIT 21 -> 22"] and found["LIMIT 21 -> 20"]
    inner = mutants('SELECT (SELECT "t"."a" FROM "t" LIMIT 1) AS "x" FROM "u" LIMIT 21', "one", {})
    assert not next(m for m in inner if m.what == "LIMIT 1 -> 2").equivalent
    assert not next(m for m in mutants('SELECT 1 FROM "t" LIMIT 1', "one", {}) if m.what == "LIMIT 1 -> 0").equivalent
    assert not any(m.equivalent for m in mutants('SELECT 1 FROM "t" LIMIT 10', "many", {}))


def test_a_selected_column_swaps_with_one_of_the_same_type():
    types = {("t", "a"): "CharField", ("t", "b"): "IntegerField", ("t", "c"): "CharField"}
    swapped = [m.sql for m in mutants('SELECT "t"."a", "t"."b", "t"."c" FROM "t"', "many", types) if m.kind == "wrong-column"]
    assert swapped == ['SELECT "t"."c", "t"."b", "t"."a" FROM "t"']


def test_code_mask_skips_text_identifiers_and_comments():
    sql = "a 'x''y' \"q\" /*c*/ b"
    mask = code_mask(sql)
    assert "".join(c for c, k in zip(sql, mask) if k) == "a    b"


def test_selection_covers_every_target_before_repeating_one():
    ms = [Mutant(id=f"{t}#{i}", target=t, check="queries", path="p", kind="k", what="w", original="o", mutated="m")
          for t in "abc" for i in range(3)]
    picked = select(ms, 4, seed=1)
    assert len({m.target for m in picked[:3]}) == 3 and len(picked) == 4
    assert select(ms, 4, seed=1) == picked  # deterministic for a seed
    everywhere = Mutant(id="*", target="*", check="queries", path="p", kind="k", what="w", original="o", mutated="m")
    batches = rounds(ms + [everywhere])
    assert [everywhere] in batches  # one that can change every case runs alone
    assert all(len({m.target for m in b}) == len(b) for b in batches)


def test_gorm_mutants(tmp_path):
    models = tmp_path / "gorm" / "models"
    models.mkdir(parents=True)
    (models / "shop.go").write_text(
        "// Item maps shop.Item (shop/models.py:1) onto table shop_item.\ntype Item struct {\n"
        '\tA string `gorm:"column:a;type:text;not null" json:"a"`\n'
        '\tB string `gorm:"column:b;type:text;not null" json:"b"`\n}\n')
    (models / "delete.go").write_text(
        "// DeleteItem deletes shop.Item rows by primary key\n"
        "func deleteItem(tx *gorm.DB, ids []int64, seen collecting) error {\n"
        '\tif err := tx.Exec("UPDATE shop_note SET item_id = NULL WHERE item_id IN ?", ids).Error; err != nil {\n'
        "\t}\n\tif err := deleteTag(tx, related, seen); err != nil {\n\t}\n}\n")
    found = {m.id: m for m in go_mutants(tmp_path)}
    assert set(found) == {"shop.Item:column:a", "shop.Item:json:a", "shop.Item:json:b", "shop.Item:set-null:0",
                          "shop.Item:cascade:0"}
    assert 'column:b;type:text;not null" json:"a"' in found["shop.Item:column:a"].mutated
    assert 'DELETE FROM shop_note WHERE item_id IN ?' in found["shop.Item:set-null:0"].mutated
    assert "deleteTag(tx, nil, seen)" in found["shop.Item:cascade:0"].mutated


def test_the_strength_report_lists_every_survivor_with_its_hint():
    from migrator.parity import report as render
    from migrator.parity.mutation import summarise
    from migrator.parity.runner import Report

    ms = [Mutant(id=f"Q{i}#0", target=f"Q{i}", check="queries", path="p", kind="operator", what=f"w{i}",
                 original="o", mutated="m") for i in range(3)]
    ms[0].status, ms[1].status, ms[2].status = "killed", "survived", "equivalent"
    ms[1].hint, ms[2].detail = "a row at the bound", "a :one query reads its first row only"
    rep = Report(project="p", dialect="sqlite", database="x", tree="t", mutation=summarise(ms, 10, 0, 1.0))
    assert rep.mutation["strength"] == 0.5 and rep.mutation["per_target"]["Q1"]["strength"] == 0.0
    text = render.strength(rep, weakest=True)
    assert "parity strength: 50.0% (1 of 2 mutants killed" in text
    assert text.index("Q1 (queries)") < text.index("Q0 (queries)")  # weakest first
    assert "SURVIVED [queries] Q1: operator: w1" in text and "a row at the bound" in text
    junit = render.junit(rep)
    assert 'name="parity.mutants"' in junit and "a row at the bound" in junit
    assert '"strength": 0.5' in render.as_json(rep)


PKS = frozenset({("t", "id"), ("u", "id")})
UNIQUE = PKS | {("t", "slug")}


@pytest.mark.parametrize("sql,what,proved", [
    # at most one row: a unique column pinned by = in a WHERE of conjuncts, one table, no join
    ('SELECT "t"."a" FROM "t" WHERE ("t"."slug" = ?1 AND "t"."a" > 0) ORDER BY "t"."a" ASC LIMIT 1',
     "ASC -> DESC", True),
    ('SELECT "t"."a" FROM "t" WHERE "t"."id" = ?1 ORDER BY "t"."a" ASC LIMIT 2', "LIMIT 2 -> 3", True),
    ('SELECT "t"."a" FROM "t" WHERE "t"."id" = ?1 ORDER BY "t"."a" ASC LIMIT 1', "LIMIT 1 -> 0", False),
    ('SELECT "t"."a" FROM "t" WHERE ("t"."slug" = ?1 OR "t"."a" > 0) ORDER BY "t"."a" ASC', "ASC -> DESC", False),
    ('SELECT "t"."a" FROM "t" WHERE "t"."a" = ?1 ORDER BY "t"."b" ASC', "ASC -> DESC", False),  # not unique
    ('SELECT "t"."a" FROM "t" INNER JOIN "u" ON ("t"."id" = "u"."a") WHERE "t"."id" = ?1 ORDER BY "u"."id" ASC',
     "ASC -> DESC", False),  # a join on a column that is not unique in the joined table can multiply the row
    # a join on a unique column of the joined table (select_related, a get() by a one-to-one) keeps one row
    ('SELECT "t"."a" FROM "t" INNER JOIN "u" ON ("t"."a" = "u"."id") WHERE "t"."id" = ?1 ORDER BY "u"."id" ASC',
     "ASC -> DESC", True),
    ('SELECT "t"."a" FROM "t" LEFT OUTER JOIN "u" T3 ON ("t"."a" = T3."id") WHERE "t"."slug" = ?1 LIMIT 21',
     "LIMIT 21 -> 20", True),
    ('SELECT "t"."a" FROM "t" LEFT OUTER JOIN "u" T3 ON ("t"."a" = T3."a") WHERE "t"."slug" = ?1 LIMIT 21',
     "LIMIT 21 -> 20", False),
    # an ORDER BY key the WHERE fixes (IS NULL, = value) ties every row: its direction changes nothing
    ('SELECT "t"."id" AS "id", "t"."d" AS "d" FROM "t" WHERE ("t"."a" = ?1 AND "t"."d" IS NULL) ORDER BY 2 DESC, 1 ASC',
     "DESC -> ASC", True),
    ('SELECT "t"."id", "t"."d" FROM "t" WHERE ("t"."a" = ?1 AND "t"."d" IS NULL) ORDER BY "t"."a" DESC, "t"."id" ASC',
     "DESC -> ASC", True),
    ('SELECT "t"."id" AS "id", "t"."d" AS "d" FROM "t" WHERE ("t"."a" = ?1 AND "t"."d" IS NULL) ORDER BY 2 DESC, 1 ASC',
     "ASC -> DESC", False),  # the next key: rows differ on it
    ('SELECT "t"."id" AS "id", "t"."d" AS "d" FROM "t" WHERE ("t"."a" = ?1 OR "t"."d" IS NULL) ORDER BY 2 DESC, 1 ASC',
     "DESC -> ASC", False),  # an OR fixes nothing
    ('SELECT "t"."id", "t"."d" FROM "t" WHERE "t"."d" IS NOT NULL ORDER BY "t"."d" DESC', "DESC -> ASC", False),
    # EXISTS ignores the order and any LIMIT >= 1 of its subquery
    ('SELECT COUNT(*) FROM "u" WHERE EXISTS(SELECT 1 AS "a" FROM "t" U1 WHERE U1."a" = ("u"."id") LIMIT 1)',
     "LIMIT 1 -> 2", True),
    ('SELECT COUNT(*) FROM "u" WHERE EXISTS(SELECT 1 AS "a" FROM "t" U1 WHERE U1."a" = ("u"."id") LIMIT 1)',
     "LIMIT 1 -> 0", False),
    # a repeated conjunct; a primary key read without an outer join is never NULL
    ('SELECT 1 FROM "t" WHERE ("t"."d" IS NULL AND "t"."d" IS NULL)', 'condition dropped: `"t"."d" IS NULL`', True),
    ('SELECT 1 FROM "u" WHERE EXISTS(SELECT 1 FROM "t" AS U1 WHERE (NOT U1."id" IS NULL AND U1."a" = ("u"."id")))',
     'condition dropped: `NOT U1."id" IS NULL`', True),
    ('SELECT 1 FROM "u" LEFT OUTER JOIN "t" AS U1 ON (U1."a" = "u"."id") WHERE (NOT U1."id" IS NULL AND "u"."id" > 0)',
     'condition dropped: `NOT U1."id" IS NULL`', False),
    ('SELECT 1 FROM "t" WHERE (NOT "t"."a" IS NULL AND "t"."id" > 0)', 'condition dropped: `NOT "t"."a" IS NULL`',
     False),  # not a primary key
])
def test_equivalent_only_with_a_proof(sql, what, proved):
    found = [m for m in mutants(sql, "many", {}, UNIQUE, PKS) if m.what.startswith(what)]
    assert found, [m.what for m in mutants(sql, "many", {}, UNIQUE, PKS)]
    assert all(bool(m.equivalent) == proved for m in found), [(m.what, m.equivalent) for m in found]
    assert all("any data" in m.equivalent for m in found if proved)


def test_schema_mutants():
    from migrator.parity.mutate_schema import mutants as schema_mutants

    text = ('-- Code generated by migrator. DO NOT EDIT.\n\n'
            'CREATE TABLE "t" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "a" varchar(10) NOT NULL UNIQUE, '
            '"b" integer NULL CHECK ("b" >= 0), "u_id" bigint NOT NULL REFERENCES "u" ("id") DEFERRABLE INITIALLY '
            'DEFERRED, CONSTRAINT "ab" UNIQUE ("a", "b"));\n\nCREATE UNIQUE INDEX "t_b" ON "t" ("b");\n')
    found = {m.what: m.mutated for m in schema_mutants(text)}
    assert set(found) == {
        "t.a: NOT NULL -> NULL", "t.a: type varchar(10) -> integer", "t.a: UNIQUE dropped",
        "t.b: NULL -> NOT NULL", "t.b: type integer -> bigint", "t.b: CHECK dropped",
        "t.u_id: NOT NULL -> NULL", "t.u_id: REFERENCES dropped", 't: "ab" dropped',
        't: `CREATE UNIQUE INDEX "t_b" ON "t" ("b");` dropped', 't: UNIQUE removed from `CREATE UNIQUE INDEX "t_b" ON "t" ("b");`'}
    assert found["t.u_id: REFERENCES dropped"].endswith('"u_id" bigint NOT NULL, CONSTRAINT "ab" UNIQUE ("a", "b"));')
    assert found['t: `CREATE UNIQUE INDEX "t_b" ON "t" ("b");` dropped'] == ""


def test_handler_mutants(tmp_path):
    from migrator.parity.mutate_handlers import mutants as handler_mutants

    (tmp_path / "http").mkdir()
    (tmp_path / "http" / "routes.go").write_text(
        '\t\t\tHandler: s.migrated("shop.views.tag", "shop/views.py:3", false, nil, s.tagMigrated),\n')
    (tmp_path / "http" / "handlers_migrated.go").write_text(
        "func (s *Server) tagMigrated(ctx context.Context, req Req) (int, any, error) {\n"
        "\ttag, err := s.Store.TagGet(ctx, req.Path(\"slug\"))\n\tif err != nil {\n"
        "\t\treturn http.StatusNotFound, NotFoundBody, nil\n\t}\n\tif tag.N != 0 {\n\t\treturn 200, nil, nil\n\t}\n"
        '\treturn 200, TagResponse{Slug: tag.Slug, Name: JV(tag.Name)}, nil\n}\n')
    (tmp_path / "http" / "responses.go").write_text(  # the keys are the response struct's json tags
        "package main\n\n// TagResponse is the JSON shop.views.tag answers.\ntype TagResponse struct {\n"
        '\tSlug any `json:"slug"`\n\tName any `json:"name"`\n}\n')
    found = {m.what.split(": ", 1)[1]: m for m in handler_mutants(tmp_path)}
    assert set(found) == {"status 200 -> 201", "status 404 -> 410", "JSON key 'slug' renamed 'slug_x'",
                          "JSON key 'name' renamed 'name_x'", "tag.Slug and JV(tag.Name) swapped",
                          "`!=` -> `==` in `if tag.N != 0 {`"}
    assert all(m.view == "shop.views.tag" for m in found.values())  # the error check `err != nil` is left alone
    assert "Slug: JV(tag.Name), Name: tag.Slug" in found["tag.Slug and JV(tag.Name) swapped"].mutated
    renamed = found["JSON key 'name' renamed 'name_x'"]
    assert renamed.path == "http/responses.go" and '`json:"name_x"`' in renamed.mutated


def test_a_response_struct_two_views_build_is_mutated_once_for_every_case(tmp_path):
    """Renaming a key of ErrorResponse changes both views' answers: one mutant, target "*" (judged alone)."""
    from migrator.parity.mutate_handlers import mutants as handler_mutants

    (tmp_path / "http").mkdir()
    (tmp_path / "http" / "routes.go").write_text(
        '\t\t\tHandler: s.migrated("shop.views.a", "shop/views.py:3", false, nil, s.aMigrated),\n'
        '\t\t\tHandler: s.migrated("shop.views.b", "shop/views.py:9", false, nil, s.bMigrated),\n')
    (tmp_path / "http" / "handlers_migrated.go").write_text(
        "func (s *Server) aMigrated(ctx context.Context, req Req) (int, any, error) {\n"
        '\treturn 400, ErrorResponse{Error: "a"}, nil\n}\n'
        "func (s *Server) bMigrated(ctx context.Context, req Req) (int, any, error) {\n"
        '\treturn 404, ErrorResponse{Error: "b"}, nil\n}\n')
    (tmp_path / "http" / "responses.go").write_text(
        "package main\n\n// ErrorResponse is an error answer.\ntype ErrorResponse struct {\n"
        '\tError string `json:"error"`\n}\n')
    found = handler_mutants(tmp_path)
    assert [(m.view, m.kind, m.path) for m in found] == [("*", "json-key", "http/responses.go")]


def test_a_get_reads_22_rows_as_21():
    """getOne (sqlcstep/getone.py) calls 21 rows or more `more than 20`: LIMIT 21 -> 22 of a get() is equivalent,
    -> 20 is not (21 matching rows: Django says "more than 20", Go would count 20); neither outside a get()."""
    sql = 'SELECT "t"."a" FROM "t" WHERE "t"."a" = ?1 LIMIT 21'
    found = {m.what: m.equivalent for m in mutants(sql, "many", {}, UNIQUE, PKS, get=True)}
    assert "any data" in found["LIMIT 21 -> 22"] and not found["LIMIT 21 -> 20"]
    assert not any(m.equivalent for m in mutants(sql, "many", {}, UNIQUE, PKS) if m.kind == "limit")


BOOLS = {("t", "on"): "BooleanField", ("t", "n"): "IntegerField"}


@pytest.mark.parametrize("sql,expected", [
    # a bare boolean column as the whole WHERE, as a conjunct, and as a join condition: negated
    ('SELECT 1 FROM "t" WHERE "t"."on"', ['SELECT 1 FROM "t" WHERE NOT "t"."on"']),
    ('SELECT 1 FROM "t" WHERE ("t"."n" = $1 AND "t"."on") ORDER BY 1 ASC',
     ['SELECT 1 FROM "t" WHERE ("t"."n" = $1 AND NOT "t"."on") ORDER BY 1 ASC']),
    ('SELECT 1 FROM "u" INNER JOIN "t" ON ("t"."on" AND "t"."n" = "u"."id");',
     ['SELECT 1 FROM "u" INNER JOIN "t" ON (NOT "t"."on" AND "t"."n" = "u"."id");']),
    # not a bare condition: compared, selected, already negated, or not a boolean column
    ('SELECT "t"."on" FROM "t" WHERE "t"."on" = $1', []),
    ('SELECT 1 FROM "t" WHERE NOT "t"."on"', []),
    ('SELECT 1 FROM "t" WHERE "t"."n"', []),
    ('SELECT 1 FROM "t" WHERE \'"t"."on"\' = $1', []),
])
def test_a_bare_boolean_condition_is_negated(sql, expected):
    assert [m.sql for m in mutants(sql, "many", BOOLS) if m.kind == "boolean"] == expected


def test_a_between_gets_exclusive_bounds_shifted_literals_and_its_negation():
    params = 'SELECT COUNT(*) FROM "t" WHERE "t"."d" BETWEEN $1 AND $2'
    assert [m.sql for m in mutants(params, "one", {}) if m.kind == "between"] == [
        'SELECT COUNT(*) FROM "t" WHERE ("t"."d" > $1 AND "t"."d" <= $2)',
        'SELECT COUNT(*) FROM "t" WHERE ("t"."d" >= $1 AND "t"."d" < $2)',
        'SELECT COUNT(*) FROM "t" WHERE "t"."d" NOT BETWEEN $1 AND $2',
    ]
    literals = "SELECT COUNT(*) FROM \"t\" WHERE (\"t\".\"on\" AND \"t\".\"p\" BETWEEN '10.00' AND '100.00')"
    assert [m.sql for m in mutants(literals, "one", {}) if m.kind == "between"] == [
        "SELECT COUNT(*) FROM \"t\" WHERE (\"t\".\"on\" AND (\"t\".\"p\" > '10.00' AND \"t\".\"p\" <= '100.00'))",
        "SELECT COUNT(*) FROM \"t\" WHERE (\"t\".\"on\" AND (\"t\".\"p\" >= '10.00' AND \"t\".\"p\" < '100.00'))",
        "SELECT COUNT(*) FROM \"t\" WHERE (\"t\".\"on\" AND \"t\".\"p\" BETWEEN '10.01' AND '100.00')",
        "SELECT COUNT(*) FROM \"t\" WHERE (\"t\".\"on\" AND \"t\".\"p\" BETWEEN '9.99' AND '100.00')",
        "SELECT COUNT(*) FROM \"t\" WHERE (\"t\".\"on\" AND \"t\".\"p\" BETWEEN '10.00' AND '100.01')",
        "SELECT COUNT(*) FROM \"t\" WHERE (\"t\".\"on\" AND \"t\".\"p\" BETWEEN '10.00' AND '99.99')",
        "SELECT COUNT(*) FROM \"t\" WHERE (\"t\".\"on\" AND \"t\".\"p\" NOT BETWEEN '10.00' AND '100.00')",
    ]
    # the AND of a BETWEEN is no conjunct: no dropped-condition mutant splits it
    assert not [m for m in mutants(params, "one", {}) if m.kind == "dropped-condition"]
    assert not [m for m in mutants("SELECT 'x BETWEEN 1 AND 2' FROM \"t\"", "many", {}) if m.kind == "between"]


def test_an_insert_swaps_columns_of_one_storage_type():
    from migrator.parity.mutate_sql import column_types
    from migrator.ir import Field, Model, Relation

    types = {("t", "a"): "CharField", ("t", "n"): "IntegerField", ("t", "s"): "SlugField",
             ("t", "m"): "IntegerField", ("t", "on"): "BooleanField"}
    sql = 'INSERT INTO "t" ("a", "n", "s", "m", "on") VALUES ($1, $2, $3, $4, $5) RETURNING "t"."id"'
    assert [m.sql for m in mutants(sql, "one", types) if m.kind == "insert-column"] == [
        'INSERT INTO "t" ("s", "n", "a", "m", "on") VALUES ($1, $2, $3, $4, $5) RETURNING "t"."id"',  # text
        'INSERT INTO "t" ("a", "m", "s", "n", "on") VALUES ($1, $2, $3, $4, $5) RETURNING "t"."id"',
    ]
    ignore = 'INSERT OR IGNORE INTO "j" ("x_id", "y_id") VALUES (?1, ?2)'
    join = Relation(kind="many_to_many", target="a.Y", through_auto=True, join_table="j", join_column="x_id",
                    join_target_column="y_id")
    model = Model(app_label="a", name="X", db_table="x", kind="concrete", module="a.models", file="f", line=1,
                  fields=(Field(name="ys", attname="ys", column="", field_class="ManyToManyField", internal_type="ManyToManyField",
                                  relation=join),))
    assert [m.sql for m in mutants(ignore, "exec", column_types([model]))] == [
        'INSERT OR IGNORE INTO "j" ("y_id", "x_id") VALUES (?1, ?2)']
    assert not [m for m in mutants(ignore, "exec", {})]  # no type known: nothing swapped


def test_a_mutant_no_passing_case_runs_is_not_compared_rather_than_survived():
    from migrator.parity.mutation import uncompared

    ms = [Mutant(id=f"{t}#0", target=t, check="queries", path="p", kind="insert-column", what="w", original="o",
                 mutated="m") for t in ("Ran", "Skipped", "Killed")]
    ms[2].status = "killed"
    uncompared(ms, {"Ran"})
    assert [m.status for m in ms] == ["", "not-compared", "killed"]  # "Ran" goes on to survived or killed
