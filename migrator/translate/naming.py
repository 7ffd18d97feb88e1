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

# Go's predeclared identifiers: legal to shadow, but generated code that uses one after a local took its
# name would not build (a path parameter named ``len`` or ``string``).
GO_PREDECLARED = {
    "any", "append", "bool", "byte", "cap", "clear", "close", "comparable", "complex", "complex128", "complex64",
    "copy", "delete", "error", "false", "float32", "float64", "imag", "int", "int16", "int32", "int64", "int8",
    "iota", "len", "make", "max", "min", "new", "nil", "panic", "print", "println", "real", "recover", "rune",
    "string", "true", "uint", "uint16", "uint32", "uint64", "uint8", "uintptr",
}
# The http target's package main (templates/nethttp, templates/fiber). A handler is a method of Server: it
# must take none of Server's fields and methods; package-level names are kept out too, so a handler name
# reads unambiguously in the route table. Lower-case package names (main, run, handle...) cannot clash
# with an exported handler name; they are listed for the locals below.
HTTP_SERVER_MEMBERS = {
    "DB", "Log", "Store",  # fields
    "Close", "Healthz", "Register", "Routes", "ServeHTTP",  # methods (ServeHTTP would make it an http.Handler)
}
HTTP_PACKAGE_NAMES = {
    "Server", "Route", "Store", "Req", "Config", "NewServer", "New", "Handler", "Middleware", "ErrorHandler",
    "NotMigrated", "NotFoundBody", "NoBody", "Page", "WriteJSON", "WriteError", "WriteResult", "DecodeJSON", "Env",
    "EnvInt", "EnvDuration", "IsNoRows", "NotFoundOrFail", "Wrap", "JDecimal", "JV", "MapRows", "OrNil", "Ptr", "PyDecimalOfFloat",
    "PyValueError", "IsPyValueError", "Cond", "Int32Of", "OrBytes", "DecodeBody", "BodyObject", "JSONValue", "PyInt",
    "PyIsSpace", "PyJSONLoads", "PyOr", "PyRepr", "PyStrip", "PyTruth", "QGet",
    "Slugify", "Param", "Main",
    "main", "run", "config", "loadConfig", "logLevel", "handle", "dispatch", "anyMethod", "recorder",
    "statusOnly", "noBody", "digitValue", "absInt64", "pyDecimalStr",
}
# Locals and imported package names of a generated handler body: a path parameter's variable takes none.
HTTP_HANDLER_LOCALS = {
    "s", "w", "r", "c", "err", "ctx", "req", "body", "status", "out", "query", "rows", "row",
    "http", "strconv", "djtypes", "context", "fiber", "gin", "url", "io", "json", "time", "slog", "errors", "fmt",
}

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


def http_handler_namer() -> Namer:
    """The scope of the http target's handler names: methods of Server (see HTTP_SERVER_MEMBERS)."""
    return Namer(HTTP_SERVER_MEMBERS | HTTP_PACKAGE_NAMES)


def http_param_namer() -> Namer:
    """The scope of one handler's path-parameter variables."""
    return Namer(HTTP_HANDLER_LOCALS | GO_PREDECLARED | GO_KEYWORDS)


def http_core_name(handler: str) -> str:
    """The unexported method a migrated handler's body lives in: ``ListItems`` -> ``listItemsMigrated``.
    Injective over handler names (only the first letter is lowered), so unique when they are."""
    return handler[:1].lower() + handler[1:] + "Migrated"
