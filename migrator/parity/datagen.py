"""Test data generated from the models, inside the Django process (django_side ``generate SEED ROWS``).

For projects without a fixture (or with ``--data both``). Rows are written through Django's own
``Model.save`` with the model signals (pre_save, post_save, m2m_changed) muted: a project's ``save()``
override or signal receiver (a slug loop, a search index, an e-mail) is not run, because the Go side does
not port them either and they often fail or have side effects on generated data; auto_now and defaults
apply as in production. Model by model in foreign-key dependency order,
deterministic for a seed. Each value respects the field: choices, nullability (row 0 leaves every
nullable field NULL), max_length, max_digits/decimal_places, the backend's integer range (a
PositiveIntegerField stays within 32 bits), Min/MaxValueValidator and Min/MaxLengthValidator limits and
every other validator (a value a validator refuses is replaced), unique fields, unique_together and
unconditional UniqueConstraints (a combination already used is drawn again), foreign keys (an existing row
of the target; one-to-one targets are not reused). Row 0 and 1 carry edge values: empty and maximal
strings, LIKE metacharacters (``%``, ``_``, ``\\``), non-ASCII text, the largest decimal, 2**53 + 1,
datetimes one microsecond either side of midnight UTC. A row that still fails (the database refuses it,
a validator no value satisfies) is skipped with its reason; it never stops the run.

Limits (documented in docs/parity.md): Meta CheckConstraints are not read (a row the database refuses is
skipped and counted); generic foreign keys get an arbitrary content type; models of django.contrib apps
that migrate fills (content types, permissions) are left as migrate leaves them.
"""

from __future__ import annotations

import contextlib
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


def _plain_text(field, row: int) -> str:
    shortest, limit = _text_limits(field)
    value = f"{field.name[:6].replace('_', '')}{row}"
    kind = _kind(field)
    if kind == "URLField":
        value = f"https://example.com/{value}"
    elif kind == "EmailField":
        value = f"{value}@example.com"
    value = value[:limit]
    return value + "x" * max(0, shortest - len(value))


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
        lo, hi = _int_range(field, t)
        if unique:  # distinct per model and row (a multi-table child shares its parent's columns)
            base = max(lo, 0)
            slots = max(1, (hi - base) // 1000 - 1)
            return min(hi, base + zlib.crc32(field.model._meta.label.encode()) % min(slots, 10000) * 1000 + row % 1000)
        return {0: max(lo, min(hi, 0)), 1: hi, 2: lo}.get(row, rng.randrange(max(lo, -1000), max(min(hi, 1000), max(lo, -1000)) + 1))
    if t == "BooleanField":
        return None if field.null and row == 0 else bool(row % 2)
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
        new_year = BASE.replace(year=BASE.year + 1, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
        delta = {0: datetime.timedelta(0), 1: datetime.timedelta(microseconds=1)}.get(
            row, datetime.timedelta(days=rng.randrange(-400, 400), seconds=rng.randrange(86400)))
        return {3: new_year - datetime.timedelta(microseconds=1), 4: new_year}.get(row, BASE + delta)
    if t == "DateField":  # rows 3 and 4: December 31 and January 1
        if row in (3, 4):
            return datetime.date(BASE.year, 12, 31) if row == 3 else datetime.date(BASE.year + 1, 1, 1)
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


@contextlib.contextmanager
def quiet_signals():
    """The model signals muted: a project's receivers do not run while data is generated."""
    from django.db.models import signals

    muted = [signals.pre_save, signals.post_save, signals.m2m_changed, signals.pre_delete, signals.post_delete]
    saved = [(sig, sig.receivers) for sig in muted]
    for sig in muted:
        sig.receivers = []
        sig.sender_receivers_cache.clear()
    try:
        yield
    finally:
        for sig, receivers in saved:
            sig.receivers = receivers
            sig.sender_receivers_cache.clear()


def _unique_sets(model) -> list[tuple[str, ...]]:
    """Field-name tuples that must be unique together: unique fields, unique_together, and UniqueConstraints
    over fields without a condition or expressions."""
    from django.db.models import UniqueConstraint

    sets = [(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    sets += [tuple(t) for t in model._meta.unique_together]
    sets += [tuple(c.fields) for c in model._meta.total_unique_constraints
             if isinstance(c, UniqueConstraint) and c.fields and tuple(c.fields) not in sets]
    return sets


def _valid(field, value) -> str:
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


ATTEMPTS = 8


def _fill(model, rng, row: int, pools: dict, used_one_to_one: dict, used: dict):
    """An unsaved instance for this row whose values pass the validators and whose unique combinations are
    unused; raises LookupError (no target row) or ValueError (no acceptable value) with the reason."""
    fields = [f for f in model._meta.concrete_fields
              if not (f.auto_created and f.primary_key and not f.is_relation)
              and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
              and not (f.is_relation and f.remote_field.parent_link)]  # multi-table: save() writes the parent
    uniques = _unique_sets(model)
    why = ""
    for attempt in range(ATTEMPTS):
        r = row if attempt == 0 else row + 1000 * attempt  # later attempts draw random values
        values = {}
        for f in fields:
            value = _value(f, rng, r, pools, used_one_to_one)
            problem = _valid(f, value)
            if problem:
                value = _value(f, rng, r + 3, pools, used_one_to_one)
                if _valid(f, value) and f.get_internal_type() in ("CharField", "TextField", "SlugField"):
                    value = _plain_text(f, r)  # letters and digits: what most format validators accept
                if _valid(f, value):
                    raise ValueError(f"{model._meta.label}.{f.name}: no generated value passes its validators "
                                     f"({problem})")
            values[f] = value
        by_name = {f.name: v for f, v in values.items()}
        clash = [u for u in uniques if all(by_name.get(n) is not None for n in u if n in by_name)
                 and all(n in by_name for n in u) and tuple(str(by_name[n]) for n in u) in used.get(u, set())]
        if clash:
            why = f"{model._meta.label}: unique {', '.join(clash[0])}: no unused combination in {ATTEMPTS} draws"
            for f in fields:  # a one-to-one target drawn for this attempt is free again
                if f.one_to_one and values.get(f) is not None:
                    used_one_to_one.get(f, set()).discard(values[f])
            continue
        obj = model()
        for f, v in values.items():
            setattr(obj, f.attname, v)
        return obj, [(u, tuple(str(by_name[n]) for n in u)) for u in uniques if all(n in by_name for n in u)
                     and all(by_name[n] is not None for n in u)]
    raise ValueError(why)


def _bound_rows(model, rng, rows: int, bounds: dict, pools, used_one_to_one, used) -> list:
    """Extra unsaved rows of `model`, one per boundary value the queries compare a field with
    (boundary.literal_bounds): the field set to that value, the rest generated as usual."""
    out = []
    label = model._meta.label
    for k, (field_label, value) in enumerate((fl, v) for fl, vs in sorted(bounds.items()) for v in vs
                                              if fl.rpartition(".")[0] == label):
        field = model._meta.get_field(field_label.rpartition(".")[2])
        obj, keys = _fill(model, rng, rows + 10 + k, pools, used_one_to_one, used)
        value = field.to_python(value)
        if _valid(field, value):
            continue
        setattr(obj, field.attname, value)
        out.append((obj, keys, f"{field_label} = {value}"))
    return out


def generate(seed: int = 0, rows: int = 5, bounds: dict | None = None) -> dict:
    """Fill the database; returns {"rows": {label: n}, "skipped": [reason, ...]}. A row that fails is skipped
    with its reason; nothing here stops the run. `bounds` ("app.Model.field" -> values) adds one row per
    value (see _bound_rows)."""
    from django.apps import apps
    from django.db import models as djmodels
    from django.db import transaction

    rng = random.Random(seed)
    models = [m for m in apps.get_models()
              if m._meta.managed and not m._meta.proxy and not m._meta.auto_created
              and m._meta.app_label not in SKIP_APPS and m._meta.label != "auth.Permission"]
    pools: dict[str, list] = {}
    for m in apps.get_models():  # rows migrate made (content types, permissions) can be pointed at
        if m._meta.managed and not m._meta.proxy and m not in models:
            try:
                pools[m._meta.label] = list(m._base_manager.order_by("pk").values_list("pk", flat=True)[:50])
            except Exception:  # noqa: BLE001 - a table migrate did not make
                pools[m._meta.label] = []
    made: dict[str, int] = {}
    skipped: list[str] = []
    used_one_to_one: dict = {}
    with quiet_signals():
        for model in _order(models):
            label = model._meta.label
            pools.setdefault(label, [])
            used: dict = {}

            def save(obj, keys, what: str, model=model, label=label, used=used) -> None:
                try:
                    with transaction.atomic():
                        djmodels.Model.save(obj)  # Django's save: not the project's override
                except Exception as exc:  # noqa: BLE001 - the database or Django refused this row
                    skipped.append(f"{label} {what}: {type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}")
                    return
                for u, key in keys:
                    used.setdefault(u, set()).add(key)
                pools[label].append(obj.pk)
                for parent in model._meta.get_parent_list():
                    pools.setdefault(parent._meta.label, []).append(obj.pk)
                made[label] = made.get(label, 0) + 1

            try:
                for row in range(rows):
                    try:
                        obj, keys = _fill(model, rng, row, pools, used_one_to_one, used)
                    except LookupError:
                        raise
                    except Exception as exc:  # noqa: BLE001 - this row only
                        skipped.append(f"{label} row {row}: {type(exc).__name__}: "
                                       f"{str(exc).splitlines()[0] if str(exc) else ''}")
                        continue
                    save(obj, keys, f"row {row}")
                for obj, keys, what in _bound_rows(model, rng, rows, bounds or {}, pools, used_one_to_one, used):
                    save(obj, keys, f"boundary row {what}")
            except LookupError as exc:
                skipped.append(str(exc))
            except Exception as exc:  # noqa: BLE001 - a boundary row that cannot be built
                skipped.append(f"{label} boundary rows: {type(exc).__name__}: {exc}")
        for model in _order(models):  # auto-created many-to-many links
            for f in model._meta.local_many_to_many:
                if not f.remote_field.through._meta.auto_created:
                    continue
                targets = pools.get(f.related_model._meta.concrete_model._meta.label, [])
                for i, pk in enumerate(pools.get(model._meta.label, [])):
                    if targets and i % 3 != 0:
                        try:
                            with transaction.atomic():
                                getattr(model._base_manager.get(pk=pk), f.name).add(
                                    *rng.sample(targets, min(len(targets), i % 3)))
                        except Exception as exc:  # noqa: BLE001 - this link only
                            skipped.append(f"{model._meta.label}.{f.name} links of pk={pk}: {type(exc).__name__}: {exc}")
    return {"rows": made, "skipped": skipped}
