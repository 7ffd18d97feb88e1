"""Every Go identifier is decided here, once: PascalCase with Go's initialisms, keywords escaped,
collisions numbered. The same input always gives the same names."""

from __future__ import annotations

import keyword
import re
from typing import Iterable

INITIALISMS = {
    "acl", "api", "ascii", "cpu", "css", "dns", "eof", "guid", "html", "http", "https", "id", "ip", "json",
    "lhs", "qps", "ram", "rhs", "rpc", "sku", "sla", "smtp", "sql", "ssh", "tcp", "tls", "ttl", "udp", "ui",
    "uid", "uuid", "uri", "url", "utf8", "vm", "xml", "xmpp", "xsrf", "xss",
}
GO_KEYWORDS = {
    "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for", "func",
    "go", "goto", "if", "import", "interface", "map", "package", "range", "return", "select", "struct",
    "switch", "type", "var",
}
# Names a generated struct must not take: they would shadow its own methods or GORM's.
RESERVED_FIELDS = {"TableName", "Valid", "String"}

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def words(name: str) -> list[str]:
    out = []
    for part in re.split(r"[^0-9A-Za-z]+", name):
        out += _WORD.findall(part)
    return [w for w in out if w]


def pascal(name: str) -> str:
    """``order_line_id`` -> ``OrderLineID``, ``sku_code`` -> ``SKUCode``, ``OrderLine`` -> ``OrderLine``."""
    parts = []
    for w in words(name):
        low = w.lower()
        parts.append(low.upper() if low in INITIALISMS else w[:1].upper() + w[1:])
    out = "".join(parts) or "X"
    if out[0].isdigit():
        out = "X" + out
    return out


def camel(name: str) -> str:
    p = pascal(name)
    # lower the leading initialism or word: ID -> id, URLPath -> urlPath, OrderLine -> orderLine
    m = re.match(r"^[A-Z]+(?=[A-Z][a-z]|\d|$)", p)
    head = m.group(0) if m else p[:1]
    out = head.lower() + p[len(head):]
    return out + "_" if out in GO_KEYWORDS else out


def snake(name: str) -> str:
    return "_".join(w.lower() for w in words(name))


def go_ident(name: str) -> str:
    return name + "_" if name in GO_KEYWORDS or keyword.iskeyword(name) else name


class Namer:
    """Hands out unique names within one Go scope, numbering collisions in a stable order."""

    def __init__(self, taken: Iterable[str] = ()):
        self.taken = set(taken)

    def take(self, name: str) -> str:
        candidate, n = name, 2
        while candidate in self.taken:
            candidate, n = f"{name}{n}", n + 1
        self.taken.add(candidate)
        return candidate
