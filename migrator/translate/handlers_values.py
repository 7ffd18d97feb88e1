"""The values the view reader computes while it reads a view: public value types, no behaviour.

A Python expression is read into one of these: a constant known now (Const), a Go expression with its
Go type (GoValue), one row a query returned (Obj), rows (Rows), a JSON object literal (JSONObj), a
response (Response)... Statements end in Done (every path returned) or Ret (a helper's value).
"""

from __future__ import annotations

import ast as _ast
import re
from dataclasses import dataclass

from ..gostring import go_string
from .naming import snake

INT_TYPES = {"int64", "int32", "int16", "int"}
_BITS = {"int16": 16, "int32": 32, "int64": 64, "int": 64}
# Go types of the JSON body (pyvalues.go): what json.loads gave (nil when it is not an object), the body
# once known to be an object or None (isinstance(data, dict)), and one key's value (a JSONValue)
LOADED, BODY, JSON = "*requestBody (loaded)", "*requestBody", "JSONValue"


class NotRecognised(Exception):
    """The view's shape is not proven: it stays a stub (the message says why)."""


@dataclass
class Obj:  # one model row a query returned
    var: str
    model: str
    columns: dict  # attribute (name and attname) -> (Go expression, Go type, IR field)
    related: dict  # relation name -> Obj
    present: str = ""  # Go bool: the row was found (.first() may give None); "" when it always is
    joined: bool = False  # a nullable relation's row (LEFT OUTER JOIN): its columns are read only where present
    none_raises: bool = False  # a lazily fetched nullable relation (handlers_fk): an attribute of None is a 500


@dataclass
class GoValue:  # a Go value
    code: str
    type: str
    field: object = None


@dataclass
class Rows:
    var: str
    kind: str  # values | flat | model
    row: object  # values: {key: GoValue template with "r."}, model: Obj with var "r"


@dataclass
class Response:
    status: int
    body: object


@dataclass
class Aggregate:  # the output of Sum/Min/Max of a decimal column (its Go value: interface{})
    function: str
    decimal_places: int
    internal_type: str = "Aggregate"


class Const:
    def __init__(self, value):
        self.value = value


class JSONObj:
    def __init__(self, items, origin: str = ""):
        self.items = dict(items)
        self.origin = origin  # the helper function that builds it ("" for the view): its response struct's name


class Global:
    def __init__(self, kind, ref):
        self.kind, self.ref = kind, ref


class Request:
    pass


class Lazy:  # a QuerySet assigned to a name, not evaluated yet
    def __init__(self, node):
        self.node = node


def model_word(label: str) -> str:
    """``catalog.OrderLine`` -> ``order_line``: the hint for a variable holding its rows."""
    return snake(label.rpartition(".")[2])


def q(value) -> str:
    """A Go interpreted string literal."""
    return go_string(value)


class Done:
    """The Go code returned on every path (a view-level return or a handled raise)."""


class Ret:
    def __init__(self, value):
        self.value = value


class Exc:
    def __init__(self, ref, message):
        self.ref, self.message = ref, message  # message: a Const, a GoValue string, or None (not known)


class ExceptHandler:
    def __init__(self, refs, name, body, fn, env, depth):
        self.refs, self.name, self.body, self.fn, self.env, self.depth = refs, name, body, fn, env, depth


class QueryDict:
    """request.GET or request.POST (handlers_form): ``code`` the Go url.Values, ``keys`` where the keys read go."""

    def __init__(self, code: str = "req.Query", keys: set | None = None):
        self.code, self.keys = code, keys if keys is not None else set()


class Tuple:
    def __init__(self, items):
        self.items = list(items)


def missing_arguments(name: str, missing: list[str], extra: bool = False) -> str:
    """The Go answering Django's 500 for a view called without required arguments, the error Python's; not read
    when a route of the view passes keyword arguments of its own (``extra``: they may be the missing ones)."""
    if extra:
        raise NotRecognised(f"argument {missing[0]} is not a path parameter (a route passes keyword arguments)")
    quoted = [repr(a) for a in missing]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + ("," if len(quoted) > 2 else "") + " and " + quoted[-1]
    plural = "" if len(missing) == 1 else "s"
    why = f"{name}() missing {len(missing)} required positional argument{plural}: {listed}"
    return f"return http.StatusInternalServerError, nil, errors.New({q(why)})"


def module_member(node, root) -> str:
    """``models.Notification`` for the chain ``node`` rooted at the module name ``root`` (``models``)."""
    while isinstance(node, (_ast.Call, _ast.Attribute, _ast.Subscript)):
        inner = node.func if isinstance(node, _ast.Call) else node.value
        if inner is root:
            return f"{root.id}.{node.attr}" if isinstance(node, _ast.Attribute) else ""
        node = inner
    return ""


def path_value(path: dict, code: str) -> dict:
    """The route's path parameter the Go variable ``code`` holds (the reader's ``path`` entry: its ``digits``
    says a ``\\d+`` group), {} for any other value."""
    return next((x for x in path.values() if x["var"] == code), {})


def why_no_query(skipped: dict, site_id: str) -> str:
    """``: <CODE> on <dialect>`` of the first dialect that left the site out (its detail is in
    sqlc/UNTRANSLATED.md), else ""."""
    for d in sorted(skipped):
        for sid, code, detail in skipped[d]:
            if sid == site_id:
                return f": {detail}" if code == "SHAPE" else f": {code} on {d} (sqlc/UNTRANSLATED.md)"
    return ""


def narrow_int(base: str, v) -> str:
    """The Go of integer ``v`` (a GoValue of an INT_TYPES type) for a query parameter of type ``base``. A wider
    value is never cast (``int32(pk)`` wraps: GET /x/4294967297/ would read row 1 where Django's lookup matches
    nothing, IntegerFieldOverflow); a literal that fits is, anything else is NotRecognised (a stub, reported)."""
    if _BITS[base] >= _BITS[v.type]:
        return v.code if base == v.type else f"{base}({v.code})"
    bits = _BITS[base]
    if re.fullmatch(r"-?[0-9]+", v.code) and -(1 << (bits - 1)) <= int(v.code) < 1 << (bits - 1):
        return f"{base}({v.code})"
    raise NotRecognised(f"a {v.type} value for a {base} parameter: a number beyond {bits} bits would wrap "
                        "(Django's lookup matches nothing there)")


def not_selected(model, label: str, attr: str) -> str:
    """Why ``row.<attr>`` is not read: a field the query left out, or no field at all (``target_obj``, a property)."""
    if model is not None and model.field(attr) is None:
        return f"attribute {attr} of {label} is not a field (a property or method of the model: its code is not read)"
    return f"attribute {attr} of {label} is not a column the query selected"
