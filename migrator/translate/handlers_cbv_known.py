"""A view of an installed package answered by a Go function written as the package computes its answer
(load/cbv_known.py recognises it by identity; templates/oauth is the Go): the view's handler groups call it.

django-oauth-toolkit's JwksInfoView -> ``djoauth.OIDCOnly(defaults, djoauth.JwksInfo)`` for GET and HEAD, and
``djoauth.Options(allow)`` for OPTIONS (OIDCOnlyMixin.dispatch runs before View.options too). Pure: plain data
in, Go statements out; the djoauth package the generated tree then holds is templates/oauth (emit/http.py copies it).

Its metadata views (load/cbv_known_docs.py: the document's fields read at generation) ->
``djoauth.Document(defaults, req.URL, fields)`` for GET and HEAD (the request's absolute URL completes the
fields), Django's ``View.options`` for OPTIONS; OIDC discovery -> ``djoauth.OIDCOnly(defaults,
djoauth.DocumentOf(req.URL, fields))``. They read the request's path, not the route's kwargs, so one
handler serves each route of the view.
"""

from __future__ import annotations

import json

from ..gostring import go_string

_FIELDS = ("Debug", "OIDCEnabled", "MaxAge", "Keyed", "Issuer")


def _defaults(d: dict) -> str:
    def value(v):
        if isinstance(v, str):
            return go_string(v)
        return ("true" if v else "false") if isinstance(v, bool) else str(int(v))

    return "djoauth.Defaults{" + ", ".join(f"{k}: {value(d[k])}" for k in _FIELDS) + "}"


def _answer(call: str) -> list[str]:
    """Statements returning what a djoauth function answers (an Answer without Body has no content)."""
    return [f"a, err := {call}",
            "if err != nil {", "\treturn 0, nil, err", "}",
            "var body any = NoBody",
            "if a.Body != nil {", "\tbody = json.RawMessage(a.Body)", "}",
            "return a.Status, Headed{Header: a.Header, Body: body}, nil"]


def groups(raw: dict | None, allowed: tuple[str, ...]) -> list[dict] | None:
    """The switch groups of a known view (None for any other view): ``allowed`` the route's methods."""
    known = ((raw or {}).get("cbv") or {}).get("known")
    if not known or known["view"] not in ("jwks", "document", "oidc-document"):
        return None
    defaults = _defaults(known["defaults"])
    allow = go_string(", ".join(raw["cbv"]["allow"]))
    if known["view"] == "document":  # View.options reads no setting
        options = f"djoauth.Options({allow})(djoauth.Settings{{}})"
        get = f"djoauth.Document({defaults}, req.URL, fields)"
    else:  # under OIDCOnlyMixin.dispatch
        options = f"djoauth.OIDCOnly({defaults}, djoauth.Options({allow}))"
        get = f"djoauth.OIDCOnly({defaults}, " + (
            "djoauth.JwksInfo)" if known["view"] == "jwks" else "djoauth.DocumentOf(req.URL, fields))")
    out = []
    if "OPTIONS" in allowed:
        out.append({"methods": ["OPTIONS"], "stmts": _answer(options)})
    fields = _fields(known["fields"]) if "fields" in known else []
    out.append({"methods": [m for m in ("GET", "HEAD") if m in allowed], "stmts": fields + _answer(get)})
    return out


def _fields(fields: list) -> list[str]:
    """Statements binding ``fields``, a document's fields: a const's (keyed's) value as its JSON (as Django's
    JsonResponse writes it, key order kept), the others' path or marker as text ("" for none)."""
    def value(kind, v):
        return json.dumps(v) if kind in ("const", "keyed") else ("" if v is None else v)

    return (["fields := []djoauth.Field{"]
            + [f"\t{{Key: {go_string(k)}, Kind: {go_string(kind)}, Value: {go_string(value(kind, v))}}},"
               for k, kind, v in fields]  # keyed: go vet's composites check
            + ["}"])
