"""Form bodies for a migrated write that reads ``request.POST`` (translate.handlers_form): what a browser's
form posts, with its CSRF token as a form field and the ``csrftoken`` cookie (Django's CsrfViewMiddleware and
djauth's check both pass it: the view itself runs), then the shapes that go wrong.

Values come from the data where a key is bound to a field of the view's queries (a calendar's slug), for
datetime keys from the ISO 8601 forms ``dateutil.parser.parse`` reads (pyform.go PyDateutilParse covers those
and answers 501 for others, which the check reports as not covered: never as passed), and for keys the view
passes to ``int()`` from integer texts (so the writes past int() are compared, not only int()'s ValueError).
"""

from __future__ import annotations

import urllib.parse

FORM = "application/x-www-form-urlencoded"
CSRF_SECRET = "parityCSRFsecret0123456789abcdef"  # 32 characters of CSRF_ALLOWED_CHARS: an unmasked secret
MISSING = "no-such-value"

# dateutil.parser.parse text: ISO forms (valid, a zone, a fraction, a space), out of range (ParserError: 500),
# and text outside the covered forms (Django parses it; the Go side answers 501)
DATETIMES = ("2026-03-02T10:30:00", "2026-03-02", "2026-03-02 10:30:00.5+02:00", "2026-03-02T23:59:59Z",
             "2026-02-30T10:00", "2026-13-01", "not a date", "March 2 2026")


# int() text (a key the view passes to int(): translate.handlers_form.note_int): a number, zero, a sign, the spaces
# and underscores int() accepts, a year of minutes, a number whose datetime arithmetic leaves years 1..9999
# (OverflowError), one beyond 64 bits (Python's int has no limit)
INTS = ("1", "0", "-1", " 7 ", "+2", "1_0", "525600", "99999999999", str(2**63))


def form_requests(keys: list, values: dict, compared: dict | None = None,
                  names: tuple[str, str] = ("csrftoken", "X-CSRFToken")) -> list[dict]:
    """Request dicts ({"form", "content_type", "cookie"}) for a view reading these request.POST keys;
    ``values``: key -> a value from the data ("" when none is known), "datetime", or "int" (passed to int());
    ``compared``: key -> the constants the view compares its text with (``== "true"``, a truth test's ""): each
    posted, and the integer texts posted on the valid form and on each of those (the branch each opens); ``names``:
    the project's CSRF cookie and header (CSRF_COOKIE_NAME, CSRF_HEADER_NAME as a request header), which carry the
    check's own token."""
    if not keys:
        return []
    texts = {"datetime": DATETIMES, "int": INTS}

    def sample(k):
        return texts[values[k]][0] if values.get(k) in texts else values.get(k) or "parity"

    valid = {k: sample(k) for k in keys}
    forms = [valid, {}]
    dates = [k for k in keys if values.get(k) == "datetime"]
    firsts = {next((k for k in keys if values.get(k) == kind), None): kind for kind in texts}
    bases = [valid] + [{**valid, k: v} for k in keys for v in (compared or {}).get(k, ()) if v != valid[k]]
    for k in keys:
        others = {x: v for x, v in valid.items() if x != k}
        forms += [others, {**valid, k: ""}] + ([] if k in dates else [{**valid, k: MISSING}])  # a value no row has
        if k in firsts:  # the texts once: every key of a kind goes through the same helper (each server boot costs)
            forms += [{**b, k: v} for b in (bases if firsts[k] == "int" else bases[:1]) for v in texts[firsts[k]][1:]]
    forms = list({tuple(f.items()): f for f in forms + bases[1:]}.values())  # once each, in order

    def _request(form: str) -> dict:
        return {"form": form, "content_type": FORM, "cookie": f"{names[0]}={CSRF_SECRET}"}

    out = [_request(urllib.parse.urlencode({**f, "csrfmiddlewaretoken": CSRF_SECRET})) for f in forms]
    spaced = {k: DATETIMES[2] if values.get(k) == "datetime" else v for k, v in valid.items()}  # a space, a "+"
    raw = "&".join(f"{urllib.parse.quote(k)}={urllib.parse.quote(str(v), safe='')}" for k, v in spaced.items())
    out.append(_request(raw.replace("%20", "+") + "&&x&csrfmiddlewaretoken=" + CSRF_SECRET))  # "+", a bare name
    out.append({**_request(urllib.parse.urlencode(valid)), "as": "no CSRF token"})  # Django's 403 page
    out.append({**_request(urllib.parse.urlencode(valid)), "content_type": "application/json", "as": "JSON, no form",
                "headers": {names[1]: CSRF_SECRET}})  # request.POST is empty: the view sees no key
    return out


def signed_form(body: dict, signed: dict) -> dict:
    """A form write sent signed in (http_requests.signed_writes): the user's session cookie and CSRF cookie, and the
    form's ``csrfmiddlewaretoken`` the user's masked token, as the page Django rendered for that user carries it
    (Django reads the form's token before the header: the check's own secret there was refused with the 403 page)."""
    token = next(iter((signed.get("headers") or {}).values()), "")
    pairs = [(k, token if k == "csrfmiddlewaretoken" else v)
             for k, v in urllib.parse.parse_qsl(body["form"], keep_blank_values=True)]
    return {**body, **signed, "form": urllib.parse.urlencode(pairs)}
