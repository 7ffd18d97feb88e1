"""Typed stand-ins for a site's runtime values (sentinels), and the real values parity runs with instead.

Each source argument of a chain becomes one recognisable value of the type of the field it is compared with
(an int, a date, a UUID...), so the SQL Django compiles can be traced back to the argument (load.compile).
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from dataclasses import dataclass
from typing import Any, Optional

from django.db import models

UTC = datetime.timezone.utc


class NotTranslated(Exception):
    """A site this step cannot compile; ``code`` is the reason shown to the user."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class Sentinel:
    name: str  # parameter name (from the source argument)
    source: str
    kind: str  # scalar type family of the value: int, str, decimal, float, date, datetime, bool, uuid, duration
    value: Any
    optional: bool = False
    is_list: bool = False
    field: str = ""  # model field the value is compared with / assigned to (app.Model.field)


# ----------------------------------------------------------------------------- sentinels


class Sentinels:
    """Typed, recognisable stand-ins for runtime values, one per source argument."""

    def __init__(self, flip_bools: bool | str = False, probe: str = "") -> None:
        self.items: list[Sentinel] = []
        self.by_name: dict[str, Sentinel] = {}
        self.sources: dict[str, str] = {}  # parameter name -> the source argument it stands for
        # booleans False instead of True (all of them, or the one of that name): a second compile finds their placeholders
        self.flip_bools = flip_bools
        # texts a save() override would change (load.compile_saves): "loud" (capitals, spaces around, past
        # max_length) or "empty"
        self.probe = probe

    def unique_name(self, name: str, source: str) -> str:
        """Two different source values never share a name (a name becomes one sqlc parameter):
        filter(subscription__type=self.kind, subscription__settings__user=self.user) named both `subscription`.
        Values (parity's replay) names them the same way, so each value reaches the argument it was bound to."""
        base, n = name, 1
        while self.sources.setdefault(name, source) != source:
            n += 1
            name = f"{base}{n}"
        return name

    def make(self, name: str, source: str, fld: Optional[models.Field], lookup: str, optional: bool) -> Any:
        name = self.unique_name(name, source)
        key = f"{name}|{lookup}|{fld.name if fld is not None else ''}"
        if key in self.by_name:
            return self.by_name[key].value
        k = len(self.items) + 1
        kind = _kind(fld, lookup)
        value = _sentinel_value(kind, k)
        if kind == "int" and _small_int(fld) and lookup.split("__")[0] not in _DATE_PARTS:
            value = 7300 + k  # a smallint column: Django on PostgreSQL finds no row for a value out of its range
        if kind == "bool" and self.flip_bools in (True, name):
            value = False
        if kind == "str" and fld is not None and not fld.is_relation:
            value = _accepted(fld, _probe_text(value, fld, self.probe) if self.probe else value, k)
        if kind == "json" and fld is not None and not fld.is_relation:
            value = _json_accepted(fld, value, k)
        # a date part (created__month=m) is a number, not a value of the field
        of_field = fld is not None and hasattr(fld, "model") and lookup.split("__")[0] not in _DATE_PARTS
        s = Sentinel(name=name, source=source, kind=kind, value=value, optional=optional,
                     field=f"{fld.model._meta.label}.{fld.name}" if of_field else "")
        if lookup == "in":
            s.is_list = True
            value = [value]
            s.value = value
        self.items.append(s)
        self.by_name[key] = s
        return value


_DATE_PARTS = ("month", "day", "week_day", "iso_week_day", "hour", "minute", "second", "quarter", "week")


def _kind(fld: Optional[models.Field], lookup: str) -> str:
    transform = lookup.split("__")[0]
    if transform in ("date", "year", "iso_year") and "__" in lookup:
        lookup = transform  # placed_at__date__gte compares dates
    if lookup in ("year", "iso_year"):
        return "year"
    if transform in _DATE_PARTS:  # created__month=m, created__week_day__gte=d: Django binds the number as is
        return "int"
    if lookup == "isnull":
        return "bool"
    if lookup == "date":
        return "date"
    if lookup == "limit":
        return "int"
    if lookup == "duration":  # a runtime value shifting a date or time (F("start") + delta)
        return "duration"
    if lookup in ("contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "regex", "iregex"):
        return "str"
    if fld is None:
        return "int"
    if fld.is_relation and fld.target_field is not None and not fld.many_to_many:
        return _kind(fld.target_field, "exact")
    if fld.many_to_many:
        return _kind(fld.target_field, "exact") if fld.target_field is not None else "int"
    t = fld.get_internal_type()
    return {
        "AutoField": "int", "BigAutoField": "int", "SmallAutoField": "int", "IntegerField": "int",
        "BigIntegerField": "int", "SmallIntegerField": "int", "PositiveIntegerField": "int",
        "PositiveSmallIntegerField": "int", "PositiveBigIntegerField": "int", "BooleanField": "bool",
        "DecimalField": "decimal", "FloatField": "float", "DateField": "date", "DateTimeField": "datetime",
        "UUIDField": "uuid", "DurationField": "duration", "JSONField": "json", "TimeField": "time",
    }.get(t, "str")


def _small_int(fld: Optional[models.Field]) -> bool:
    while fld is not None and fld.is_relation and not fld.many_to_many and getattr(fld, "target_field", None) is not None:
        fld = fld.target_field
    return fld is not None and fld.get_internal_type() in ("SmallIntegerField", "PositiveSmallIntegerField",
                                                           "SmallAutoField")


def _probe_text(value: str, fld: models.Field, probe: str) -> str:
    """A text a normalising save() override changes: "" (``probe="empty"``: an override filling an unset
    text), or capitals with spaces around, one code point past the column's max_length (the override may cut
    it: Django's database gets what the override leaves)."""
    if probe == "empty":
        return ""
    text = f"  {value.upper()}  "
    limit = getattr(fld, "max_length", None) or 0
    return text + "X" * max(0, limit + 1 - len(text))


def _accepted(fld: models.Field, value: str, k: int) -> str:
    """``value``, or, when the field refuses it in Python (a custom field that validates, such as
    django-timezone-field's TimeZoneField: "Invalid timezone 'zq6x'"), the k-th of its choices as the field
    writes it (still one distinct, recognisable value per argument)."""
    try:
        fld.get_prep_value(value)
        return value
    except Exception:  # noqa: BLE001 - any refusal: try a value the field offers itself
        pass
    choices = [c for c, _label in (fld.choices or ()) if not isinstance(_label, (list, tuple))]
    for c in choices[k % len(choices):] + choices[:k % len(choices)] if choices else ():
        try:
            prepped = fld.get_prep_value(c)
        except Exception:  # noqa: BLE001
            continue
        if isinstance(prepped, str) and prepped:
            return prepped
    return value


def _json_accepted(fld: models.Field, value: Any, k: int, connection: Any = None) -> Any:
    """``value`` (an object), or the first JSON shape the field takes when its own validation refuses it in
    Python (oauth2_provider's ResourceJSONField: "Resource must be a list of URI strings" from
    get_db_prep_value): a list of one text, a text, a number. Each still carries k, so it stays recognisable."""
    if connection is None:
        from django.db import connection
    for candidate in (value, [f"zq{k}x"], f"zq{k}x", 73_100_000 + k):
        try:
            fld.get_db_prep_value(candidate, connection, prepared=False)
            return candidate
        except Exception:  # noqa: BLE001 - any refusal: the next shape
            continue
    return value


def _sentinel_value(kind: str, k: int) -> Any:
    if kind == "year":
        return 1931 + k
    if kind == "int":
        return 73_100_000 + k
    if kind == "bool":
        return True
    if kind == "decimal":
        return decimal.Decimal(f"7310{k:03d}.37")
    if kind == "float":
        return 7310000.0 + k + 0.375
    if kind == "date":
        return datetime.date(1931, 1, 1) + datetime.timedelta(days=k)
    if kind == "datetime":
        return datetime.datetime(1931, 1, 1, 7, 31, 0, tzinfo=UTC) + datetime.timedelta(seconds=k)
    if kind == "uuid":
        return uuid.UUID(int=(0x7310 << 112) | k)
    if kind == "duration":
        return datetime.timedelta(microseconds=73_100_000 + k)
    if kind == "json":
        return {"sentinel": k}
    if kind == "time":
        return datetime.time(7, 31, 0, k)
    return f"zq{k}x"


class Values(Sentinels):
    """The same interpretation with real values instead of sentinels: what the Django side of query
    parity runs. ``values`` maps each source argument (sentinel name) to its value."""

    def __init__(self, values: dict[str, Any]):
        super().__init__()
        self.values = values
        self.used: list[str] = []  # names read by the call being interpreted

    def make(self, name: str, source: str, fld: Optional[models.Field], lookup: str, optional: bool) -> Any:
        name = self.unique_name(name, source)  # children_of(parent, owner): `owner.name` is `parent2`, as compiled
        if name not in self.values and (getattr(fld, "auto_now", False) or getattr(fld, "auto_now_add", False)):
            from django.utils import timezone

            return timezone.now()  # `create(created=now)` of an auto_now_add field: save() writes its own time over
            # it, so the query has no such parameter (translate.sqlc._matches) and any value does
        if name not in self.values:
            raise KeyError(f"no value for `{source}` ({name})")
        self.used.append(name)
        return self.values[name]


