"""Scratch databases for parity: a SQLite file per database by default, or fresh databases with unique
names on a PostgreSQL server (``--database postgresql://user@host:port/prefix``), all dropped at the end.

``Scratch.fresh(name)`` makes an empty database; ``Scratch.copy(src_url, name)`` a copy of a loaded one
(a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL).
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
        self.dialect = "postgresql" if database and database.startswith(("postgres://", "postgresql://")) else "sqlite"
        self._made: list[str] = []
        self._prefix = ""
        if self.dialect == "postgresql":
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

    def copy(self, src: str, name: str) -> str:
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
        if self.dialect == "postgresql":
            for db in list(self._made):
                try:
                    self.drop(self._pg_url(db))
                except Exception:  # noqa: BLE001 - best effort at the end
                    pass
        shutil.rmtree(self.workdir, ignore_errors=True)
