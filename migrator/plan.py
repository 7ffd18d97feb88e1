"""The Plan: what the translate stage decided, as plain values the later stages read (sqlc step, emit, write).

Also the typed signatures of the sqlc packages (``GoPackage``: each query's Go method and the structs it
takes and returns), which the sqlc step returns and the view translator consumes: nobody downstream reads
the Go text sqlc wrote.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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

    def to_json(self) -> dict[str, Any]:
        return {"methods": {k: asdict(v) for k, v in sorted(self.methods.items())},
                "structs": {k: asdict(v) for k, v in sorted(self.structs.items())}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "GoPackage":
        return cls(methods={k: GoMethod(params=tuple(tuple(p) for p in v["params"]), ret=v["ret"])
                            for k, v in data.get("methods", {}).items()},
                   structs={k: GoStruct(fields=tuple(tuple(f) for f in v["fields"]))
                            for k, v in data.get("structs", {}).items()})


@dataclass
class Plan:
    """The sqlc part of the translate stage's decisions: per dialect the queries (``translate.sqlc.Query``) and the
    sites left out with their reason, and the query name of every static/conditional site."""

    dialects: tuple[str, ...]
    queries: dict[str, list] = field(default_factory=dict)  # dialect -> [Query]
    skipped: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # dialect -> (site, code, detail)
    names: dict[str, str] = field(default_factory=dict)  # site id -> query name

    def to_json(self) -> dict[str, Any]:
        return {"dialects": list(self.dialects), "names": dict(self.names),
                "queries": {d: [asdict(q) for q in qs] for d, qs in self.queries.items()},
                "skipped": {d: [list(s) for s in items] for d, items in self.skipped.items()}}
