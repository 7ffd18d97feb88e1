"""MySQL / MariaDB, the third dialect (docs/mysql.md): the registry, sqlc's MySQL forms, and, on a private
MariaDB (tests/mariadb.py), `migrate parity --database mysql://...` on the sample end to end."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import sqlglot

from conftest import REPO, SAMPLE, go, keep_parity_report, run_cli
from mariadb import mariadb_server  # noqa: F401  (fixture: a private MariaDB)
from parity_counts import DECLARED, differences, per_check, reported_on_mysql, statuses
from test_auth_views import guarded_views_answer_as_django
from migrator.dialects import DEFAULT, DIALECTS, for_url
from migrator.parity.introspect_mysql import statements
from migrator.translate.schema import mysql_typing_schema
from migrator.translate.sqlc_rewrite import _mysql_regexp


@pytest.mark.parametrize("url, dialect", [
    ("mysql://root@127.0.0.1:3306/db", "mysql"), ("mariadb://u:p@h/db", "mysql"),
    ("postgresql://u@h/db", "postgresql"), ("postgres://u@h/db", "postgresql"),
    (None, "sqlite"), ("/tmp/x.sqlite3", "sqlite"),
])
def test_a_database_url_selects_its_dialect(url, dialect):
    assert for_url(url) == dialect


def test_mysql_is_asked_for_not_default():
    assert DEFAULT == ("sqlite", "postgresql")
    d = DIALECTS["mysql"]
    assert (d.sqlglot, d.sqlc_package, d.go_driver) == ("mysql", "mysqldb", "gorm.io/driver/mysql")


def test_sqlc_reads_mariadb_uuid_as_char36_and_nothing_else_changes():
    text = ("-- Django's schema for mysql, from its schema editor\n"
            "CREATE TABLE `t` (`id` bigint AUTO_INCREMENT NOT NULL PRIMARY KEY, `sku` uuid NOT NULL UNIQUE, "
            "`uuidish` varchar(10) NOT NULL);\n")
    assert mysql_typing_schema(text).splitlines()[1:] == [
        "CREATE TABLE `t` (`id` bigint AUTO_INCREMENT NOT NULL PRIMARY KEY, `sku` char(36) NOT NULL UNIQUE, "
        "`uuidish` varchar(10) NOT NULL);"]


def test_regex_lookups_keep_mariadb_regexp_operator():
    tree = sqlglot.parse_one("SELECT a FROM t WHERE a REGEXP BINARY :q_x AND b REGEXP :q_y", read="mysql")
    assert _mysql_regexp(tree).sql(dialect="mysql") == \
        "SELECT a FROM t WHERE (a REGEXP CAST(:q_x AS BINARY)) AND (b REGEXP :q_y)"


def test_schema_file_statements():
    text = "-- header\nCREATE TABLE `a` (`x` int);\n-- unmanaged: v\nALTER TABLE `a` ADD CONSTRAINT `c` CHECK (`x` >= 0);\n"
    assert statements(text) == ["CREATE TABLE `a` (`x` int)", "ALTER TABLE `a` ADD CONSTRAINT `c` CHECK (`x` >= 0)"]


SAMPLE_CHECKS = ("schema", "models", "queries", "http")  # every check: CI's comparison (.ci/run) is this run's


@pytest.mark.slow
def test_sample_on_mariadb_has_postgresql_case_counts(mariadb_server, sample_postgresql_parity, tmp_path):  # noqa: F811
    """generate --dialect mysql builds (GORM's MySQL driver, sqlc's MySQL engine), and parity on MariaDB passes
    with the checks and case counts of PostgreSQL: the same tree checked on both servers, every case compared
    by check and name (a query by its parameter sets); a difference only where docs/mysql.md declares one."""
    tree = tmp_path / "tree"
    proc = run_cli("generate", str(SAMPLE), "--dialect", "sqlite", "--dialect", "postgresql", "--dialect", "mysql",
                   "--out", str(tree))
    assert proc.returncode == 0, proc.stderr[-3000:]
    queries = (tree / "sqlc/queries/mysql.sql").read_text()
    assert ":execlastid" in queries and "RETURNING" not in queries and "`" in queries
    assert (tree / "gorm/models/db_mysql.go").is_file() and "gorm.io/driver/mysql" in (tree / "go.mod").read_text()
    # the migrated handlers' store has MySQL's adapter, chosen at start-up for a mysql:// DATABASE_URL
    assert "type myStore struct" in (tree / "http/store.go").read_text()
    assert "s.Store = myStore{q: mysqldb.New(sqlDB)}" in (tree / "http/db.go").read_text()  # NewServer lives there
    go("build", "./...", cwd=tree)
    runs = {}
    out, junit = tmp_path / "mysql.json", tmp_path / "mysql.xml"
    proc = run_cli("parity", str(SAMPLE), "--generated", str(tree), "--no-generate", "--database",
                   mariadb_server.url("px"), "--json", str(out), "--junit", str(junit))
    keep_parity_report("mysql", proc, junit, out)  # .ci/run prints it and runs tests/parity_counts.py
    _passes(proc, json.loads(out.read_text()), "mysql", junit, runs)
    with mariadb_server._admin() as conn, conn.cursor() as cur:  # every scratch database dropped
        cur.execute("SHOW DATABASES LIKE 'px%'")
        assert cur.fetchall() == ()
    # auth parity on MariaDB (issue 14): the guarded views and request.user views of this tree answer as Django
    # for anonymous, signed-in, permission-less, staff and deactivated users, and a password change (sharing the
    # generate above and this server: a go link and a migrate)
    go("build", "-o", str(tree / "bin" / "authserver"), "./http", cwd=tree)
    try:
        guarded_views_answer_as_django(tree / "bin" / "authserver", mariadb_server.create_db("auth_views"))
    finally:
        mariadb_server.drop_db("auth_views")
    # PostgreSQL's run is the suite's (conftest.sample_postgresql_parity: the default tree, every check), its
    # cases of SAMPLE_CHECKS compared; the tree above adds MySQL's package, PostgreSQL's queries are the same. Asked
    # for last: another xdist worker runs it meanwhile (tests/once.py), and this one waits only if it is still running
    proc, report, junit, _ = sample_postgresql_parity()
    _passes(proc, report, "postgresql", junit, runs)
    assert differences(runs["postgresql"], runs["mysql"]) == []
    pg, my = per_check(runs["postgresql"]), per_check(runs["mysql"])
    # PostgreSQL's cases of what the MySQL tree reports instead of translating (MYSQL_ABSENT)
    absent = Counter()
    for (check, key, status), n in runs["postgresql"].items():
        absent[(check, status)] += n if reported_on_mysql(check, key) else 0
    # the one difference: Django's iexact is a LIKE pattern on MySQL, which parity tests with 2 more sets each
    assert my["queries"]["passed"] - (pg["queries"]["passed"] - absent["queries", "passed"]) \
        == sum(DECLARED.values()) == 12
    assert my["queries"]["skipped"] == pg["queries"]["skipped"] - absent["queries", "skipped"]
    assert pg["queries"]["passed"] >= 1000 and absent["queries", "passed"] <= 20  # what MySQL lacks stays small
    assert my["schema"] == pg["schema"] and my["models"].get("failed", 0) == pg["models"].get("failed", 0) == 0


def _passes(proc, report, dialect: str, junit, runs: dict) -> None:
    """A parity run of the sample passed every check of SAMPLE_CHECKS; its cases of those checks into ``runs``."""
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert report["dialect"] == dialect and all(report["summary"][c]["failed"] == 0 for c in SAMPLE_CHECKS)
    runs[dialect] = Counter({k: n for k, n in statuses(str(junit)).items() if k[0] in SAMPLE_CHECKS})


def test_case_counts_compare_per_query_and_declared_differences_must_hold(tmp_path):
    """tests/parity_counts.py: a query's parameter sets are counted per query; a difference is reported unless
    declared exactly, a declared difference that did not show is reported too; noise (a clock) is not compared."""
    def junit(name, cases):
        body = "".join(f'<testcase classname="parity.{name}.{c}" name="{n}">{x}</testcase>' for c, n, x in cases)
        path = tmp_path / f"{name}.xml"
        path.write_text(f"<testsuites><testsuite>{body}</testsuite></testsuites>")
        return statuses(str(path))

    noise, q = "<system-out>noise: differs</system-out>", "Q {&quot;a&quot;: %d}"
    pg = junit("postgresql", [("queries", q % 1, ""), ("queries", q % 2, ""), ("models", "after writes x.Y.at", noise),
                              ("queries", "R", "<skipped/>"), ("models", "read x.Y", "")])
    my = junit("mysql", [("queries", q % 1, ""), ("queries", q % 2, ""), ("queries", q % 3, ""),
                         ("queries", "R", "<skipped/>"), ("models", "read x.Y", "<failure/>")])
    assert per_check(pg) == {"models": {"noise": 1, "passed": 1}, "queries": {"passed": 2, "skipped": 1}}
    assert differences(pg, my, {}, {}) == ["models read x.Y: PostgreSQL {'passed': 1}, MariaDB {'failed': 1}",
                                       "queries Q: PostgreSQL {'passed': 2}, MariaDB {'passed': 3}"]
    assert differences(pg, my, {("queries", "Q"): 1}, {}) == ["models read x.Y: PostgreSQL {'passed': 1}, MariaDB "
                                                          "{'failed': 1}"]
    assert differences(pg, my, {("queries", "Q"): 2, ("queries", "gone"): 2}, {})[1:] == [
        "queries Q: PostgreSQL {'passed': 2}, MariaDB {'passed': 3} (declared: 2 more passed on MariaDB)",
        "queries gone: PostgreSQL {}, MariaDB {} (declared: 2 more passed on MariaDB)"]
    assert differences(pg, pg, {}, {}) == []
    # a route the MySQL tree stubs: its http cases run on PostgreSQL only; the declaration must stay true
    pg = junit("postgresql", [("http", "GET /r/1/ anonymous", ""), ("http", "GET /s/", "")])
    my = junit("mysql", [("http", "GET /s/", "")])
    assert differences(pg, my, {}, {("http", r"^\w+ /r/"): "v"}) == []
    assert differences(pg, pg, {}, {("http", r"^\w+ /r/"): "v"}) == [
        "http GET /r/1/ anonymous: PostgreSQL {'passed': 1}, MariaDB {'passed': 1} (declared: reported in the MySQL tree)"]
    assert differences(pg, my, {}, {("http", r"^\w+ /r/"): "v", ("queries", r"^Gone$"): "w"}) == [
        "queries ^Gone$: no case on PostgreSQL (declared: w in the MySQL tree)"]


@pytest.mark.slow
def test_refused_query_forms_translate_and_pass_on_mariadb(mariadb_server, tmp_path):  # noqa: F811
    """tests/projects/mysql_queries: the forms sqlc's MySQL engine refused in Django's MySQL SQL are translated
    (none in sqlc/UNTRANSLATED.md) and return what Django returns on MariaDB: an UPDATE over a join (Django's
    pk__in subquery, capitalised aliases), a slice with two variable bounds beside a filter, AVG as a float."""
    project, tree = REPO / "tests/projects/mysql_queries", tmp_path / "tree"
    proc = run_cli("generate", str(project), "--dialect", "sqlite", "--dialect", "postgresql", "--dialect", "mysql",
                   "--out", str(tree))  # the three: the harness's sqlccheck is built for a tree that has them
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "| `" not in (tree / "sqlc/UNTRANSLATED.md").read_text()  # no site left out, on any dialect
    sql = (tree / "sqlc/queries/mysql.sql").read_text()
    assert "INNER JOIN `stock_shelf` AS u1 ON (u0.`shelf_id` = u1.`id`)" in sql and "LIMIT ? OFFSET ?;" in sql
    assert "SELECT AVG(`stock_item`.`score`) AS `avg` FROM" in sql
    junit = tmp_path / "report.xml"
    proc = run_cli("parity", str(project), "--generated", str(tree), "--no-generate", "--database",
                   mariadb_server.url("qx"), "--only", "queries", "--junit", str(junit))
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    counts = statuses(str(junit))
    assert {k for _c, k, _s in counts} == {"BumpShelfItemUpdate", "PageItemValues", "MeanScoreItemAggregate",
                                           "MeanPerShelfItemOrderBy"}
    assert {s for _c, _k, s in counts} == {"passed"}


def test_written_columns_of_a_backticked_insert_and_update():
    from migrator.translate.sqlc_match import _write_columns

    assert _write_columns("INSERT INTO `t` (`body`, `date`) VALUES (%s, %s)") == ["body", "date"]
    assert _write_columns("UPDATE `t` SET `total` = %s WHERE `t`.`id` = %s") == ["total", ""]


def test_exclude_has_no_unary_not_around_a_macro():
    """sqlc's MySQL engine leaves sqlc.arg() unexpanded under a unary NOT (Django's exclude()): pushed in, exactly."""
    from sqlglot import exp

    from migrator.translate.sqlc_rewrite import _mysql_not

    tree = sqlglot.parse_one("SELECT a FROM t WHERE (x = 1 AND NOT (id = :p) AND NOT (a > :q OR b IS NULL) "
                             "AND NOT (c IN (:r)) AND NOT (:s IS NULL))", read="mysql")
    for ph in list(tree.find_all(exp.Placeholder)):
        ph.replace(exp.Var(this=f"sqlc.arg({ph.this})"))
    assert _mysql_not(tree).sql(dialect="mysql") == (
        "SELECT a FROM t WHERE (x = 1 AND (id <> sqlc.arg(p)) AND ((a <= sqlc.arg(q) AND NOT b IS NULL)) "
        "AND (c NOT IN (sqlc.arg(r))) AND (sqlc.arg(s) IS NOT NULL))")


@pytest.mark.parametrize("sql, out", [
    # Django's subquery aliases: sqlc's MySQL engine rejected U1 ("table alias "u1" does not exist")
    ("SELECT a FROM t WHERE t.id IN (SELECT U0.id FROM t AS U0 INNER JOIN c AS U1 ON (U0.c_id = U1.id) "
     "WHERE U1.slug = 'x')",
     "SELECT a FROM t WHERE t.id IN (SELECT u0.id FROM t AS u0 INNER JOIN c AS u1 ON (u0.c_id = u1.id) "
     "WHERE u1.slug = 'x')"),
    ("SELECT T3.id, U0.* FROM t INNER JOIN t AS T3 ON (t.p = T3.id), u AS U0",
     "SELECT t3.id, u0.* FROM t INNER JOIN t AS t3 ON (t.p = t3.id), u AS u0"),
    # a lower-case form another name of the query has: left as it is (sqlc reports it)
    ("SELECT U0.id FROM u0 INNER JOIN v AS U0 ON (u0.id = U0.id)", None),
    ("SELECT X.id FROM t AS X INNER JOIN t AS x ON (X.id = x.id)", None),
])
def test_capitalised_aliases_are_lowered_on_mysql(sql, out):
    from migrator.translate.sqlc_rewrite import _mysql_lower_aliases

    tree = sqlglot.parse_one(sql, read="mysql")
    assert _mysql_lower_aliases(tree).sql(dialect="mysql") == (out or sqlglot.parse_one(sql, read="mysql").sql("mysql"))


def test_an_avg_mysql_sends_as_text_compares_as_the_float_django_makes_of_it():
    """AVG over an integer field: sqlc's MySQL engine leaves it untyped and the driver hands MySQL's DECIMAL text;
    Django returns float() of that text (Avg's FloatField). Equal when the number is; any other text differs."""
    from migrator.parity.values import norm

    assert norm(float("1.6667"), "1.6667", decimal_text=True) == (1.6667, 1.6667)
    assert norm(2.0, "2.0000", decimal_text=True) == (2.0, 2.0)
    assert norm(-0.5, "-0.5000", True)[0] == norm(-0.5, "-0.5000", True)[1]
    a, b = norm(1.6667, "1.6666", True)
    assert a != b
    # on SQLite and PostgreSQL (the default) a string is never a float: the rule is MySQL's only
    assert norm(1.5, "1.5") == (1.5, "1.5")
    assert norm(1.5, "1.5 stars", True) == (1.5, "1.5 stars") and norm(1.5, "", True) == (1.5, "")


def test_no_match_value_fits_a_smallint():
    """987654321 overflows the int16 sqlc gives a smallint parameter (issue 3): the value matching nothing
    stays within the column's range; other integers keep the large one."""
    from migrator.parity.values import NO_MATCH, param_sets
    from migrator.translate.sqlc_model import Param, Query

    def query(field):
        return Query(name="Q", site="s", function="f", model="shop.Order", dialect="mysql", command="many",
                     sql="SELECT 1", params=[Param(name="s", source="s", kind="int", field=field, sentinel="s")])

    dump = {"shop.Order": [{"rank": 3, "id": 7}]}
    types = {"shop.Order.rank": "PositiveSmallIntegerField", "shop.Order.id": "BigAutoField"}
    small = [s["s"] for s in param_sets(query("shop.Order.rank"), dump, types)]
    assert small[:2] == [3, 32123] and all(-32768 <= v <= 32767 for v in small)
    assert [s["s"] for s in param_sets(query("shop.Order.id"), dump, types)][:2] == [7, NO_MATCH["int"]]


def test_select_for_update_site_runs_in_a_transaction():
    """Django refuses select_for_update() in autocommit (issue 1): the harness's Django side runs such a site
    inside transaction.atomic(), as the view does; other sites run as they are."""
    import contextlib

    from django.db.transaction import Atomic

    from migrator.parity.django_side import site_transaction

    locking = {"chain": [{"method": "select_for_update"}, {"method": "filter"}]}
    assert isinstance(site_transaction(locking), Atomic)
    assert isinstance(site_transaction({"chain": [{"method": "filter"}]}), contextlib.nullcontext)


def _table(checks=(), indexes=(), unsigned=("rank",)):
    cols = {c: {"type": "int(10) unsigned" if c in unsigned else "bigint(20)"} for c in ("rank", "owner_id", "code")}
    fk = ("shelf_book_owner_id_fk", "FOREIGN KEY", (("owner_id", "shelf_owner", "id"),))
    return {"columns": cols, "checks": set(checks), "indexes": set(indexes),
            "constraints": {fk, *((c[0], "CHECK", ()) for c in checks)}}


def test_redundant_check_and_fk_index_are_notes_not_differences():
    """Migration history on MariaDB (tests/projects/mysql_history): a column's CHECK dropped by MODIFY is
    redundant with UNSIGNED; the owner_id index _create_missing_fk_index left is redundant with the unique
    index that starts with owner_id. Both folded into a note; anything else stays a difference."""
    from migrator.parity.introspect_mysql import fold_redundant

    check = ("rank", "`rank` >= 0")
    uniq, fk_index = ("uniq", 0, ("owner_id", "code")), ("shelf_book_owner_id", 1, ("owner_id",))
    migrated = {"shelf_book": _table(indexes=[uniq, fk_index])}
    created = {"shelf_book": _table(checks=[check], indexes=[uniq])}
    notes = fold_redundant(migrated, created)
    assert [t for t, _ in notes] == ["shelf_book"] and "only migrate has ('shelf_book_owner_id'" in notes[0][1]
    assert "only the schema file has ('rank', '`rank` >= 0')" in notes[0][1]
    assert migrated == created  # nothing else differed
    # a CHECK on a signed column, an index no other index covers: differences, left as they are
    signed = {"t": _table(checks=[check], unsigned=())}
    assert fold_redundant(signed, {"t": _table(unsigned=())}) == [] and signed["t"]["checks"] == {check}
    alone = {"t": _table(indexes=[fk_index])}
    assert fold_redundant(alone, {"t": _table()}) == [] and alone["t"]["indexes"] == {fk_index}


@pytest.mark.slow
def test_migration_history_project_on_mariadb(mariadb_server, tmp_path):  # noqa: F811
    """tests/projects/mysql_history: the schema check notes what MariaDB's migration history leaves (no
    failure), a string field Django saves as '' gets '' from the Go caller's stand-in (not a longer text),
    and a list for an __in over a nullable column decodes into sqlc's []sql.NullString."""
    from conftest import REPO

    project, tree = REPO / "tests/projects/mysql_history", tmp_path / "tree"
    proc = run_cli("generate", str(project), "--dialect", "mysql", "--out", str(tree))
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = tmp_path / "report.json"
    proc = run_cli("parity", str(project), "--generated", str(tree), "--database", mariadb_server.url("hx"),
                   "--only", "schema", "--only", "queries", "--json", str(out))
    report = json.loads(out.read_text())
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    notes = [c["detail"] for c in report["cases"] if c["status"] == "note" and c["name"] == "shelf_book"]
    assert any("redundant on MySQL" in n and "`rank` >= 0" in n and "owner_id" in n for n in notes), notes
    # AddBookBookCreate (one write) and BooksNotedBookOrderBy (several lists of notes): none fails
    assert report["summary"]["queries"]["passed"] >= 4 and report["summary"]["queries"]["failed"] == 0


def test_store_gets_a_mysql_adapter():
    """--dialect mysql: the handlers' store has a third adapter (myStore over mysqldb). MySQL's unsigned
    parameter is narrowed from the neutral int64 (Uint32Of); a scalar the others take is spread into the
    Params struct sqlc's MySQL engine makes for a parameter used twice; a date sqlc's MySQL engine types as a
    time is converted from the neutral djtypes.Date; a query whose types suit no neutral one stays out."""
    from migrator.plan import GoMethod, GoPackage, GoStruct
    from migrator.translate.handlers_store import neutral_store
    from migrator.translate.handlers_store_go import store_file

    def pkg(qty: str, slug, at: str, structs=()):
        return GoPackage(methods={"Qty": GoMethod((("qty", qty),), ""), "BySlug": GoMethod((slug,), "int64"),
                                  "On": GoMethod((("day", at),), "int64")}, structs=dict(structs))

    spread = GoStruct((("Slug", "string", "slug"),))  # sqlc's MySQL engine: one field per name, in a struct
    store = neutral_store({"postgresql": pkg("int32", ("slug", "string"), "djtypes.Date"),
                           "sqlite": pkg("int64", ("slug", "string"), "djtypes.Date"),
                           "mysql": pkg("uint32", ("arg", "BySlugParams"), "time.Time", {"BySlugParams": spread})})
    assert sorted(store.methods) == ["BySlug", "On", "Qty"] and store.dialects == ("postgresql", "sqlite", "mysql")
    my = next(a for a in store_file(store, ["Qty", "BySlug", "On"])["adapters"] if a["dialect"] == "mysql")
    assert my["type"] == "myStore" and [m["call"] for m in my["methods"]] == [
        's.q.BySlug(ctx, mysqldb.BySlugParams{Slug: slug})', "s.q.On(ctx, day.Time())",
        "s.q.Qty(ctx, qty32)"]
    assert my["methods"][2]["narrows"][0]["func"] == "Uint32Of"
    odd = {d: GoPackage(methods={"X": GoMethod((("x", t),), "")}) for d, t in (
        ("postgresql", "string"), ("sqlite", "string"), ("mysql", "time.Time"))}
    assert neutral_store(odd).methods == {}
    # a date bound: djtypes.Date elsewhere, a time (or NULL time) on MySQL: converted by MySQL's adapter
    dates = {d: GoPackage(methods={"In": GoMethod((("arg", "InParams"),), "int64")}, structs={"InParams": GoStruct(
        (("YearStart", t, "year_start"), ("Day", u, "day")))}) for d, t, u in (
        ("postgresql", "*djtypes.Date", "djtypes.Date"), ("sqlite", "*djtypes.Date", "djtypes.Date"),
        ("mysql", "sql.NullTime", "time.Time"))}
    my = store_file(neutral_store(dates), ["In"])["adapters"][2]["methods"][0]
    assert my["call"] == "s.q.In(ctx, mysqldb.InParams{YearStart: NullTimeOf(arg.YearStart), Day: arg.Day.Time()})"


def test_bench_reads_the_cpu_of_mariadb_threads(mariadb_server):  # noqa: F811
    """migrate bench on MySQL: the server threads serving a database's connections (processlist.TID), whose CPU
    time /proc gives as a process's (bench.procs.cpu_seconds), as PostgreSQL's backend pids."""
    from pathlib import Path

    import pymysql

    from migrator.bench.procs import cpu_seconds
    from migrator.parity.introspect_mysql import client_threads, server_version

    url = mariadb_server.create_db("bench_tid")
    try:
        assert client_threads(url) == []  # its own connection is not counted
        with pymysql.connect(host=mariadb_server.host, port=mariadb_server.port, user="root", database="bench_tid"):
            tids = client_threads(url)
            assert len(tids) == 1 and Path(f"/proc/{tids[0]}/stat").is_file() and cpu_seconds(tids) >= 0
        assert "MariaDB" in server_version(url)
    finally:
        mariadb_server.drop_db("bench_tid")


@pytest.mark.slow
def test_fiber_tree_with_mysql_builds(tmp_path):
    """--framework fiber --dialect mysql: fiber's go.mod and go.sum list the MySQL driver (they replace the
    common ones), and the server builds with MySQL's store adapter."""
    tree = tmp_path / "fiber"
    proc = run_cli("generate", str(SAMPLE), "--framework", "fiber", "--dialect", "sqlite", "--dialect", "postgresql",
                   "--dialect", "mysql", "--out", str(tree))
    assert proc.returncode == 0, proc.stderr[-3000:]
    mod, sums = (tree / "go.mod").read_text(), (tree / "go.sum").read_text()
    assert "github.com/gofiber/fiber/v2" in mod and "gorm.io/driver/mysql v1.6.0" in mod
    assert "github.com/go-sql-driver/mysql v1.8.1" in mod and "github.com/go-sql-driver/mysql v1.8.1 h1:" in sums
    assert "type myStore struct" in (tree / "http/store.go").read_text()
    go("build", "-o", str(tmp_path / "server"), "./http", cwd=tree, env={"GOFLAGS": "-mod=readonly -trimpath"})  # go.sum complete; packages from the cache


def _params(*names):
    from migrator.translate.sqlc_model import Param

    return [Param(name=n, source=n, kind="int", sentinel=n) for n in names]


@pytest.mark.parametrize("sql, names, out, renamed", [
    # qs[:n]: one parameter, passed as it is: its name stays
    ("SELECT `a` FROM `t` ORDER BY `a` LIMIT sqlc.arg(limit_value)", ["limit_value"],
     "SELECT `a` FROM `t` ORDER BY `a` LIMIT ?", ["limit_value"]),
    # beside a named parameter: sqlc names the bounds limit and offset (the Params struct's fields, json tags)
    ("SELECT `a` FROM `t` WHERE `b` = sqlc.arg(b) LIMIT sqlc.arg(n)", ["b", "n"],
     "SELECT `a` FROM `t` WHERE `b` = sqlc.arg(b) LIMIT ?", ["b", "limit"]),
    ("SELECT `a` FROM `t` WHERE (sqlc.narg(b) IS NULL OR `b` = sqlc.narg(b)) LIMIT sqlc.arg(size) "
     "OFFSET sqlc.arg(offset_value)", ["b", "size", "offset_value"],
     "SELECT `a` FROM `t` WHERE (sqlc.narg(b) IS NULL OR `b` = sqlc.narg(b)) LIMIT ? OFFSET ?",
     ["b", "limit", "offset"]),
    ("SELECT `a` FROM `t` LIMIT sqlc.arg(size) OFFSET sqlc.arg(offset_value)", ["size", "offset_value"],
     "SELECT `a` FROM `t` LIMIT ? OFFSET ?", ["limit", "offset"]),
    # a bound used elsewhere too, or a name another parameter has: left as it is (sqlc rejects it, reported)
    ("SELECT `a` FROM `t` WHERE `b` < sqlc.arg(n) LIMIT sqlc.arg(n)", ["n"], None, None),
    ("SELECT `a` FROM `t` WHERE `b` = sqlc.arg(limit) LIMIT sqlc.arg(n)", ["limit", "n"], None, None),
    ("SELECT `a` FROM `t` WHERE `b` = sqlc.arg(b) LIMIT 5", ["b"], None, None),
])
def test_variable_slice_bounds_are_positional_on_mysql(sql, names, out, renamed):
    """qs[a:b]: sqlc's MySQL parser takes LIMIT ? / OFFSET ? but no sqlc.arg() there (sqlc-dev/sqlc#1025)."""
    from migrator.translate.sqlc_rewrite import _mysql_positional_limit

    text, params = _mysql_positional_limit(sql, _params(*names))
    assert (text, [p.name for p in params]) == (out or sql, renamed or names)
    assert [p.sentinel for p in params] == names  # the values still come from the same source arguments
