"""A view of an installed package answered by a Go function written as the package computes its answer
(load/cbv_known.py recognises it by identity; templates/oauth is the Go): the view's handler groups call it.

django-oauth-toolkit's JwksInfoView -> ``djoauth.OIDCOnly(defaults, djoauth.JwksInfo)`` for GET and HEAD, and
``djoauth.Options(allow)`` for OPTIONS (OIDCOnlyMixin.dispatch runs before View.options too). Pure: plain data
in, Go statements out; ``oauth_files`` is the package the generated tree then holds (emit/http.py).
"""

from __future__ import annotations

from pathlib import Path

from ..gostring import go_string

PACKAGE = "djoauth"
_GO = Path(__file__).resolve().parents[2] / "templates" / "oauth"
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


def migrated(h, raw: dict | None):
    """The MigratedView of ``h`` when it is a known view served by one route, else None."""
    from .handlers_plan import MigratedView, source_lines

    if raw is None or len(h.routes) != 1 or not h.routes[0].exact or raw.get("decorators"):
        return None  # a route decorator, several routes, a regex: read as any other view
    found = groups(raw, tuple(h.routes[0].allowed))
    if found is None:
        return None
    return MigratedView(view=h.view, source=h.source, path_params=[], groups=found,
                        migrated_methods=sorted(m for g in found for m in g["methods"]), stubbed={}, queries=[],
                        python_lines=source_lines(raw.get("python", ""), "#"))


def oauth_files() -> dict[str, str]:
    """djoauth/*.go: path in the tree -> text."""
    return {f"{PACKAGE}/{p.name}": p.read_text() for p in sorted(_GO.glob("*.go"))}
