"""A SerializerMethodField's method read into a value tree (``SerializerField.expr``), never run.

DRF calls ``get_<field>(self, obj)`` per object and writes what it returns with its JSONEncoder. The forms read
here are the ones real serializers write over the object's columns (django-helpdesk's ``PublicTicketListingSerializer``):

- a column ``obj.<col>`` (an integer, text or boolean column) and a column of a related row ``obj.<fk>.<col>``
  (Django's descriptor runs one query per object for the related row, cached on the object: ``["col", [fk, col]]``);
- text: ``"..."``, ``str(E)``, ``E + E`` of two texts, an f-string of values without conversion or format;
- ``obj.<property>`` of the model whose body is ``return E`` (``self`` is the object), read in place;
- ``obj.get_<col>_display()``: the column's choices, each label as ``str()`` gives it in ``LANGUAGE_CODE``;
- a dict literal with text keys; ``A if <test> else B`` and ``if <test>: return A`` / ``return B``, the test a
  nullable foreign key (a related row is true, ``None`` false), a column or a text (Python's truth), ``not`` of one.

Anything else is ``Unread`` with the reason the view's stub prints. The tree is plain JSON (lists):

    ["const", text] | ["col", [attr] or [fk, attr], type, null] | ["str", E] | ["concat", [E, ...]]
    | ["dict", [[key, E], ...]] | ["if", T, A, B] | ["display", attr, [[key, label], ...]]
    | ["exists", n] (the n-th QuerySet's ``exists()``, a query per object) | ["bool", T] (``not x``: a test's value)
    T: ["fk", fk] | ["truth", E] | ["not", T]

with ``type`` one of ``int``, ``str``, ``bool``. Local names assigned before the return (``if`` blocks of
assignments too: a name set under a test becomes a conditional) are read in place; ``_("text")`` is a constant when
the module's ``_`` is Django's gettext (the text in ``LANGUAGE_CODE``). The model is seen through a ``Models`` object (Django's registry
in the loader; a table in the fast tests), so this module imports no Django.
"""

from __future__ import annotations

import ast
import json
import textwrap
from typing import Any, Optional, Protocol

from .drf_queryset import Unread

DEPTH = 4  # properties read inside properties


class Models(Protocol):
    def column(self, model: str, attr: str) -> Optional[tuple[str, bool]]:
        """(``int`` / ``str`` / ``bool``, nullable) of a concrete column (its attname), else None."""

    def foreign_key(self, model: str, attr: str) -> Optional[tuple[str, bool]]:
        """(related model, nullable) of a foreign key whose related row is read by Django's plain descriptor."""

    def prop(self, model: str, attr: str) -> Optional[tuple[str, str]]:
        """(source, module) of a ``@property`` of the model (project code), else None."""

    def choices(self, model: str, attr: str) -> Optional[list[list[Any]]]:
        """[[key, label], ...] of a column with choices (labels as text), else None."""

    def model_named(self, module: str, name: str) -> Optional[str]:
        """``app_label.Model`` of the model class ``name`` names in ``module``, else None."""

    def constant(self, module: str, dotted: str) -> Optional[str]:
        """The Python literal (source) of a constant ``dotted`` reaches from ``module`` (``Ticket.OPEN_STATUSES``):
        an int, text, bool or None, or a tuple / list of them; else None."""

    def gettext(self, module: str, name: str, text: str) -> Optional[str]:
        """``name(text)`` where ``name`` is Django's gettext (or gettext_lazy) in ``module``: the text in
        ``LANGUAGE_CODE``; else None."""


def read_method(python: str, model: str, models: Models, module: str = "", related: Optional[dict] = None,
                queries: Optional[list] = None) -> list:
    """The value tree of a SerializerMethodField's method ``def get_x(self, obj)`` (``module``: where it is written,
    for what ``_`` names there; ``related``: filled with each foreign key read -> its related model; ``queries``:
    with [model, source] of each ``exists()`` read, the object's pk the parameter ``instance_id``); Unread when
    not one."""
    try:
        fn = ast.parse(textwrap.dedent(python)).body[0]
    except (SyntaxError, IndexError) as e:
        raise Unread("the method's source is not readable") from e
    if not isinstance(fn, ast.FunctionDef) or fn.decorator_list or len(fn.args.args) != 2:
        raise Unread("not a plain method (self, obj)")
    reader = _Reader(models)
    tree = reader.body(fn.body, {fn.args.args[1].arg: model}, frozenset(), 0, module)
    if related is not None:
        related.update(reader.related)
    if queries is not None:
        queries.extend(reader.queries)
    return tree


class _Reader:
    def __init__(self, models: Models):
        self.models = models
        self.related: dict[str, str] = {}  # foreign key -> related model
        self.queries: list[list[str]] = []  # [model, QuerySet source] of each exists() read, ["exists", index]

    def body(self, stmts: list, names: dict, guarded: frozenset, depth: int, module: str) -> list:
        """Assignments of local names (``if`` blocks of assignments included: each name a conditional), then
        ``return E``, or ``if <test>: return A`` then ``return B`` (``else`` / ``elif`` included). ``names``: the
        object's name -> its model, each local name -> its tree."""
        stmts = [s for s in stmts if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        names = dict(names)
        while stmts and (isinstance(stmts[0], ast.Assign) or isinstance(stmts[0], ast.If) and _assigns(stmts[0])):
            self.assign(stmts.pop(0), names, guarded, depth, module)
        if not stmts:
            raise Unread("returns None")
        first = stmts[0]
        if isinstance(first, ast.Return) and first.value is not None and len(stmts) == 1:
            return self.expr(first.value, names, guarded, depth, module)
        if isinstance(first, ast.If):
            test = self.test(first.test, names, guarded, depth, module)
            rest = first.orelse or stmts[1:]
            if first.orelse and stmts[1:]:
                raise Unread(f"statements after an if: {ast.unparse(stmts[1])}")
            return _no_query(["if", test, self.body(first.body, names, guarded | _fks(test), depth, module),
                              self.body(rest, names, guarded, depth, module)])
        raise Unread(f"the statement {ast.unparse(first).splitlines()[0]!r} is not read")

    def assign(self, st: ast.stmt, names: dict, guarded: frozenset, depth: int, module: str) -> None:
        """``a = E``, ``a, b = E, F`` and ``if <test>: a = E`` (``else: a = F``): each name's tree in ``names``."""
        if isinstance(st, ast.If):
            test = self.test(st.test, names, guarded, depth, module)
            then, other = dict(names), dict(names)
            for x in st.body:
                self.assign(x, then, guarded | _fks(test), depth, module)
            for x in st.orelse:
                self.assign(x, other, guarded, depth, module)
            for name in sorted(set(then) | set(other)):
                if name not in names and not (name in then and name in other):
                    raise Unread(f"{name} is set in one branch only")
                if then.get(name) != names.get(name) or other.get(name) != names.get(name):
                    names[name] = _no_query(["if", test, then[name], other[name]])
            return
        if len(st.targets) != 1:
            raise Unread(f"the statement {ast.unparse(st)!r} is not read")
        target, value = st.targets[0], st.value
        pairs = [(target, value)] if isinstance(target, ast.Name) else list(zip(target.elts, value.elts)) \
            if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and len(target.elts) == len(value.elts) \
            else []
        if not pairs or not all(isinstance(t, ast.Name) and t.id not in names or isinstance(names.get(t.id), list)
                                for t, _ in pairs):
            raise Unread(f"the statement {ast.unparse(st)!r} is not read")
        trees = [self.queryset(v, names, module) if _chain_root(v, names) else self.expr(v, names, guarded, depth, module)
                 for _, v in pairs]  # the right side first, as Python
        for (t, _), tree in zip(pairs, trees):
            names[t.id] = tree

    def test(self, node: ast.expr, names: dict, guarded: frozenset, depth: int, module: str) -> list:
        """A test's tree: ``["fk", name]`` (a nullable foreign key holds a row), ``["truth", E]`` (Python's truth of
        a column or a text), ``["not", T]``."""
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return ["not", self.test(node.operand, names, guarded, depth, module)]
        owner = self.owner(node, names)
        fk = owner and self.models.foreign_key(owner[0], node.attr)
        if fk and fk[1]:
            self.related[node.attr] = fk[0]
            return ["fk", node.attr]
        if fk:
            raise Unread(f"the test {ast.unparse(node)!r} is a foreign key that is never None")
        tree = self.expr(node, names, guarded, depth, module)
        if kind(tree) not in ("str", "int", "bool"):
            raise Unread(f"the test {ast.unparse(node)!r} is not a column or a text")
        return ["truth", tree]

    def owner(self, node: ast.expr, names: dict) -> Optional[tuple[str, str]]:
        """(model, name) when ``node`` is ``<name>.<attr>`` of the object."""
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and isinstance(names.get(node.value.id), str):
            return names[node.value.id], node.value.id
        return None

    def expr(self, node: ast.expr, names: dict, guarded: frozenset, depth: int, module: str) -> list:
        sub = lambda n, g=guarded: self.expr(n, names, g, depth, module)  # noqa: E731
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return ["const", node.value]
        if isinstance(node, ast.Name) and isinstance(names.get(node.id), list):
            if names[node.id][0] == "qs":
                raise Unread(f"the QuerySet {node.id} as a value")
            return names[node.id]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "exists" \
                and not node.args and not node.keywords and _chain_root(node.func.value, names):
            self.queries.append(self.queryset(node.func.value, names, module)[1:])
            return ["exists", len(self.queries) - 1]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):  # a bool: the test's negation
            return ["bool", ["not", self.test(node.operand, names, guarded, depth, module)]]
        if isinstance(node, ast.IfExp):
            test = self.test(node.test, names, guarded, depth, module)
            return _no_query(["if", test, sub(node.body, guarded | _fks(test)), sub(node.orelse)])
        if isinstance(node, ast.Dict):
            if not all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.keys):
                raise Unread("a dict whose keys are not text literals")
            return ["dict", [[k.value, sub(v)] for k, v in zip(node.keys, node.values)]]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) == 1 \
                and not node.keywords:
            return self.call(node.func.id, node.args[0], sub, module)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            parts = [sub(n) for n in (node.left, node.right)]
            for p, n in zip(parts, (node.left, node.right)):
                if kind(p) != "str" or p[0] == "col" and p[3]:
                    raise Unread(f"{ast.unparse(n)!r} + text: not two texts (Python's TypeError)")
            return ["concat", _flat(parts)]
        if isinstance(node, ast.JoinedStr):
            out = []
            for v in node.values:
                if isinstance(v, ast.Constant):
                    out.append(["const", v.value])
                elif v.conversion != -1 or v.format_spec is not None:
                    raise Unread(f"an f-string conversion or format: {ast.unparse(node)}")
                else:
                    inner = sub(v.value)
                    out.append(inner if kind(inner) == "str" and not (inner[0] == "col" and inner[3]) else ["str", inner])
            return ["concat", _flat(out)]
        if isinstance(node, ast.Call) and not node.args and not node.keywords:
            return self.display(node.func, names)
        if isinstance(node, ast.Attribute):
            return self.attribute(node, names, guarded, depth)
        if _queries(node):
            raise Unread(f"{ast.unparse(node)!r} runs a query (not generated yet)")
        raise Unread(f"{ast.unparse(node)!r} is not read")

    def queryset(self, node: ast.expr, names: dict, module: str) -> list:
        """``["qs", model, source]`` of a QuerySet: ``<Model>.objects`` of the module, or a local QuerySet, followed by
        ``filter`` / ``exclude`` with keyword arguments: literals, the module's constants, the object (its pk, the
        parameter ``instance_id``)."""
        if isinstance(node, ast.Name) and isinstance(names.get(node.id), list) and names[node.id][0] == "qs":
            return names[node.id]
        if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name):
            model = self.models.model_named(module, node.value.id)
            if model:
                return ["qs", model, f"{node.value.id}.objects"]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("filter", "exclude") \
                and not node.args and node.keywords and all(k.arg for k in node.keywords):
            _, model, source = self.queryset(node.func.value, names, module)
            args = ", ".join(f"{k.arg}={self.literal(k.value, names, module)}" for k in node.keywords)
            return ["qs", model, f"{source}.{node.func.attr}({args})"]
        raise Unread(f"{ast.unparse(node)!r} runs a query (not read)")

    def literal(self, node: ast.expr, names: dict, module: str) -> str:
        if isinstance(node, ast.Name) and isinstance(names.get(node.id), str):
            return "instance_id"  # the object: Django filters by its pk
        if isinstance(node, (ast.Name, ast.Attribute)):
            text = self.models.constant(module, ast.unparse(node))
            if text is not None:
                return text
        try:
            return repr(ast.literal_eval(node))
        except ValueError:
            raise Unread(f"the QuerySet argument {ast.unparse(node)!r} is not read") from None

    def call(self, func: str, arg: ast.expr, sub, module: str) -> list:
        """``str(E)``; ``_("text")`` where the module's ``_`` is Django's gettext (or its lazy form)."""
        if func == "str":
            return ["str", sub(arg)]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            text = self.models.gettext(module, func, arg.value)
            if text is not None:
                return ["const", text]
        raise Unread(f"the call {func}({ast.unparse(arg)}) is not read")

    def display(self, func: ast.expr, names: dict) -> list:
        owner = self.owner(func, names)
        attr = func.attr[4:-8] if owner and func.attr.startswith("get_") and func.attr.endswith("_display") else ""
        choices = attr and self.models.column(owner[0], attr) and self.models.choices(owner[0], attr)
        if not choices:
            raise Unread(f"the call {ast.unparse(func)}() is not read")
        return ["display", attr, choices]

    def attribute(self, node: ast.Attribute, names: dict, guarded: frozenset, depth: int) -> list:
        owner = self.owner(node, names)
        if owner:
            col = self.models.column(owner[0], node.attr)
            if col:
                return ["col", [node.attr], col[0], col[1]]
            found = self.models.prop(owner[0], node.attr)
            if found is not None:
                return self.prop(owner[0], node.attr, found, guarded, depth)
            raise Unread(f"{ast.unparse(node)} is not a column or a property read")
        inner = self.owner(node.value, names) if isinstance(node.value, ast.Attribute) else None
        fk = inner and self.models.foreign_key(inner[0], node.value.attr)
        if not fk:
            if _queries(node):
                raise Unread(f"{ast.unparse(node)!r} runs a query (not generated yet)")
            raise Unread(f"{ast.unparse(node)!r} is not read")
        if fk[1] and node.value.attr not in guarded:
            raise Unread(f"{ast.unparse(node.value)} may be None (Python's AttributeError)")
        col = self.models.column(fk[0], node.attr)
        if not col:
            raise Unread(f"{ast.unparse(node)} is not a column of {fk[0]}")
        self.related[node.value.attr] = fk[0]
        return ["col", [node.value.attr, node.attr], col[0], col[1]]

    def prop(self, model: str, attr: str, found: tuple[str, str], guarded: frozenset, depth: int) -> list:
        if depth >= DEPTH:
            raise Unread(f"{model}.{attr}: properties nested past {DEPTH}")
        source, module = found
        fn = ast.parse(textwrap.dedent(source)).body[0]
        if not isinstance(fn, ast.FunctionDef) or len(fn.args.args) != 1:
            raise Unread(f"the property {model}.{attr} is not read")
        try:
            return self.body(fn.body, {fn.args.args[0].arg: model}, guarded, depth + 1, module)
        except Unread as e:
            raise Unread(f"the property {model.rsplit('.', 1)[-1]}.{attr}: {e}") from None


def _assigns(st: ast.If) -> bool:
    """An ``if`` whose branches only assign (no return)."""
    return all(isinstance(x, (ast.Assign, ast.If)) and (not isinstance(x, ast.If) or _assigns(x))
               for x in st.body + st.orelse)


def _fks(test: list) -> frozenset:
    """The foreign keys a true test proves hold a row (``not`` proves none)."""
    return frozenset({test[1]}) if test[0] == "fk" else frozenset()


def _chain_root(node: ast.expr, names: dict) -> bool:
    """``node`` is a method chain over ``X.objects`` or over a local QuerySet."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    return isinstance(node, ast.Attribute) and node.attr == "objects" or isinstance(node, ast.Name) and \
        isinstance(names.get(node.id), list) and names[node.id][0] == "qs"


def _no_query(tree: list) -> list:
    """A conditional whose branches run no query (Python runs a branch's query only when taken)."""
    if '["exists"' in json.dumps(tree[2:]):
        raise Unread("a query in a conditional branch (Python runs it only when taken)")
    return tree


def _queries(node: ast.expr) -> bool:
    """The expression reaches a model manager (``X.objects``): a query."""
    return any(isinstance(n, ast.Attribute) and n.attr == "objects" for n in ast.walk(node))


def _flat(parts: list) -> list:
    """Concatenated parts, a concatenation inside one spread out (the same text)."""
    return [x for p in parts for x in (p[1] if p[0] == "concat" else [p])]


def kind(tree: list) -> str:
    """The Python type a tree's value has: ``str``, ``int``, ``bool``, ``dict``, or ``any`` (a conditional)."""
    head = tree[0]
    if head in ("const", "str", "concat"):
        return "str"
    if head == "display":  # a value outside the choices is itself (an int stays an int)
        return "any"
    if head == "col":
        return tree[2]
    if head == "dict":
        return "dict"
    if head in ("exists", "bool"):
        return "bool"
    a, b = kind(tree[2]), kind(tree[3])
    return a if a == b else "any"


def related_rows(tree: list) -> list[str]:
    """The foreign keys whose related row the tree reads (one query per object each, the row then cached on the
    object), in the order Python first reads them (an ``if``'s test before its branches)."""
    out: list[str] = []

    def add(fk: str) -> None:
        if fk not in out:
            out.append(fk)

    def walk(t: list) -> None:
        head = t[0]
        if head == "col" and len(t[1]) == 2:
            add(t[1][0])
        elif head == "str":
            walk(t[1])
        elif head == "concat":
            for x in t[1]:
                walk(x)
        elif head == "dict":
            for _, v in t[1]:
                walk(v)
        elif head == "if":
            test = t[1]
            while test[0] == "not":
                test = test[1]
            if test[0] == "fk":
                add(test[1])
            else:
                walk(test[1])
            walk(t[2])
            walk(t[3])
    walk(tree)
    return out
