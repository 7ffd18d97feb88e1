"""The intermediate representation: frozen dataclasses of plain values.

Nothing from Django, libcst or Jinja travels past the loader; every value here is a str, int,
float, bool, None, a tuple of those, or another IR dataclass, so a Project round-trips through
JSON (``to_json`` / ``from_json``). Relations name their target as ``"app_label.Model"``.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from dataclasses import dataclass, field
from typing import Any, Optional

# Model kinds, as the analyze JSON contract spells them.
MODEL_KINDS = ("concrete", "abstract", "proxy", "unmanaged")
# QuerySet site kinds.
SITE_KINDS = ("static", "conditional", "dynamic", "unsupported")


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    file: str = ""
    line: int = 0
    column: int = 0
    severity: str = "error"  # error | warning | info
    hint: str = ""
    detail: str = ""  # e.g. the loader's traceback: shown with --verbose, not by render()

    def render(self) -> str:
        where = self.file or "<project>"
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        text = f"{where}: {self.severity}[{self.code}]: {self.message}"
        return text + (f" ({self.hint})" if self.hint else "")


@dataclass(frozen=True)
class Default:
    kind: str = "none"  # none | literal | callable
    value: Any = None  # JSON value for literal defaults (Decimal/UUID/date as str)
    callable: str = ""  # dotted name of a callable default
    source: str = ""  # the callable's Python source when it is the project's own


@dataclass(frozen=True)
class Choice:
    value: Any
    label: str
    name: str = ""  # enum member name (TextChoices/IntegerChoices), else ""


@dataclass(frozen=True)
class Relation:
    kind: str  # foreign_key | one_to_one | many_to_many
    target: str  # app_label.Model
    target_field: str = "id"  # to_field (attribute name on the target)
    on_delete: str = ""  # CASCADE | SET_NULL | PROTECT | RESTRICT | SET_DEFAULT | SET | DO_NOTHING
    related_name: str = ""  # explicit related_name ("" when not given)
    related_accessor: str = ""  # the attribute Django puts on the target (related_name or x_set)
    related_query_name: str = ""
    through: str = ""  # app_label.Model of the M2M through model
    through_auto: bool = False  # through model auto-created by Django
    join_table: str = ""
    join_column: str = ""  # join table column pointing at this model
    join_target_column: str = ""  # join table column pointing at the target
    # a generic through (taggit's TaggedItem): its content-type column; join rows also belong to other models
    content_type_column: str = ""
    parent_link: bool = False  # multi-table inheritance pointer
    db_constraint: bool = True


@dataclass(frozen=True)
class Field:
    name: str
    attname: str
    column: str  # "" for many-to-many
    internal_type: str
    field_class: str  # dotted path of the field class
    null: bool = False
    blank: bool = False
    primary_key: bool = False
    unique: bool = False
    db_index: bool = False
    editable: bool = True
    default: Default = Default()
    choices: tuple[Choice, ...] = ()
    choices_class: str = ""  # TextChoices/IntegerChoices class name when one was used
    max_length: Optional[int] = None
    max_digits: Optional[int] = None
    decimal_places: Optional[int] = None
    auto_now: bool = False
    auto_now_add: bool = False
    auto_created: bool = False
    db_type: dict[str, str] = field(default_factory=dict)  # vendor -> column type (sqlite/postgresql)
    relation: Optional[Relation] = None
    inherited_from: str = ""  # abstract base (dotted) or concrete parent label that declared it
    conversions: tuple[str, ...] = ()  # "pkg.Class.method": Python value conversions outside django.*
    line: int = 0  # where the field is declared (0 when unknown)
    file: str = ""


@dataclass(frozen=True)
class Index:
    name: str
    fields: tuple[str, ...]
    columns: tuple[str, ...] = ()
    unique: bool = False
    condition: str = ""


@dataclass(frozen=True)
class Constraint:
    kind: str  # unique | check
    name: str
    fields: tuple[str, ...] = ()
    condition: str = ""  # repr of the Q condition (unique with condition, check)


@dataclass(frozen=True)
class Manager:
    name: str
    class_path: str
    queryset_class: str = ""
    is_default: bool = False
    custom_methods: tuple[str, ...] = ()  # extra methods on the manager / its QuerySet
    soft_delete_field: str = ""  # field excluded by get_queryset (soft delete), "" if none
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Hook:
    kind: str  # save_override | delete_override | signal
    name: str  # method name, or receiver function dotted path
    signal: str = ""  # post_save, pre_save, ...
    file: str = ""
    line: int = 0
    source: str = ""  # the Python source, quoted into generated stubs


@dataclass(frozen=True)
class Model:
    app_label: str
    name: str
    db_table: str
    kind: str  # concrete | abstract | proxy | unmanaged
    module: str
    file: str
    line: int
    fields: tuple[Field, ...] = ()
    pk: str = "id"
    abstract_bases: tuple[str, ...] = ()  # dotted paths of abstract ancestors
    parents: tuple[str, ...] = ()  # multi-table inheritance parents (labels)
    proxy_for: str = ""  # concrete model label of a proxy
    ordering: tuple[str, ...] = ()
    indexes: tuple[Index, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    unique_together: tuple[tuple[str, ...], ...] = ()
    managers: tuple[Manager, ...] = ()
    hooks: tuple[Hook, ...] = ()
    verbose_name: str = ""
    # reverse relations Django adds to this model: (accessor, "app.Model", field name, kind)
    reverse: tuple[tuple[str, str, str, str], ...] = ()

    @property
    def label(self) -> str:
        return f"{self.app_label}.{self.name}"

    def field(self, name: str) -> Optional[Field]:
        for f in self.fields:
            if f.name == name or f.attname == name:
                return f
        return None


@dataclass(frozen=True)
class App:
    label: str
    name: str
    path: str  # relative to the project root, "" for an app outside it
    origin: str = "project"  # project | external (django.contrib, third-party packages)
    models: tuple[str, ...] = ()


@dataclass(frozen=True)
class Arg:
    kind: str  # literal | runtime
    source: str  # source text of the argument expression
    keyword: str = ""  # keyword name, "" for positional; "**" for a ** splat
    value: Any = None  # the literal value when kind == literal (JSON form)
    names: tuple[str, ...] = ()  # runtime names the expression reads


@dataclass(frozen=True)
class Call:
    method: str  # QuerySet method, or "[]" for subscripting/slicing, "iter" for iteration
    args: tuple[Arg, ...] = ()
    line: int = 0
    column: int = 0
    condition: str = ""  # source of the enclosing `if` test when the call is conditional


@dataclass(frozen=True)
class QuerySetSite:
    id: str
    file: str
    line: int
    column: int
    function: str
    model: str  # app_label.Model, "" when it cannot be resolved
    root: str  # how the chain starts: "Order.objects", "order.lines", "qs"
    chain: tuple[Call, ...]
    kind: str  # static | conditional | dynamic | unsupported
    reason: str = ""  # reason code, "" for static
    explanation: str = ""
    manager: str = "objects"  # manager or related accessor name
    related_from: str = ""  # app_label.Model owning a related manager ("" for model managers)
    end_line: int = 0


@dataclass(frozen=True)
class Project:
    root: str
    settings_module: str
    django_version: str
    apps: tuple[App, ...] = ()
    models: tuple[Model, ...] = ()
    querysets: tuple[QuerySetSite, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    files_scanned: int = 0
    databases: dict[str, str] = field(default_factory=dict)  # alias -> vendor
    schema: dict[str, tuple[str, ...]] = field(default_factory=dict)  # dialect -> DDL statements (generate)
    sources: tuple[str, ...] = ()  # --source trees scanned beside the project (as the user named them)

    def model(self, label: str) -> Optional[Model]:
        for m in self.models:
            if m.label == label:
                return m
        return None


# ---------------------------------------------------------------- JSON round trip


_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {}
_MISSING = object()


def _field_defaults(cls: type) -> tuple[tuple[str, Any], ...]:
    if cls not in _FIELDS:
        out = []
        for f in dataclasses.fields(cls):
            if f.default is not dataclasses.MISSING:
                out.append((f.name, f.default))
            elif f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
                out.append((f.name, f.default_factory()))  # type: ignore[misc]
            else:
                out.append((f.name, _MISSING))
        _FIELDS[cls] = tuple(out)
    return _FIELDS[cls]


# to_dict's decision depends on the value's type only, so it is made once per type (a registry of
# 1000 models is ~100k values; dataclasses.is_dataclass and isinstance per value add up).
_SCALAR, _DATACLASS, _SEQUENCE, _MAPPING, _OTHER = range(5)
_PLAIN = frozenset((str, int, float, bool, type(None)))
_TO_DICT_KIND: dict[type, int] = {}


def _to_dict_kind(cls: type) -> int:
    kind = _TO_DICT_KIND.get(cls)
    if kind is None:
        if cls in _PLAIN:
            kind = _SCALAR
        elif dataclasses.is_dataclass(cls) and not issubclass(cls, type):
            kind = _DATACLASS
        elif issubclass(cls, (list, tuple)):
            kind = _SEQUENCE
        elif issubclass(cls, dict):
            kind = _MAPPING
        else:
            kind = _OTHER
        _TO_DICT_KIND[cls] = kind
    return kind


def to_dict(value: Any, compact: bool = False) -> Any:
    """Plain JSON structure for an IR value (dataclasses become dicts, tuples lists).

    ``compact`` leaves out fields equal to their default (``from_dict`` restores them): the loader
    worker hands large registries over this way.
    """
    kind = _to_dict_kind(type(value))
    if kind == _SCALAR or kind == _OTHER:
        return value
    if kind == _DATACLASS:
        out = {}
        for name, default in _field_defaults(type(value)):
            v = getattr(value, name)
            if compact and default is not _MISSING and v == default:
                continue
            out[name] = v if type(v) in _PLAIN else to_dict(v, compact)  # most fields: skip the call
        return out
    if kind == _SEQUENCE:
        return [to_dict(v, compact) for v in value]
    return {str(k): to_dict(v, compact) for k, v in value.items()}


def to_json(value: Any, indent: Optional[int] = 2) -> str:
    return json.dumps(to_dict(value), indent=indent, sort_keys=False, ensure_ascii=False)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _identity(data: Any) -> Any:
    return data


_BUILDERS: dict[Any, Any] = {}


def _builder(tp: Any):
    """A function JSON data -> value of type ``tp``, made once per type from its hints (from_dict is
    on the loader's critical path: walking typing objects for every value cost ~0.3 s per 1000 models)."""
    build = _BUILDERS.get(tp)
    if build is None:
        build = _BUILDERS[tp] = _make_builder(tp)
    return build


def _make_builder(tp: Any):
    origin = typing.get_origin(tp)
    if origin is typing.Union:  # Optional[X]
        inner = _builder([a for a in typing.get_args(tp) if a is not type(None)][0])
        return lambda data: None if data is None else inner(data)
    if dataclasses.is_dataclass(tp):
        fields: dict[str, Any] = {}

        def build_dataclass(data: dict) -> Any:
            if not fields:  # filled on first use: hints of a recursive type refer back to it
                fields.update((k, _builder(t)) for k, t in _hints(tp).items())
            return tp(**{k: fields[k](v) for k, v in data.items() if k in fields})

        return build_dataclass
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _builder(args[0])
            return tuple if item is _identity else (lambda data: tuple(item(v) for v in data))
        items = [_builder(a) for a in args]
        return lambda data: tuple(b(v) for b, v in zip(items, data))
    if origin is dict:
        value = _builder(typing.get_args(tp)[1])
        return lambda data: {k: value(v) for k, v in data.items()}
    return _identity


def from_dict(cls: type, data: dict) -> Any:
    return _builder(cls)(data)


def from_json(cls: type, text: str) -> Any:
    return from_dict(cls, json.loads(text))
