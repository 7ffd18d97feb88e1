"""The typed signatures of a package sqlc generated: its Queries methods and structs (plan.GoPackage).

The sqlc step reads the Go sqlc wrote once, here, and hands typed values on; no later stage parses Go.
"""

from __future__ import annotations

import re

from ..plan import GoMethod, GoPackage, GoStruct

_METHOD = re.compile(r"^func \(q \*Queries\) (\w+)\(ctx context\.Context(?:, (\w+) ([^)]+))?\) (?:\(([^,]+), error\)|error)",
                     re.M)
_STRUCT = re.compile(r"^type (\w+) struct \{\n(.*?)^\}", re.M | re.S)
_ALIAS = re.compile(r"^type (\w+) = (\w+)$", re.M)  # getone.py names sqlc's structs as the :one would
_FIELD = re.compile(r"^\t(\w+)\s+(\S+)\s+`json:\"(\w+)\"`", re.M)


def parse_go_package(text: str) -> GoPackage:
    """The sqlc Queries methods and structs of a generated package (its gofmt'ed Go text)."""
    pkg = GoPackage()
    for m in _METHOD.finditer(text):
        params = ((m.group(2), m.group(3).strip()),) if m.group(2) else ()
        pkg.methods[m.group(1)] = GoMethod(params=params, ret=(m.group(4) or "").strip())  # "": an :exec
    for m in _STRUCT.finditer(text):
        pkg.structs[m.group(1)] = GoStruct(fields=tuple(_FIELD.findall(m.group(2))))
    for m in _ALIAS.finditer(text):
        if m.group(2) in pkg.structs:
            pkg.structs[m.group(1)] = pkg.structs[m.group(2)]
    return pkg
