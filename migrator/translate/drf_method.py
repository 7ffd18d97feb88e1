"""A SerializerMethodField read into a value tree (load/drf_method) -> the Go setting the item's field as DRF does.

DRF writes what the method returns with its JSON encoder: a text as a string, an int as a number, a dict as an
object in its keys' order, ``None`` as null. Each tree becomes one Go expression of a type that marshals the same
(``string``, ``int64``, ``bool``, a struct whose fields keep the dict's keys and order, ``any`` where the branches of
a conditional differ), after the statements that fetch the related rows it reads: Django's descriptor runs one query
per object for ``obj.<fk>`` and caches the row on the object, so the item fetches each related row once, before the
first field that reads it (a nullable key only when it holds a value: ``None`` runs no query), through the derived
site's store method (load/drf_sites.related_sites: ``<Related>.objects.get(pk=pk)``). A row the query does not find
is Django's ``DoesNotExist``: the error the handler core answers 500.
"""

from __future__ import annotations

import json
import re

from .naming import pascal

CHECK = "if err != nil {\n\t\treturn item, err\n\t}"
INTS = ("int64", "int32", "int16", "int")


class NotTranslated(Exception):
    pass


def go_text(s: str) -> str:
    """A Go string literal of ``s`` (JSON's escapes are Go's for these; non-ASCII kept as is)."""
    return json.dumps(s, ensure_ascii=False)


class MethodGo:
    """The Go of one item's read SerializerMethodFields. ``row``: the list query's row struct fields
    ((Go name, Go type, column) ...); ``related``: foreign key -> (store method, the related row's struct fields,
    the foreign key's column in the row)."""

    def __init__(self, row: list, related: dict, exists: dict | None = None):
        self.row, self.related, self.fetched = row, related, []
        self.exists, self.asked = exists or {}, {}  # field -> {n: store method}; n -> its Go variable (this field)

    def field(self, name: str, json_key: str, tree: list, key: str = "") -> tuple[str, list[str]]:
        """(the item's Go field, the statements setting it); ``key``: the serializer field (its exists() queries)."""
        stmts = self.fetch(tree) + self.ask(name, self.exists.get(key, {}), tree)
        expr, typ = self.expr(tree)
        return f"{name} {typ} `json:\"{json_key}\"`", stmts + [f"item.{name} = {expr}"]

    def ask(self, name: str, methods: dict, tree: list) -> list[str]:
        """The field's exists() queries, each once, in the order the tree reads them: a row is True, no row False,
        any other error the handler's 500."""
        out, self.asked = [], {}
        for n in sorted(set(int(x) for x in re.findall(r'\["exists", (\d+)\]', json.dumps(tree)))):
            if n not in methods:
                raise NotTranslated(f"no sqlc query of the QuerySet's exists() in the store ({name})")
            var = self.asked[n] = f"exists{name}{n}"
            arg = "&row.ID" if methods[n].params[0].type.startswith("*") else "row.ID"
            out += [f"_, err = s.Store.{methods[n].name}(ctx, {arg})", f"{var} := err == nil",
                    "if err != nil && !IsNoRows(err) {\n\t\treturn item, err\n\t}"]
        return out

    def fetch(self, tree: list) -> list[str]:
        from ..load.drf_method import related_rows

        out = []
        for fk in related_rows(tree):
            if fk in self.fetched:
                continue
            if fk not in self.related:
                raise NotTranslated(f"no sqlc query of the related row {fk} (.get(pk=pk)) in the store")
            method, _, (col, col_type) = self.related[fk]
            var = "rel" + pascal(fk)
            self.fetched.append(fk)
            if col_type.startswith("*"):
                out.append(f"var {var} *{method.row}\n\tif row.{col} != nil {{\n\t\tr, err := s.Store.{method.name}("
                           f"ctx, int64(*row.{col}))\n\t\tif err != nil {{\n\t\t\treturn item, err\n\t\t}}\n\t\t{var} = &r\n\t}}")
            else:
                out.append(f"{var}, err := s.Store.{method.name}(ctx, int64(row.{col}))")
                out.append(CHECK)
        return out

    def column(self, path: list) -> tuple[str, str]:
        """(Go expression, Go type) of a column of the row or of a related row (fetched: ``rel<Fk>``)."""
        if len(path) == 1:
            fields, base = self.row, "row"
        else:
            fields, base = self.related[path[0]][1], "rel" + pascal(path[0])
        found = next(((n, t) for n, t, tag in fields if tag == path[-1]), None)
        if found is None:
            raise NotTranslated(f"no column {'.'.join(path)} in the row")
        return f"{base}.{found[0]}", found[1]

    def expr(self, t: list) -> tuple[str, str]:
        head = t[0]
        if head == "const":
            return go_text(t[1]), "string"
        if head == "col":
            v, typ = self.column(t[1])
            base = typ.lstrip("*")
            if base in INTS:
                return (f"int64({v})", "int64") if typ == base else (f"drfjson.IntPtr({v})", "*int64")
            if base in ("string", "bool"):
                return v, typ
            raise NotTranslated(f"a {typ} column in a SerializerMethodField")
        if head == "str":
            return self.text(t[1]), "string"
        if head == "concat":
            return " + ".join(self.text(x) for x in t[1]) or '""', "string"
        if head == "display":
            return self.display(t, as_text=False)
        if head == "dict":
            return self.struct(t[1])
        if head == "exists":
            return self.asked[t[1]], "bool"
        if head == "bool":
            return self.test(t[1]), "bool"
        if head == "if":
            (a, ta), (b, tb) = self.expr(t[2]), self.expr(t[3])
            typ = ta if ta == tb else "any"
            return f"func() {typ} {{\n\t\tif {self.test(t[1])} {{\n\t\t\treturn {a}\n\t\t}}\n\t\treturn {b}\n\t}}()", typ
        raise NotTranslated(f"the value {head}")

    def text(self, t: list) -> str:
        """Python's ``str()`` of a value, as a Go string expression."""
        if t[0] == "display":
            return self.display(t, as_text=True)[0]
        if t[0] == "if":  # str() of the branch taken
            return f"func() string {{\n\t\tif {self.test(t[1])} {{\n\t\t\treturn {self.text(t[2])}\n\t\t}}\n\t\t" \
                   f"return {self.text(t[3])}\n\t}}()"
        v, typ = self.expr(t)
        base = typ.lstrip("*")
        conv = {"string": "{x}", "int64": "strconv.FormatInt({x}, 10)", "bool": "drfjson.PyBool({x})"}.get(base)
        if conv is None:
            raise NotTranslated(f"str() of a {typ} value")
        if typ.startswith("*"):  # str(None) is "None"
            return f"func() string {{\n\t\tif {v} == nil {{\n\t\t\treturn \"None\"\n\t\t}}\n\t\treturn " \
                   f"{conv.format(x='*' + v)}\n\t}}()"
        return conv.format(x=v)

    def display(self, t: list, as_text: bool) -> tuple[str, str]:
        """``get_<col>_display()``: the label of the value's choice, else the value itself (Django's
        ``force_str(..., strings_only=True)``: an int stays an int, ``str()`` of it in a text)."""
        v, typ = self.expr(["col", [t[1]], "", False])
        if typ.startswith("*"):
            raise NotTranslated("the display of a nullable column")
        keys = [k for k, _ in t[2]]
        if not all(isinstance(k, str) for k in keys) and not all(isinstance(k, int) and not isinstance(k, bool)
                                                                    for k in keys):
            raise NotTranslated("choices whose keys are not all texts or all integers")
        cases = "".join(f"\n\t\tcase {go_text(k) if isinstance(k, str) else k}:\n\t\t\treturn {go_text(label)}"
                        for k, label in t[2])
        rest, ret = (self.text(["col", [t[1]], "", False]), "string") if as_text or typ == "string" else (v, "any")
        return f"func() {ret} {{\n\t\tswitch {v} {{{cases}\n\t\t}}\n\t\treturn {rest}\n\t}}()", ret

    def struct(self, pairs: list) -> tuple[str, str]:
        """A dict literal: an anonymous struct whose fields keep its keys' order."""
        names, fields, values = set(), [], []
        for key, value in pairs:
            if not re.fullmatch(r"[A-Za-z0-9_]+", key) or any(k == key for k, _ in pairs[:len(values)]):
                raise NotTranslated(f"the dict key {key!r}")
            name = pascal(key) or "F"
            while name in names:
                name += "_"
            names.add(name)
            v, typ = self.expr(value)
            fields.append(f"{name} {typ} `json:\"{key}\"`")
            values.append(f"{name}: {v}")
        typ = "struct {\n\t\t" + "\n\t\t".join(fields) + "\n\t}"
        return f"{typ}{{{', '.join(values)}}}", typ

    def test(self, t: list) -> str:
        if t[0] == "not":
            return f"!({self.test(t[1])})"
        if t[0] == "fk":
            return f"rel{pascal(t[1])} != nil"
        v, typ = self.expr(t[1])
        zero = {"string": '""', "int64": "0"}.get(typ)
        if typ == "bool":
            return v
        if zero is None:
            raise NotTranslated(f"the truth of a {typ} value")
        return f"{v} != {zero}"


def related_go(mine: list, ser, row_fields: list, store) -> tuple[dict, dict]:
    """(foreign key -> (store method, related row struct fields, (its column's Go field, Go type) in the row) of each
    related row the serializer's read methods use: the derived ``/related_<fk>`` sites' queries (one int64
    parameter, one row); field -> {n: store method} of their exists() queries)."""
    from ..load.drf_sites import RELATED

    out = {}
    for f in ser.fields:
        for pair in f.related_rows if f.kind == "expr" and not f.write_only else ():
            fk = pair.split("=", 1)[0]
            q = next((q for q in mine if q.site.endswith(RELATED + fk)), None)
            m = store.methods.get(q.name) if q else None
            col = next(((n, t) for n, t, tag in row_fields if tag == fk + "_id"), None)
            if m is None or not m.row or q.command != "one" or [p.type for p in m.params] != ["int64"] or col is None:
                raise NotTranslated(f"no sqlc query of the related row {fk} (.get(pk=pk)) in the store")
            out[fk] = (m, store.structs[m.row].fields, col)
    return out, {f.name: _exists(mine, f, store) for f in ser.fields if f.kind == "expr" and f.row_queries}


def _exists(mine: list, f, store) -> dict:
    """{n: store method} of a field's exists() queries (the derived ``/exists_<field>_<n>`` sites: one int64
    parameter, the object's pk)."""
    from ..load.drf_sites import EXISTS

    out = {}
    for n in range(len(f.row_queries)):
        q = next((q for q in mine if q.site.endswith(f"{EXISTS}{f.name}_{n}")), None)
        m = store.methods.get(q.name) if q else None
        if m is None or len(m.params) != 1 or m.params[0].type not in ("int64", "*int64"):
            raise NotTranslated(f"no sqlc query of {f.name}'s exists() (one int64 parameter) in the store")
        out[n] = m
    return out
