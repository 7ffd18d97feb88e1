"""Scratch databases for parity: a SQLite file per database by default, or fresh databases with unique
names on a PostgreSQL server (``--database postgresql://user@host:port/prefix``) or a MySQL/MariaDB server
(``--database mysql://user:password@host:port/prefix``), all dropped at the end.

``Scratch.fresh(name)`` makes an empty database; ``Scratch.copy(src_url, name)`` a copy of a loaded one
(a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL, each table's own ``SHOW CREATE TABLE``
and its rows on MySQL).
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse


class Unavailable(Exception):
    """The database cannot be used at all (server unreachable, bad URL): parity cannot run (exit 2)."""


class Scratch:
    def __init__(self, database: str | None = None, workdir: Path | None = None):
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="migrator-parity-db-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.database = database
        from ..dialects import for_url

        self.dialect = for_url(database)
        self._made: list[str] = []
        self._prefix = ""
        if self.dialect == "mysql":
            self.server = MySQLServer(database)
            self._prefix = self.server.prefix
        elif self.dialect == "postgresql":
            u = urlparse(database)
            base = (u.path.lstrip("/") or "parity").replace("-", "_")[:30]
            self._prefix = f"{base}_{uuid.uuid4().hex[:8]}"
            self._admin_url = urlunparse(u._replace(path="/postgres"))
            try:
                self._admin().close()
            except Exception as exc:  # noqa: BLE001 - any failure to connect means we cannot run
                raise Unavailable(f"database unreachable: {database}: {str(exc).strip().splitlines()[0]}") from exc
        elif database:
            raise Unavailable(f"unsupported --database {database!r}: give a postgresql:// URL "
                              "(SQLite scratch files are the default)")

    def _admin(self):
        import psycopg

        return psycopg.connect(self._admin_url, autocommit=True, connect_timeout=10)

    def _pg_url(self, name: str) -> str:
        return urlunparse(urlparse(self.database)._replace(path="/" + name))

    def fresh(self, name: str) -> str:
        if self.dialect == "mysql":
            return self._track(self.server.fresh(f"{self._prefix}_{name}"))
        if self.dialect == "sqlite":
            path = self.workdir / f"{name}.sqlite3"
            path.unlink(missing_ok=True)
            return str(path)
        from psycopg import sql

        db = f"{self._prefix}_{name}"
        with self._admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
        self._made.append(db)
        return self._pg_url(db)

    def _track(self, url: str) -> str:
        self._made.append(urlparse(url).path.lstrip("/"))
        return url

    def copy(self, src: str, name: str) -> str:
        if self.dialect == "mysql":
            return self._track(self.server.copy(src, f"{self._prefix}_{name}"))
        if self.dialect == "sqlite":
            dst = self.workdir / f"{name}.sqlite3"
            shutil.copy(src, dst)
            return str(dst)
        from psycopg import sql

        db = f"{self._prefix}_{name}"
        template = urlparse(src).path.lstrip("/")
        with self._admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(db), sql.Identifier(template)))
        self._made.append(db)
        return self._pg_url(db)

    def drop(self, url: str) -> None:
        if self.dialect == "mysql":
            db = urlparse(url).path.lstrip("/")
            self.server.drop(db)
            if db in self._made:
                self._made.remove(db)
            return
        if self.dialect == "sqlite":
            Path(url).unlink(missing_ok=True)
            return
        from psycopg import sql

        db = urlparse(url).path.lstrip("/")
        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))
        if db in self._made:
            self._made.remove(db)

    def close(self) -> None:
        if self.dialect != "sqlite":
            for db in list(self._made):
                try:
                    self.drop(self._pg_url(db))
                except Exception:  # noqa: BLE001 - best effort at the end
                    pass
        shutil.rmtree(self.workdir, ignore_errors=True)


class MySQLServer:
    """Scratch databases on a MySQL or MariaDB server (PyMySQL, the driver parity's Django side uses)."""

    def __init__(self, database: str):
        u = urlparse(database)
        self.url = database
        self.prefix = f"{(u.path.lstrip('/') or 'parity').replace('-', '_')[:30]}_{uuid.uuid4().hex[:8]}"
        try:
            self._admin().close()
        except Exception as exc:  # noqa: BLE001 - any failure to connect means we cannot run
            raise Unavailable(f"database unreachable: {database}: {str(exc).strip().splitlines()[0]}") from exc

    def _admin(self, db: str | None = None):
        import pymysql
        from urllib.parse import unquote

        u = urlparse(self.url)
        return pymysql.connect(host=u.hostname or "127.0.0.1", port=u.port or 3306, user=unquote(u.username or "root"),
                               password=unquote(u.password or ""), database=db, autocommit=True, connect_timeout=10,
                               charset="utf8mb4")

    def _url(self, name: str) -> str:
        return urlunparse(urlparse(self.url)._replace(path="/" + name))

    def fresh(self, db: str) -> str:
        with self._admin() as conn, conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{db}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
        return self._url(db)

    def copy(self, src: str, db: str) -> str:
        """A copy of ``src``: each table as ``SHOW CREATE TABLE`` wrote it (foreign keys included), then its rows."""
        source = urlparse(src).path.lstrip("/")
        self.fresh(db)
        with self._admin(db) as conn, conn.cursor() as cur:
            cur.execute("SET FOREIGN_KEY_CHECKS = 0")
            cur.execute("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = %s "
                        "ORDER BY table_name", (source,))
            tables = cur.fetchall()
            for table, kind in tables:
                if kind != "BASE TABLE":
                    continue
                cur.execute(f"SHOW CREATE TABLE `{source}`.`{table}`")
                cur.execute(cur.fetchone()[1])
                cur.execute(f"INSERT INTO `{table}` SELECT * FROM `{source}`.`{table}`")
            for table, kind in tables:  # views after the tables they read
                if kind == "VIEW":
                    cur.execute(f"SHOW CREATE VIEW `{source}`.`{table}`")
                    cur.execute(cur.fetchone()[1].replace(f"`{source}`.", ""))
            cur.execute("SET FOREIGN_KEY_CHECKS = 1")
        return self._url(db)

    def drop(self, db: str) -> None:
        with self._admin() as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{db}`")
