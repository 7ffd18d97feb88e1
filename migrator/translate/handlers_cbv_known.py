"""A view of an installed package answered by a Go function written as the package computes its answer
(load/cbv_known.py recognises it by identity; templates/oauth is the Go): the view's handler groups call it.

django-oauth-toolkit's JwksInfoView -> ``djoauth.OIDCOnly(defaults, djoauth.JwksInfo)`` for GET and HEAD, and
``djoauth.Options(allow)`` for OPTIONS (OIDCOnlyMixin.dispatch runs before View.options too). Pure: plain data
in, Go statements out; the djoauth package the generated tree then holds is templates/oauth (emit/http.py copies it).
"""

from __future__ import annotations

from ..gostring import go_string

_FIELDS = ("Debug", "OIDCEnabled", "MaxAge", "Keyed")


def _defaults(d: dict) -> str:
    def value(v):
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
    if not known or known["view"] != "jwks":
        return None
    defaults = _defaults(known["defaults"])
    out = []
    if "OPTIONS" in allowed:
        allow = go_string(", ".join(raw["cbv"]["allow"]))
        out.append({"methods": ["OPTIONS"], "stmts": _answer(f"djoauth.OIDCOnly({defaults}, djoauth.Options({allow}))")})
    out.append({"methods": [m for m in ("GET", "HEAD") if m in allowed],
                "stmts": _answer(f"djoauth.OIDCOnly({defaults}, djoauth.JwksInfo)")})
    return out
