"""Response structs: the JSON a migrated view answers, as named Go structs with json tags in Django's order.

A dict the view returns (``JsonResponse({"order": ..., "lines": ...})``) becomes a struct whose fields are
its keys in the order the Python wrote them, which is the order encoding/json writes a struct's fields, so
the bytes are Django's. Each field has the type of its value: a column's own Go type when encoding/json
writes it as DjangoJSONEncoder does (ints, strings, bools, ``djtypes`` dates, datetimes, UUIDs, JSON and
pointers to them: NULL is ``null``), a decimal as ``string`` with the field's places (``StringFixed``), and
``any`` only for what is not one Go type: a JSON body value, a column the dialects type differently (the
store's ``interface{}``, written by ``JV``), ``x or None``.

Names come from the source: the dict a helper returns takes the helper's name (``_product_payload`` ->
``ProductPayload``, shared by the views calling it), the view's own dict ``<View>Response``, a dict with
the one key ``error`` ``ErrorResponse``; a nested dict appends its key (``ProductPayloadCategory``), a
``values()`` row its key in the singular (``OrderLinesLine``, built by ``newOrderLinesLine`` from the
query's row). A name taken by a different shape is numbered.

While a view is read, its structs carry placeholder names (``\\x03n\\x04``); ``Responses.resolve`` gives
them their package-level names once the reading succeeded, so a view that stays a stub leaves no type.
"""

from __future__ import annotations

import ast as _ast
import re
import unicodedata
from dataclasses import dataclass

from . import handlers_rowedit
from .handlers_values import NotRecognised
from .naming import Namer, pascal

_PH = re.compile("\x03(\\d+)\x04")
_TAG_PUNCT = set("!#$%&()*+-./:;<=>?@[]^_{|}~ ")
# Go types encoding/json writes as DjangoJSONEncoder writes the Python value (djtypes marshal Django's way)
_PLAIN = {"string", "int64", "int32", "int16", "int", "bool"}
_DJTYPES = {"djtypes.Date", "djtypes.DateTime", "djtypes.UUID", "djtypes.JSON", "djtypes.Duration"}


def placeholder(n: int) -> str:
    return f"\x03{n}\x04"


def valid_tag(key: str) -> bool:
    """encoding/json's isValidTag: a key it can take as a field's json name."""
    return bool(key) and all(c in _TAG_PUNCT or c.isalpha() or unicodedata.category(c) == "Nd" for c in key)


def direct_type(typ: str) -> bool:
    """A Go type encoding/json writes as Django writes the value, so the field has that type."""
    base = typ.removeprefix("*")
    return base in _PLAIN or base in _DJTYPES


def singular_name(name: str) -> str:
    """``OrderLinesLines`` -> ``OrderLinesLine``: a row of a list the name's last word holds."""
    last = re.findall(r"[A-Z][a-z0-9]*$", name)
    return name[:len(name) - len(last[0])] + singular(last[0]) if last else name


def singular(word: str) -> str:
    """``lines`` -> ``line``, ``categories`` -> ``category``, ``staff`` -> ``staff``: a row of a list."""
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if re.search(r"(ss|x|ch|sh)es$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Struct:
    """A response struct: its fields (Go name, Go type, json key) in Django's order; ``row`` and ``values``
    when it is built from a query row by its constructor (``new<Name>(r row)``: field -> Go value of ``r``)."""

    name: str
    fields: tuple[tuple[str, str, str], ...]
    doc: str
    row: str = ""
    values: tuple[str, ...] = ()

    @property
    def shape(self) -> tuple:
        return self.fields, self.row, self.values


def fields_of(keys: list[str], types: list[str]) -> tuple[tuple[str, str, str], ...]:
    """Go field names for JSON keys (``order__number`` -> ``OrderNumber``; collisions numbered)."""
    namer = Namer()
    return tuple((namer.take(pascal(k)), t, k) for k, t in zip(keys, types))


class Local:
    """The structs one reading of a view declares, under placeholder names (resolved by Responses)."""

    def __init__(self):
        self.structs: list[tuple[str, Struct]] = []  # (placeholder, struct with its wanted name)

    def add(self, wanted: str, fields, doc: str, row: str = "", values: tuple = ()) -> str:
        ph = placeholder(len(self.structs) + 1)
        self.structs.append((ph, Struct(wanted, tuple(fields), doc, row, tuple(values))))
        return ph


class Responses:
    """Every response struct of the package, named once (a name is reused only for the same shape)."""

    def __init__(self, taken=()):
        self.namer = Namer(taken)
        self.by_name: dict[str, Struct] = {}
        self.named: dict[tuple, str] = {}  # (wanted name, shape) -> the name it got

    def resolve(self, local: Local, stmts: list[str]) -> list[str]:
        """The statements with the local structs' placeholders replaced by their package-level names."""
        names: dict[str, str] = {}

        def sub(text: str) -> str:
            return _PH.sub(lambda m: names[m.group(0)], text)

        for ph, st in local.structs:  # a nested struct is added before the struct holding it
            st = Struct(st.name, tuple((n, sub(t), k) for n, t, k in st.fields), st.doc, st.row,
                        tuple(sub(v) for v in st.values))
            key = (st.name, st.shape)
            if key not in self.named:
                name = self.namer.take(st.name)
                self.named[key] = name
                self.by_name[name] = Struct(name, st.fields, st.doc, st.row, st.values)
            names[ph] = self.named[key]
        return [sub(s) for s in stmts]

    def view_model(self) -> list[dict]:
        """responses.go's structs, sorted by name: {name, doc, fields: [{name, type, tag}], row, values}."""
        out = []
        for name in sorted(self.by_name):
            st = self.by_name[name]
            out.append({"name": name, "doc": st.doc, "row": st.row,
                        "fields": [{"name": n, "type": t, "tag": k} for n, t, k in st.fields],
                        "init": ", ".join(f"{n}: {v}" for (n, _, _), v in zip(st.fields, st.values))})
        return out


class JSONMixin:
    """The JSON part of ViewReader: a value read from the view, as a Go expression of a typed response."""

    def json(self, v) -> str:
        """``v`` as a Go value written as Django writes it (``OrNil``'s argument, a response's part)."""
        return self.typed(v, pascal(self.view_name()) + "Value")[0]

    def response_body(self, body) -> str:
        return self.typed(body, pascal(self.view_name()) + "Response")[0]

    def typed(self, v, name: str) -> tuple[str, str]:
        """(Go expression, Go type) of ``v`` in a response; ``name``: what a struct made for it is called."""
        from .handlers_values import JSON, Aggregate, Const, GoValue, JSONObj, NotRecognised, Rows, q

        if isinstance(v, Const):
            if v.value is None:
                return "nil", "any"
            if isinstance(v.value, bool):
                return ("true" if v.value else "false"), "bool"
            if isinstance(v.value, int):
                return repr(v.value), "int64"
            if isinstance(v.value, float):
                return f"PyFloat({v.value!r})", "PyFloat"
            if isinstance(v.value, str):
                return q(v.value), "string"
            raise NotRecognised("constant")
        if isinstance(v, JSONObj):
            return self._struct(v, name)
        if isinstance(v, Rows):
            return self._rows(v, singular_name(name))
        if not isinstance(v, GoValue):
            raise NotRecognised(f"{type(v).__name__} is not JSON")
        if v.type == "any":
            return v.code, "any"
        if v.type == "dateutil datetime":  # handlers_form.DATEUTIL: Python's datetime, naive or not, is not read
            raise NotRecognised("a dateutil datetime value in the response")
        if v.type == JSON:  # a value of the JSON body: any JSON type
            return f"{v.code}.Value", "any"
        f = v.field
        if f is not None and getattr(f, "internal_type", "") in ("FileField", "ImageField"):
            raise NotRecognised("a FieldFile is not JSON")
        if isinstance(f, Aggregate):  # written as Django converts it on the dialect the server runs on
            return f"DecimalAggregate({v.code}, {f.decimal_places})", "any"
        if f is not None and f.internal_type == "DecimalField":
            if v.type == "decimal.Decimal":
                return f"{v.code}.StringFixed({f.decimal_places})", "string"
            return f"JDecimal({v.code}, {f.decimal_places})", "any"
        if v.type == "float64":  # Python writes 250.0 and 1e+16 where encoding/json writes 250 and 10000000000000000
            return f"PyFloat({v.code})", "PyFloat"
        if v.type == "*float64":
            return f"(*PyFloat)({v.code})", "*PyFloat"
        if direct_type(v.type) or (v.type.startswith("[]") and v.type != "[]byte"):
            return v.code, v.type
        return f"JV({v.code})", "any"  # the store's interface{}: typed differently per dialect

    def _struct(self, obj, name: str) -> tuple[str, str]:
        from .handlers_values import NotRecognised

        keys = list(obj.items)
        bad = [k for k in keys if not valid_tag(k)]
        if bad:
            raise NotRecognised(f"the key {bad[0]!r} is not a Go json tag")
        if keys == ["error"]:
            name, doc = "ErrorResponse", 'is an error answer, {"error": message}.'
        elif obj.origin:
            name, doc = pascal(obj.origin), f"is the dict {obj.origin} returns, its keys in the order it writes them."
        elif name.endswith("Response"):
            doc = f"is the JSON {self.route['view']} answers, its keys in the view's order."
        else:
            doc = f"is a dict {self.route['view']} answers, its keys in the view's order."
        parts = [self.typed(x, name.removesuffix("Response") + pascal(k)) for k, x in obj.items.items()]
        fields = fields_of(keys, [t for _, t in parts])
        ph = self.local.add(name, fields, doc)
        return ph + "{" + ", ".join(f"{f[0]}: {c}" for f, (c, _) in zip(fields, parts)) + "}", ph

    def _rows(self, v, name: str) -> tuple[str, str]:
        from .handlers_values import GoValue, NotRecognised

        if self._plain_rows(v):
            return f"List({v.var})", "[]" + (v.row.type if v.kind == "flat" else self._row_type(v))
        if v.kind == "flat":
            code, typ = self.typed(GoValue("r", v.row.type, v.row.field), name)
            return f"MapRows({v.var}, func(r {v.row.type}) {typ} {{\nreturn {code}\n}})", "[]" + typ
        if v.kind != "values":
            raise NotRecognised("model rows written as JSON")
        parts = [self.typed(x, name + pascal(k)) for k, x in v.row.items()]
        fields = fields_of(list(v.row), [t for _, t in parts])
        ph = self.local.add(name, fields, f"is a row of the {self._row_type(v)} query in {self.route['view']}'s answer.",
                            self._row_type(v), [c for c, _ in parts])
        return f"MapRows({v.var}, new{ph})", "[]" + ph

    def _plain_rows(self, v) -> bool:
        """Rows encoding/json writes as Django does: plain values (no decimal places, no JV), and for values()
        rows a struct whose json tags are the keys in the view's order, nothing else."""
        def same(x) -> bool:
            return x.type in _PLAIN and self.typed(x, "")[0] == x.code

        if v.kind == "flat":
            return same(v.row)
        if v.kind != "values":
            return False
        struct = self.pkg.structs.get(self._row_type(v))
        return (struct is not None and [tag for _, _, tag in struct.fields] == list(v.row)
                and all(same(x) for x in v.row.values()))


def helper_argument(reader, a, env, fn, target, tree, name):
    """The value of an inlined helper's argument ``a`` (bound to ``name``): a related row passed on unread
    (handlers_rowedit), else the expression's. A request's JSON array (``data.get("items") or []``) that the
    helper loops over is refused naming that loop, the part a port needs (sample's create_order)."""
    if isinstance(a, _ast.BoolOp) and isinstance(a.op, _ast.Or) and isinstance(a.values[-1], _ast.List):
        for st in _ast.walk(tree):
            if isinstance(st, _ast.For) and isinstance(st.iter, _ast.Name) and st.iter.id == name:
                raise NotRecognised(
                    f"`{_ast.unparse(a)}`: a JSON array passed as `{name}` to {tree.name}, which loops over its items "
                    f"(`for {_ast.unparse(st.target)} in {name}` at {target['file']}:{target['line'] + st.lineno - 1}); "
                    "a loop over a request's JSON array is not read")
    return handlers_rowedit.unread_relation(reader, a, env) or reader.expr(a, env, fn)


def branch_env(env: dict) -> dict:
    """A branch's own names: a dict it completes (``data["k"] = ...``) is its own copy, so the other branch still
    sees the dict as it was before the ``if`` (each dict copied once: two names for one dict stay one)."""
    from .handlers_values import JSONObj

    copies: dict = {}
    return {k: copies.setdefault(id(v), JSONObj(v.items, v.origin)) if isinstance(v, JSONObj) else v
            for k, v in env.items()}


def merge_objects(reader, rets: list, at: int):
    """The dicts a helper returns on each path (``response_data["status"] = "OK"`` under an ``if``), with the same
    keys in the same order: one dict of a variable per key that each path sets; None for anything else."""
    from .handlers_values import GoValue, JSONObj

    objs = [v for v, _ in rets]
    if len(objs) < 2 or not all(isinstance(v, JSONObj) for v in objs) or len({tuple(v.items) for v in objs}) != 1:
        return None
    items, decls, sets = {}, [], {end: [] for _, end in rets}
    for key in objs[0].items:
        typ = reader.merge_type([v.items[key] for v in objs])
        var = reader.var(key if isinstance(key, str) else "value")
        decls.append(f"var {var} {typ}")
        for v, end in rets:
            sets[end].append(f"{var} = {reader.as_type(v.items[key], typ)}")
        items[key] = GoValue(var, typ)
    for end in sorted(sets, reverse=True):
        reader.stmts[end:end] = sets[end]
    reader.stmts[at:at] = decls
    return JSONObj(items, objs[0].origin)
