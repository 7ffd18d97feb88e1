"""Sites whose Django SQL sqlc cannot take as it is, translated exactly or reported (issue 12; first met on the
corpus: django-celery-beat, wiki): tests/projects/scan_sqlc_exact.

- DISTINCT_ORDER: Django appends the ordering columns to a DISTINCT select list and drops them from each row;
  the query keeps Django's statement as a subquery and returns only the kept columns (translate.sqlc_distinct).
- LEFT_JOIN_NULLS on PostgreSQL: decimal / date / interval columns of a LEFT OUTER JOIN read as pointers.
- LEFT_JOIN_NULLS of a table joined twice (Django's T3): sqlc typed the alias's columns by the first, unaliased
  join of that table (NOT NULL after an INNER JOIN); each occurrence is aliased to its own name now (postman,
  machina, wiki).
- DYNAMIC_Q of postman's DisplayMixin (``thread(user, self.filter)``, self.filter set by each subclass): one
  static site per subclass (load.scan_subclass), the base's site dynamic SUBCLASS_ATTRIBUTE.
- SQLC_REJECTED of a parameter in a subquery's HAVING on SQLite (postman's cleanup): lifted into a WHERE over
  the grouped rows (translate.sqlc_having).
- a root written over several lines broke sqlc's input (the site's comment line): machina, oauth2_provider.

Update the golden files with: pytest tests/test_scanner_sqlc_exact.py --update-golden (then review the diff).
"""

from __future__ import annotations

import re

import pytest
import sqlglot

from conftest import REPO, go, golden_queries, run_cli

PROJECT = REPO / "tests" / "projects" / "scan_sqlc_exact"


# --- fast: the DISTINCT rewrite on in-memory SQL --------------------------------------------------------------

T = '"t"'
KEEP = [
    # (Django's SQL, columns each row keeps, the query's SQL on PostgreSQL)
    (f'SELECT DISTINCT {T}."zone" AS "zone", {T}."rank" FROM {T} ORDER BY {T}."rank" ASC, 1 ASC', 1,
     'SELECT "_distinct"."zone" FROM (SELECT DISTINCT "t"."zone" AS "zone", "t"."rank" AS "__o1" FROM "t" '
     'ORDER BY "t"."rank" ASC, 1 ASC) AS "_distinct" ORDER BY "_distinct"."__o1" ASC, "_distinct"."zone" ASC'),
    (f'SELECT DISTINCT {T}."a", {T}."b", {T}."c" FROM {T} ORDER BY {T}."c" DESC NULLS LAST LIMIT 5', 2,
     'SELECT "_distinct"."a", "_distinct"."b" FROM (SELECT DISTINCT "t"."a", "t"."b", "t"."c" AS "__o2" FROM "t" '
     'ORDER BY "t"."c" DESC NULLS LAST LIMIT 5) AS "_distinct" ORDER BY "_distinct"."__o2" DESC NULLS LAST'),
    (f'SELECT DISTINCT COUNT(*) AS "n", UPPER({T}."x") FROM {T} ORDER BY UPPER({T}."x") ASC', 1,
     'SELECT "_distinct"."n" FROM (SELECT DISTINCT COUNT(*) AS "n", UPPER("t"."x") AS "__o1" FROM "t" '
     'ORDER BY UPPER("t"."x") ASC) AS "_distinct" ORDER BY "_distinct"."__o1" ASC'),
]


@pytest.mark.parametrize("sql,keep,expected", KEEP)
def test_distinct_keeps_the_rows_and_returns_the_kept_columns(sql, keep, expected):
    from migrator.translate.sqlc_distinct import keep_columns

    assert keep_columns(sqlglot.parse_one(sql, read="postgres"), keep).sql(dialect="postgres") == expected


@pytest.mark.parametrize("sql,keep", [
    (f'SELECT DISTINCT {T}."a", {T}."b" FROM {T} ORDER BY {T}."z" ASC', 1),  # a term the select list lacks
    (f'SELECT DISTINCT {T}."a", {T}."b" FROM {T} ORDER BY 3 ASC', 1),  # an ordinal past the select list
    (f'SELECT DISTINCT {T}."a" + 1, {T}."b" FROM {T} ORDER BY 2', 1),  # a kept column without a name
    (f'SELECT DISTINCT {T}."a" FROM {T}', 1),  # nothing to drop
])
def test_distinct_that_cannot_be_kept_exactly_stays_reported(sql, keep):
    from migrator.translate.sqlc_distinct import keep_columns
    from migrator.translate.sqlc_model import Untranslatable

    with pytest.raises(Untranslatable) as exc:
        keep_columns(sqlglot.parse_one(sql, read="postgres"), keep)
    assert exc.value.code == "DISTINCT_ORDER"


def test_having_of_a_subquery_becomes_a_where_over_the_groups():
    from migrator.translate.sqlc_having import lift

    sql = ('SELECT "m"."id" FROM "m" WHERE "m"."t" IN (SELECT U0."t" AS "t" FROM "m" AS U0 GROUP BY 1 '
           'HAVING (COUNT(U0."d") = (COUNT(U0."id")) AND MAX(U0."d") <= ?))')
    got = lift(sqlglot.parse_one(sql, read="sqlite"), frozenset({("m", "d")})).sql(dialect="sqlite")
    assert got == ('SELECT "m"."id" FROM "m" WHERE "m"."t" IN (SELECT "_having"."t" FROM (SELECT U0."t" AS "t", '
                   'COUNT(U0."d") AS "__h1", COUNT(U0."id") AS "__h2", MAX(U0."d") AS "__h3" FROM "m" AS U0 GROUP BY 1) '
                   'AS "_having" WHERE ("_having"."__h1" = ("_having"."__h2") AND "_having"."__h3" <= '
                   'CAST(? AS dj_datetime_text)))')


@pytest.mark.parametrize("sql", [
    'SELECT U0."t" AS "t" FROM "m" AS U0 GROUP BY 1 HAVING MAX(U0."d") <= ?',  # the outer query: its types would go
    'SELECT 1 FROM "m" WHERE "m"."t" IN (SELECT U0."t" AS "t" FROM "m" AS U0 GROUP BY 1 HAVING SUM(U0."n") <= ?)',
    'SELECT 1 FROM "m" WHERE "m"."t" IN (SELECT U0."t" FROM "m" AS U0 GROUP BY 1 HAVING U0."t" = ?)',
    'SELECT 1 FROM "m" WHERE "m"."t" IN (SELECT U0."t" FROM "m" AS U0 GROUP BY 1 HAVING MAX(U0."d") <= ? LIMIT 2)',
])
def test_having_that_cannot_be_lifted_exactly_stays_rejected(sql):
    from migrator.translate.sqlc_having import lift
    from migrator.translate.sqlc_model import Untranslatable

    with pytest.raises(Untranslatable) as exc:
        lift(sqlglot.parse_one(sql, read="sqlite"), frozenset({("m", "d")}))
    assert exc.value.code == "SQLC_REJECTED"


# --- slow: the project through Django, sqlc, Go and parity ----------------------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("scan_sqlc_exact") / "gen"
    run_cli("generate", str(PROJECT), "--target", "sqlc", "--out", str(out), check=True)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_queries_match_golden(generated, dialect, update_golden):
    text = golden_queries(generated, "scan_sqlc_exact", dialect, update_golden)
    assert "UNTRANSLATED" not in text and text.count("-- name: ") == 8  # every site translated


@pytest.mark.slow
def test_left_join_columns_read_as_pointers_on_postgresql(generated):
    rows = (generated / "sqlc" / "pgdb" / "postgresql.sql.go").read_text()
    row = rows[rows.index("type JobsWithPlaceJobSelectRelatedRow struct"):]
    row = row[:row.index("}")]
    assert "*decimal.Decimal" in row and "*djtypes.Date" in row
    # the table's own struct keeps value types: NOT NULL columns read without a join
    models = (generated / "sqlc" / "pgdb" / "models.go").read_text()
    assert re.search(r"\bLatitude\s+decimal\.Decimal\s", models) and re.search(r"\bOpened\s+djtypes\.Date\s", models)
    go("build", "./...", cwd=generated)


@pytest.mark.slow
@pytest.mark.parametrize("package", ["sqlitedb", "pgdb"])
def test_a_table_joined_twice_reads_its_left_joined_alias_as_nullable(generated, package):
    """letters_from: INNER JOIN sky_person (the filter on the sender), LEFT OUTER JOIN sky_person T3 (the
    recipient): T3's id and name were int64 / string, and a letter without a recipient failed to scan."""
    code = next((generated / "sqlc" / package).glob("*.sql.go")).read_text()
    row = code[code.index("type LettersFromLetterSelectRelatedRow struct"):]
    fields = dict(line.split()[:2] for line in row[:row.index("}")].splitlines()[1:])
    assert fields["ID_2"] in ("sql.NullInt64", "pgtype.Int8") and fields["Name"] in ("sql.NullString", "pgtype.Text")
    assert fields["Joined"] == "*djtypes.Date"
    assert 'FROM "sky_letter" INNER JOIN "sky_person" AS "sky_person"' in code


@pytest.mark.slow
def test_a_base_class_site_reading_what_each_subclass_sets_is_a_site_per_subclass():
    from migrator.load import load_project

    sites = {s.id: s for s in load_project(PROJECT).querysets if s.line == 43}
    assert {i: (s.function, s.kind, s.reason) for i, s in sites.items()} == {
        "sky/services.py:43:21": ("Display.get", "dynamic", "SUBCLASS_ATTRIBUTE"),
        "sky/services.py:43:21/OneLetter": ("OneLetter.get", "static", ""),
        "sky/services.py:43:21/WholeThread": ("WholeThread.get", "static", ""),
    }
    args = {i: [(a.source, a.names) for a in s.chain[0].args] for i, s in sites.items()}
    assert args["sky/services.py:43:21/OneLetter"] == [("Q(pk=letter_id)", ("letter_id",))]
    assert args["sky/services.py:43:21/WholeThread"] == [("Q(thread=thread_id)", ("thread_id",))]


@pytest.mark.slow
def test_translated_queries_agree_with_django_on_generated_data(generated, tmp_path):
    junit = tmp_path / "parity.xml"
    proc = run_cli("parity", str(PROJECT), "--generated", str(generated), "--only", "queries", "--junit", str(junit))
    assert proc.returncode == 0 and ", 0 failed" in proc.stdout, proc.stdout[-3000:] + proc.stderr[-2000:]
    compared = set(re.findall(r'testcase classname="[^"]*queries" name="(\w+)', junit.read_text()))
    assert compared == {"ZonesJobDistinct", "ZonesByTitleJobDistinct", "JobsWithPlaceJobSelectRelated",
                        "LettersFromLetterSelectRelated", "ReceivedByLetterSelectRelated", "GetLetterThread",
                        "GetLetterThread2", "ReadThreadsLetterFilter"}
