"""Systematic mutants of the migrated HTTP handlers (http/handlers_migrated.go), judged by the `http` check.

Per migrated view (the `xxxMigrated` function routes.go registers for "app.views.view"): each success
status changed (`return 200,` -> 201), each `http.StatusNotFound` turned into 410, each JSON key of the
answer renamed (`{"name", ...}` -> `{"name_x", ...}`), each field read swapped with the next one the same
object reads from the same row (`p.Name` <-> `p.Slug`), each comparison of a Python condition
flipped (`!=` <-> `==` outside `err` checks). Each mutant's `original` is the whole function, so it occurs
once in the file. Pure text in, text out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PATH = "http/handlers_migrated.go"
# the view a xxxMigrated function serves: `s.migrated("app.views.view", ..., s.xxxMigrated` in routes.go (or
# `s.serve(w, r, "app.views.view", ..., s.xxxMigrated)` in a wrapper of handlers_migrated.go)
_SERVE = re.compile(r's\.(?:serve\(w, r, |migrated\()"([\w.]+)",[^\n]*?s\.(\w+Migrated)\b')
_FUNC = re.compile(r"func \(s \*Server\) (\w+Migrated)\(.*?\n\}\n", re.S)
_KEY = re.compile(r'\{"(\w+)", ')
# a row's field as the value of a JSON pair: `{"name", p.Name}` or `{"name", JV(p.Name)}`
_FIELD = re.compile(r'(?<=", )(?:JV\()?(\w+)\.([A-Z]\w*)\)?(?=[},])')
_CMP = re.compile(r"^(\s*if .*?)(!=|==)(.*\{)$", re.M)


@dataclass(frozen=True)
class HandlerMutant:
    id: str
    view: str
    kind: str  # status | json-key | wrong-field | condition
    what: str
    original: str
    mutated: str


def _swap(body: str, a: re.Match, b: re.Match) -> str:
    return body[:a.start()] + b.group(0) + body[a.end():b.start()] + a.group(0) + body[b.end():]


def _function_mutants(view: str, name: str, body: str) -> list[HandlerMutant]:
    out: list[HandlerMutant] = []

    def add(kind: str, what: str, new: str) -> None:
        out.append(HandlerMutant(f"{view}:{kind}:{len(out)}", view, kind, f"{name}: {what}", body, new))

    for m in re.finditer(r"return 200, ", body):
        add("status", "status 200 -> 201", body[:m.start()] + "return 201, " + body[m.end():])
    for m in re.finditer(r"http\.StatusNotFound\b", body):
        add("status", "status 404 -> 410", body[:m.start()] + "http.StatusGone" + body[m.end():])
    for m in _KEY.finditer(body):
        add("json-key", f"JSON key {m.group(1)!r} renamed {m.group(1) + '_x'!r}",
            body[:m.start(1)] + m.group(1) + "_x" + body[m.end(1):])
    fields = list(_FIELD.finditer(body))
    for i, a in enumerate(fields):
        b = next((f for f in fields[i + 1:] if f.group(1) == a.group(1) and f.group(2) != a.group(2)), None)
        if b is not None and "\n" not in body[a.end():b.start()]:
            add("wrong-field", f"{a.group(0)} and {b.group(0)} swapped", _swap(body, a, b))
    for m in _CMP.finditer(body):
        if re.search(r"\berr\b", m.group(0)):
            continue  # an error check flipped breaks every answer: says nothing about the data
        new = "==" if m.group(2) == "!=" else "!="
        add("condition", f"`{m.group(2)}` -> `{new}` in `{m.group(0).strip()[:80]}`",
            body[:m.start(2)] + new + body[m.end(2):])
    return out


def mutants(tree: Path) -> list[HandlerMutant]:
    f = tree / PATH
    if not f.is_file():
        return []
    text = f.read_text(encoding="utf-8")
    routes = tree / "http" / "routes.go"
    views = {fn: view for view, fn in _SERVE.findall(text + (routes.read_text(encoding="utf-8") if routes.is_file() else ""))}
    out: list[HandlerMutant] = []
    for m in _FUNC.finditer(text):
        if m.group(1) in views:
            out += _function_mutants(views[m.group(1)], m.group(1), m.group(0))
    return [m for m in out if m.original != m.mutated and text.count(m.original) == 1]


def hint(kind: str, what: str) -> str:
    return {
        "status": f"a request whose answer has this status ({what})",
        "json-key": f"a request whose answer holds this key ({what})",
        "wrong-field": f"a row where the two fields differ, requested through this view ({what})",
        "condition": f"requests on both sides of this condition ({what})",
    }.get(kind, f"a request that reaches this code ({what})")
