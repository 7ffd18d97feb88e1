"""DRF serializers (ir_drf) -> Go response structs: one field per rendered key, in DRF's order.

Decides, for each serializer field, the Go type whose encoding/json output equals DRF's JSON (after
parsing: same keys, order, types and values) and the drfjson call that turns a row's value into it
(``format``: a Go expression with ``{v}`` for the value, as the type table types a row's column:
decimal.Decimal, djtypes.UUID, djtypes.Date, time.Time). What is not translated stays in the struct
as ``any`` with its reason (a SerializerMethodField quotes its Python), so the JSON keeps DRF's keys.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..ir import Diagnostic
from ..ir_drf import DRFSettings, Serializer, SerializerField
from .naming import pascal

INT_TYPES = frozenset({"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                       "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
                       "PositiveSmallIntegerField"})
STRING_TYPES = frozenset({"CharField", "TextField", "SlugField", "EmailField", "URLField", "FilePathField",
                          "GenericIPAddressField", "IPAddressField"})
STRING_CLASSES = frozenset({"CharField", "EmailField", "SlugField", "URLField", "RegexField", "IPAddressField"})


@dataclass(frozen=True)
class GoField:
    name: str  # Go field name
    json: str  # the JSON key (DRF's field name)
    go_type: str
    format: str = ""  # Go expression over {v} producing go_type from the row's value ("" = as is)
    stub: str = ""  # why the value is not produced (the field renders null until finished)
    python: str = ""  # a SerializerMethodField's Python, quoted in the struct


@dataclass(frozen=True)
class GoStruct:
    name: str
    serializer: str  # dotted Python class
    model: str
    fields: tuple[GoField, ...]

    @property
    def stubs(self) -> tuple[GoField, ...]:
        return tuple(f for f in self.fields if f.stub)


def struct_names(serializers: tuple[Serializer, ...]) -> dict[str, str]:
    """dotted class -> Go struct name (the class name; numbered when two apps use the same one)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for s in sorted(serializers, key=lambda s: s.dotted):
        base = pascal(s.name)
        name, n = base, 2
        while name in taken:
            name, n = f"{base}{n}", n + 1
        taken.add(name)
        names[s.dotted] = name
    return names


def go_structs(serializers: tuple[Serializer, ...], settings: DRFSettings) -> tuple[tuple[GoStruct, ...], list[Diagnostic]]:
    names = struct_names(serializers)
    out, diags = [], []
    for s in sorted(serializers, key=lambda s: s.dotted):
        fields = tuple(_go_field(f, names, settings) for f in s.fields if not f.write_only)
        out.append(GoStruct(names[s.dotted], s.dotted, s.model, _unique(fields)))
        diags += [Diagnostic("DRF_FIELD_STUB", f"{s.name}.{f.json}: {f.stub}", s.file, s.line, severity="info")
                  for f in fields if f.stub]
    return tuple(out), diags


def _unique(fields: tuple[GoField, ...]) -> tuple[GoField, ...]:
    seen: set[str] = set()
    out = []
    for f in fields:
        name, n = f.name, 2
        while name in seen:
            name, n = f"{f.name}{n}", n + 1
        seen.add(name)
        out.append(f if name == f.name else GoField(name, f.json, f.go_type, f.format, f.stub, f.python))
    return tuple(out)


def _go_field(f: SerializerField, names: dict[str, str], settings: DRFSettings) -> GoField:
    go_type, fmt, stub = _type(f, names, settings)
    if stub:
        return GoField(pascal(f.name), f.name, "any", "", stub, f.python)
    if f.many:
        go_type = "[]" + go_type
    elif f.null and not go_type.startswith(("json.RawMessage", "any", "*")):
        go_type = "*" + go_type
    return GoField(pascal(f.name), f.name, go_type, fmt)


def _type(f: SerializerField, names: dict[str, str], settings: DRFSettings) -> tuple[str, str, str]:
    """(Go type, format expression, stub reason) for one rendered field."""
    if f.kind == "method":
        return "", "", "SerializerMethodField: port the Python method" + (f" ({f.reason})" if f.reason else "")
    if f.kind == "expr":  # read into a value tree: the handler's item decides its Go type (translate/drf_method)
        return "any", "", ""
    if f.kind == "stub":
        return "", "", f.reason
    if f.kind == "nested":
        name = names.get(f.serializer)
        return (name, "", "") if name else ("", "", f"nested serializer {f.serializer} is not a ModelSerializer read here")
    if f.kind == "count":
        return "int64", "", ""
    if f.kind == "pk":
        return _scalar(f.internal_type)
    if f.kind == "slug":
        return "string", "", ""
    return _value(f, settings)


def _scalar(internal_type: str) -> tuple[str, str, str]:
    if internal_type in INT_TYPES:
        return "int64", "", ""
    if internal_type in STRING_TYPES:
        return "string", "", ""
    if internal_type == "UUIDField":
        return "string", 'drfjson.UUID({v}.String(), "hex_verbose")', ""
    return "", "", f"a {internal_type or 'computed'} value is not translated yet"


def _value(f: SerializerField, settings: DRFSettings) -> tuple[str, str, str]:
    c = f.drf_class
    if c in STRING_CLASSES:
        return "string", "", ""
    if c == "IntegerField" and f.internal_type in INT_TYPES:
        return "int64", "", ""
    if c == "BigIntegerField" and f.internal_type in INT_TYPES:  # COERCE_BIGINT_TO_STRING: str(value)
        return ("string", "strconv.FormatInt({v}, 10)", "") if f.coerce_to_string else ("int64", "", "")
    if c in ("BooleanField", "NullBooleanField"):
        return "bool", "", ""
    if c == "FloatField":
        return "drfjson.Float", "", ""
    if c == "JSONField":
        return "json.RawMessage", "", ""
    if c == "DecimalField":
        kind = "string" if f.coerce_to_string else "json.Number"
        return kind, f"drfjson.Decimal({{v}}.String(), {f.decimal_places})", ""
    if c in ("DateTimeField", "DateField", "TimeField") and f.format == "none":
        return "", "", f"{c} with format=None renders Python's object through the JSON encoder"
    if c == "DateTimeField":
        return "string", "drfjson.DateTime({v}, loc)" if settings.use_tz else "drfjson.NaiveDateTime({v})", ""
    if c == "DateField":
        return "string", "drfjson.Date({v}.Time())", ""
    if c == "TimeField":
        return "string", "{v}.String()", ""  # djtypes.TimeOfDay writes time.isoformat()
    if c in ("FileField", "ImageField") and f.format == "name":  # use_url off: value.name, null when empty
        return "*string", "drfjson.FileName({v})", ""
    if c in ("FileField", "ImageField") and f.format.startswith("url:"):  # build_absolute_uri(storage.url(name))
        return "*string", f"drfjson.FileURL(host, {json.dumps(f.format[4:])}, {{v}})", ""
    if c == "DurationField" and f.internal_type == "DurationField":  # duration_string
        return "string", "drfjson.Duration({v}.Microseconds())", ""
    if c == "UUIDField":
        return "string", f'drfjson.UUID({{v}}.String(), "{f.format or "hex_verbose"}")', ""
    if c in ("ChoiceField", "ReadOnlyField", "ModelField"):
        return _scalar(f.internal_type)
    return "", "", f"{c} over a {f.internal_type or 'computed'} value is not translated yet"
