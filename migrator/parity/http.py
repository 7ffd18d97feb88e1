"""HTTP parity: the same requests to Django and to the generated Go service, answers compared.

``compare_endpoints(requests, django_base_url, go_base_url)`` sends each request to both servers and
returns the differences: the status, then the JSON body normalised so that only what a client could
tell apart counts:

- object keys are compared as sets (order is not part of JSON's meaning);
- JSON numbers are compared by value (``250.0`` equals ``250``: JSON has one number type, and a client
  reads both alike); a string is never a number (``"12.50"`` is not ``12.5``, ``"007"`` is not ``7``)
  and strings are compared as text (``"12.50"`` is not ``"12.5"``: DjangoJSONEncoder and DRF write a
  Decimal's exact text, which the Go side must match);
- booleans are compared as booleans (``true`` is not ``1``);
- strings that are ISO datetimes are compared as UTC instants at millisecond precision (what
  DjangoJSONEncoder keeps);
- a Django answer that is not JSON (its HTML 404 page for ``Http404``) is compared by status only;
- a redirect is not followed: a 30x answer is compared on its status and its ``Location`` header, exactly as
  each side sends it (a guard's ``/accounts/login/?next=...`` is judged itself, not by the page it leads to).

No Django import here: the command and the tests call it with two running servers.
"""

from __future__ import annotations

import datetime
import decimal
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Iterable, Union

_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")


@dataclass(frozen=True)
class Diff:
    method: str
    path: str
    where: str  # "status", "body" or a JSON path ($.results[0].price)
    django: Any
    go: Any

    def __str__(self) -> str:
        return f"{self.method} {self.path}: {self.where}: django {self.django!r} != go {self.go!r}"


class Answer(tuple):
    """(status, content type, body) of one answer, and its ``location`` (the Location header a 30x sends, else "")."""

    location: str

    def __new__(cls, status: int, content_type: str, body: bytes, location: str = "") -> "Answer":
        answer = super().__new__(cls, (status, content_type, body))
        answer.location = location
        return answer


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # the 30x itself is the answer
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(base: str, method: str, path: str, timeout: float = 10, body: bytes | None = None,
          cookie: str = "", content_type: str = "application/json", headers: dict | None = None) -> Answer:
    """(status, content type, body) of one request (with a request body of that content type, a Cookie header
    and other headers when given); HTTP errors are answers too, and so is a redirect (not followed: its
    Location is the answer's ``location``)."""
    req = urllib.request.Request(base.rstrip("/") + path, method=method, data=body)
    req.add_header("Host", "localhost")  # one host for both servers: absolute URLs (DRF's page links) compare equal
    if cookie:
        req.add_header("Cookie", cookie)
    for name, value in (headers or {}).items():  # a signed-in write's CSRF token (http_requests.build_requests)
        req.add_header(name, value)
    if body is not None:
        req.add_header("Content-Type", content_type)
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return Answer(resp.status, resp.headers.get("Content-Type", ""), resp.read(), resp.headers.get("Location", ""))
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.headers.get("Content-Type", ""), exc.read(), exc.headers.get("Location", ""))


def normalise(value: Any) -> Any:
    """A JSON value in comparable form (see the module docstring)."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, decimal.Decimal)):
        return decimal.Decimal(str(value)).normalize() + 0
    if isinstance(value, str):
        if _DATETIME.fullmatch(value):
            try:
                dt = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return value
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=datetime.timezone.utc)
            dt = dt.astimezone(datetime.timezone.utc)
            return dt.replace(microsecond=dt.microsecond // 1000 * 1000)
    return value


def _walk(d: Any, g: Any, where: str, out: list[tuple[str, Any, Any]]) -> None:
    if isinstance(d, dict) and isinstance(g, dict):
        for k in sorted(set(d) | set(g)):
            if k not in g:
                out.append((f"{where}.{k}", d[k], "<missing>"))
            elif k not in d:
                out.append((f"{where}.{k}", "<missing>", g[k]))
            else:
                _walk(d[k], g[k], f"{where}.{k}", out)
        return
    if isinstance(d, list) and isinstance(g, list):
        if len(d) != len(g):
            out.append((f"{where} (length)", len(d), len(g)))
        for i, (a, b) in enumerate(zip(d, g)):
            _walk(a, b, f"{where}[{i}]", out)
        return
    if type(d) is not type(g) or d != g:
        out.append((where, d, g))


def exact(body: bytes) -> Any:
    """The JSON as written: objects as their (key, value) pairs in order, numbers as their text."""
    return json.loads(body or b"null", object_pairs_hook=list, parse_float=str, parse_int=lambda s: ("int", s))


def compare_answers(method: str, path: str, django: tuple[int, str, bytes], go: tuple[int, str, bytes],
                    strict: bool = False) -> list[Diff]:
    """The answers' differences: status, then the JSON after normalisation, or exactly when ``strict``."""
    diffs = []
    if django[0] != go[0]:
        diffs.append(Diff(method, path, "status", django[0], go[0]))
    where_to = getattr(django, "location", ""), getattr(go, "location", "")
    if where_to[0] != where_to[1]:  # a redirect's target, exactly as each side sends it
        diffs.append(Diff(method, path, "Location", *where_to))
    if "json" not in django[1]:
        return diffs  # Django's own HTML error pages: the status is what a client relies on
    try:
        d = json.loads(django[2] or b"null")
    except ValueError:
        return diffs + [Diff(method, path, "body", django[2][:200], "<Django's body is not JSON>")]
    try:
        g = json.loads(go[2] or b"null")
    except ValueError:
        return diffs + [Diff(method, path, "body", d, go[2][:200])]
    found: list[tuple[str, Any, Any]] = []
    if strict and exact(django[2]) != exact(go[2]):
        found.append(("$ (exact: keys, order, types, values)", django[2][:300], go[2][:300]))
    _walk(normalise(d), normalise(g), "$", found)
    return diffs + [Diff(method, path, w, a, b) for w, a, b in found]


Request = Union[str, dict]


def compare_endpoints(requests: Iterable[Request], django_base_url: str, go_base_url: str) -> list[Diff]:
    """Send every request (a path, or {"method", "path", "body"}) to both servers; every difference found.

    A request that writes changes the database both servers share: compare writes on separate copies
    (``fetch`` each side, then ``compare_answers`` and the tables), as the parity command does."""
    diffs: list[Diff] = []
    for r in requests:
        method, path = ("GET", r) if isinstance(r, str) else (r.get("method", "GET"), r["path"])
        body = None if isinstance(r, str) else request_body(r)
        diffs += compare_answers(method, path, fetch(django_base_url, method, path, body=body),
                                 fetch(go_base_url, method, path, body=body))
    return diffs


def send(base: str, r: dict) -> Answer:
    """fetch() of a request dict of the http check: its method, path, body (of its content type), cookie and headers."""
    typed = {"content_type": r["content_type"]} if "content_type" in r else {}
    return fetch(base, r["method"], r["path"], body=request_body(r), cookie=r.get("cookie", ""),
                 headers=r.get("headers"), **typed)


def request_body(r: dict) -> bytes | None:
    """The bytes a request dict sends: "body" as JSON, "raw" or "form" (parity.http_forms) as they are."""
    if "form" in r:
        return r["form"].encode()
    if "raw" in r:
        return r["raw"].encode()
    if "body" in r:
        return json.dumps(r["body"]).encode()
    return None
