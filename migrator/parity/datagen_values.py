"""One generated value per field (datagen's value layer): what a column, its choices and its validators
accept, with the edge values rows 0 to 4 carry (see datagen for the rows themselves). Runs inside the
Django process.
"""

from __future__ import annotations

import datetime
import random
import decimal
import uuid
import zlib

EDGE_TEXT = ("", "50%_off \\ ünïcode ✓")
BASE = datetime.datetime(2026, 3, 1, 23, 59, 59, 999999, tzinfo=datetime.timezone.utc)


# booleans of rows 0-4 for a model's first, second... boolean field: each column true and false somewhere,
# and for any two of the first three columns a row where they differ while the third is true (is_staff and
# is_superuser swapped must show among the users a query keeps with `is_active`)
BOOLS = ((False, True, True, True, False), (True, False, True, False, False), (True, True, False, False, True),
         (True, False, False, True, True))


def _rank(field) -> int:
    """The field's position among its model's concrete fields of the same internal type: columns of one
    type get different values on the same row (a query reading one in place of the other must show)."""
    same = [f for f in field.model._meta.concrete_fields if f.get_internal_type() == field.get_internal_type()]
    return same.index(field) if field in same else 0


def sibling_target(field, pks: list):
    """The row siblings point at through this foreign key: the k-th target for the model's k-th foreign key,
    so two keys of one row hold different ids (`task_list_id` 1, `created_by_id` 2: a query reading one column
    for the other shows), while the siblings still share each one."""
    return pks[_rank(field) % len(pks)]


def _kind(field) -> str:
    """The text kind by class: URLField and EmailField report "CharField" as their internal type."""
    from django.db import models as m

    for cls, name in ((m.URLField, "URLField"), (m.EmailField, "EmailField"), (m.SlugField, "SlugField"),
                      (m.GenericIPAddressField, "GenericIPAddressField")):
        if isinstance(field, cls):
            return name
    return field.get_internal_type()


def _text(field, rng, row: int, unique: bool) -> str:
    t = _kind(field)
    shortest, limit = _text_limits(field)
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
    if len(value) < shortest:
        value = value + "x" * (shortest - len(value))
    return value


def _limits(field):
    """(low, high) from MinValueValidator / MaxValueValidator (None when absent)."""
    from django.core import validators as v

    lo = hi = None
    for val in field.validators:
        limit = val.limit_value() if callable(getattr(val, "limit_value", None)) else getattr(val, "limit_value", None)
        if isinstance(val, v.MinValueValidator) and limit is not None:
            lo = limit if lo is None else max(lo, limit)
        elif isinstance(val, v.MaxValueValidator) and limit is not None:
            hi = limit if hi is None else min(hi, limit)
    return lo, hi


def _int_range(field, t: str) -> tuple[int, int]:
    """The integers a column and its validators accept: the backend's range (a PositiveIntegerField within
    32 bits), at most 2**53 + 1 (exact in JSON), narrowed by Min/MaxValueValidator."""
    from django.db import connection

    default = {"SmallIntegerField": (-32768, 32767), "PositiveSmallIntegerField": (0, 32767),
               "BigIntegerField": (-(2**53) - 1, 2**53 + 1), "PositiveBigIntegerField": (0, 2**53 + 1),
               "PositiveIntegerField": (0, 2**31 - 1)}.get(t, (-(2**31), 2**31 - 1))
    try:
        db_lo, db_hi = connection.ops.integer_field_range(t)
    except Exception:  # noqa: BLE001 - a backend without ranges
        db_lo = db_hi = None
    lo = max(default[0], db_lo) if db_lo is not None else default[0]
    hi = min(default[1], db_hi) if db_hi is not None else default[1]
    v_lo, v_hi = _limits(field)
    if v_lo is not None:
        lo = max(lo, int(-(-v_lo // 1)))
    if v_hi is not None:
        hi = min(hi, int(v_hi // 1))
    return lo, max(lo, hi)


def _text_limits(field) -> tuple[int, int]:
    from django.core import validators as v

    lo, hi = 0, field.max_length or 200
    for val in field.validators:
        if isinstance(val, v.MinLengthValidator):
            lo = max(lo, val.limit_value)
        elif isinstance(val, v.MaxLengthValidator):
            hi = min(hi, val.limit_value)
    return lo, hi


def plain_text(field, row: int) -> str:
    shortest, limit = _text_limits(field)
    value = f"{field.name[:6].replace('_', '')}{row}"
    kind = _kind(field)
    if kind == "URLField":
        value = f"https://example.com/{value}"
    elif kind == "EmailField":
        value = f"{value}@example.com"
    value = value[:limit]
    return value + "x" * max(0, shortest - len(value))


def small_number_text(field, row: int, problem) -> str:
    """A text that is a small number, different per row and per text column of the model (`minute` 1, `hour` 2
    on one row, so a column read for another shows), else `*`: what a validator of cron fields accepts
    (celery_beat's CrontabSchedule refused every generated and plain-letters value). `problem(field, value)`
    is the validator check; the last candidate is returned when none passes."""
    candidates = [str(1 + (row + _rank(field)) % 5), "*"]
    return next((c for c in candidates if not problem(field, c)), candidates[-1])


def field_value(field, rng, row: int, pools: dict, used_one_to_one: dict):
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
        # rows 1, 3 and 4 point at the same row: siblings (with rows 3 and 4 tied on their integers, so the
        # next ORDER BY key decides between them)
        pk = sibling_target(field, pks) if row in (1, 3, 4) and not field.one_to_one else rng.choice(pks)
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
        lo, hi = _int_range(field, t)
        if unique:  # distinct per model and row (a multi-table child shares its parent's columns)
            base = max(lo, 0)
            slots = max(1, (hi - base) // 1000 - 1)
            return min(hi, base + zlib.crc32(field.model._meta.label.encode()) % min(slots, 10000) * 1000 + row % 1000)
        if row in (3, 4):  # rows 3 and 4 tie on this column: a secondary ORDER BY key decides between them
            low, high = max(lo, -1000), max(min(hi, 1000), max(lo, -1000))
            return low + zlib.crc32(f"{field.model._meta.label}.{field.name}".encode()) % (high - low + 1)
        return {0: max(lo, min(hi, 0)), 1: hi, 2: lo}.get(row, rng.randrange(max(lo, -1000), max(min(hi, 1000), max(lo, -1000)) + 1))
    if t == "BooleanField":
        if field.null and row == 0:
            return None
        return BOOLS[_rank(field) % len(BOOLS)][row] if row < 5 else bool((row + _rank(field)) % 2)
    if t == "FloatField":
        lo, hi = _limits(field)
        value = {0: 0.0, 1: 1e-7, 2: -12345.678}.get(row, round(rng.uniform(-1000, 1000), 3))
        return min(max(value, lo if lo is not None else value), hi if hi is not None else value)
    if t == "DecimalField":
        dp, digits = field.decimal_places or 0, field.max_digits or 10
        top = decimal.Decimal(10) ** (digits - dp) - decimal.Decimal(1).scaleb(-dp)
        q = decimal.Decimal(1).scaleb(-dp)
        value = {0: decimal.Decimal(0), 1: top, 2: q}.get(row)
        if value is None:
            value = (decimal.Decimal(rng.randrange(0, 10**min(digits, 8))) * q).quantize(q)
            value = min(value, top)
        lo, hi = _limits(field)
        if lo is not None and value < lo:
            value = decimal.Decimal(str(lo)).quantize(q, rounding=decimal.ROUND_CEILING)
        if hi is not None and value > hi:
            value = decimal.Decimal(str(hi)).quantize(q, rounding=decimal.ROUND_FLOOR)
        return value
    if t == "DateTimeField":  # rows 3 and 4: the last and the first microsecond of a year (year lookups)
        k = _rank(field)  # the model's k-th datetime field: k days (years) later, so no two columns are equal
        new_year = BASE.replace(year=BASE.year + 1 + k, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
        delta = {0: datetime.timedelta(0), 1: datetime.timedelta(microseconds=1)}.get(
            row, datetime.timedelta(days=rng.randrange(-400, 400), seconds=rng.randrange(86400)))
        return {3: new_year - datetime.timedelta(microseconds=1), 4: new_year}.get(
            row, BASE + delta + datetime.timedelta(days=k))
    if t == "DateField":  # rows 3 and 4: December 31 and January 1
        k = _rank(field)
        if row in (3, 4):
            return datetime.date(BASE.year + k, 12, 31) if row == 3 else datetime.date(BASE.year + 1 + k, 1, 1)
        return (BASE + datetime.timedelta(days=k + (row if row < 2 else rng.randrange(-400, 400)))).date()
    if t == "TimeField":
        return datetime.time(23, 59, 59, 999999) if row == 1 else datetime.time(rng.randrange(24), rng.randrange(60))
    if t == "DurationField":
        return datetime.timedelta(microseconds={0: 0, 1: 1}.get(row, rng.randrange(-10**9, 10**11)))
    if t == "UUIDField":
        return uuid.UUID(int=rng.getrandbits(128), version=4)
    if t == "JSONField" and field.has_default() and isinstance(field.get_default(), list):
        # a list default keeps its shape: oauth2_provider's ResourceJSONField refuses anything but a list of
        # URI strings at save time, which skipped every grant and token
        return {0: [], 1: ["https://ünïcode.example/✓", "urn:x"]}.get(row, [f"https://r{rng.randrange(100)}.example/"])
    if t == "JSONField":
        return {0: {}, 1: {"k": "ünïcode ✓", "n": [1, 2.5, None], "b": True}}.get(row, {"n": rng.randrange(100)})
    if t == "BinaryField":
        return bytes([0, 255, row % 256])
    if field.has_default():
        return field.get_default()
    raise LookupError(f"{field.model._meta.label}.{field.name}: no generator for {t}")


def shared_value(f, obj, row: int, first):
    """The value rows sharing `f` hold: the first row's own, or (`first` "max" / "min") the extreme of the
    values rows are generated or stamped with, so a read ordered on `f` under a LIMIT puts these rows first,
    or (`first` a number, range_rows) generated row `first`'s. An auto_now column holds what datagen._restamp
    gives the row."""
    auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    if isinstance(first, int):
        return field_value(f, random.Random(first), first, {}, {})
    if not first:
        return field_value(f, random.Random(row), row, {}, {}) if auto else getattr(obj, f.attname)
    values = [v for v in (field_value(f, random.Random(r), r, {}, {}) for r in range(300)) if v is not None]
    return (max if first == "max" else min)(values) if values else getattr(obj, f.attname)


def valid(field, value) -> str:
    """'' when the field's validators accept the value, else why not."""
    from django.core.exceptions import ValidationError

    if value is None or field.is_relation:
        return ""
    try:
        field.run_validators(value)
    except ValidationError as exc:
        return "; ".join(exc.messages)
    except Exception as exc:  # noqa: BLE001 - a validator that fails on its own
        return f"{type(exc).__name__}: {exc}"
    return ""
