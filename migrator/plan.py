"""The Plan: what the translate stage decided, as plain values the later stages read (sqlc step, emit, write).

Also the typed signatures of the sqlc packages (``GoPackage``: each query's Go method and the structs it
takes and returns), which the sqlc step returns and the view translator consumes: nobody downstream reads
the Go text sqlc wrote.
"""

from __future__ import annotations

import functools
import typing
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Optional


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
    """The translate stage's decisions: per dialect the queries (``translate.sqlc.Query``) and the sites left out
    with their reason, the query name of every static/conditional site; the GORM structs
    (``translate.gorm_model.GormModel``) and the http plan (``translate.http_stage.HTTPPlan``) when those targets
    ran. Every part is plain JSON (``to_json``) and reads back as the same values (``from_json``, given the
    translate stage's types: this module sits below that stage and does not import it)."""

    dialects: tuple[str, ...]
    queries: dict[str, list] = field(default_factory=dict)  # dialect -> [Query]
    skipped: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # dialect -> (site, code, detail)
    names: dict[str, str] = field(default_factory=dict)  # site id -> query name
    gorm: Any = None  # GormModel, when the gorm target ran
    http: Any = None  # HTTPPlan, when the http target ran

    def to_json(self) -> dict[str, Any]:
        return {"dialects": list(self.dialects), "names": dict(self.names),
                "queries": {d: [asdict(q) for q in qs] for d, qs in self.queries.items()},
                "skipped": {d: [list(s) for s in items] for d, items in self.skipped.items()},
                "gorm": value_to_json(self.gorm), "http": value_to_json(self.http)}

    @classmethod
    def from_json(cls, data: dict[str, Any], query: type, gorm: Optional[type] = None,
                  http: Optional[type] = None) -> "Plan":
        """``query``, ``gorm``, ``http``: the classes of the queries, the GORM model and the http plan."""
        return cls(dialects=tuple(data["dialects"]), names=dict(data["names"]),
                   queries={d: [value_from_json(query, q) for q in qs] for d, qs in data["queries"].items()},
                   skipped={d: [tuple(s) for s in items] for d, items in data["skipped"].items()},
                   gorm=value_from_json(gorm, data.get("gorm")) if gorm else None,
                   http=value_from_json(http, data.get("http")) if http else None)


def value_to_json(v: Any) -> Any:
    """A value of dataclasses, lists, tuples and dicts with string keys as plain JSON (tuples become lists)."""
    if is_dataclass(v) and not isinstance(v, type):
        return {f.name: value_to_json(getattr(v, f.name)) for f in fields(v)}
    if isinstance(v, (list, tuple)):
        return [value_to_json(x) for x in v]
    if isinstance(v, dict):
        return {k: value_to_json(x) for k, x in v.items()}
    return v


@functools.cache
def _init_fields(tp: type) -> tuple[tuple[str, Any], ...]:
    """(name, resolved annotation) of each ``__init__`` field of the dataclass ``tp``: ``typing.get_type_hints``
    evaluates every annotation's string each time (660 calls, ~0.15 s of a warm ``generate``'s cache reads)."""
    hints = typing.get_type_hints(tp)
    return tuple((f.name, hints[f.name]) for f in fields(tp) if f.init)


def value_from_json(tp: Any, data: Any) -> Any:
    """The value of type ``tp`` (a dataclass, or a list/tuple/dict/Optional of one, as annotated) that
    ``value_to_json`` wrote as ``data``."""
    if data is None:
        return None
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if is_dataclass(tp):
        return tp(**{name: value_from_json(hint, data[name]) for name, hint in _init_fields(tp) if name in data})
    if origin is typing.Union:
        return value_from_json(next(a for a in args if a is not type(None)), data)
    if origin is list or tp is list:
        return [value_from_json(args[0] if args else Any, x) for x in data]
    if origin is tuple or tp is tuple:
        if len(args) == 2 and args[1] is Ellipsis or not args:
            return tuple(value_from_json(args[0] if args else Any, x) for x in data)
        return tuple(value_from_json(a, x) for a, x in zip(args, data))
    if origin is dict:
        return {k: value_from_json(args[1], x) for k, x in data.items()}
    return data
