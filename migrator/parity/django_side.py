"""The Django side of parity checks, run in its own process against a database chosen at run time:

    python -m migrator.parity.django_side ROOT --settings MOD --database URL migrate
    python -m migrator.parity.django_side ROOT --settings MOD --database URL loaddata FIXTURE...
    python -m migrator.parity.django_side ROOT --settings MOD --database URL dump
    python -m migrator.parity.django_side ROOT --settings MOD --database URL apply OPS.json
    python -m migrator.parity.django_side ROOT --settings MOD --database URL clean

The database URL replaces settings.DATABASES["default"] before Django starts (sqlite:///path or a path,
postgresql://user@host:port/name), so any project can be pointed at a scratch database. ``dump`` prints
every managed table in the canonical form gormcheck prints (see canon()); ``apply`` runs operations
the way a Django user would (save(), delete()); ``clean`` full_clean()s every row.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from urllib.parse import unquote, urlparse


def database_settings(url: str) -> dict:
    if url.startswith(("postgres://", "postgresql://")):
        u = urlparse(url)
        return {"ENGINE": "django.db.backends.postgresql", "NAME": unquote(u.path.lstrip("/")),
                "USER": unquote(u.username or ""), "PASSWORD": unquote(u.password or ""),
                "HOST": u.hostname or "", "PORT": str(u.port or "")}
    path = url[len("sqlite://"):] if url.startswith("sqlite://") else url
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}


def setup(root: str, settings_module: str, url: str) -> None:
    root = os.path.abspath(root)
    os.chdir(root)
    sys.path.insert(0, root)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    from django.conf import settings

    default = dict(settings.DATABASES.get("default", {}))
    default.update(database_settings(url))
    settings.DATABASES = {"default": default}
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
        return value // datetime.timedelta(microseconds=1)
    return value


def models_in_order():
    from django.apps import apps

    return sorted((m for m in apps.get_models() if m._meta.managed and not m._meta.proxy),
                  key=lambda m: m._meta.label)


def row_fields(model):
    meta = model._meta
    return [f for f in meta.local_concrete_fields], list(meta.local_many_to_many)


def dump() -> dict:
    out = {}
    for model in models_in_order():
        concrete, m2m = row_fields(model)
        rows = []
        qs = model._base_manager.order_by("pk")
        if m2m:
            qs = qs.prefetch_related(*[f.name for f in m2m])
        for obj in qs:
            row = {f.name: canon(f, getattr(obj, f.attname)) for f in concrete}
            for f in m2m:
                row[f.name] = sorted((canon(f, pk) for pk in getattr(obj, f.name).values_list("pk", flat=True)), key=str)
            rows.append(row)
        out[model._meta.label] = rows
    return out


def _assign(model, obj, values: dict) -> None:
    from django.utils.dateparse import parse_date, parse_datetime, parse_duration

    for name, value in values.items():
        f = model._meta.get_field(name)
        if f.many_to_many:
            continue
        t = f.get_internal_type()
        if value is not None:
            if t == "DateTimeField":
                value = parse_datetime(value)
            elif t == "DateField":
                value = parse_date(value)
            elif t == "DurationField":
                value = parse_duration(value) if isinstance(value, str) else datetime.timedelta(microseconds=value)
        setattr(obj, f.attname, value)


def apply(ops: list[dict]) -> list:
    from django.apps import apps
    from django.db import transaction

    results = []
    for op in ops:
        model = apps.get_model(op["model"])
        try:
            with transaction.atomic():
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
    return problems


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("root")
    p.add_argument("--settings", required=True)
    p.add_argument("--database", required=True)
    p.add_argument("command", choices=["migrate", "loaddata", "dump", "apply", "clean"])
    p.add_argument("args", nargs="*")
    a = p.parse_args(argv)
    setup(a.root, a.settings, a.database)
    from django.core.management import call_command

    if a.command == "migrate":
        call_command("migrate", interactive=False, verbosity=0)
        result = {"ok": True}
    elif a.command == "loaddata":
        call_command("loaddata", *a.args, verbosity=0)
        result = {"ok": True}
    elif a.command == "dump":
        result = dump()
    elif a.command == "apply":
        with open(a.args[0], encoding="utf-8") as fh:
            result = apply(json.load(fh))
    else:
        result = clean()
    json.dump(result, sys.stdout, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
