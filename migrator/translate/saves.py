"""save() overrides ported to Go, when their Python is one of the readable families; otherwise the reason.

A ported override sets fields of the row from its other fields, literals and the clock, under conditions on
its fields, and then calls ``super().save(...)``: the families met on the corpus (django-todo's Task.save
sets completed_date when completed, django-helpdesk's Ticket.save cuts the title to its column, its KBItem.save
sets an unset date, django-organizations' OrganizationInvitation.save an unset UUID). Anything else (a query, a
call, a loop, Python after ``super().save()``, a field of a multi-table parent or of an embedded abstract base)
is not ported: the hook stays a scaffold, and the reason says what it does.

Python's semantics kept exactly: truthiness per type (None, "", 0, False are false), ``len`` counts code
points (Go counts runes), a slice never fails past the end (a helper clamps), a comparison with None is
equality only (an ordering of None raises in Python: not ported). ``timezone.now()`` and
``datetime.datetime.now()`` are the same instant under USE_TZ (Django sets the process time zone to
TIME_ZONE, naive values are read in it); into a DateField it is the date in UTC, as everywhere in the
generated code (djtypes.Today). No Django, no disk: plain text in, Go lines out.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass

from ..gostring import go_string
from .gorm_model import Hook, Struct

NOW_CALLS = {"timezone.now", "datetime.datetime.now", "datetime.now", "django.utils.timezone.now"}
INTS = ("int16", "int32", "int64")
KINDS = {"string": "str", "bool": "bool", "time.Time": "time", "djtypes.Date": "date", "float64": "float",
         "djtypes.UUID": "uuid",
         **{t: "int" for t in INTS}}


@dataclass(frozen=True)
class Column:
    """A field the override may read or set: its Go name, Go type (``*T`` when NULL) and kind."""
    go: str
    type: str
    base: str = ""  # the Go type under a choices type (OrderStatus -> string)

    @property
    def nullable(self) -> bool:
        return self.type.startswith("*")

    @property
    def kind(self) -> str:
        return KINDS.get(self.base or self.type.lstrip("*"), "")


class NotPorted(Exception):
    """What the override does that is not ported (the scaffold quotes it)."""


def save_hook(source: str, where: str, s: Struct) -> Hook:
    """The struct's BeforeSave step for a save() override: ported (portedSave), or a stub saying why not."""
    try:
        return Hook("save_override", "portedSave", python=source, where=where, go=port_save(source, columns_of(s)))
    except NotPorted as exc:
        return Hook("save_override", "pythonSave", python=source, where=where, why=str(exc))


def columns_of(s: Struct) -> dict[str, Column]:
    """The fields an override may read or set, by Django name (a relation is an object, not its key column)."""
    bases = {c.type: c.base for c in s.choices}
    return {f.django: Column(f.name, f.type, bases.get(f.type.lstrip("*"), ""))
            for f in s.fields if f.django and f.internal not in ("ForeignKey", "OneToOneField", "ManyToManyField")}


def method_body(source: str) -> tuple[ast.FunctionDef, list[ast.stmt]]:
    """An override's method node and its statements without the docstring, or NotPorted."""
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError as exc:
        raise NotPorted(f"its source does not parse ({exc.msg})") from exc
    fn = tree.body[0] if tree.body and isinstance(tree.body[0], ast.FunctionDef) else None
    if fn is None:
        raise NotPorted("its source is not a method")
    return fn, [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]


def port_save(source: str, columns: dict[str, Column]) -> list[str]:
    """The Go statements of a save() override's body (before its ``super().save()``), or NotPorted."""
    fn, body = method_body(source)
    calls = [i for i, s in enumerate(body) if _is_super_save(s)]
    if not calls:
        raise NotPorted("it calls super().save() under a condition or not at all: "
                        + _what(body[0] if body else fn))
    if calls[-1] != len(body) - 1:
        after = body[calls[-1] + 1]
        raise NotPorted(f"line {after.lineno}: {_first_line(after)} runs after super().save() ({_family(after)})")
    return _Porter(columns).block(body[:-1])


def _first_line(node: ast.AST) -> str:
    return ast.unparse(node).splitlines()[0]


def _what(node: ast.AST) -> str:
    """A located statement and the family of what it does, for the scaffold: what is left to port."""
    return f"line {getattr(node, 'lineno', 1)}: {_first_line(node)} ({_family(node)})"


def _family(node: ast.AST) -> str:
    text = ast.unparse(node)
    return ("Python the port does not read" if not isinstance(node, ast.stmt) else
              "it runs a query" if any(k in text for k in (".objects.", "_default_manager", "_base_manager"))
              else "it writes another row" if any(k in text for k in (".save(", ".delete(", ".create("))
              else "it raises or asserts" if isinstance(node, (ast.Assert, ast.Raise))
              else "it calls Python the port does not know" if any(isinstance(n, ast.Call) for n in ast.walk(node))
              else "only conditions on the row's fields and assignments to them are ported")


def _is_super_save(stmt: ast.stmt) -> bool:
    call = stmt.value if isinstance(stmt, (ast.Expr, ast.Return)) else None
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "save"
            and isinstance(call.func.value, ast.Call) and isinstance(call.func.value.func, ast.Name)
            and call.func.value.func.id == "super")


def _is_uuid4(node: ast.Call) -> bool:
    if _dotted(node.func) == "str" and len(node.args) == 1 and isinstance(node.args[0], ast.Call):
        node = node.args[0]
    return _dotted(node.func) == "uuid.uuid4" and not node.args and not node.keywords


def _negate(cond: str) -> str:
    """!cond, with the parentheses Go's precedence needs (``!`` binds tighter than ``!=`` and ``&&``)."""
    if re.fullmatch(r"!?[\w.]+(\(\))?", cond):
        return cond[1:] if cond.startswith("!") else "!" + cond
    flip = re.fullmatch(r"(m\.\w+) ([!=])= (\"\"|0|\([\w.]+\{\}\))", cond)  # a zero check of one field
    if flip:
        return f"{flip[1]} {'=' if flip[2] == '!' else '!'}= {flip[3]}"
    if cond.startswith("!(") and _one_group(cond[1:]):
        return cond[1:]
    if not _one_group(cond):
        return f"!({cond})"
    return "!" + cond  # one parenthesised group


def _one_group(cond: str) -> bool:
    """cond is one parenthesised group: ``(a && b)``, not ``(a) && (b)``."""
    depth = 0
    for i, ch in enumerate(cond):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and i < len(cond) - 1:
            return False
    return cond.startswith("(")


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


class _Porter:
    def __init__(self, columns: dict[str, Column]):
        self.columns = columns

    def block(self, stmts: list[ast.stmt]) -> list[str]:
        out: list[str] = []
        for s in stmts:
            try:
                out += self.statement(s)
            except NotPorted as exc:
                if str(exc).startswith("line "):
                    raise
                raise NotPorted(f"line {s.lineno}: {_first_line(s)}: {exc}") from exc
        return out

    def statement(self, s: ast.stmt) -> list[str]:
        if isinstance(s, ast.If):
            out = [f"if {self.truth(s.test)} {{", *("\t" + line for line in self.block(s.body))]
            if s.orelse:
                out += ["} else {", *("\t" + line for line in self.block(s.orelse))]
            return out + ["}"]
        if isinstance(s, ast.Assign) and len(s.targets) == 1:
            return self.assign(s.targets[0], s.value)
        if isinstance(s, ast.Pass):
            return []
        raise NotPorted(_what(s))

    def column(self, node: ast.AST) -> Column:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            col = self.columns.get(node.attr)
            if col is None or not col.kind:
                raise NotPorted(f"self.{node.attr} is not a column the port reads or sets")
            return col
        raise NotPorted(f"{ast.unparse(node)} is not a field of the row")

    def assign(self, target: ast.AST, value: ast.AST) -> list[str]:
        col = self.column(target)
        if isinstance(value, ast.Constant) and value.value is None:
            if not col.nullable:
                raise NotPorted(f"None into the NOT NULL self.{target.attr}")
            return [f"m.{col.go} = nil"]
        expr, kind = self.value(value, col)
        if kind != col.kind:
            raise NotPorted(f"{ast.unparse(value)} ({kind}) into self.{target.attr} ({col.kind})")
        return [f"m.{col.go} = " + (f"ptr({expr})" if col.nullable else expr)]

    def value(self, node: ast.AST, into: Column | None = None) -> tuple[str, str]:
        """A Go expression of the field's base type, and its kind."""
        base = into.type.lstrip("*") if into else ""
        if isinstance(node, ast.Constant) and not isinstance(node.value, bool) and isinstance(node.value, (str, int)):
            if isinstance(node.value, str):
                return (go_string(node.value) if base in ("", "string") else f"{base}({go_string(node.value)})"), "str"
            return (str(node.value) if not base or base == "int" else f"{base}({node.value})"), "int"
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return ("true" if node.value else "false"), "bool"
        if isinstance(node, ast.Call) and not node.args and not node.keywords and _dotted(node.func) in NOW_CALLS:
            if into is not None and into.kind == "date":
                return "djtypes.Today()", "date"
            return "djtypes.Now()", "time"
        if isinstance(node, ast.Call) and _is_uuid4(node):  # uuid.uuid4(), str(uuid.uuid4()): a new random UUID
            if into is not None and into.kind == "uuid":
                return "djtypes.NewUUID4()", "uuid"
            if _dotted(node.func) == "str":
                return "uuid.NewString()", "str"  # the dashed lowercase form, as str() of a UUID
        if isinstance(node, ast.Subscript):
            return self.prefix(node), "str"
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, lk = self.value(node.left)
            right, rk = self.value(node.right)
            if lk == rk == "str":
                return f"{left} + {right}", "str"
            raise NotPorted(f"{ast.unparse(node)}: only strings are added")
        if isinstance(node, ast.Attribute):
            col = self.column(node)
            if col.nullable:
                raise NotPorted(f"{ast.unparse(node)} may be None")
            return f"m.{col.go}", col.kind
        raise NotPorted(f"{ast.unparse(node)} is not ported")

    def prefix(self, node: ast.Subscript) -> str:
        """``self.f[:n]``: the first n code points, fewer when the string is shorter (Python's slice)."""
        sl = node.slice
        if not (isinstance(sl, ast.Slice) and sl.lower is None and sl.step is None and isinstance(sl.upper, ast.Constant)
                and type(sl.upper.value) is int and sl.upper.value >= 0):
            raise NotPorted(f"{ast.unparse(node)}: only a prefix [:n] is ported")
        col = self.column(node.value)
        if col.kind != "str" or col.nullable:
            raise NotPorted(f"{ast.unparse(node)} is not a NOT NULL string")
        return f"runePrefix(m.{col.go}, {sl.upper.value})"

    def truth(self, node: ast.AST) -> str:
        """A Go condition that is true exactly when Python's ``bool(node)`` is."""
        if isinstance(node, ast.BoolOp):
            op = " && " if isinstance(node.op, ast.And) else " || "
            return "(" + op.join(self.truth(v) for v in node.values) + ")"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return _negate(self.truth(node.operand))
        if isinstance(node, ast.Compare):
            return self.compare(node)
        col = self.column(node)
        zero = {"bool": "", "str": ' != ""', "int": " != 0", "float": " != 0"}.get(col.kind)
        if zero is None:  # a date, time or UUID is true unless None: NULL, or unset (the Go zero value, as for defaults)
            if col.nullable:
                return f"m.{col.go} != nil"
            if col.kind == "time":
                return f"!m.{col.go}.IsZero()"
            return f"m.{col.go} != ({col.type}{{}})"
        if col.nullable:
            inner = f"*m.{col.go}{zero}"
            return f"(m.{col.go} != nil && {inner})"
        return f"m.{col.go}{zero}"

    def compare(self, node: ast.Compare) -> str:
        if len(node.ops) != 1:
            raise NotPorted(f"{ast.unparse(node)}: a chained comparison")
        op = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}.get(
            type(node.ops[0]))
        left, right = node.left, node.comparators[0]
        if op is None:
            raise NotPorted(f"{ast.unparse(node)}: the operator is not ported")
        if isinstance(left, ast.Call) and _dotted(left.func) == "len" and len(left.args) == 1:
            col = self.column(left.args[0])
            if col.kind != "str" or col.nullable:
                raise NotPorted(f"{ast.unparse(left)} of a value that may be None")
            rhs, kind = self.value(right)
            if kind != "int":
                raise NotPorted(f"{ast.unparse(node)}: len() compared with a non-integer")
            return f"len([]rune(m.{col.go})) {op} {rhs}"
        col = self.column(left)
        if col.kind not in ("str", "int", "float", "bool"):
            raise NotPorted(f"{ast.unparse(node)}: a comparison of {col.kind} values is not ported")
        rhs, kind = self.value(right, col)
        if kind != col.kind:
            raise NotPorted(f"{ast.unparse(node)}: values of different types")
        if not col.nullable:
            return f"m.{col.go} {op} {rhs}"
        if op == "==":
            return f"(m.{col.go} != nil && *m.{col.go} == {rhs})"
        if op == "!=":
            return f"(m.{col.go} == nil || *m.{col.go} != {rhs})"
        raise NotPorted(f"{ast.unparse(node)}: Python raises TypeError when self.{left.attr} is None")
