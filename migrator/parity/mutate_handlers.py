"""Systematic mutants of the migrated HTTP handlers (http/handlers_migrated.go), judged by the `http` check.

Per migrated view (the `xxxMigrated` function routes.go registers for "app.views.view"): each success
status changed (`return 200,` -> 201), each `http.StatusNotFound` turned into 410, each JSON key of the
answer renamed (the json tag of a response struct in http/responses.go that the function builds,
`json:"name"` -> `json:"name_x"`), each field read swapped with the next one the same
object reads from the same row (`p.Name` <-> `p.Slug`), each comparison of a Python condition
flipped (`!=` <-> `==` outside `err` checks). Each mutant's `original` is the whole function, so it occurs
once in the file. Pure text in, text out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PATH = "http/handlers_migrated.go"
RESPONSES = "http/responses.go"  # the response structs (translate/handlers_json.py)
# the view a xxxMigrated function serves: `s.migrated("app.views.view", ..., s.xxxMigrated` in routes.go (or
# `s.serve(w, r, "app.views.view", ..., s.xxxMigrated)` in a wrapper of handlers_migrated.go)
_SERVE = re.compile(r's\.(?:serve\(w, r, |migrated\()"([\w.]+)",[^\n]*?s\.(\w+Migrated)\b')
_FUNC = re.compile(r"func \(s \*Server\) (\w+Migrated)\(.*?\n\}\n", re.S)
# a response struct (with its constructor from a row, if any) and one json tag of it
_STRUCT = re.compile(r"\ntype (\w+) struct \{\n.*?\n\}\n(?:\n// new\1 .*?\nfunc new\1\(.*?\n\}\n)?", re.S)
_TAG = re.compile(r'`json:"(\w+)"`')
# a row's field as the value of a response struct's field: `Name: p.Name` or `Name: JV(p.Name)`
_FIELD = re.compile(r'(?<=\w: )(?:JV\()?(\w+)\.([A-Z]\w*)\)?(?=[},])')
_STRUCT_FIELD = re.compile(r"^\t(\w+)\s+(\S+)\s+`json:", re.M)
_CMP = re.compile(r"^(\s*if .*?)(!=|==)(.*\{)$", re.M)


@dataclass(frozen=True)
class HandlerMutant:
    id: str
    view: str
    kind: str  # status | json-key | wrong-field | condition
    what: str
    original: str
    mutated: str
    path: str = PATH  # the file original is in (RESPONSES for a json-key)


def _swap(body: str, a: re.Match, b: re.Match) -> str:
    return body[:a.start()] + b.group(0) + body[a.end():b.start()] + a.group(0) + body[b.end():]


def _swaps(body: str, types: dict):
    """(what, mutated body): each field read swapped with the next one the same line reads from the same row,
    when the response fields they fill have one same Go type (``types``: field -> its types; another swap
    would not build, which says nothing about the data)."""
    fields = list(_FIELD.finditer(body))

    def typ(m):
        found = types.get(re.search(r"(\w+): $", body[:m.start()]).group(1), set())
        return next(iter(found)) if len(found) == 1 else None

    for i, a in enumerate(fields):
        b = next((f for f in fields[i + 1:] if f.group(1) == a.group(1) and f.group(2) != a.group(2)), None)
        if b is not None and "\n" not in body[a.end():b.start()] and typ(a) is not None and typ(a) == typ(b):
            yield f"{a.group(0)} and {b.group(0)} swapped", _swap(body, a, b)


def _function_mutants(view: str, name: str, body: str, types: dict) -> list[HandlerMutant]:
    out: list[HandlerMutant] = []

    def add(kind: str, what: str, new: str) -> None:
        out.append(HandlerMutant(f"{view}:{kind}:{len(out)}", view, kind, f"{name}: {what}", body, new))

    for m in re.finditer(r"return 200, ", body):
        add("status", "status 200 -> 201", body[:m.start()] + "return 201, " + body[m.end():])
    for m in re.finditer(r"http\.StatusNotFound\b", body):
        add("status", "status 404 -> 410", body[:m.start()] + "http.StatusGone" + body[m.end():])
    for what, new in _swaps(body, types):
        add("wrong-field", what, new)
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
    responses = tree / RESPONSES
    structs = {m.group(1): m.group(0) for m in _STRUCT.finditer(
        responses.read_text(encoding="utf-8") if responses.is_file() else "")}
    types: dict[str, set] = {}  # a response struct's field -> its Go types
    for decl in structs.values():
        for f, t in _STRUCT_FIELD.findall(decl):
            types.setdefault(f, set()).add(t)
    out: list[HandlerMutant] = []
    built: dict[str, list[tuple[str, str]]] = {}  # struct -> the (view, function) building it
    for m in _FUNC.finditer(text):
        if m.group(1) in views:
            out += _function_mutants(views[m.group(1)], m.group(1), m.group(0), types)
            for struct in _built(m.group(0), structs):
                built.setdefault(struct, []).append((views[m.group(1)], m.group(1)))
    for struct, users in built.items():  # a struct several views build changes all their answers: target "*"
        view, name = users[0] if len(users) == 1 else ("*", struct)
        out += _key_mutants(view, name, struct, structs[struct], types)
    files = {PATH: text, RESPONSES: "\n".join(structs.values())}
    return [m for m in out if m.original != m.mutated and files[m.path].count(m.original) == 1]


def _built(body: str, structs: dict) -> list[str]:
    """The response structs a function builds, and the structs those hold."""
    todo = [s for s in structs if re.search(rf"\b(?:new)?{s}\b", body)]
    seen: list[str] = []
    while todo:
        struct = todo.pop(0)
        if struct not in seen:
            seen.append(struct)
            todo += [s for s in structs if re.search(rf"\s\[?\]?{s}\s+`json", structs[struct])]
    return seen


def _key_mutants(view: str, name: str, struct: str, decl: str, types: dict) -> list[HandlerMutant]:
    """Each json tag of a response struct renamed; each field its constructor reads swapped with the next."""
    out: list[HandlerMutant] = []
    for m in _TAG.finditer(decl):
        out.append(HandlerMutant(f"{view}:json-key:{struct}.{len(out)}", view, "json-key",
                                 f"{name}: JSON key {m.group(1)!r} renamed {m.group(1) + '_x'!r}", decl,
                                 decl[:m.start(1)] + m.group(1) + "_x" + decl[m.end(1):], RESPONSES))
    for what, new in _swaps(decl, types):  # the constructor of a row's struct
        out.append(HandlerMutant(f"{view}:wrong-field:{struct}.{len(out)}", view, "wrong-field",
                                 f"{name}: {what}", decl, new, RESPONSES))
    return out


def hint(kind: str, what: str) -> str:
    return {
        "status": f"a request whose answer has this status ({what})",
        "json-key": f"a request whose answer holds this key ({what})",
        "wrong-field": f"a row where the two fields differ, requested through this view ({what})",
        "condition": f"requests on both sides of this condition ({what})",
    }.get(kind, f"a request that reaches this code ({what})")
