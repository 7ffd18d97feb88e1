"""The answer a result wrapper (a ``json_view``: load.decorators' ``result`` layer) makes of the dict a view
returns, for the view reader: ``JsonResponse(result, status=N)``, or ``json.dumps(result)`` written into an
``application/json`` response (django-nyt's ``data2jsonresponse``), whose status a URL kwarg named
``status`` would set. Pure: raises NotRecognised for what it does not prove."""

from __future__ import annotations

from .handlers_values import Const, GoValue, JSONObj, NotRecognised, Response

# Go types json.dumps writes without DjangoJSONEncoder (str, int, bool, float, None): other values (dates,
# decimals, UUIDs) raise TypeError in Django (a 500)
_NATIVE = {"string", "int64", "int32", "int16", "int", "bool", "*string", "*int64", "*int32", "*int16", "*bool"}


def _native(value) -> bool:
    if isinstance(value, Const):
        return value.value is None or isinstance(value.value, (str, int, bool))
    if isinstance(value, GoValue):
        return value.type in _NATIVE
    if isinstance(value, JSONObj):
        return all(_native(v) for v in value.items.values())
    return False


def answer(route: dict, value: JSONObj) -> Response:
    """The Response a view's returned dict becomes under its result wrapper (``route["result"]``)."""
    result = route["result"]
    params = {p.name for p in route.get("_params", ())}
    if result.get("status_kwarg") in params:
        raise NotRecognised(f"the route's URL kwarg {result['status_kwarg']} sets the status of the json_view's answer")
    if result.get("encoder") == "json" and not _native(value):
        raise NotRecognised("json.dumps of a value that is not a str, int, bool or None (no DjangoJSONEncoder: "
                            "Django raises TypeError)")
    return Response(result["status"], value)
