"""Systematic mutants of the generated GORM layer (judged by the `models` check).

Per model struct in gorm/models/*.go: a `column:` tag swapped with the next field of the same SQL type,
each `json:` key renamed. Per delete helper in gorm/models/delete.go (Django's on_delete emulated in Go):
SET_NULL turned into a delete, a CASCADE step skipped, a PROTECT check disabled. Each mutant's `original`
is its whole struct or function, so it occurs once in its file. Pure text in, text out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_STRUCT = re.compile(r"// (\w+) maps (\w+\.\w+) .*?\ntype \1 struct \{\n.*?\n\}\n", re.S)
_TAG = re.compile(r'gorm:"column:(\w+);(type:[^;"]+)[^"]*" json:"(\w+)"')
_DELETE = re.compile(r"// Delete\w+ deletes (\w+\.\w+) rows.*?\nfunc delete\w+\(.*?\n\}\n", re.S)


@dataclass(frozen=True)
class GoMutant:
    id: str
    model: str  # app_label.Model
    path: str
    kind: str
    what: str
    original: str
    mutated: str


def _struct_mutants(path: str, text: str) -> list[GoMutant]:
    out = []
    for s in _STRUCT.finditer(text):
        block, model = s.group(0), s.group(2)
        tags = list(_TAG.finditer(block))
        for i, t in enumerate(tags):
            other = next((u for u in tags[i + 1:] if u.group(2) == t.group(2)), None)
            if other is not None:
                new = (block[:t.start(1)] + other.group(1) + block[t.end(1):other.start(1)] + t.group(1)
                       + block[other.end(1):])
                out.append(GoMutant(f"{model}:column:{t.group(1)}", model, path, "wrong-column",
                                    f"GORM columns {t.group(1)} and {other.group(1)} ({t.group(2)}) swapped",
                                    block, new))
            new = block[:t.start(3)] + t.group(3) + "_x" + block[t.end(3):]
            out.append(GoMutant(f"{model}:json:{t.group(3)}", model, path, "json-key",
                                f"GORM json key {t.group(3)!r} renamed {t.group(3) + '_x'!r}", block, new))
    return out


def _delete_mutants(path: str, text: str) -> list[GoMutant]:
    out = []
    for f in _DELETE.finditer(text):
        body, model = f.group(0), f.group(1)
        for n, m in enumerate(re.finditer(r'tx\.Exec\("UPDATE (\w+) SET (\w+) = NULL WHERE \2 IN \?"', body)):
            new = body[:m.start()] + f'tx.Exec("DELETE FROM {m.group(1)} WHERE {m.group(2)} IN ?"' + body[m.end():]
            out.append(GoMutant(f"{model}:set-null:{n}", model, path, "on-delete",
                                f"on_delete SET_NULL of {m.group(1)}.{m.group(2)} turned into CASCADE", body, new))
        for n, m in enumerate(re.finditer(r"if err := (delete\w+)\(tx, related, seen\)", body)):
            new = body[:m.start()] + f"if err := {m.group(1)}(tx, nil, seen)" + body[m.end():]
            out.append(GoMutant(f"{model}:cascade:{n}", model, path, "on-delete",
                                f"on_delete CASCADE step {m.group(1)} skipped", body, new))
        for n, m in enumerate(re.finditer(r'if err := protect\(tx, "(\w+)", "(\w+)"[^\n]*?; err != nil', body)):
            new = body[:m.end()].replace("; err != nil", "; false && err != nil") + body[m.end():]
            out.append(GoMutant(f"{model}:protect:{n}", model, path, "on-delete",
                                f"on_delete PROTECT of {m.group(1)}.{m.group(2)} not checked", body, new))
    return out


def mutants(tree: Path) -> list[GoMutant]:
    out: list[GoMutant] = []
    models = tree / "gorm" / "models"
    for f in sorted(models.glob("*.go")) if models.is_dir() else ():
        rel = f.relative_to(tree).as_posix()
        text = f.read_text(encoding="utf-8")
        out += _delete_mutants(rel, text) if f.name == "delete.go" else _struct_mutants(rel, text)
    return [m for m in out if m.original != m.mutated]


def hint(kind: str, what: str) -> str:
    if kind == "on-delete":
        return ("a row of the related table that points at the row the models check deletes "
                f"({what}): the data has none, so the delete never reaches it")
    if kind == "wrong-column":
        return f"rows where the two columns hold different values ({what})"
    return (f"a create or update of this model that sets the field to a value other than its zero value "
            f"({what}); the models check writes none when a signal-receiver stub skips the model's writes "
            "or the row it copies holds NULL or a zero there")
