"""Django REST framework serializers -> IR (ir_drf): the only module that imports DRF.

Each ``ModelSerializer`` subclass of the loaded apps is built the way DRF builds it (its ``.fields``,
in output order) without running the class's own ``__init__`` (which may query the database): the
base ``ModelSerializer.__init__`` is called on a bare instance. A class whose fields cannot be built
is a located diagnostic, never a guess.
"""

from __future__ import annotations

import importlib
import json
import inspect
import textwrap
from typing import Any, Optional

from ..ir import Diagnostic
from ..ir_drf import DRFSettings, Serializer, SerializerField
from .drf_method import read_method
from .drf_method_models import DjangoModels, deferred as _deferred
from .drf_queryset import Unread
from .drf_rowfields import own_init_class, read_row_fields
from .registry import _rel, json_value

# DRF field classes whose to_representation the Go side reproduces (anything else is a stub)
VALUE_CLASSES = frozenset({
    "CharField", "EmailField", "SlugField", "URLField", "RegexField", "IPAddressField", "IntegerField",
    "BigIntegerField", "FloatField", "BooleanField", "NullBooleanField", "DecimalField", "DateTimeField", "DateField",
    "TimeField", "UUIDField", "ChoiceField", "JSONField", "ReadOnlyField", "ModelField", "DurationField",
    "FileField", "ImageField",
})


def drf_settings() -> DRFSettings:
    from django.conf import settings
    from rest_framework.settings import api_settings

    return DRFSettings(
        use_tz=bool(settings.USE_TZ), time_zone=str(settings.TIME_ZONE or "UTC"),
        coerce_decimal_to_string=bool(api_settings.COERCE_DECIMAL_TO_STRING),
        datetime_format=str(api_settings.DATETIME_FORMAT), date_format=str(api_settings.DATE_FORMAT),
        time_format=str(api_settings.TIME_FORMAT), session_cookie=str(settings.SESSION_COOKIE_NAME),
        session_user="django.contrib.auth.middleware.AuthenticationMiddleware" in list(settings.MIDDLEWARE or ()))


def _dotted_name(cls: Any) -> str:
    return f"{cls.__module__}.{cls.__qualname__}" if isinstance(cls, type) else ""


def _subclasses(base: type) -> list[type]:
    seen: dict[str, type] = {}
    stack = list(base.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("rest_framework"):
            seen.setdefault(_dotted_name(cls), cls)
    return [seen[k] for k in sorted(seen)]


def import_serializer_modules(app_modules: list[str]) -> None:
    """Import ``<app>.serializers`` of each app (where DRF projects keep them), when it exists."""
    for name in app_modules:
        try:
            importlib.import_module(f"{name}.serializers")
        except ModuleNotFoundError as exc:
            if exc.name not in (name, f"{name}.serializers"):
                raise


def read_serializers(root: str, app_modules: list[str]) -> tuple[tuple[Serializer, ...], list[Diagnostic]]:
    from rest_framework import serializers

    import_serializer_modules(app_modules)
    prefixes = tuple(app_modules)
    out: list[Serializer] = []
    diags: list[Diagnostic] = []
    for cls in _subclasses(serializers.ModelSerializer):
        if not cls.__module__.startswith(prefixes) or getattr(getattr(cls, "Meta", None), "model", None) is None:
            continue
        file, line = _where(root, cls)
        try:
            out.append(read_serializer(root, cls, file, line))
            if out[-1].dynamic:
                diags.append(Diagnostic("DRF_DYNAMIC_FIELDS", _dynamic_message(out[-1]), file, line,
                                        severity="warning"))
        except Exception as exc:  # the class's own get_fields / Meta is wrong or needs a request
            diags.append(Diagnostic("DRF_SERIALIZER", f"{cls.__qualname__}: DRF cannot build its fields: "
                                    f"{type(exc).__name__}: {exc}", file, line, severity="warning"))
    return tuple(out), diags


def _where(root: str, cls: type) -> tuple[str, int]:
    try:
        lines, line = inspect.getsourcelines(cls)
        return _rel(root, inspect.getsourcefile(cls)), line
    except (OSError, TypeError):
        return "", 0


def read_serializer(root: str, cls: type, file: str = "", line: int = 0) -> Serializer:
    from rest_framework import serializers

    bare = cls.__new__(cls)
    serializers.ModelSerializer.__init__(bare)
    model = cls.Meta.model
    fields = tuple(_writable(f, _field(cls, model, name, f), model) for name, f in bare.fields.items())
    rows, why = None, ""
    if _own_init(cls):
        try:
            rows = read_row_fields(cls)
        except Unread as exc:
            why = str(exc)
    return Serializer(cls.__name__, _dotted_name(cls), model._meta.label, fields, file, line, _validation(cls),
                      _own_init(cls), rows, why)


def _dynamic_message(ser: Serializer) -> str:
    if ser.rows is None:
        return (f"{ser.name}: {ser.dynamic}.__init__ may add fields at runtime ({ser.dynamic_reason}); only the "
                "declared ones are read (its views stay stubs)")
    r = ser.rows
    built = (f"each built by {r.builder}() (read: the Go queries the rows at request time and renders each value)"
             if r.built else f"each built by {r.builder}() (not read: {r.built_reason}; its views stay stubs)")
    return f"{ser.name}: {ser.dynamic}.__init__ adds a field {r.prefix}<{r.attr}> per row of {r.source} (read); {built}"


def _own_init(cls: type) -> str:
    """The project class whose ``__init__`` the serializer runs (it may add fields: helpdesk's BaseTicketSerializer
    adds one per CustomField row), "" when DRF's own."""
    own = own_init_class(cls)
    return own.__qualname__ if own is not None else ""


def _validation(cls: type) -> str:
    """The Python of the serializer's own validation: validate(), validate_<field>(), Meta.validators."""
    from rest_framework import serializers

    own = [v for k in cls.__mro__ if not k.__module__.startswith("rest_framework") and k is not object
           for n, v in vars(k).items() if n == "validate" or n.startswith("validate_") and callable(v)]
    parts = [textwrap.dedent(inspect.getsource(v)) for v in own]
    validators = serializers.ModelSerializer.get_validators(cls.__new__(cls))
    if validators:
        parts.append("Meta.validators / unique_together: " + ", ".join(type(v).__name__ for v in validators))
    return "\n".join(parts)


# validators a write's Go reproduces (DRF's own for max_length, min / max values, null characters; a
# ModelSerializer's UniqueValidator, first in the list; SlugField's RegexValidator, last)
_KNOWN_VALIDATORS = ("MaxLengthValidator", "MinLengthValidator", "MaxValueValidator", "MinValueValidator",
                     "ProhibitNullCharactersValidator", "ProhibitSurrogateCharactersValidator")
# Python's pattern -> Go's (DRF's ASCII slug_regex only: Python's "$" also matches before a final newline)
_SLUG = {r"^[-a-zA-Z0-9_]+$": r"^[-a-zA-Z0-9_]+\n?\z"}


def _unique(v: Any, model: type, f: Any) -> str:
    """The message of a UniqueValidator the Go runs (an exact lookup over the model's default manager), else ""."""
    qs = getattr(v, "queryset", None)
    if qs is None or qs.model is not model or getattr(v, "lookup", "") != "exact" or f.source_attrs != [f.source] \
            or str(qs.all().query) != str(model._default_manager.all().query):
        return ""
    return str(v.message)


def _pattern(v: Any) -> str:
    """The Go regexp of a RegexValidator the Go runs (SlugField's), else ""."""
    regex = getattr(v, "regex", None)
    if regex is None or v.inverse_match or regex.flags & ~32:  # 32: re.UNICODE, on by default for str patterns
        return ""
    return _SLUG.get(regex.pattern, "")


def _validators(f: Any, model: type) -> tuple[dict, str]:
    """(unique_message / pattern / pattern_message of the field, why the Go cannot run one of its validators)."""
    out: dict = {}
    names = [type(v).__name__ for v in f.validators]
    for i, v in enumerate(f.validators):
        if names[i] == "UniqueValidator" and i == 0 and (msg := _unique(v, model, f)):
            out["unique_message"] = msg
        elif names[i] == "RegexValidator" and i == len(names) - 1 and (go := _pattern(v)):
            out.update(pattern=go, pattern_message=str(v.message))
        elif names[i] not in _KNOWN_VALIDATORS:
            return out, f"validators {names[i]}"  # (a UniqueValidator / RegexValidator the Go does not run too)
    return out, ""


def _writable(f: Any, field: SerializerField, model: type) -> SerializerField:
    """The field with what DRF validates when it is written (nothing for a read-only field)."""
    from dataclasses import replace

    if f.read_only:
        return field
    checks, why = _validators(f, model)
    number = (int, float)
    return replace(field, required=bool(f.required), allow_null=bool(f.allow_null),
                   allow_blank=bool(getattr(f, "allow_blank", False)),
                   max_length=int(getattr(f, "max_length", None) or -1), min_length=int(getattr(f, "min_length", None) or -1),
                   min_value=v if isinstance(v := getattr(f, "min_value", None), number) else None,
                   max_value=v if isinstance(v := getattr(f, "max_value", None), number) else None,
                   write_reason=why or field.write_reason, **checks)


def _model_field(model: type, source: str) -> tuple[Optional[Any], bool]:
    """The model field a dotted source ends on, and whether a step on the way may be None."""
    field, null = None, False
    for step in source.split("."):
        if model is None:
            return None, null
        try:
            field = model._meta.get_field(step)
        except Exception:
            return None, null
        null = null or bool(getattr(field, "null", False))
        model = field.related_model if field.is_relation else None
    return field, null


def _field(cls: type, model: type, name: str, f: Any) -> SerializerField:
    from rest_framework import relations, serializers

    base = dict(name=name, read_only=bool(f.read_only), write_only=bool(f.write_only),
                source=str(f.source or name), drf_class=type(f).__name__)
    many = isinstance(f, (relations.ManyRelatedField, serializers.ListSerializer))
    inner = getattr(f, "child_relation", None) or getattr(f, "child", None) if many else f
    mfield, null = _model_field(model, base["source"]) if base["source"] != "*" else (None, False)
    base.update(many=many, null=null and not many, internal_type=_internal_type(mfield))
    if isinstance(f, serializers.SerializerMethodField):
        method = getattr(cls, f.method_name, None)
        python = textwrap.dedent(inspect.getsource(method)) if method is not None else ""
        manager = returned_attribute(python, ".count()")
        if manager and _manager_of(model, manager):  # a related count: the related manager's COUNT(*) per object
            return SerializerField(kind="count", python=python, related_manager=True, **{
                **base, "source": manager, "related_model": _manager_of(model, manager), "internal_type": ""})
        column = _attribute_read(python, model)
        if column is not None:  # `return obj.<column>`: the value as read, as a ReadOnlyField of it renders it
            return SerializerField(kind="value", python=python, **{
                **base, "drf_class": "ReadOnlyField", "source": column.name, "null": bool(column.null), "internal_type": column.get_internal_type()})
        related: dict[str, str] = {}
        queries: list = []
        try:
            expr = json.dumps(read_method(python, model._meta.label, DjangoModels(), getattr(method, "__module__", ""),
                                          related, queries))
        except Unread as e:
            return SerializerField(kind="method", python=python, reason=str(e), **{**base, "null": True})
        return SerializerField(kind="expr", python=python, expr=expr, related_rows=tuple(
            f"{fk}={m}" for fk, m in related.items()), row_queries=tuple(f"{m}={q}" for m, q in queries),
            **{**base, "null": True})
    if isinstance(inner, serializers.BaseSerializer):
        child = inner.Meta.model._meta.label
        return SerializerField(kind="nested", serializer=_dotted_name(type(inner)), related_model=child,
                               related_manager=many and _manager_of(model, base["source"]) == child, **base)
    if type(inner) is relations.PrimaryKeyRelatedField:
        return SerializerField(kind="pk", related_model=_related(mfield), **base)
    if type(inner) is relations.SlugRelatedField:
        return SerializerField(kind="slug", related_model=_related(mfield), slug_field=inner.slug_field, **base)
    return _value(inner, mfield, base)


def returned_attribute(python: str, then: str = "") -> str:
    """The attribute a SerializerMethodField's method returns as is (``def get_x(self, obj): return obj.col``, a
    docstring allowed), else ""; ``then=".count()"``: the attribute whose ``.count()`` it returns."""
    import ast

    try:
        fn = ast.parse(python).body[0]
    except (SyntaxError, IndexError):
        return ""
    if not isinstance(fn, ast.FunctionDef) or fn.decorator_list or len(fn.args.args) != 2:
        return ""
    body = [st for st in fn.body if not (isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant))]
    ret = body[0].value if len(body) == 1 and isinstance(body[0], ast.Return) else None
    if then == ".count()":  # obj.<attr>.count()
        call = ret if isinstance(ret, ast.Call) and not ret.args and not ret.keywords else None
        ret = call.func.value if call and isinstance(call.func, ast.Attribute) and call.func.attr == "count" else None
    if isinstance(ret, ast.Attribute) and isinstance(ret.value, ast.Name) and ret.value.id == fn.args.args[1].arg:
        return ret.attr
    return ""


def _attribute_read(python: str, model: type) -> Optional[Any]:
    """The model column a SerializerMethodField's method returns as is, else None. DRF hands the method's value to
    the renderer unchanged, as a ReadOnlyField does with its attribute: the same JSON. A relation, a property or
    anything computed stays a stub."""
    attr = returned_attribute(python)
    try:
        field = model._meta.get_field(attr) if attr else None
    except Exception:
        return None
    concrete = field is not None and getattr(field, "concrete", False) and not field.is_relation
    return field if concrete and field.attname == attr and _deferred(model, attr) else None


def _manager_of(model: type, source: str) -> str:
    """The model a related manager attribute of ``model`` returns rows of, when its ``.all()`` is filtered by the
    object's pk (a reverse foreign key to the pk, a many-to-many through an auto-created table); else ""."""
    from django.db.models.fields.related_descriptors import ManyToManyDescriptor, ReverseManyToOneDescriptor

    desc = next((vars(k)[source] for k in model.__mro__ if source in vars(k)), None)  # the class attribute itself
    if isinstance(desc, ManyToManyDescriptor):
        through = desc.rel.through
        ok = isinstance(through, type) and through._meta.auto_created
        return (desc.rel.related_model if desc.reverse else desc.rel.model)._meta.label if ok else ""
    if isinstance(desc, ReverseManyToOneDescriptor) and desc.rel.field.target_field.primary_key:
        return desc.rel.related_model._meta.label
    return ""


def _internal_type(mfield: Any) -> str:
    """The model field's internal type; for a relation, its target column's (what a pk renders as)."""
    if mfield is None:
        return ""
    target = getattr(mfield, "target_field", None) if mfield.is_relation else mfield
    return target.get_internal_type() if target is not None else ""


def _related(mfield: Any) -> str:
    return mfield.related_model._meta.label if mfield is not None and mfield.related_model else ""


def _value(f: Any, mfield: Any, base: dict) -> SerializerField:
    klass = type(f).__name__
    if base["write_only"]:
        return SerializerField(kind="stub", reason="write_only: never rendered", **base)
    if klass not in VALUE_CLASSES or type(f).__module__ != "rest_framework.fields":
        return SerializerField(kind="stub", reason=f"{klass} is not translated yet", **base)
    if mfield is None or mfield.is_relation:
        return SerializerField(kind="stub", reason=f"source {base['source']!r} is not a model column", **base)
    extra: dict[str, Any] = {}
    if klass == "DecimalField":
        if f.localize or f.normalize_output or f.rounding not in (None, "ROUND_HALF_EVEN"):
            return SerializerField(kind="stub", reason="DecimalField with localize, normalize_output or rounding",
                                   **base)
        from rest_framework.settings import api_settings

        extra.update(decimal_places=f.decimal_places if f.decimal_places is not None else -1,
                     coerce_to_string=bool(getattr(f, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)))
    if klass in ("DateTimeField", "DateField", "TimeField"):
        from rest_framework.settings import api_settings

        default = getattr(api_settings, {"DateTimeField": "DATETIME_FORMAT", "DateField": "DATE_FORMAT",
                                         "TimeField": "TIME_FORMAT"}[klass])
        fmt = getattr(f, "format", default)
        if fmt is not None and str(fmt).lower() != "iso-8601":
            return SerializerField(kind="stub", reason=f"{klass} format {fmt!r} (strftime) is not translated yet",
                                   **base)
        extra["format"] = "iso-8601" if fmt is not None else "none"
        if klass == "DateTimeField" and "timezone" in vars(f):
            return SerializerField(kind="stub", reason="DateTimeField with default_timezone", **base)
    if klass == "BigIntegerField":
        from rest_framework.settings import api_settings

        extra["coerce_to_string"] = bool(getattr(f, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING))
    if klass == "UUIDField":
        extra["format"] = f.uuid_format
    if klass == "ChoiceField":
        extra["choices"] = tuple(json_value(k) for k in f.choices)
    if klass in ("FileField", "ImageField"):
        extra["format"], why = _file_format(f, mfield)
        if why:
            return SerializerField(kind="stub", reason=f"{klass}: {why}", **base)
    return SerializerField(kind="value", **base, **extra)


# characters iri_to_uri leaves as they are (a base URL made of them only is written as it is)
_IRI_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-~/#%[]=:;$&()+,!?*@'")


def _file_format(f: Any, mfield: Any) -> tuple[str, str]:
    """(format, why not) of a FileField: "name" (use_url off: the stored name), or "url:<base_url>" for
    FileSystemStorage under a path-absolute base URL (MEDIA_URL "/media/"): storage.url() joined to it, made
    absolute with the request's scheme and host (build_absolute_uri)."""
    from django.core.files.storage import FileSystemStorage
    from django.utils.functional import LazyObject, empty
    from rest_framework.settings import api_settings

    if not getattr(f, "use_url", api_settings.UPLOADED_FILES_USE_URL):
        return "name", ""
    storage = mfield.storage
    if isinstance(storage, LazyObject):
        if storage._wrapped is empty:
            storage._setup()
        storage = storage._wrapped
    if type(storage) is not FileSystemStorage:
        return "", f"storage {type(storage).__name__} (its url() is not FileSystemStorage's)"
    base = str(storage.base_url or "")
    if not base.startswith("/") or base.startswith("//") or "/./" in base or "/../" in base or set(base) - _IRI_SAFE:
        return "", f"MEDIA_URL {base!r} (the Go joins a path-absolute ASCII base URL only)"
    return f"url:{base}", ""
