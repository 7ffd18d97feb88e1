"""Two JSON-lines servers over the same database, Django's auth (oracle.py) and the generated djauth
(probe.go, built into a tree holding only djauth), for tests/test_auth.py."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TIMEOUT = 120  # seconds for one answer (Argon2 and a million PBKDF2 iterations take well under one)


class Server:
    """One child process: a JSON object per line in, a JSON object per line out."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path = REPO):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env={**os.environ, **env}, cwd=cwd)

    def ask(self, op: str, **args) -> dict:
        self.proc.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], TIMEOUT)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            self.close()
            raise AssertionError(f"{op}: no answer; stderr:\n{self.proc.stderr.read()}")
        answer = json.loads(line)
        if "exception" in answer:
            raise AssertionError(f"{op} {args}: {answer['exception']}")
        return answer

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# Sessions, permissions and CSRF do not depend on the cost of a hash: their tests make both sides hash with
# fewer PBKDF2 iterations (the hasher tests keep Django's own count).
FAST_ITERATIONS = "1000"


def oracle(project: Path, settings: str, database: str, fast: bool = False) -> Server:
    return Server([sys.executable, str(HERE / "oracle.py"), str(project), settings, database],
                  {"PYTHONPATH": str(REPO), **({"ORACLE_PBKDF2_ITERATIONS": FAST_ITERATIONS} if fast else {})})


def probe(binary: Path, database: str, dialect: str, fast: bool = False, **settings: str) -> Server:
    path = {"sqlite": database.removeprefix("sqlite://"), "mysql": mysql_dsn(database)}.get(dialect, database)
    return Server([str(binary)], {"DATABASE_URL": path, "DIALECT": dialect, **settings,
                                  **({"PASSWORD_PBKDF2_ITERATIONS": FAST_ITERATIONS} if fast else {})})


def mysql_dsn(url: str) -> str:
    """go-sql-driver's DSN of a mysql:// URL with the session settings of the generated server's MySQLDSN
    (templates/gorm/db_mysql.go.j2), so the probe reads MariaDB as a migrated server does."""
    from urllib.parse import urlencode, urlparse

    u = urlparse(url)
    params = {"parseTime": "true", "loc": "UTC", "clientFoundRows": "true", "charset": "utf8mb4",
              "sql_mode": "'STRICT_TRANS_TABLES'", "time_zone": "'+00:00'"}
    return (f"{u.username or ''}:{u.password or ''}@tcp({u.hostname}:{u.port or 3306}){u.path}?"
            + urlencode(sorted(params.items())))


def build_probe(project_ir, out: Path, go) -> Path:
    """A Go module holding djauth for the project and cmd/authprobe; the built probe's path."""
    from migrator.emit.auth import AUTH_INDIRECT, AUTH_REQUIRES, emit_auth, with_auth_modules
    from migrator.emit.common import INDIRECT, MYSQL_INDIRECT, MYSQL_REQUIRES, go_mod, go_sum
    from migrator.templating import template_root
    from migrator.translate.auth import plan_auth

    module = "authprobe"
    for path, f in emit_auth(plan_auth(project_ir)).files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(f.text)
    # the MySQL driver too: test_auth's stacks run on MariaDB as well
    (out / "go.mod").write_text(go_mod(module, tuple(AUTH_REQUIRES + MYSQL_REQUIRES[:1]),
                                       AUTH_INDIRECT | dict(MYSQL_INDIRECT)))
    base = go_sum((template_root() / "common" / "go.sum").read_text(), ("mysql",))
    (out / "go.sum").write_text(with_auth_modules(base, {p: dict(INDIRECT)[p] for p in AUTH_INDIRECT}))
    (out / "cmd" / "authprobe").mkdir(parents=True)
    (out / "cmd" / "authprobe" / "main.go").write_text((HERE / "probe.go").read_text().replace("MODULE/", module + "/"))
    go("vet", "./...", cwd=out)
    go("build", "-o", str(out / "authprobe"), "./cmd/authprobe", cwd=out)
    return out / "authprobe"


def database(request, tmp_path_factory, dialect: str, name: str):
    """A fresh database for a module-scoped fixture (pg_db is per test): its URL; dropped at the end. MySQL's is
    on the session's private MariaDB (tests/mariadb.py), the one the sample's MariaDB parity run uses."""
    if dialect == "sqlite":
        return str(tmp_path_factory.mktemp(name) / "db.sqlite3")
    import uuid

    server = request.getfixturevalue("mariadb_server" if dialect == "mysql" else "postgres_server")
    db = f"{name}_{uuid.uuid4().hex[:8]}"
    url = server.create_db(db)
    request.addfinalizer(lambda: server.drop_db(db))
    return url


DELETED = 'sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax'  # Django's bytes


def cookie_shape(header: str | None) -> str | None:
    """A Set-Cookie header compared by meaning: its attributes by name (case-insensitive), sorted; a new key's
    value and a future Expires date stand for themselves ("<key>", "<date>"); a deletion is kept as sent."""
    if header is None or header == DELETED:
        return header
    first, *attrs = [part.strip() for part in header.split(";")]
    name, value = first.split("=", 1)
    shaped = []
    for attr in attrs:
        key, _, val = attr.partition("=")
        key = key.lower()
        shaped.append(f"{key}=<date>" if key == "expires" and "1970" not in val else f"{key}={val}")
    value = "<key>" if value.strip('"') else value
    return "; ".join([f"{name}={value}", *sorted(shaped)])
