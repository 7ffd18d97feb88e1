"""MySQL / MariaDB, the third dialect (docs/mysql.md): the registry, sqlc's MySQL forms, and, on a private
MariaDB (tests/mariadb.py), `migrate parity --database mysql://...` on the sample end to end."""

from __future__ import annotations

import json

import pytest
import sqlglot

from conftest import SAMPLE, go, run_cli
from mariadb import mariadb_server  # noqa: F401  (fixture: a private MariaDB)
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


@pytest.mark.slow
def test_sample_on_mariadb(mariadb_server, tmp_path):  # noqa: F811
    """generate --dialect mysql builds (GORM's MySQL driver, sqlc's MySQL engine), and parity on MariaDB
    passes: Django's migrate and schema/mysql.sql agree, GORM reads what Django reads."""
    tree = tmp_path / "tree"
    proc = run_cli("generate", str(SAMPLE), "--dialect", "sqlite", "--dialect", "postgresql", "--dialect", "mysql",
                   "--out", str(tree))
    assert proc.returncode == 0, proc.stderr[-3000:]
    queries = (tree / "sqlc/queries/mysql.sql").read_text()
    assert ":execlastid" in queries and "RETURNING" not in queries and "`" in queries
    assert (tree / "gorm/models/db_mysql.go").is_file() and "gorm.io/driver/mysql" in (tree / "go.mod").read_text()
    go("build", "./...", cwd=tree)
    out = tmp_path / "report.json"
    proc = run_cli("parity", str(SAMPLE), "--generated", str(tree), "--database", mariadb_server.url("px"),
                   "--only", "schema", "--only", "models", "--json", str(out))
    report = json.loads(out.read_text())
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert report["dialect"] == "mysql"
    assert report["summary"]["schema"]["passed"] >= 20 and report["summary"]["schema"]["failed"] == 0
    assert report["summary"]["models"]["passed"] >= 30 and report["summary"]["models"]["failed"] == 0
    with mariadb_server._admin() as conn, conn.cursor() as cur:  # every scratch database dropped
        cur.execute("SHOW DATABASES LIKE 'px%'")
        assert cur.fetchall() == ()


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
