"""Test data generated from the models, inside the Django process (django_side ``generate SEED ROWS``).

For projects without a fixture. Rows are saved through the ORM (``save()``, so custom saves, signals,
auto_now and defaults run as in production), model by model in foreign-key dependency order, and are
deterministic for a seed. Each value respects the field: choices, nullability (row 0 leaves every
nullable field NULL), max_length, max_digits/decimal_places, positive integer ranges, unique (a row
number is part of every unique value), foreign keys (an existing row of the target; one-to-one targets
are not reused). Row 0 and 1 carry edge values: empty and maximal strings, LIKE metacharacters
(``%``, ``_``, ``\\``), non-ASCII text, the largest decimal, 2**53 + 1, datetimes one microsecond
either side of midnight UTC.

Limits (documented in docs/parity.md): validators and Meta CheckConstraints are not read (a row the
database refuses is skipped and counted); unique_together is handled only by the row number in text
fields; generic foreign keys get an arbitrary content type; models of django.contrib apps that migrate
fills (content types, permissions) are left as migrate leaves them.
"""

from __future__ import annotations

import datetime
import decimal
import random
import uuid
import zlib

EDGE_TEXT = ("", "50%_off \\ ünïcode ✓")
BASE = datetime.datetime(2026, 3, 1, 23, 59, 59, 999999, tzinfo=datetime.timezone.utc)
SKIP_APPS = {"contenttypes", "sessions", "admin"}


def _order(models):
    """Models in foreign-key dependency order (targets first); cycles are broken at nullable keys."""
    pending = {m._meta.label: m for m in models}
    done: list = []
    seen: set = set()
    while pending:
        progressed = False
        for label in sorted(pending):
            m = pending[label]
            deps = {f.related_model._meta.concrete_model._meta.label for f in m._meta.concrete_fields
                    if f.is_relation and f.related_model is not None and not f.null}
            deps |= {p._meta.label for p in m._meta.get_parent_list()}
            deps.discard(label)
            if deps <= seen or not (deps & set(pending)):
                done.append(m)
                seen.add(label)
                del pending[label]
                progressed = True
        if not progressed:  # a cycle of NOT NULL keys: take the first and let the rows fail if they must
            label = sorted(pending)[0]
            done.append(pending.pop(label))
            seen.add(label)
    return done


def _text(field, rng, row: int, unique: bool) -> str:
    t = field.get_internal_type()
    limit = field.max_length or 200
    tag = f"{field.name[:6]}{row}"
    if t == "SlugField" or field.name == "slug":
        value = f"{tag}-{rng.randrange(10**6)}".lower().replace("_", "-")
    elif t == "EmailField" or "email" in field.name:
        value = f"user{row}.{rng.randrange(10**4)}@example.com"
    elif t == "URLField":
        value = f"https://example.com/{tag}"
    elif t == "GenericIPAddressField":
        return f"10.0.{row % 250}.{rng.randrange(1, 250)}"
    elif row == 0 and not unique and field.blank:
        value = ""
    elif row == 1:
        value = f"{tag} {EDGE_TEXT[1]}"
    elif row == 2:  # as long as the column allows
        value = (tag + " " + "x" * limit)
    else:
        value = f"{tag} {rng.choice(['alpha', 'Beta', 'GAMMA', 'delta %', 'eps_ilon'])} {rng.randrange(1000)}"
    if unique and t not in ("SlugField", "EmailField") and field.name != "slug":
        value = f"{tag}-{rng.randrange(10**6)} " + value[len(tag):]
    if len(value) > limit:  # keep the row number (uniqueness) and cut the middle
        value = value[:limit] if limit < len(tag) + 2 else tag + value[len(tag):][: limit - len(tag)]
    return value


def _value(field, rng, row: int, pools: dict, used_one_to_one: dict):
    """A value for one field, or raise LookupError when a required relation has no target row."""
    t = field.get_internal_type()
    unique = field.unique
    if field.is_relation:
        target = field.related_model._meta.concrete_model._meta.label
        pks = pools.get(target, [])
        if field.one_to_one:
            pks = [p for p in pks if p not in used_one_to_one.setdefault(field, set())]
        if field.null and (row == 0 or not pks):
            return None
        if not pks:
            raise LookupError(f"{field.model._meta.label}.{field.name}: no {target} row to point at")
        pk = pks[0] if row == 1 else rng.choice(pks)
        if field.one_to_one:
            used_one_to_one[field].add(pk)
        return pk
    if field.choices:
        values = [v for v, _ in field.flatchoices if v not in (None, "")] or [v for v, _ in field.flatchoices]
        if field.null and row == 0:
            return None
        return values[row % len(values)] if row < len(values) else rng.choice(values)
    if field.null and row == 0 and t not in ("BooleanField",):
        return None
    if t in ("CharField", "TextField", "SlugField", "EmailField", "URLField", "FilePathField", "FileField",
             "ImageField", "GenericIPAddressField", "IPAddressField"):
        return _text(field, rng, row, unique)
    if t in ("IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
             "PositiveSmallIntegerField", "PositiveBigIntegerField"):
        hi = {"SmallIntegerField": 32767, "PositiveSmallIntegerField": 32767, "BigIntegerField": 2**53 + 1,
              "PositiveBigIntegerField": 2**53 + 1}.get(t, 2**31 - 1)
        lo = 0 if t.startswith("Positive") else -hi
        if unique:  # distinct per model and row (a multi-table child shares its parent's columns)
            return min(hi, zlib.crc32(field.model._meta.label.encode()) % 10000 * 100 + row)
        return {0: 0, 1: hi, 2: lo}.get(row, rng.randrange(max(lo, -1000), 1000))
    if t == "BooleanField":
        return None if field.null and row == 0 else bool(row % 2)
    if t == "FloatField":
        return {0: 0.0, 1: 1e-7, 2: -12345.678}.get(row, round(rng.uniform(-1000, 1000), 3))
    if t == "DecimalField":
        dp, digits = field.decimal_places or 0, field.max_digits or 10
        top = decimal.Decimal(10) ** (digits - dp) - decimal.Decimal(1).scaleb(-dp)
        q = decimal.Decimal(1).scaleb(-dp)
        value = {0: decimal.Decimal(0), 1: top, 2: q}.get(row)
        if value is None:
            value = (decimal.Decimal(rng.randrange(0, 10**min(digits, 8))) * q).quantize(q)
            value = min(value, top)
        return value
    if t == "DateTimeField":
        delta = {0: datetime.timedelta(0), 1: datetime.timedelta(microseconds=1)}.get(
            row, datetime.timedelta(days=rng.randrange(-400, 400), seconds=rng.randrange(86400)))
        return BASE + delta
    if t == "DateField":
        return (BASE + datetime.timedelta(days=row if row < 2 else rng.randrange(-400, 400))).date()
    if t == "TimeField":
        return datetime.time(23, 59, 59, 999999) if row == 1 else datetime.time(rng.randrange(24), rng.randrange(60))
    if t == "DurationField":
        return datetime.timedelta(microseconds={0: 0, 1: 1}.get(row, rng.randrange(-10**9, 10**11)))
    if t == "UUIDField":
        return uuid.UUID(int=rng.getrandbits(128), version=4)
    if t == "JSONField":
        return {0: {}, 1: {"k": "ünïcode ✓", "n": [1, 2.5, None], "b": True}}.get(row, {"n": rng.randrange(100)})
    if t == "BinaryField":
        return bytes([0, 255, row % 256])
    if field.has_default():
        return field.get_default()
    raise LookupError(f"{field.model._meta.label}.{field.name}: no generator for {t}")


def generate(seed: int = 0, rows: int = 5) -> dict:
    """Fill the database; returns {"rows": {label: n}, "skipped": [reason, ...]}."""
    from django.apps import apps
    from django.db import IntegrityError, transaction

    rng = random.Random(seed)
    models = [m for m in apps.get_models()
              if m._meta.managed and not m._meta.proxy and not m._meta.auto_created
              and m._meta.app_label not in SKIP_APPS and m._meta.label != "auth.Permission"]
    pools: dict[str, list] = {}
    for m in apps.get_models():  # rows migrate made (content types, permissions) can be pointed at
        if m._meta.managed and not m._meta.proxy and m not in models:
            pools[m._meta.label] = list(m._base_manager.order_by("pk").values_list("pk", flat=True)[:50])
    made: dict[str, int] = {}
    skipped: list[str] = []
    used_one_to_one: dict = {}
    for model in _order(models):
        label = model._meta.label
        pools.setdefault(label, [])
        for row in range(rows):
            obj = model()
            try:
                for f in model._meta.concrete_fields:
                    if f.auto_created and f.primary_key and not f.is_relation:
                        continue
                    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                        continue
                    if f.is_relation and f.remote_field.parent_link:
                        continue  # multi-table inheritance: save() writes the parent row
                    setattr(obj, f.attname, _value(f, rng, row, pools, used_one_to_one))
            except LookupError as exc:
                skipped.append(str(exc))
                break
            try:
                with transaction.atomic():
                    obj.save()
            except (IntegrityError, ValueError, TypeError) as exc:
                skipped.append(f"{label} row {row}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
                continue
            pools[label].append(obj.pk)
            for parent in model._meta.get_parent_list():
                pools.setdefault(parent._meta.label, []).append(obj.pk)
            made[label] = made.get(label, 0) + 1
    for model in _order(models):  # auto-created many-to-many links
        for f in model._meta.local_many_to_many:
            if not f.remote_field.through._meta.auto_created:
                continue
            targets = pools.get(f.related_model._meta.concrete_model._meta.label, [])
            for i, pk in enumerate(pools.get(model._meta.label, [])):
                if targets and i % 3 != 0:
                    getattr(model._base_manager.get(pk=pk), f.name).add(*rng.sample(targets, min(len(targets), i % 3)))
    return {"rows": made, "skipped": skipped}
