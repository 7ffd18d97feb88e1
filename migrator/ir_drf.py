"""Django REST framework serializers as IR: frozen values the loader fills in (load/drf.py).

A ``Serializer`` is one ``ModelSerializer`` class as DRF itself builds it (``.fields``, in DRF's
output order); each ``SerializerField`` says how DRF renders the attribute it reads, in plain
values only, so the translate stage (translate/drf_types.py) decides Go types without Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

# field kinds: how DRF's to_representation renders the value
#   value   : a model attribute through a plain DRF field (drf_class says which)
#   pk      : PrimaryKeyRelatedField (the related pk)
#   slug    : SlugRelatedField (slug_field of the related object)
#   nested  : another serializer (read), ``serializer`` names it
#   method  : SerializerMethodField, a stub quoting ``python``
#   count   : SerializerMethodField returning ``obj.<related manager>.count()`` (``source``: the manager)
#   expr    : SerializerMethodField whose method load/drf_method read into a value tree (``expr``, JSON)
#   stub    : anything else; ``reason`` says why
FIELD_KINDS = ("value", "pk", "slug", "nested", "method", "count", "expr", "stub")


@dataclass(frozen=True)
class SerializerField:
    name: str  # the JSON key
    kind: str
    drf_class: str = ""  # DRF field class name (DecimalField, DateTimeField, ...)
    source: str = ""  # dotted source ("category.name"), "*" for the whole object
    internal_type: str = ""  # Django internal type of the model field read ("" when none)
    null: bool = False  # the value may be None (rendered null)
    many: bool = False  # a list (many=True, ManyRelatedField, ListSerializer)
    read_only: bool = False
    write_only: bool = False  # never rendered
    related_model: str = ""  # app_label.Model for pk / slug / nested
    slug_field: str = ""
    serializer: str = ""  # dotted class of a nested serializer
    # a nested many=True over a related manager of the model (a reverse foreign key to its pk, an auto-created
    # many-to-many): DRF renders ``.all()`` of it, a query per object (translate/drf_nested)
    related_manager: bool = False
    decimal_places: int = -1
    coerce_to_string: bool = True  # DecimalField (COERCE_DECIMAL_TO_STRING), BigIntegerField (COERCE_BIGINT_TO_STRING)
    format: str = ""  # datetime/date/time format ("iso-8601"), uuid format (hex_verbose/hex)
    choices: tuple[Any, ...] = ()  # choice keys (JSON values)
    python: str = ""  # the method's source for a SerializerMethodField
    expr: str = ""  # kind expr: the method's value tree as JSON (load/drf_method)
    related_rows: tuple[str, ...] = ()  # kind expr: "<foreign key>=<app_label.Model>" of each related row it reads
    row_queries: tuple[str, ...] = ()  # kind expr: "<app_label.Model>=<QuerySet source>" of each exists() it reads
    reason: str = ""  # why a stub
    # what DRF validates when the field is written (not read_only)
    required: bool = False
    allow_null: bool = False
    allow_blank: bool = False
    max_length: int = -1  # -1: none
    min_length: int = -1
    min_value: Any = None  # a number, None: none
    max_value: Any = None
    unique_message: str = ""  # a UniqueValidator over the model's default manager: its message ("" none)
    pattern: str = ""  # a RegexValidator (SlugField's) as a Go regexp ("" none)
    pattern_message: str = ""
    write_reason: str = ""  # why the generated Go cannot validate or write it ("" when it can)


@dataclass(frozen=True)
class FieldBuilder:
    """A model method that builds a serializer field from its row (load/drf_builder): helpdesk's
    CustomField.build_api_field, the DRF class picked by data_type and its keyword arguments."""
    method: str  # "CustomField.build_api_field"
    column: str  # the column whose value picks the class ("data_type"); a value not in classes raises (a 500)
    classes: tuple[tuple[str, str], ...]  # (value, DRF field class name)
    args: tuple[tuple[tuple[str, ...], str, str], ...] = ()  # (the values it applies to, ("*",): all; keyword; Python)


@dataclass(frozen=True)
class RowFields:
    """Fields a serializer's own __init__ adds, one per row of a model at request time (load/drf_rowfields):
    helpdesk's custom_<name> per CustomField row, after the declared fields, in the QuerySet's order."""
    model: str  # app_label.Model whose rows give the keys
    source: str  # the QuerySet as source ("CustomField.objects.filter(staff_only=False)")
    order_by: tuple[str, ...]  # the rows' order (the manager's order_by, else Meta.ordering)
    prefix: str  # key = prefix + str(row.<attr>)
    attr: str
    builder: str  # the model method building each row's field ("CustomField.build_api_field")
    owner: str  # the class whose __init__ it is
    built: Optional[FieldBuilder] = None  # the builder read (None: not read, built_reason says why)
    built_reason: str = ""


@dataclass(frozen=True)
class RowAttributes:
    """What a model method sets on its instance, one attribute per row of another model (load/drf_rowfields):
    helpdesk's Ticket.set_custom_field_values, custom_<name> = the ticket's TicketCustomFieldValue.value of each
    CustomField row (None without one), the attributes BaseTicketSerializer's custom_<name> fields render."""
    method: str  # "Ticket.set_custom_field_values"
    model: str  # app_label.Model of the rows
    source: str  # their QuerySet as source
    order_by: tuple[str, ...]
    prefix: str  # attribute = prefix + str(row.<attr>)
    attr: str
    related: str  # the instance's related manager read per row ("ticketcustomfieldvalue_set")
    related_model: str  # its model (app_label.Model)
    lookup: str  # the keyword naming the row in .get() ("field")
    column: str  # the attribute of the related object taken ("value")
    default: Any = None  # the value when .get() raises DoesNotExist


@dataclass(frozen=True)
class Serializer:
    name: str  # class name
    dotted: str  # module.Class
    model: str  # app_label.Model
    fields: tuple[SerializerField, ...] = ()
    file: str = ""
    line: int = 0
    validation: str = ""  # the Python of validate() / validate_<field>() / Meta.validators (a write stays a stub)
    dynamic: str = ""  # the project class whose __init__ may add fields at run time (its views stay stubs)
    rows: Optional[RowFields] = None  # what that __init__ adds, when read; else dynamic_reason says why not
    dynamic_reason: str = ""


@dataclass(frozen=True)
class DRFSettings:
    use_tz: bool = True
    time_zone: str = "UTC"
    coerce_decimal_to_string: bool = True
    datetime_format: str = "iso-8601"
    date_format: str = "iso-8601"
    time_format: str = "iso-8601"
    session_cookie: str = "sessionid"  # SESSION_COOKIE_NAME (SessionAuthentication reads it)
    session_user: bool = True  # AuthenticationMiddleware is in MIDDLEWARE (else SessionAuthentication finds no user)


@dataclass(frozen=True)
class Pagination:
    """A view's pagination_class as DRF uses it (its DEFAULT_PAGINATION_CLASS and PAGE_SIZE when the view
    sets none): what the generated list reproduces, or why it cannot."""

    style: str = ""  # PageNumberPagination | LimitOffsetPagination | CursorPagination ... ("" none)
    dotted: str = ""  # the class (a project subclass that only sets attributes keeps its base's style)
    size: int = 0  # page_size (PageNumber) / default_limit (LimitOffset); 0: no page without a parameter
    max_limit: int = 0  # LimitOffset's max_limit (0: none)
    size_param: str = ""  # PageNumber's page_size_query_param: the client picks the page size ("": it cannot)
    max_size: int = 0  # PageNumber's max_page_size, the cutoff of size_param's value (0: none)
    params: tuple[str, ...] = ()  # the query parameters it reads (page / limit, offset)
    unsupported: str = ""  # why the Go side cannot reproduce it: overridden methods, page_size_query_param...


@dataclass(frozen=True)
class DRFView:
    """A DRF view class as routed (a router's viewset, or a generic API view), read without a request."""

    view: str  # dotted class
    base: str  # the DRF class it is built on: ReadOnlyModelViewSet, ModelViewSet, ListAPIView, ...
    serializer: str = ""  # dotted serializer_class ("" when get_serializer_class decides)
    model: str = ""  # app_label.Model of the queryset class attribute
    queryset_plain: bool = False  # queryset is Model.objects.all() (no filter, order, join, slice, annotation)
    overrides: tuple[str, ...] = ()  # project methods that change what a read returns (get_queryset, list, ...)
    permission_classes: tuple[str, ...] = ()
    authentication_classes: tuple[str, ...] = ()
    pagination: Pagination = Pagination()
    filter_backends: tuple[str, ...] = ()
    lookup_field: str = "pk"
    lookup_url_kwarg: str = ""
    throttle_classes: tuple[str, ...] = ()
    negotiation: str = ""  # why DRF's content negotiation is not the one the Go side reproduces ("": it is)
    write_overrides: tuple[str, ...] = ()  # project methods that change what a write does (perform_create, ...)
    # get_queryset read by partial evaluation (load/drf_queryset): the QuerySet it returns, as source, and its model
    scoped: str = ""
    scoped_model: str = ""
    scoped_user: tuple[str, ...] = ()  # the signed-in user's text columns it takes as parameters (``user_<attr>``)
    scoped_empty_unless: str = ""  # the user column whose empty value makes it ``.none()`` (``if not email: ...``)
    scoped_sets: tuple[str, ...] = ()  # model methods get_queryset runs on each row (``for t in qs: t.method()``)
    object_sets: tuple[str, ...] = ()  # model methods a get_object override runs on DRF's object before returning it
    row_attributes: tuple[RowAttributes, ...] = ()  # what those methods set, when read (load/drf_rowfields)
    unread: tuple[str, ...] = ()  # why an override of get_queryset / get_serializer was not read ("method: why")
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class DRFEndpoint:
    """One routed read endpoint (route x GET action) and whether its answer is one the generated Go can reproduce (eligible)."""

    route: str  # Django's pattern text
    view: str
    action: str  # list | retrieve | ...
    eligible: bool
    reason: str = ""  # why it stays a stub
