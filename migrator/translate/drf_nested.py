"""A nested ``many=True`` serializer over a related manager -> Go that renders it as DRF does.

DRF renders ``FollowUpSerializer.followupattachment_set`` (``FollowUpAttachmentSerializer(many=True)``) by
calling ``.all()`` on the object's related manager and writing each row with the nested serializer: one query
per object rendered (no prefetch), the rows in the related model's ``Meta.ordering``, ``[]`` when there are
none. The loader derives that query as a site (load/drf_sites.nested_sites, ``<view site>/nested_<field>``)
that Django compiles with the owner's pk as its one parameter; here the parent's item runs it for its row
(``row.ID``) and converts each row with the nested serializer's own item (``drf<Nested>Of``).

The nested item's Go name is decided later (translate/drf_handlers._items, shared by every serializer and row
type): fields and statements refer to it by a placeholder (``item_ref``) that ``resolve`` replaces.
"""

from __future__ import annotations

from ..load.drf_sites import NESTED as NESTED_SUFFIX
from .drf_types import GoStruct

HOST_MARK = "<<host:"


class NotNested(Exception):
    pass


def item_ref(serializer: str, row: str) -> str:
    """The placeholder of the item type converting ``row`` as ``serializer`` writes it."""
    return f"<<item:{serializer}|{row}>>"


def host_ref(serializer: str, row: str) -> str:
    """The placeholder of the ``host, `` argument the nested item takes when it writes file URLs."""
    return f"{HOST_MARK}{serializer}|{row}>>"


def nested_query(mine: list, field: str, store, count: bool = False):
    """The store method of a nested field's related-manager query: a list, one int64 parameter (the owner's pk;
    ``*int64`` when the foreign key is nullable)."""
    q = next((q for q in mine if q.site.endswith(NESTED_SUFFIX + field)), None)
    m = store.methods.get(q.name) if q else None
    shape = m is not None and (m.ret == "int64" and not m.row if count else bool(m.row) and q.command == "many")
    if not shape or len(m.params) != 1 or m.params[0].type not in ("int64", "*int64"):
        what = "count()" if count else "all()"
        raise NotNested(f"no sqlc query of the related manager's {what} of {field} (one int64 parameter) in the store")
    return m  # a nullable foreign key's parameter is *int64: the owner's pk is never nil


def nested_field(name: str, json_key: str, method, ser: str, struct: GoStruct, convert) -> tuple[str, list[str], dict]:
    """(the parent item's Go field, its statements, the nested item's spec) of one nested many=True field.
    ``method``: its store method; ``ser``: the nested serializer (dotted); ``struct``: its Go struct;
    ``convert(row struct, pairs)``: (fields, statements) converting one row (drf_handlers, the same as a list's)."""
    fields, assigns = convert(method.row, struct)
    ref, var = item_ref(ser, method.row), "nested" + name
    arg = "&row.ID" if method.params[0].type.startswith("*") else "row.ID"
    stmts = [f"{var}, err := s.Store.{method.name}(ctx, {arg})",
             "if err != nil {\n\t\treturn item, err\n\t}",
             f"item.{name} = make([]{ref}Item, 0, len({var}))",
             f"for _, r := range {var} {{\n\t\tx, err := {ref}Of({host_ref(ser, method.row)}r)\n\t\t"
             f"if err != nil {{\n\t\t\treturn item, err\n\t\t}}\n\t\titem.{name} = append(item.{name}, x)\n\t}}"]
    spec = dict(serializer=ser, row=method.row, fields=fields, assigns=assigns)
    return f"{name} []{ref}Item `json:\"{json_key}\"`", stmts, spec


def count_field(name: str, method) -> list[str]:
    """The statements of a SerializerMethodField returning ``obj.<manager>.count()``: its COUNT(*) for the row."""
    arg = "&row.ID" if method.params[0].type.startswith("*") else "row.ID"
    return [f"item.{name}, err = s.Store.{method.name}(ctx, {arg})", "if err != nil {\n\t\treturn item, err\n\t}"]


def resolve(text: str, names: dict[tuple[str, str], str], hosts: dict[tuple[str, str], bool]) -> str:
    """``text`` with each placeholder replaced: the item's Go name, ``host, `` when that item takes it."""
    for (ser, row), name in names.items():
        text = text.replace(item_ref(ser, row), name)
        text = text.replace(host_ref(ser, row), "host, " if hosts[(ser, row)] else "")
    return text
