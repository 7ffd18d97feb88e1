"""The one type table: Django internal type -> Go type (plain and nullable) and its import.

Every emitter and report reads this table; docs/gorm.md's type table is generated from it. A field
whose internal type is not here (and not mapped in migrator.yaml ``types:``) is a located
diagnostic, never a silent string. A decimal is never a float.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..ir import Diagnostic, Field, Model

DECIMAL = "github.com/shopspring/decimal"
UUID = "github.com/google/uuid"
DJTYPES = "{module}/djtypes"  # the generated helper package (per output module)


@dataclass(frozen=True)
class GoType:
    go: str  # Go type for a NOT NULL column
    nullable: str  # Go type for a NULL column
    imports: tuple[str, ...] = ()
    note: str = ""


def _ptr(go: str, imports: tuple[str, ...] = (), note: str = "") -> GoType:
    return GoType(go, "*" + go, imports, note)


TYPES: dict[str, GoType] = {
    "AutoField": _ptr("int32"),
    "BigAutoField": _ptr("int64"),
    "SmallAutoField": _ptr("int16"),
    "IntegerField": _ptr("int32"),
    "BigIntegerField": _ptr("int64"),
    "SmallIntegerField": _ptr("int16"),
    "PositiveIntegerField": _ptr("int32", note="CHECK (col >= 0) in the schema"),
    "PositiveSmallIntegerField": _ptr("int16", note="CHECK (col >= 0) in the schema"),
    "PositiveBigIntegerField": _ptr("int64", note="CHECK (col >= 0) in the schema"),
    "BooleanField": _ptr("bool", note="SQLite stores 0/1"),
    "NullBooleanField": GoType("*bool", "*bool"),
    "CharField": _ptr("string"),
    "TextField": _ptr("string"),
    "SlugField": _ptr("string"),
    "EmailField": _ptr("string"),
    "URLField": _ptr("string"),
    "FilePathField": _ptr("string"),
    "FileField": _ptr("string", note="the stored name; storage stays in Python"),
    "ImageField": _ptr("string", note="the stored name; storage stays in Python"),
    "GenericIPAddressField": _ptr("string"),
    "IPAddressField": _ptr("string"),
    "FloatField": _ptr("float64"),
    "DecimalField": _ptr("decimal.Decimal", (DECIMAL,), "shopspring/decimal: exact, never a float"),
    "DateField": _ptr("djtypes.Date", (DJTYPES,), "a calendar date (no time zone)"),
    "DateTimeField": _ptr("time.Time", ("time",), "UTC (USE_TZ)"),
    "TimeField": _ptr("djtypes.TimeOfDay", (DJTYPES,)),
    "DurationField": _ptr("djtypes.Duration", (DJTYPES,), "bigint microseconds on SQLite, interval on PostgreSQL"),
    "UUIDField": _ptr("djtypes.UUID", (DJTYPES,), "char(32) hex on SQLite, uuid on PostgreSQL"),
    "JSONField": _ptr("djtypes.JSON", (DJTYPES,), "raw JSON text, decoded on demand"),
    "BinaryField": GoType("[]byte", "[]byte"),
}

# Relation fields take the Go type of the target's primary key.
RELATION_TYPES = ("ForeignKey", "OneToOneField")


@dataclass(frozen=True)
class UserType:
    """A user's mapping from migrator.yaml ``types:`` for a custom or third-party field."""

    go: str
    nullable: str = ""
    imports: tuple[str, ...] = ()
    column: str = ""  # SQL type override, "" to keep Django's


def lookup(internal_type: str, user_types: Optional[dict[str, UserType]] = None) -> Optional[GoType]:
    if user_types and internal_type in user_types:
        u = user_types[internal_type]
        return GoType(u.go, u.nullable or ("*" + u.go), u.imports)
    return TYPES.get(internal_type)


def user_type_key(field: Field, user_types: Optional[dict]) -> str:
    """The migrator.yaml ``types:`` key that maps ``field``: its field class (dotted, or its class name), else
    its internal type; "" when none does. A class key maps one custom field without remapping its base type."""
    if not user_types:
        return ""
    for key in (field.field_class, field.field_class.rsplit(".", 1)[-1], field.internal_type):
        if key in user_types:
            return key
    return ""


def field_go_type(field: Field, models: dict[str, Model], user_types: Optional[dict] = None) -> Optional[GoType]:
    """The Go type of a concrete column (relations: the target's primary key type)."""
    internal = field.internal_type
    key = user_type_key(field, user_types)
    if key and key != internal and field.relation is None:
        return lookup(key, user_types)
    if field.relation is not None and internal in RELATION_TYPES:
        target = models.get(field.relation.target)
        if target is None:
            return None
        pk = target.field(field.relation.target_field) or target.field(target.pk)
        if pk is None:
            return None
        return field_go_type(pk, models, user_types)
    if internal in ("AutoField", "BigAutoField", "SmallAutoField") or field.primary_key:
        t = lookup(internal, user_types)
        return t
    return lookup(internal, user_types)


def unknown_field_diagnostics(models: list[Model], user_types: Optional[dict] = None) -> list[Diagnostic]:
    """One located diagnostic per field whose type the tool cannot map."""
    out = []
    for mo in models:
        if mo.kind == "abstract":
            continue
        for f in mo.fields:
            if f.internal_type == "ManyToManyField" or f.internal_type in RELATION_TYPES:
                continue
            if lookup(f.internal_type, user_types) is None and not user_type_key(f, user_types):
                out.append(Diagnostic(
                    code="UNKNOWN_FIELD_TYPE", file=f.file or mo.file, line=f.line or mo.line, column=5,
                    message=f"{mo.label}.{f.name}: field type {f.internal_type} ({f.field_class}) has no Go mapping",
                    hint=f"map it in migrator.yaml: types: {{{f.internal_type}: {{go: ..., column: ...}}}}"))
    return out


def _pre_save_diagnostics(mo: Model, f, where: dict) -> list[Diagnostic]:
    """A field class outside django.* with its own ``pre_save`` computes the value a save writes (a checksum of the
    token, a hash of the secret): neither a GORM write nor a sqlc INSERT/UPDATE computes it, and a migrator.yaml Go
    type does not either. A warning on the column, whatever its type mapping."""
    owners = [c.rsplit(".", 1)[0] for c in f.conversions if c.endswith(".pre_save")]
    if not owners:
        return []
    return [Diagnostic(
        code="CUSTOM_FIELD_PRE_SAVE", severity="warning", **where,
        message=f"{mo.label}.{f.name}: {owners[0]}.pre_save computes in Python the value a save writes; the Go "
                f"writes of {mo.label} (GORM and sqlc) write the value they are given, not that one",
        hint="compute it on the Go side before the write (a GORM BeforeSave hook and the sqlc write's caller), or "
             "keep this model's writes in Django")]


def conversion_diagnostics(models: list[Model], user_types: Optional[dict] = None) -> list[Diagnostic]:
    """One located diagnostic per column whose field class converts values in Python (``from_db_value``,
    ``get_prep_value``, ...). Without a migrator.yaml ``types:`` entry the column keeps its base type's Go
    mapping, which reads and binds what the database holds, not what Django hands over: a warning. With
    one, the declared Go type is used: an info line saying so."""
    out = []
    for mo in models:
        if mo.kind == "abstract":
            continue
        for f in mo.fields:
            where = dict(file=f.file or mo.file, line=f.line or mo.line, column=5)
            out += _pre_save_diagnostics(mo, f, where)
            conversions = [c for c in f.conversions if not c.endswith(".pre_save")]
            if not conversions:
                continue
            cls = f.field_class.rsplit(".", 1)[-1]
            methods = ", ".join(c.rsplit(".", 1)[-1] for c in conversions)
            owners = sorted({c.rsplit(".", 1)[0] for c in conversions})
            key = user_type_key(f, user_types)
            if key and key != f.internal_type:
                out.append(Diagnostic(
                    code="CUSTOM_FIELD_CONVERSION", severity="info", **where,
                    message=f"{mo.label}.{f.name}: {cls} converts values in Python ({methods} in "
                            f"{', '.join(owners)}); the Go side uses {user_types[key].go} from migrator.yaml types.{key}"))
                continue
            base = lookup(f.internal_type, user_types)
            out.append(Diagnostic(
                code="CUSTOM_FIELD_CONVERSION", severity="warning", **where,
                message=f"{mo.label}.{f.name}: {cls} converts values in Python ({methods} in {', '.join(owners)}); "
                        f"Go maps the column as its base type {f.internal_type}"
                        f"{f' ({base.go})' if base else ''}, so Go reads and query parameters are the raw "
                        f"database values, not what Django hands over",
                hint=f"declare a Go type doing the same conversion in migrator.yaml: types: {{{cls}: {{go: ..., "
                     f"nullable: ..., imports: [...]}}}} (see docs/gorm.md)"))
    return out
