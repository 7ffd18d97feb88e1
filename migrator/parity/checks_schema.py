"""The `schema` check: the database Django migrated behaves like the one schema/<dialect>.sql creates.

Both are introspected the same way (columns with type, NOT NULL and default; primary key; foreign keys;
indexes with their columns, uniqueness and conditions; CHECK constraints; on PostgreSQL every constraint
and index by definition) and compared table by table: a difference there fails. What does not change
behaviour is a note, not a failure: an index or constraint that differs only by its name (migration
history leaves names: a renamed table, ``unique=True`` added later gives ``_uniq`` where a fresh table
gets ``_key``), and a table no model owns that a migration made (``createcachetable``, RunSQL).
``table_diff`` (names included) is what tests/test_schema.py holds the schema generator to.
"""

from __future__ import annotations

import itertools
import re
import sqlite3

from .context import Case, Context, register


_RUNS = itertools.count()


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _checks(create_sql: str) -> set[str]:
    found = set()
    for m in re.finditer(r"\bCHECK\s*\(", create_sql, re.IGNORECASE):
        depth, i = 1, m.end()
        while depth and i < len(create_sql):
            depth += {"(": 1, ")": -1}.get(create_sql[i], 0)
            i += 1
        found.add(_norm(create_sql[m.end():i - 1]))
    return found


def introspect_sqlite(path: str) -> dict:
    db = sqlite3.connect(path)
    try:
        q = lambda sql, *a: db.execute(sql, a).fetchall()  # noqa: E731
        schema = {}
        tables = [r[0] for r in q("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                                  "AND name <> 'django_migrations'")]
        for table in tables:
            info = q(f'PRAGMA table_info("{table}")')
            columns = {c[1]: {"type": c[2], "notnull": bool(c[3]), "default": c[4]} for c in info}
            pk = tuple(c[1] for c in sorted(info, key=lambda c: c[5]) if c[5])
            fks = {(f[3], f"{f[2]}.{f[4]}") for f in q(f'PRAGMA foreign_key_list("{table}")')}
            indexes = set()
            for _seq, name, unique, origin, partial in q(f'PRAGMA index_list("{table}")'):
                cols = tuple(r[2] for r in q(f'PRAGMA index_info("{name}")'))
                sql = q("SELECT sql FROM sqlite_master WHERE type='index' AND name=?", name)
                sql = _norm(sql[0][0]) if sql and sql[0][0] else ""
                where = ""
                if partial:
                    where = _norm(re.split(r"\bWHERE\b", sql, maxsplit=1, flags=re.IGNORECASE)[1])
                # Indexes SQLite makes for inline UNIQUE/PRIMARY KEY constraints are numbered
                # sqlite_autoindex_<table>_<n> in column-definition order, which a table rebuild
                # (migrate's _remake_table) may change: compare those by definition only.
                # Every other index keeps Django's name in both databases, so names are compared.
                label = None if origin in ("u", "pk") else name
                indexes.add((label, cols, bool(unique), origin, where, sql))
            create_sql = q("SELECT sql FROM sqlite_master WHERE type='table' AND name=?", table)[0][0]
            schema[table] = {"columns": columns, "pk": pk, "fks": fks, "indexes": indexes,
                             "checks": _checks(create_sql)}
        return schema
    finally:
        db.close()


def introspect_postgres(url: str) -> dict:
    import psycopg

    with psycopg.connect(url) as db:
        q = lambda sql, *a: db.execute(sql, a).fetchall()  # noqa: E731
        schema = {}
        tables = [r[0] for r in q("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                  "AND tablename <> 'django_migrations'")]
        for table in tables:
            columns = {
                name: {"type": typ, "notnull": notnull, "default": default, "identity": identity}
                for name, typ, notnull, default, identity in q(
                    "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                    "pg_get_expr(d.adbin, d.adrelid), a.attidentity "
                    "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                    "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped",
                    f'public."{table}"')
            }
            # Names are compared too: migrate and create_model agree on every constraint and index
            # name (Django derives them from table + columns + a hash).
            constraints = {(name, kind, _norm(definition)) for name, kind, definition in q(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass", f'public."{table}"')}
            indexes = {(name, _norm(defn)) for name, defn in q(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s", table)}
            pk = tuple(r[0] for r in q(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
                "ORDER BY array_position(i.indkey, a.attnum)", f'public."{table}"'))
            schema[table] = {"columns": columns, "pk": pk, "constraints": constraints, "indexes": indexes}
        return schema


def table_diff(table: str, migrated: dict | None, created: dict | None) -> list[str]:
    """Every difference in one table, one line each (empty when they agree)."""
    if migrated is None or created is None:
        return [f"{table}: only in {'the migrated database' if migrated is not None else 'schema/*.sql'}"]
    diffs = []
    for aspect, want in migrated.items():
        got = created[aspect]
        if got == want:
            continue
        if isinstance(want, dict):
            for key in sorted(set(want) | set(got)):
                if want.get(key) != got.get(key):
                    diffs.append(f"{table}.{aspect}[{key}]: migrate {want.get(key)} != schema file {got.get(key)}")
        elif isinstance(want, set):
            diffs += [f"{table}.{aspect}: only migrate has {item}" for item in sorted(want - got, key=repr)]
            diffs += [f"{table}.{aspect}: only the schema file has {item}" for item in sorted(got - want, key=repr)]
        else:
            diffs.append(f"{table}.{aspect}: migrate {want} != schema file {got}")
    return diffs


_INDEX_NAME = re.compile(r"^(CREATE (?:UNIQUE )?INDEX )\S+ ON ", re.IGNORECASE)


def _unnamed(aspect: str, item):
    """An index or constraint without its name: what it does."""
    if aspect == "indexes" and len(item) == 6:  # SQLite: (name, columns, unique, origin, where, sql)
        return item[1], item[2], item[4]
    if aspect == "indexes" and len(item) == 2:  # PostgreSQL: (name, definition)
        return _INDEX_NAME.sub(r"\1 ON ", item[1])
    if aspect == "indexes" and len(item) == 3:  # MySQL: (name, non_unique, columns)
        return item[1], item[2]
    if aspect == "constraints":  # PostgreSQL: (name, kind, definition); MySQL: (name, kind, key columns)
        return item[1], item[2]
    if aspect == "checks" and isinstance(item, tuple):  # MySQL: (name, clause)
        return item[1]
    return item


def behaviour_diff(table: str, migrated: dict, created: dict) -> tuple[list[str], list[str]]:
    """(differences in behaviour, name-only differences) of one table present on both sides."""
    unnamed = {}
    for side, schema in (("m", migrated), ("c", created)):
        unnamed[side] = {a: ({_unnamed(a, i) for i in v} if isinstance(v, set) else v) for a, v in schema.items()}
    diffs = table_diff(table, unnamed["m"], unnamed["c"])
    notes = []
    for aspect, want in migrated.items():
        got = created.get(aspect)
        if isinstance(want, set) and want != got and unnamed["m"][aspect] == unnamed["c"][aspect]:
            only_m = sorted((i[0] for i in want - got), key=str)
            only_c = sorted((i[0] for i in got - want), key=str)
            notes.append(f"{table}.{aspect}: the same definitions under other names: migrate "
                         f"{', '.join(map(str, only_m))} / schema file {', '.join(map(str, only_c))}")
    return diffs, notes


@register("schema")
def check_schema(ctx: Context) -> list[Case]:
    sql_file = ctx.tree / "schema" / f"{ctx.dialect}.sql"
    if not sql_file.is_file():
        return [Case(check="schema", name=str(sql_file.name), status="failed", detail=f"{sql_file} is missing")]
    text = sql_file.read_text(encoding="utf-8")
    created_url = ctx.scratch.fresh(f"schema_file{next(_RUNS)}")  # the mutation run calls this check again
    try:
        return _compare(ctx, text, created_url)
    finally:  # also when the file does not execute: the next run needs a fresh database of its own
        ctx.scratch.drop(created_url)


def _compare(ctx: Context, text: str, created_url: str) -> list[Case]:
    mysql_notes: list = []  # MySQL: differences of plan only (introspect_mysql.fold_redundant)
    try:
        if ctx.dialect == "sqlite":
            db = sqlite3.connect(created_url)
            db.executescript(text)
            db.close()
            migrated, created = introspect_sqlite(ctx.url), introspect_sqlite(created_url)
        elif ctx.dialect == "mysql":
            from .introspect_mysql import execute_schema, fold_redundant, introspect_mysql

            execute_schema(created_url, text)
            migrated, created = introspect_mysql(ctx.url), introspect_mysql(created_url)
            mysql_notes = fold_redundant(migrated, created)
        else:
            import psycopg

            with psycopg.connect(created_url) as db:
                db.execute(text)  # no parameters: the simple protocol runs the whole script
            migrated, created = introspect_postgres(ctx.url), introspect_postgres(created_url)
    except Exception as exc:  # noqa: BLE001 - the schema file does not execute: that is the finding
        return [Case(check="schema", name=f"schema/{ctx.dialect}.sql", status="failed",
                     detail=f"executing it failed: {exc}", operation=f"execute schema/{ctx.dialect}.sql")]
    cases = []
    owned = {m.db_table for m in ctx.project.models if m.db_table}
    for table in sorted(set(migrated) | set(created)):
        op = f"introspect {table}: migrate vs schema/{ctx.dialect}.sql"
        if table in migrated and table not in created and table not in owned:
            cases.append(Case(check="schema", name=table, status="note", operation=op,
                              detail="made by a migration, not by a model (createcachetable, RunSQL): not in "
                                     f"schema/{ctx.dialect}.sql, and no generated code uses it"))
            continue
        if table not in migrated or table not in created:
            diffs, notes = table_diff(table, migrated.get(table), created.get(table)), []
        else:
            diffs, notes = behaviour_diff(table, migrated[table], created[table])
        cases.append(Case(check="schema", name=table, status="failed" if diffs else "passed",
                          detail="\n".join(diffs), operation=op))
        notes += [n for t, n in mysql_notes if t == table]
        cases += [Case(check="schema", name=table, status="note", detail=n, operation=op) for n in notes]
    return cases
