"""The GORM translator's values: structs, fields, embeds, delete steps, hooks; Go literals and zero checks."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Optional

from ..gostring import go_string
from ..ir import Diagnostic
from .types import DECIMAL

@dataclass
class GoField:
    name: str
    type: str
    tag: str
    comment: str = ""
    django: str = ""  # the Django field this column or list holds ("" for relation pointers)
    internal: str = ""  # its internal type
    places: int = 0  # decimal_places, for canonical decimals


@dataclass
class Choices:
    type: str
    base: str
    consts: list[tuple[str, str, str]]  # (const name, Go literal, label)


@dataclass
class DeleteStep:
    kind: str  # protect | cascade | set_null | set_default | join | parent
    table: str
    column: str
    struct: str = ""  # struct of the related model (cascade)
    pk_column: str = ""  # related model pk column (cascade: ids to collect)
    pk_type: str = ""
    value: str = ""  # SET_DEFAULT literal
    label: str = ""  # app.Model.field for messages
    fn: str = ""  # delete helper to call (cascade / parent)


@dataclass
class Hook:
    kind: str  # save_override | delete_override | signal | field_pre_save (a field class's own pre_save)
    method: str  # Go stub method name
    signal: str = ""
    python: str = ""  # quoted source
    where: str = ""
    go: list[str] = field(default_factory=list)  # a save() override ported to Go (translate.saves): its body
    why: str = ""  # why it is not ported (the scaffold says what to port)


@dataclass
class Struct:
    name: str
    label: str
    table: str
    doc: str
    fields: list[GoField] = field(default_factory=list)
    embeds: list[str] = field(default_factory=list)
    choices: list[Choices] = field(default_factory=list)
    order: str = ""  # Meta.ordering as ORDER BY
    order_note: str = ""
    pk_field: str = "ID"
    pk_column: str = "id"
    pk_type: str = "int64"
    defaults: list[tuple[str, str, bool]] = field(default_factory=list)  # (Go field, expr, is_pointer)
    callable_defaults: list[tuple[str, str, str]] = field(default_factory=list)  # (Go field, expr, zero check)
    user_defaults: list[tuple[str, str, str, str]] = field(default_factory=list)  # (func, type, python, callable)
    hooks: list[Hook] = field(default_factory=list)
    delete_steps: list[DeleteStep] = field(default_factory=list)
    parent_delete: Optional[DeleteStep] = None
    soft_delete: str = ""
    hook_file: str = ""  # hooks_<hook_file>.go, the scaffold for Python hooks
    m2m: list[tuple[str, str, str]] = field(default_factory=list)  # (Go field, target struct, target pk field)
    managed: bool = True
    app: str = ""


@dataclass
class Embed:
    name: str
    doc: str
    fields: list[GoField]
    app: str = ""


@dataclass
class GormModel:
    structs: list[Struct]
    embeds: list[Embed]
    imports_by_app: dict[str, list[str]]
    diagnostics: list[Diagnostic]


def go_literal(value, go_type: str) -> Optional[str]:
    """A Go literal for a JSON default value of a field of ``go_type``; None when it has none."""
    base = go_type.lstrip("*")
    if value is None:
        return None
    if base == "bool":
        return "true" if value else "false"
    if base in ("int16", "int32", "int64", "float64") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    if base == "string" and isinstance(value, str):
        return go_string(value)
    if base == "decimal.Decimal":
        return f"decimal.RequireFromString({go_string(str(value))})"
    if base == "djtypes.JSON":
        import json

        return f"djtypes.JSON({go_string(json.dumps(value, separators=(', ', ': ')))})"
    if base == "djtypes.Duration" and isinstance(value, str):  # IR: Django's duration_iso_string
        micros = _duration_micros(value)
        return None if micros is None else f"djtypes.Duration({micros})"
    return None


def _duration_micros(iso: str):
    """Microseconds of a duration_iso_string ("-P1DT02H03M04.000005S"), None for another form."""
    import re

    m = re.fullmatch(r"(-?)P(\d+)DT(\d+)H(\d+)M(\d+)(?:\.(\d{1,6}))?S", iso)
    if not m:
        return None
    sign, days, h, mi, sec, frac = m.groups()
    micros = (int(days) * 86400 + int(h) * 3600 + int(mi) * 60 + int(sec)) * 1_000_000 + int((frac or "0").ljust(6, "0"))
    return -micros if sign else micros


def _tag(parts: list[str], json_name: str) -> str:
    gorm = ";".join(p for p in parts if p)
    return f'`gorm:"{gorm}" json:"{json_name}"`'


def _zero_check(expr: str, go_type: str) -> Optional[str]:
    base = go_type
    if base == "string":
        return f'{expr} == ""'
    if base in ("int16", "int32", "int64", "float64"):
        return f"{expr} == 0"
    if base == "djtypes.UUID":
        return f"{expr} == (djtypes.UUID{{}})"
    if base == "djtypes.JSON":
        return f"len({expr}) == 0"
    if base == "time.Time":
        return f"{expr}.IsZero()"
    if base == "decimal.Decimal":
        return f"{expr}.IsZero()"
    if base == "djtypes.Date":
        return f"{expr} == (djtypes.Date{{}})"
    return None


def imports_for(structs: list[Struct], embeds: list[Embed], module: str) -> list[str]:
    text = " ".join(f.type for s in structs for f in s.fields) + " " + " ".join(
        f.type for e in embeds for f in e.fields)
    text += " " + " ".join(e for s in structs for _, e, _ in s.callable_defaults + [(0, d, 0) for _, d, _ in s.defaults])
    out = ["gorm.io/gorm"]
    if "time." in text:
        out.append("time")
    if "decimal." in text:
        out.append(DECIMAL)
    if "djtypes." in text:
        out.append(f"{module}/djtypes")
    return out
