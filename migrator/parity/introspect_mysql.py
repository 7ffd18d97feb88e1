"""MySQL/MariaDB side of the `schema` check: a database introspected through information_schema into the
shape ``checks_schema.table_diff`` compares (columns, primary key, constraints, indexes), and a schema file
executed statement by statement (the server takes one statement per call)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse


def connect(url: str):
    import pymysql

    u = urlparse(url)
    return pymysql.connect(host=u.hostname or "127.0.0.1", port=u.port or 3306, user=unquote(u.username or "root"),
                           password=unquote(u.password or ""), database=u.path.lstrip("/"), autocommit=True,
                           connect_timeout=10, charset="utf8mb4")


def statements(text: str) -> list[str]:
    """The statements of a schema file (Django writes one per line, each ending with ``;``; ``--`` lines are
    comments)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", body) if s.strip()]


def execute_schema(url: str, text: str) -> None:
    with connect(url) as db, db.cursor() as cur:
        for stmt in statements(text):
            cur.execute(stmt)


def introspect_mysql(url: str) -> dict:
    with connect(url) as db, db.cursor() as cur:
        def q(sql: str, *args) -> list[tuple]:
            cur.execute(sql, args)
            return list(cur.fetchall())

        name = urlparse(url).path.lstrip("/")
        schema = {}
        tables = [r[0] for r in q("SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND "
                                  "table_type = 'BASE TABLE' AND table_name <> 'django_migrations'", name)]
        for table in tables:
            columns = {c: {"type": typ, "notnull": nullable == "NO", "default": default, "extra": extra}
                       for c, typ, nullable, default, extra in q(
                           "SELECT column_name, column_type, is_nullable, column_default, extra FROM "
                           "information_schema.columns WHERE table_schema = %s AND table_name = %s", name, table)}
            keys: dict[str, list] = {}
            for cname, col, ref_table, ref_col in q(
                    "SELECT constraint_name, column_name, referenced_table_name, referenced_column_name FROM "
                    "information_schema.key_column_usage WHERE table_schema = %s AND table_name = %s "
                    "ORDER BY constraint_name, ordinal_position", name, table):
                keys.setdefault(cname, []).append((col, ref_table, ref_col))
            constraints = {(cname, kind, tuple(keys.get(cname, ()))) for cname, kind in q(
                "SELECT constraint_name, constraint_type FROM information_schema.table_constraints "
                "WHERE table_schema = %s AND table_name = %s", name, table)}
            checks = {(cname, re.sub(r"\s+", " ", clause)) for cname, clause in q(
                "SELECT constraint_name, check_clause FROM information_schema.check_constraints "
                "WHERE constraint_schema = %s AND table_name = %s", name, table)}
            indexes: dict[tuple, list] = {}
            for iname, non_unique, col in q(
                    "SELECT index_name, non_unique, column_name FROM information_schema.statistics "
                    "WHERE table_schema = %s AND table_name = %s ORDER BY index_name, seq_in_index", name, table):
                indexes.setdefault((iname, int(non_unique)), []).append(col)
            pk = tuple(indexes.get(("PRIMARY", 0), ()))
            schema[table] = {"columns": columns, "pk": pk, "constraints": constraints, "checks": checks,
                             "indexes": {(n, u, tuple(cols)) for (n, u), cols in indexes.items()}}
        return schema


_NON_NEGATIVE = re.compile(r"^`(\w+)` >= 0$")


def _redundant(table: dict) -> tuple[set, set, set]:
    """What one table holds that InnoDB or the column type makes redundant: (checks, constraints, indexes).

    - ``CHECK (`col` >= 0)`` on an ``unsigned`` column (Django's positive integer fields): the type already
      refuses a negative value in strict mode. MariaDB drops a column's CHECK when a migration MODIFYs the
      column (todo's ``AlterField`` to ``null=True``), so a migrated database may lack it.
    - a plain index on a foreign-key column alone when another index starts with that column: InnoDB needs
      an index for the foreign key and either serves it. Django's MySQL schema editor adds the single-column
      one before it drops a composed index that served the key (``_create_missing_fk_index``), so migration
      history leaves it where a fresh table has none.
    """
    unsigned = {c for c, col in table["columns"].items() if "unsigned" in str(col["type"]).lower()}
    checks = {c for c in table["checks"] if (m := _NON_NEGATIVE.match(c[1])) and m.group(1) in unsigned}
    names = {c[0] for c in checks}
    constraints = {c for c in table["constraints"] if c[1] == "CHECK" and c[0] in names}
    fks = {k[0][0] for k in (c[2] for c in table["constraints"] if c[1] == "FOREIGN KEY") if len(k) == 1}
    indexes = {i for i in table["indexes"] if i[1] == 1 and len(i[2]) == 1 and i[2][0] in fks
               and any(o is not i and o[2][0] == i[2][0] for o in table["indexes"])}
    return checks, constraints, indexes


def fold_redundant(migrated: dict, created: dict) -> list[tuple[str, str]]:
    """Removes, from both sides, what ``_redundant`` finds where the two sides differ by it, and returns a
    (table, note) per table so changed: differences of plan only, never of a query's result."""
    notes = []
    for table in sorted(set(migrated) & set(created)):
        m, c = _redundant(migrated[table]), _redundant(created[table])
        said = []
        for aspect, on_m, on_c in zip(("checks", "constraints", "indexes"), m, c):
            if {i[1:] for i in on_m} == {i[1:] for i in on_c}:
                continue  # the same on both sides (a name-only difference is behaviour_diff's to note)
            migrated[table][aspect] = migrated[table][aspect] - on_m
            created[table][aspect] = created[table][aspect] - on_c
            said += [f"only migrate has {i}" for i in sorted(on_m - on_c, key=repr)]
            said += [f"only the schema file has {i}" for i in sorted(on_c - on_m, key=repr)]
        if said:
            notes.append((table, f"{table}: {'; '.join(said)} (redundant on MySQL: a CHECK col >= 0 on an "
                                 "unsigned column, or a foreign key's own index where another index serves it)"))
    return notes


def client_threads(url: str) -> list[int]:
    """The OS thread ids of the server threads serving the database's other connections (MariaDB 10.5+
    ``processlist.TID``; ``migrate bench`` reads their CPU time as PostgreSQL's backends'); [] without it."""
    name = urlparse(url).path.lstrip("/")
    with connect(url) as db, db.cursor() as cur:
        try:
            cur.execute("SELECT tid FROM information_schema.processlist WHERE db = %s AND id <> CONNECTION_ID()", (name,))
        except Exception:  # noqa: BLE001 - MySQL has no TID column
            return []
        return [int(r[0]) for r in cur.fetchall() if r[0]]


def server_version(url: str) -> str:
    with connect(url) as db, db.cursor() as cur:
        cur.execute("SELECT VERSION()")
        return str(cur.fetchone()[0])
