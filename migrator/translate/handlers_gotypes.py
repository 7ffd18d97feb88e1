"""The per-dialect query signatures the view translator consumes: public value types.

``GoPackage`` (methods and structs of one sqlc package) is the contract between the sqlc step and the
view translator: today it is read from the Go sqlc wrote (``parse_go_package``); the sqlc step may give
the same values directly. emit.http._migrate is the one call site that builds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_METHOD = re.compile(r"^func \(q \*Queries\) (\w+)\(ctx context\.Context(?:, (\w+) ([^)]+))?\) (?:\(([^,]+), error\)|error)",
                     re.M)
_STRUCT = re.compile(r"^type (\w+) struct \{\n(.*?)^\}", re.M | re.S)
_FIELD = re.compile(r"^\t(\w+)\s+(\S+)\s+`json:\"(\w+)\"`", re.M)


@dataclass(frozen=True)
class GoStruct:
    fields: tuple[tuple[str, str, str], ...]  # (Go name, Go type, json tag)


@dataclass(frozen=True)
class GoMethod:
    params: tuple[tuple[str, str], ...]  # (name, Go type); ("arg", XParams) for a struct
    ret: str  # Go type of the result ([]XRow, XRow, int64...); "" for an :exec (only an error)


@dataclass
class GoPackage:
    methods: dict[str, GoMethod] = field(default_factory=dict)
    structs: dict[str, GoStruct] = field(default_factory=dict)


def parse_go_package(text: str) -> GoPackage:
    """The sqlc Queries methods and structs of a generated package (its gofmt'ed Go text)."""
    pkg = GoPackage()
    for m in _METHOD.finditer(text):
        params = ((m.group(2), m.group(3).strip()),) if m.group(2) else ()
        pkg.methods[m.group(1)] = GoMethod(params=params, ret=(m.group(4) or "").strip())  # "": an :exec
    for m in _STRUCT.finditer(text):
        pkg.structs[m.group(1)] = GoStruct(fields=tuple(_FIELD.findall(m.group(2))))
    return pkg
