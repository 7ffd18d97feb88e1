"""The sample's DRF writes (catalog/api.py StaffTagViewSet: a ModelViewSet behind IsAdminUser) against DRF.

Tag has two unique columns (``name``, a ``SlugField`` ``slug``): DRF's UniqueValidators and the slug pattern run
in Go. Django's runserver and the generated servers (net/http and Fiber, the session's sample trees) start from
copies of one SQLite database (the sample's fixture, a staff user and an ordinary one with Basic credentials) and
receive the same requests; every answer is compared exactly and, after each, the tag and product-tag tables.
On PostgreSQL, each side has its database, created from the seeded one as a template.
``DELETE`` runs Django's collector (Product.tags points to Tag: the join rows go first) through the GORM layer.
The same servers answer CategoryViewSet's reads, whose serializer nests each category's children (many=True).
"""

from __future__ import annotations

import base64
import json
import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from conftest import SAMPLE
from migrator.parity.http import compare_answers
from test_drf_access import _send as send
from test_drf_writes import few_iterations, start_on_copies, start_sides

SEED = r"""
import django; django.setup()
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("loaddata", "fixtures/sample.json", verbosity=0)
from django.contrib.auth.models import User
for name in ("admin", "jose"):  # few iterations: each Basic request hashes the password on every side
    User.objects.filter(username=name).update(password=PBKDF2PasswordHasher().encode("pw-" + name, "salt" + name, 1000))
"""

T = "/api/drf/staff/tags/"
C = "/api/drf/categories/"


def _auth(user: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:pw-{user}".encode()).decode()


ADMIN, JOSE = _auth("admin"), _auth("jose")
REQUESTS = [
    ("POST", T, {"name": "Gifts", "slug": "gifts"}, ADMIN),  # 201
    ("POST", T, {"name": "Gifts", "slug": "gifts"}, ADMIN),  # both UniqueValidators
    ("POST", T, {"name": " eco ", "slug": "BAD SLUG"}, ADMIN),  # trimmed, then unique; the slug pattern
    ("POST", T, {}, ADMIN), ("POST", T, {"name": "x" * 51, "slug": "s" * 61}, ADMIN),
    ("POST", T, {"name": "", "slug": 5}, ADMIN), ("POST", T[:-1] + ".json", {"name": "n2", "slug": "n-2"}, ADMIN),
    ("POST", T, {"name": "nope", "slug": "nope"}, JOSE),  # IsAdminUser: 403 before validation
    ("POST", T, {"name": "nope", "slug": "nope"}, ""),
    ("PUT", T + "1/", {"name": "eco", "slug": "eco"}, ADMIN),  # its own values: not duplicates
    ("PUT", T + "1/", {"name": "sale", "slug": "eco"}, ADMIN), ("PUT", T + "1/", {"name": "eco2"}, ADMIN),
    ("PATCH", T + "2/", {"slug": "snake-case"}, ADMIN), ("PATCH", T + "2/", {"name": "  Sale  "}, ADMIN),
    ("PATCH", T + "999/", {"name": "x"}, ADMIN), ("PATCH", T + "2/", {"name": "x"}, JOSE),
    ("GET", T + "2/", None, ADMIN), ("GET", T + "?limit=3", None, ADMIN),
    # destroy: Django's collector (Product.tags' join rows first), through the GORM layer's models.DeleteTag
    ("DELETE", T + "7/", None, ADMIN), ("DELETE", T + "7/", None, ADMIN), ("DELETE", T + "15.json", None, ADMIN),
    ("DELETE", T + "22/", None, JOSE), ("DELETE", T + "22/", None, ""), ("DELETE", T + "abc/", None, ADMIN),
    # CategorySerializer.children: a nested many=True (category.children.all() per category, [] for a leaf); its
    # product_count a SerializerMethodField returning category.products.count()
    ("GET", C, None, ""), ("GET", C + "?size=5&page=2", None, ""), ("GET", C + "1/", None, ""),
    ("GET", C[:-1] + ".json", None, JOSE), ("GET", C + "23.json", None, ""),
]


TABLES = ("SELECT id, name, slug FROM catalog_tag ORDER BY id", "SELECT product_id, tag_id FROM catalog_product_tags "
          "ORDER BY 1, 2")


def _rows(db) -> list:
    if isinstance(db, str):  # a PostgreSQL URL
        import psycopg

        with psycopg.connect(db) as c:
            return [tuple(r) for q in TABLES for r in c.execute(q).fetchall()]
    with sqlite3.connect(db) as c:
        return [r for q in TABLES for r in c.execute(q).fetchall()]


def start_postgresql(tmp_path, servers: dict, pg, project=SAMPLE, settings="shopapi.settings", seed=SEED,
                     probe="/api/drf/") -> tuple[dict, list, dict]:
    """start_on_copies on PostgreSQL: Django's runserver on a seeded database, each Go server on a database
    created from it (CREATE DATABASE ... TEMPLATE): (base URLs, processes, database URL by side)."""
    from psycopg import sql

    tag = os.urandom(4).hex()
    urls = {"django": pg.create_db(f"drfs_{tag}_django")}
    (tmp_path / "pg_settings.py").write_text(
        f"from {settings} import *  # noqa\nfrom {settings} import DATABASES as _D\n"
        "from migrator.parity.django_side import scratch_database\n"
        f"DATABASES = {{'default': scratch_database(dict(_D['default']), {urls['django']!r})}}\n"
        "ALLOWED_HOSTS = ['localhost']\n" + few_iterations(tmp_path))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(project)]), DJANGO_SETTINGS_MODULE="pg_settings")
    done = subprocess.run([sys.executable, "-c", seed], cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with pg._admin() as conn:
        for fw in servers:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(f"drfs_{tag}_{fw}"), sql.Identifier(f"drfs_{tag}_django")))
            urls[fw] = pg.url(f"drfs_{tag}_{fw}")
    base, procs = start_sides(project, env, servers, urls, {"SECRET_KEY": "x"}, probe)
    return base, procs, urls


def _send(base: str, method: str, path: str, body, auth: str) -> tuple:
    return send(base, method, path, body, {"Authorization": auth} if auth else {})


@pytest.mark.slow
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_sample_staff_tag_writes_equal_drf(tmp_path, sample_trees, dialect, request):
    servers = {fw: sample_trees(fw).build("server") / "bin" / "server" for fw in ("nethttp", "fiber")}
    if dialect == "sqlite":
        base, procs, _ = start_on_copies(tmp_path, servers, "shopapi.settings", SEED, {"SECRET_KEY": "x"},
                                         project=SAMPLE, probe="/api/drf/")
        dbs = {side: tmp_path / f"{'dj' if side == 'django' else side}.db" for side in ("django", *servers)}
    else:
        base, procs, dbs = start_postgresql(tmp_path, servers, request.getfixturevalue("postgres_server"))
    try:
        failures, statuses = [], []
        for method, path, body, auth in REQUESTS:
            d = _send(base["django"], method, path, body, auth)
            statuses.append(d[0])
            for fw in servers:
                g = _send(base[fw], method, path, body, auth)
                if compare_answers(method, path, d, g, strict=True):
                    failures.append(f"{fw}: {method} {path} {body!r}: django {d[0]} {d[2][:300]!r} != go {g[0]} {g[2][:300]!r}")
                if _rows(dbs["django"]) != _rows(dbs[fw]):
                    failures.append(f"{fw}: {method} {path} {body!r}: the tag tables differ afterwards")
        assert failures == []
        assert statuses == [201, 400, 400, 400, 400, 400, 201, 403, 403, 200, 400, 400, 400, 200, 404, 403, 200, 200,
                            204, 404, 204, 403, 403, 404, 200, 200, 200, 200, 200]
        children = json.loads(_send(base["django"], "GET", C + "1/", None, "")[2])["children"]
        assert len(children) == 3 and list(children[0]) == ["id", "name", "slug", "path"]  # the nested rows compared above
        assert json.loads(_send(base["django"], "GET", C + "23/", None, "")[2])["children"] == []
        counts = [c["product_count"] for c in json.loads(_send(base["django"], "GET", C + "?size=5", None, "")[2])["results"]]
        assert len(set(counts)) > 1  # obj.products.count() per category, compared above
        assert json.loads(_send(base["django"], "POST", T, {"name": "Gifts", "slug": "gifts"}, ADMIN)[2]) == {
            "name": ["tag with this name already exists."], "slug": ["tag with this slug already exists."]}
        links = [r for r in _rows(dbs["django"]) if len(r) == 2]
        assert len(links) == 47 - 6 and not any(r[1] in (7, 15) for r in links)  # tag 7's 6 links went with it
        migration = (servers["nethttp"].parent.parent / "http" / "MIGRATION.md").read_text()
        assert "catalog.Tag is the target of a relation" not in migration
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(timeout=10)
