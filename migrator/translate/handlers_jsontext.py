"""``json.loads`` of a text the request gives (a query string's value), and the plain responses around it.

django-autocomplete-light's ``ViewMixin.dispatch`` (todo's ``TaskAutocomplete``) reads its ``forward`` parameter so:

    try:
        self.forwarded = json.loads(getattr(request, request.method).get('forward', '{}'))
    except ValueError:
        return HttpResponseBadRequest('Invalid JSON data')
    if not isinstance(self.forwarded, dict):
        return HttpResponseBadRequest('Not a JSON object')

The Go is pyvalues.go ``PyJSONLoadsText``: CPython's scanner for a ``str`` (NaN / Infinity are values, a BOM and
an integer of more than 4300 digits are ValueError), and its RecursionError for nesting past ``PyJSONDepth``, which
``except ValueError`` does not catch: Django's 500. The value read so has one use here, ``isinstance(x, dict)``
(``PyIsDict``); any other is not read. The key is recorded (``json_query_keys``) so that the http check asks it
JSON that is and is not an object, broken JSON, and nesting past the limit (parity.http_requests).
"""

from __future__ import annotations

import ast
import json
import re

from .handlers_values import GoValue, NotRecognised, Response, q

LOADED_TEXT = "any (json.loads of a text)"
_KEY = re.compile(r'^QGetOr\([^,]+, ("(?:[^"\\]|\\.)*"),')
BAD_REQUEST = "django.http.response.HttpResponseBadRequest"


def loads_text(reader, data: GoValue) -> GoValue:
    """``json.loads(text)``: the loaded value (LOADED_TEXT), ``err`` a ValueError (raised here unless the
    enclosing ``try`` decides, handlers_write.json_try); the RecursionError answers 500 at once."""
    var = reader.var("loaded")
    reader.stmts.append(f"{var}, err := PyJSONLoadsText({data.code})\n"
                        "if err != nil && !IsPyValueError(err) {\n"
                        f"return http.StatusInternalServerError, nil, err\n}}")
    if not getattr(reader, "defer_json", False):
        reader.throw_if("err != nil", "builtins.ValueError")
    if found := _KEY.match(data.code):
        reader.json_query_keys.add(json.loads(found.group(1)))
    return GoValue(var, LOADED_TEXT)


def is_dict(v: GoValue, names: list) -> GoValue:
    """``isinstance(x, dict)`` of what ``json.loads`` of a text gave."""
    if names != ["dict"]:
        raise NotRecognised("isinstance of a loaded JSON text against another type than dict")
    return GoValue(f"PyIsDict({v.code})", "bool")


def plain_response(node) -> Response:
    """``HttpResponseBadRequest('text')``: 400, Django's ``text/html; charset=utf-8``, the text as the body."""
    texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if len(node.args) > 1 or node.keywords or len(texts) != len(node.args):
        raise NotRecognised("HttpResponseBadRequest with content that is not one literal text")
    return Response(400, GoValue(f"Page({q(texts[0] if texts else '')})", "any"))
