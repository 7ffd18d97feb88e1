"""The Django side of parity checks, run in its own process against a database chosen at run time:

    python -m migrator.parity.django_side ROOT --settings MOD --database URL migrate
    python -m migrator.parity.django_side ROOT --settings MOD --database URL loaddata FIXTURE...
    python -m migrator.parity.django_side ROOT --settings MOD --database URL loadfixtures FIXTURE...
    python -m migrator.parity.django_side ROOT --settings MOD --database URL dump
    python -m migrator.parity.django_side ROOT --settings MOD --database URL apply OPS.json
    python -m migrator.parity.django_side ROOT --settings MOD --database URL clean
    python -m migrator.parity.django_side ROOT --settings MOD --database URL querysets CASES.json
    python -m migrator.parity.django_side ROOT --settings MOD --database URL generate SEED ROWS
    python -m migrator.parity.django_side ROOT --settings MOD --database URL batch JOBS.json

The database URL replaces settings.DATABASES["default"] before Django starts (sqlite:///path or a path,
postgresql://user@host:port/name), so any project can be pointed at a scratch database: the connection
settings come from the URL alone (``scratch_database``), so SQLite-only OPTIONS of the project never reach a
PostgreSQL connection. ``loadfixtures`` loads fixtures one by one in dependency order and skips (and
reports) one that does not load. ``dump`` prints every managed table, and every unmanaged one whose table or
view exists, in the canonical form gormcheck prints (see canon()); ``apply`` runs operations
the way a Django user would (save(), delete()); ``clean`` full_clean()s every row; ``querysets`` evaluates QuerySet cases (django_eval); ``generate`` fills
the database with data generated from the models (see datagen); ``batch`` runs several of these
commands, each against its own database of the same dialect (JOBS: [{"database", "command", "args"}]),
in one process, and prints the list of their results.
"""

from __future__ import annotations

import argparse
import datetime
import json
from pathlib import Path
import os
import sys
import traceback
from urllib.parse import unquote, urlparse

from migrator.codec import binary_text as binary
from migrator.parity import sandbox
from migrator.parity.auth_env import go_auth_env
from migrator.parity.django_eval import _message, assign as _assign, duration_iso, querysets, site_transaction  # noqa: F401 - re-exported
from migrator.parity.django_fixtures import fixture_order, loadfixtures  # noqa: F401 - re-exported


def database_settings(url: str) -> dict:
    if url.startswith(("mysql://", "mariadb://")):
        from ..load.schema import mysql_driver

        mysql_driver()  # PyMySQL stands in for mysqlclient
        u = urlparse(url)
        return {"ENGINE": "django.db.backends.mysql", "NAME": unquote(u.path.lstrip("/")),
                "USER": unquote(u.username or ""), "PASSWORD": unquote(u.password or ""),
                "HOST": u.hostname or "", "PORT": str(u.port or ""),
                # Django's recommended setup: utf8mb4 and strict mode (docs/mysql.md)
                "OPTIONS": {"charset": "utf8mb4", "init_command": "SET sql_mode='STRICT_TRANS_TABLES'"}}
    if url.startswith(("postgres://", "postgresql://")):
        u = urlparse(url)
        return {"ENGINE": "django.db.backends.postgresql", "NAME": unquote(u.path.lstrip("/")),
                "USER": unquote(u.username or ""), "PASSWORD": unquote(u.password or ""),
                "HOST": u.hostname or "", "PORT": str(u.port or "")}
    path = url[len("sqlite://"):] if url.startswith("sqlite://") else url
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}


# settings of a DATABASES entry that do not depend on the backend; everything else (OPTIONS, HOST, ...)
# comes from the scratch URL
NEUTRAL = ("ATOMIC_REQUESTS", "AUTOCOMMIT", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "TIME_ZONE")


def scratch_database(project_default: dict, url: str) -> dict:
    """The DATABASES["default"] of a scratch database: built from the URL. The project's own entry only
    lends its backend-neutral keys, and its OPTIONS when it is the same backend (a SQLite project's
    ``init_command`` or ``transaction_mode`` would make a PostgreSQL connection fail)."""
    built = database_settings(url)
    out = {k: v for k, v in project_default.items() if k in NEUTRAL}
    if project_default.get("ENGINE") == built["ENGINE"] and project_default.get("OPTIONS"):
        out["OPTIONS"] = dict(project_default["OPTIONS"])
    out.update(built)
    return out


def setup(root: str, settings_module: str, url: str) -> None:
    """Django on the scratch database. With the parity sandbox on (``sandbox.ENV``: ``root`` is then the
    project's copy), writes outside the run's work directory are refused and recorded, and the settings
    that name places outside it are moved inside (sandbox.settings_overrides)."""
    root = os.path.abspath(root)
    os.chdir(root)
    sys.path.insert(0, root)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    work = os.environ.get(sandbox.ENV)
    if work:
        sandbox.guard(Path(work), root)  # before the settings run: they may write too
    from django.conf import settings

    settings.DATABASES = {"default": scratch_database(dict(settings.DATABASES.get("default", {})), url)}
    if work:
        names = [n for n in dir(settings._wrapped) if n.isupper()]
        for name, value in sandbox.settings_overrides({n: getattr(settings, n) for n in names}, Path(work)).items():
            setattr(settings, name, value)
    import django

    django.setup()


def canon(field, value):
    """The canonical JSON form of a column value (gormcheck prints the same)."""
    if value is None:
        return None
    t = field.get_internal_type()
    if field.is_relation:
        return value
    if t == "DecimalField":
        return f"{value:.{field.decimal_places}f}"
    if t == "DateTimeField":
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if t in ("DateField", "TimeField"):
        return value.isoformat()
    if t == "UUIDField":
        return str(value)
    if t == "DurationField":
        return duration_iso(value)
    if t == "BinaryField":
        return binary(value)
    return value



def models_in_order(unmanaged: bool = False):
    """Managed models; with ``unmanaged``, also unmanaged ones whose table or view exists in this database
    (an unmanaged model over a view that only another backend has is left out)."""
    from django.apps import apps
    from django.db import connection

    tables = set(connection.introspection.table_names(include_views=True)) if unmanaged else set()
    return sorted((m for m in apps.get_models() if not m._meta.proxy
                   and (m._meta.managed or (unmanaged and m._meta.db_table in tables))),
                  key=lambda m: m._meta.label)


def row_fields(model):
    meta = model._meta
    return [f for f in meta.local_concrete_fields], list(meta.local_many_to_many)


def dump() -> dict:
    """Every row as stored. post_init is muted: a receiver of it may read or rewrite the row as it loads
    (an ImageField with width/height fields opens its file when they are empty, as a mutant's Go copy of
    wiki's ImageRevision held them: the file is not there, and the whole mutant run stopped)."""
    from migrator.parity.datagen import quiet_signals

    with quiet_signals(("post_init",)):
        return _dump()


def _dump() -> dict:
    out = {}
    for model in models_in_order(unmanaged=True):
        concrete, m2m = row_fields(model)
        rows = []
        qs = model._base_manager.order_by("pk")
        if m2m:
            qs = qs.prefetch_related(*[f.name for f in m2m])
        for obj in qs:
            row = {f.name: canon(f, getattr(obj, f.attname)) for f in concrete}
            for f in m2m:  # .all() reads the prefetched rows; values_list() here ran a query per row and field
                row[f.name] = sorted((canon(f, o.pk) for o in getattr(obj, f.name).all()), key=str)
            rows.append(row)
        out[model._meta.label] = rows
    return out


def apply(ops: list[dict]) -> list:
    """Each operation through Django's ORM (the model's save()); one with "mute" runs with the model signals muted
    (checks_models: its receivers are stubs on the Go side)."""
    import contextlib

    from django.apps import apps
    from django.db import transaction

    from migrator.parity.datagen import quiet_signals

    results = []
    for op in ops:
        model = apps.get_model(op["model"])
        try:
            with transaction.atomic(), (quiet_signals() if op.get("mute") else contextlib.nullcontext()):
                if op["op"] == "create":
                    obj = model()
                    _assign(model, obj, op.get("values", {}))
                    obj.save()
                    results.append({"pk": obj.pk})
                elif op["op"] == "update":
                    obj = model._base_manager.get(pk=op["pk"])
                    _assign(model, obj, op.get("values", {}))
                    obj.save()
                    results.append({"pk": obj.pk})
                elif op["op"] == "delete":
                    model._base_manager.get(pk=op["pk"]).delete()
                    results.append({"deleted": op["pk"]})
                else:
                    raise ValueError(f"unknown op {op['op']!r}")
        except Exception as exc:  # noqa: BLE001 - reported per operation, compared with the Go side
            results.append({"error": f"{type(exc).__name__}: {exc}"})
    return results



def clean() -> dict:
    """full_clean() every row: what Django thinks of rows another program wrote."""
    from django.core.exceptions import ValidationError

    problems = {}
    for model in models_in_order():
        for obj in model._base_manager.order_by("pk"):
            try:
                obj.full_clean(validate_unique=True)
            except ValidationError as exc:
                problems[f"{model._meta.label}:{obj.pk}"] = exc.message_dict
            except Exception as exc:  # noqa: BLE001 - a clean() that fails on generated data (machina's image check
                # opens a file that is not there): that row's problem, on both copies alike
                problems[f"{model._meta.label}:{obj.pk}"] = {"__all__": [f"{type(exc).__name__}: {exc}"]}
    return problems


def _owner(users):
    """The pk of the active user the most rows point at (the customer with the most orders): a view of
    request.user's own objects answers with rows for them."""
    from django.apps import apps

    counts: dict = {}
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is users.model:
                for pk in model._base_manager.exclude(**{f"{f.name}__isnull": True}).values_list(f.attname, flat=True):
                    counts[pk] = counts.get(pk, 0) + 1
    active = set(users.values_list("pk", flat=True))
    return max((pk for pk in counts if pk in active), key=lambda pk: (counts[pk], -pk), default=None)


def sessions() -> dict:
    """Signed-in sessions for the http check, saved in the database the servers share: one per kind of active
    user the data holds (a superuser, a staff member, an ordinary user, the user the most rows point at), as
    django.contrib.auth.login stores
    them. With the SECRET_KEY and cookie name the Go server needs to read them; {} without the sessions
    and auth apps, or with a session engine other than the database one."""
    from django.conf import settings

    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return {}
    try:
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
        from django.contrib.sessions.backends.db import SessionStore

        users = get_user_model()._base_manager.filter(is_active=True).order_by("pk")
        kinds = {"superuser": users.filter(is_superuser=True), "staff": users.filter(is_staff=True, is_superuser=False),
                 "user": users.filter(is_staff=False, is_superuser=False), "owner": users.filter(pk=_owner(users))}
        out, csrf = [], csrf_token()
        for who, qs in kinds.items():
            user = qs.first()
            if user is None or str(user.pk) in {x["user"] for x in out}:
                continue
            store = SessionStore()
            store.update({SESSION_KEY: user._meta.pk.value_to_string(user), HASH_SESSION_KEY: user.get_session_auth_hash(),
                          BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                          **({csrf["session_key"]: csrf["secret"]} if csrf.get("session_key") else {})})
            store.create()
            store.save()
            out.append({"who": who, "user": str(user.pk), "key": store.session_key})
    except Exception:  # noqa: BLE001 - no auth or sessions app: anonymous requests only
        return {}
    from django.shortcuts import resolve_url

    return {"secret_key": settings.SECRET_KEY, "cookie": settings.SESSION_COOKIE_NAME, "sessions": out,
            "csrf": {k: v for k, v in csrf.items() if k != "session_key"},
            "go_env": {**go_auth_env(settings), "LOGIN_URL": str(resolve_url(settings.LOGIN_URL))}}


def csrf_token() -> dict:
    """What a browser sends with a signed-in write, as Django's CsrfViewMiddleware checks it: the secret (in the
    CSRF cookie, or with CSRF_USE_SESSIONS in the session under ``session_key``) and the masked token of a page's
    form (``get_token()``) in the CSRF header, named as a client sends it (``HTTP_X_CSRFTOKEN`` -> ``X-CSRFTOKEN``)."""
    from django.conf import settings
    from django.middleware.csrf import CSRF_SESSION_KEY, _get_new_csrf_string, _mask_cipher_secret

    secret = _get_new_csrf_string()
    header = settings.CSRF_HEADER_NAME
    header = (header[len("HTTP_"):] if header.startswith("HTTP_") else header).replace("_", "-")
    out = {"secret": secret, "token": _mask_cipher_secret(secret), "header": header}
    if settings.CSRF_USE_SESSIONS:
        return {**out, "session_key": CSRF_SESSION_KEY}
    return {**out, "cookie": settings.CSRF_COOKIE_NAME}


FAILED = "django_side failed"  # the key of a kept failure (a model label always holds a dot)


def switch_database(url: str) -> None:
    """Point the default connection at another database of the same dialect (batch jobs)."""
    from django.db import connections

    conn = connections["default"]
    conn.close()
    conn.settings_dict.update(database_settings(url))
    try:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
    except Exception:  # noqa: BLE001 - contenttypes not installed
        pass


def batch_job(job: dict):
    """One job of a batch. A "keep_going" job that fails answers {FAILED: its traceback} and the batch goes on (the
    mutation run's dump of a copy a mutant wrote, a value Django refuses, is that copy's verdict, not the batch's)."""
    switch_database(job["database"])
    if not job.get("keep_going"):
        return run_command(job["command"], job.get("args", []))
    try:
        return run_command(job["command"], job.get("args", []))
    except Exception:  # noqa: BLE001 - reported per job, as the process's stderr would show it
        return {FAILED: traceback.format_exc()}


def run_command(command: str, args: list):
    from django.core.management import call_command

    if command == "migrate":
        call_command("migrate", interactive=False, verbosity=0)
        return {"ok": True}
    if command == "loaddata":
        call_command("loaddata", *args, verbosity=0)
        return {"ok": True}
    if command == "loadfixtures":
        return loadfixtures(list(args))
    if command == "sessions":
        return sessions()
    if command == "dump":
        return dump()
    if command == "apply":
        with open(args[0], encoding="utf-8") as fh:
            return apply(json.load(fh))
    if command == "querysets":
        with open(args[0], encoding="utf-8") as fh:
            return querysets(json.load(fh))
    if command == "generate":
        from migrator.parity.datagen import generate

        bounds = json.loads(Path(args[2]).read_text()) if len(args) > 2 else None
        return generate(int(args[0]) if args else 0, int(args[1]) if len(args) > 1 else 5, bounds)
    if command == "batch":
        return [batch_job(job) for job in json.loads(Path(args[0]).read_text(encoding="utf-8"))]
    return clean()


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("root")
    p.add_argument("--settings", required=True)
    p.add_argument("--database", required=True)
    p.add_argument("command", choices=["migrate", "loaddata", "loadfixtures", "dump", "apply", "clean", "querysets", "generate",
                                       "batch", "sessions"])
    p.add_argument("args", nargs="*")
    a = p.parse_args(argv)
    setup(a.root, a.settings, a.database)
    result = run_command(a.command, a.args)
    json.dump(result, sys.stdout, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
