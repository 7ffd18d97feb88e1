"""Django compiles, we translate: each QuerySet site's SQL as Django executes it, per dialect.

Runs inside the loader worker after django.setup(). For every static or conditional site the chain
is interpreted (known methods, literals, Q/F and django.db.models expressions; never ``eval``),
every runtime argument becomes a typed *sentinel* value, and the QuerySet is compiled by Django's own
compiler for an offline connection of each dialect. Terminal methods run with the compilers'
``execute_sql`` intercepted, so what is captured is exactly the SQL Django would send. Each bound
parameter is then traced back to the sentinel (and so the source argument) it came from, including
the values Django transforms in Python first (LIKE patterns, year bounds, UUID hex on SQLite).
"""

from __future__ import annotations

import ast
import contextlib
import datetime
import decimal
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Optional

from django.apps import apps
from django.db import models
from django.db.models.sql import compiler as sql_compiler

from ..codec import encode
from .isolate import CompileTimeout, compile_timeout, isolated, progress_writer, save_overrides, time_limit
from .schema import NoConnection, offline_connection

UTC = datetime.timezone.utc


class NotTranslated(Exception):
    """A site this step cannot compile; ``code`` is the reason shown to the user."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class Sentinel:
    name: str  # parameter name (from the source argument)
    source: str
    kind: str  # scalar type family of the value: int, str, decimal, float, date, datetime, bool, uuid, duration
    value: Any
    optional: bool = False
    is_list: bool = False
    field: str = ""  # model field the value is compared with / assigned to (app.Model.field)


@dataclass
class Capture:
    sql: str
    params: tuple
    kind: str  # select | insert | update | delete


@dataclass
class Compiled:
    site: str
    dialect: str
    statements: list[Capture] = field(default_factory=list)
    sentinels: list[Sentinel] = field(default_factory=list)
    command: str = "many"  # one | many | exec | execrows | execlastid
    columns: list[str] = field(default_factory=list)
    result: str = "rows"  # rows | scalar | instance
    error: str = ""
    reason: str = ""


# ----------------------------------------------------------------------------- sentinels


class Sentinels:
    """Typed, recognisable stand-ins for runtime values, one per source argument."""

    def __init__(self, flip_bools: bool = False) -> None:
        self.items: list[Sentinel] = []
        self.by_name: dict[str, Sentinel] = {}
        self.flip_bools = flip_bools  # booleans False instead of True: a second compile finds their placeholders

    def make(self, name: str, source: str, fld: Optional[models.Field], lookup: str, optional: bool) -> Any:
        # two different source values never share a name (a name becomes one sqlc parameter):
        # filter(subscription__type=self.kind, subscription__settings__user=self.user) named both `subscription`
        base, n = name, 1
        while any(s.name == name and s.source != source for s in self.items):
            n += 1
            name = f"{base}{n}"
        key = f"{name}|{lookup}|{fld.name if fld is not None else ''}"
        if key in self.by_name:
            return self.by_name[key].value
        k = len(self.items) + 1
        kind = _kind(fld, lookup)
        value = _sentinel_value(kind, k)
        if kind == "bool" and self.flip_bools:
            value = False
        s = Sentinel(name=name, source=source, kind=kind, value=value, optional=optional,
                     field=f"{fld.model._meta.label}.{fld.name}" if fld is not None and hasattr(fld, "model") else "")
        if lookup == "in":
            s.is_list = True
            value = [value]
            s.value = value
        self.items.append(s)
        self.by_name[key] = s
        return value


def _kind(fld: Optional[models.Field], lookup: str) -> str:
    transform = lookup.split("__")[0]
    if transform in ("date", "year", "iso_year") and "__" in lookup:
        lookup = transform  # placed_at__date__gte compares dates
    if lookup in ("year", "iso_year"):
        return "year"
    if lookup in ("month", "day", "week_day", "hour", "minute", "second", "quarter", "week"):
        raise NotTranslated("UNSUPPORTED_LOOKUP", f"a runtime value for __{lookup}")
    if lookup == "isnull":
        return "bool"
    if lookup == "date":
        return "date"
    if lookup == "limit":
        return "int"
    if lookup in ("contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "regex", "iregex"):
        return "str"
    if fld is None:
        return "int"
    if fld.is_relation and fld.target_field is not None and not fld.many_to_many:
        return _kind(fld.target_field, "exact")
    if fld.many_to_many:
        return _kind(fld.target_field, "exact") if fld.target_field is not None else "int"
    t = fld.get_internal_type()
    return {
        "AutoField": "int", "BigAutoField": "int", "SmallAutoField": "int", "IntegerField": "int",
        "BigIntegerField": "int", "SmallIntegerField": "int", "PositiveIntegerField": "int",
        "PositiveSmallIntegerField": "int", "PositiveBigIntegerField": "int", "BooleanField": "bool",
        "DecimalField": "decimal", "FloatField": "float", "DateField": "date", "DateTimeField": "datetime",
        "UUIDField": "uuid", "DurationField": "duration", "JSONField": "json",
    }.get(t, "str")


def _sentinel_value(kind: str, k: int) -> Any:
    if kind == "year":
        return 1931 + k
    if kind == "int":
        return 73_100_000 + k
    if kind == "bool":
        return True
    if kind == "decimal":
        return decimal.Decimal(f"7310{k:03d}.37")
    if kind == "float":
        return 7310000.0 + k + 0.375
    if kind == "date":
        return datetime.date(1931, 1, 1) + datetime.timedelta(days=k)
    if kind == "datetime":
        return datetime.datetime(1931, 1, 1, 7, 31, 0, tzinfo=UTC) + datetime.timedelta(seconds=k)
    if kind == "uuid":
        return uuid.UUID(int=(0x7310 << 112) | k)
    if kind == "duration":
        return datetime.timedelta(microseconds=73_100_000 + k)
    if kind == "json":
        return {"sentinel": k}
    return f"zq{k}x"


# ----------------------------------------------------------------------------- interpreter

def _expression_classes() -> dict[str, Any]:
    from django.db.models import functions

    out = {n: getattr(functions, n) for n in dir(functions) if n[:1].isupper()}
    out.update({n: getattr(models, n) for n in (
        "Q", "F", "Value", "Count", "Sum", "Avg", "Min", "Max", "StdDev", "Variance", "Exists", "OuterRef",
        "Subquery", "Case", "When", "ExpressionWrapper", "Prefetch") if hasattr(models, n)})
    # output_field=DecimalField(max_digits=12, decimal_places=2) and friends
    out.update({n: getattr(models, n) for n in dir(models) if n.endswith("Field") and n[:1].isupper()})
    return out


_EXPRESSIONS = _expression_classes()
# Constructors of plain values: with literal arguments they are constants, not runtime values.
_VALUES = {"Decimal": decimal.Decimal, "timedelta": datetime.timedelta, "date": datetime.date}


def _resolve_field(model: type, path: str) -> tuple[Optional[models.Field], str]:
    """``category__slug__iexact`` -> (Category.slug, "iexact")."""
    parts = path.split("__")
    fld, cur, lookup = None, model, "exact"
    for i, part in enumerate(parts):
        if part == "pk" and cur is not None:
            fld = cur._meta.pk
        else:
            try:
                fld = cur._meta.get_field(part)
            except Exception:  # noqa: BLE001 - not a field: a lookup or transform
                lookup = "__".join(parts[i:])
                break
        if fld.is_relation and i < len(parts) - 1:
            cur = fld.related_model
    return fld, lookup


class Interpreter:
    def __init__(self, site: dict, sentinels: Sentinels, alias: Optional[str] = None):
        self.site = site
        self.s = sentinels
        self.alias = alias
        self.model = apps.get_model(site["model"])

    # arguments -----------------------------------------------------------------

    def literal_or_sentinel(self, arg: dict, context_model: type, keyword: str, optional: bool) -> Any:
        if arg["kind"] == "literal":
            return self.expr(ast.parse(arg["source"], mode="eval").body, context_model, keyword, optional, arg)
        return self.expr(ast.parse(arg["source"], mode="eval").body, context_model, keyword, optional, arg)

    def expr(self, node: ast.AST, model: type, keyword: str, optional: bool, arg: dict) -> Any:
        """Interpret an argument expression: literals, Q/F/aggregates, operators; runtime names -> sentinels."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return self.runtime(node, model, keyword, optional, arg)  # [a, *rest]: one runtime list
            inner = keyword
            for suffix in ("__in", "__range"):  # each element compares with the field itself
                if inner.endswith(suffix):
                    inner = inner[: -len(suffix)]
            items = [self.expr(e, model, inner, optional, arg) for e in node.elts]
            return items if isinstance(node, ast.List) else tuple(items)
        if isinstance(node, ast.Dict):  # defaults={"order": order}: each value compares with its field
            out = {}
            for k, v in zip(node.keys, node.values):
                key = self.expr(k, model, keyword, optional, arg) if k is not None else None
                if key is None:
                    raise NotTranslated("DYNAMIC_KWARGS", "a ** inside a dict literal")
                out[key] = self.expr(v, model, key if isinstance(key, str) else keyword, optional, arg)
            return out
        if isinstance(node, ast.UnaryOp):
            v = self.expr(node.operand, model, keyword, optional, arg)
            if isinstance(node.op, ast.Invert):
                return ~v
            if isinstance(node.op, ast.USub):
                return -v
            raise NotTranslated("UNSUPPORTED_EXPRESSION", f"operator {type(node.op).__name__}")
        if isinstance(node, ast.BinOp):
            if not _builds_expression(node):  # start + timedelta(days=1): one runtime value
                return self.runtime(node, model, keyword, optional, arg)
            a = self.expr(node.left, model, keyword, optional, arg)
            b = self.expr(node.right, model, keyword, optional, arg)
            ops = {ast.BitOr: lambda: a | b, ast.BitAnd: lambda: a & b, ast.Add: lambda: a + b,
                   ast.Sub: lambda: a - b, ast.Mult: lambda: a * b, ast.Div: lambda: a / b}
            if type(node.op) in ops:
                return ops[type(node.op)]()
            raise NotTranslated("UNSUPPORTED_EXPRESSION", f"operator {type(node.op).__name__}")
        if isinstance(node, ast.Call):
            fname = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if fname in _VALUES and all(isinstance(a, ast.Constant) for a in node.args) and all(
                    isinstance(k.value, ast.Constant) for k in node.keywords):
                return _VALUES[fname](*[a.value for a in node.args], **{k.arg: k.value.value for k in node.keywords})
            if fname in _EXPRESSIONS:
                args = [self.expr(a, model, "", optional, arg) for a in node.args]
                kwargs = {}
                for kw in node.keywords:
                    if kw.arg is None:
                        raise NotTranslated("DYNAMIC_KWARGS", "**kwargs inside an expression")
                    sub_opt = optional
                    kwargs[kw.arg] = self.value_for(kw.value, model, kw.arg, sub_opt, arg) \
                        if fname == "Q" else self.expr(kw.value, model, kw.arg, optional, arg)
                return _EXPRESSIONS[fname](*args, **kwargs)
        if isinstance(node, ast.Attribute):  # Order.Status.PAID and other constants
            const = self.constant(node)
            if const is not None:
                return const
        if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call, ast.Compare, ast.BoolOp,
                             ast.IfExp, ast.JoinedStr)):
            return self.runtime(node, model, keyword, optional, arg)
        raise NotTranslated("UNSUPPORTED_EXPRESSION", f"cannot interpret `{ast.unparse(node)}`")

    def value_for(self, node: ast.AST, model: type, keyword: str, optional: bool, arg: dict) -> Any:
        return self.expr(node, model, keyword, optional, arg)

    def constant(self, node: ast.Attribute) -> Any:
        """``Model.Choices.MEMBER`` read from the model registry (a constant, not a runtime value)."""
        parts = []
        cur: ast.AST = node
        while isinstance(cur, ast.Attribute):
            parts.append(cur.attr)
            cur = cur.value
        if not isinstance(cur, ast.Name):
            return None
        parts.append(cur.id)
        parts.reverse()
        for m in apps.get_models():
            if m.__name__ == parts[0]:
                obj: Any = m
                for p in parts[1:]:
                    obj = getattr(obj, p, None)
                    if obj is None:
                        return None
                if isinstance(obj, (str, int, float, bool)) or hasattr(obj, "value"):
                    return getattr(obj, "value", obj)
        return None

    def runtime(self, node: ast.AST, model: type, keyword: str, optional: bool, arg: dict) -> Any:
        source = ast.unparse(node)
        name = _param_name(source, keyword)
        fld, lookup = _resolve_field(model, keyword) if keyword else (None, "exact")
        if lookup == "range":
            lo = self.s.make(name + "_from", source + "[0]", fld, "exact", optional)
            hi = self.s.make(name + "_to", source + "[1]", fld, "exact", optional)
            return (lo, hi)
        value = self.s.make(name, source, fld, lookup, optional)
        if fld is not None and fld.is_relation and not fld.many_to_many and keyword.split("__")[-1] == fld.name \
                and lookup == "exact":
            return fld.related_model(pk=value)  # Django wants an instance for create(fk=...)
        return value

    # chain ----------------------------------------------------------------------

    def base(self):
        site = self.site
        if site.get("related_from"):
            owner_model = apps.get_model(site["related_from"])
            owner = owner_model(pk=self.s.make(_param_name(site["root"].rsplit(".", 1)[0] + "_id", ""),
                                               site["root"].rsplit(".", 1)[0], owner_model._meta.pk, "exact", False))
            if self.alias:
                owner._state.db = self.alias  # the related manager writes through the dialect being compiled
            return getattr(owner, site["manager"])
        manager = site.get("manager") or "objects"
        if manager == "_default_manager":
            return self.model._default_manager
        return getattr(self.model, manager)

    def call(self, qs, call: dict):
        method = call["method"]
        if method == "[]":
            return self.slice(qs, call)
        optional = bool(call.get("condition"))
        args, kwargs = [], {}
        for a in call["args"]:
            if a["kind"] == "literal" and a.get("value") is not None and a["keyword"] in ("*", "**"):
                (args.extend if a["keyword"] == "*" else kwargs.update)(a["value"])  # a module constant
                continue
            if a["keyword"] in ("*", "**"):
                value = self.literal_or_sentinel(a, self.model, "", optional)
                if a["keyword"] == "*":
                    args.extend(value)
                else:
                    kwargs.update(value)
            elif a["keyword"]:
                kwargs[a["keyword"]] = self.literal_or_sentinel(a, self.model, a["keyword"], optional)
            else:
                args.append(self.literal_or_sentinel(a, self.model, "", optional))
        if isinstance(self.s, Values) and call.get("condition") and self.s.used:
            # with real values, a refinement under `if x:` whose arguments are all None did not run
            if all(self.s.values.get(n) is None or self.s.values.get(n) == [] for n in self.s.used):
                self.s.used = []
                return qs
        if isinstance(self.s, Values):
            self.s.used = []
        fn = getattr(qs, method, None)
        if fn is None:
            raise NotTranslated("UNKNOWN_METHOD", f"{method}() is not a method of this QuerySet")
        return fn(*args, **kwargs)

    def slice(self, qs, call: dict):
        text = call["args"][0]["source"] if call["args"] else ""
        tree = ast.parse(f"x[{text}]", mode="eval").body
        sl = tree.slice
        if isinstance(sl, ast.Slice):
            def bound(n, name):
                if n is None:
                    return None
                if isinstance(n, ast.Constant):
                    return n.value
                if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
                    return bound(n.left, name) + bound(n.right, name)
                return self.s.make(_param_name(ast.unparse(n), ""), ast.unparse(n), None, "limit", False)
            return qs[bound(sl.lower, "offset"):bound(sl.upper, "limit")]
        if isinstance(sl, ast.Constant):
            return qs[sl.value]
        raise NotTranslated("DYNAMIC_FIELD", "an index computed at run time")


def _builds_expression(node: ast.AST) -> bool:
    """Whether an operator expression combines Django expressions (F("stock") + qty, Q() | Q())."""
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            fname = n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
            if fname in _EXPRESSIONS:
                return True
    return False


def _param_name(source: str, keyword: str) -> str:
    """A parameter name from the source argument: ``request.GET.get("q")`` -> ``q``, ``min_price`` -> ``min_price``."""
    m = re.search(r"""\.get\(\s*['"](\w+)['"]""", source) or re.search(r"""\[\s*['"](\w+)['"]\s*\]""", source)
    if m:
        return m.group(1)
    names = re.findall(r"[A-Za-z_]\w*", source)
    if len(names) == 1 or (names and "." not in source and "(" not in source):
        return names[-1] if len(names) == 1 else "_".join(names[:2])
    if names:
        last = [n for n in names if n not in ("self", "request", "data", "get", "int", "str", "len", "Decimal")]
        if last:
            return last[-1] if not keyword else keyword.split("__")[0]
    return keyword.replace("__", "_") or "arg"


# ----------------------------------------------------------------------------- capture


@contextlib.contextmanager
def capture(conn, out: list[Capture]):
    """Intercept the compilers' execute_sql: record (sql, params), send nothing, return plausible results."""
    saved = {}

    def patch(cls, kind):
        original = cls.execute_sql
        saved[cls] = original

        def execute_sql(self, *args, **kwargs):
            if kind == "insert":  # Django asks for RETURNING of the primary key when it can
                self.returning_fields = args[0] if args else kwargs.get("returning_fields")
            sql, params = self.as_sql() if kind != "insert" else self.as_sql()[0]
            out.append(Capture(sql=sql, params=tuple(params), kind=kind))
            result_type = args[0] if args else kwargs.get("result_type", sql_compiler.MULTI)
            if kind == "select":
                if result_type == sql_compiler.SINGLE:
                    return None
                if result_type == sql_compiler.CURSOR:
                    raise NotTranslated("UNSUPPORTED_TERMINAL", "a raw cursor result")
                return iter([])
            if kind == "insert":
                return [(73_999_999,)]
            if kind in ("update", "delete"):
                return 0 if result_type != sql_compiler.CURSOR else None
            return None
        cls.execute_sql = execute_sql

    patch(sql_compiler.SQLCompiler, "select")
    patch(sql_compiler.SQLInsertCompiler, "insert")
    patch(sql_compiler.SQLUpdateCompiler, "update")
    patch(sql_compiler.SQLDeleteCompiler, "delete")
    patch(sql_compiler.SQLAggregateCompiler, "select")
    try:
        yield
    finally:
        for cls, original in saved.items():
            cls.execute_sql = original


TERMINALS_ONE = {"get": "one", "first": "one", "last": "one", "earliest": "one", "latest": "one"}
TERMINALS_SCALAR = {"count", "exists", "aggregate"}
TERMINALS_WRITE = {"update": "execrows", "delete": "execrows", "create": "one"}
NOT_YET = {"bulk_update", "clear", "set", "iterator", "contains", "explain", "union", "intersection",
           "difference", "dates", "datetimes"}
# Terminals that run a sequence of statements (each becomes its own query, in order).
SEQUENCES = {"get_or_create": "one", "update_or_create": "one", "add": "exec", "remove": "execrows",
             "bulk_create": "exec"}


def compile_site(site: dict, dialect: str, flip_bools: bool = False) -> Compiled:
    from django.db import connections

    result = Compiled(site=site["id"], dialect=dialect)
    conn = offline_connection(dialect)
    # compile as inside transaction.atomic(): select_for_update and get_or_create's savepoint need it
    conn.in_atomic_block = True
    conn.autocommit = False
    conn.savepoint = lambda: "s1"
    conn.savepoint_commit = conn.savepoint_rollback = lambda sid: None
    conn.needs_rollback = False
    conn.get_autocommit = lambda: False
    conn.validate_no_broken_transaction = lambda: None
    alias = conn.alias
    connections[alias] = conn
    sentinels = Sentinels(flip_bools)
    interp = Interpreter(site, sentinels, alias)
    chain = [c for c in site["chain"]]
    for c in chain:
        if c["method"] in NOT_YET:
            raise NotTranslated("NOT_YET_TRANSLATED", f"{c['method']}() is not translated to sqlc yet")
    manager = interp.base()
    qs = manager
    if hasattr(qs, "get_queryset"):
        qs = qs.get_queryset() if not site.get("related_from") else qs.all()
    qs = qs.using(alias)
    terminal = chain[-1]["method"] if chain else "iter"
    if terminal in ("add", "remove") and len(chain) == 1:
        qs = manager.db_manager(alias)  # related-manager methods live on the manager
    ends = (*TERMINALS_ONE, *TERMINALS_SCALAR, *TERMINALS_WRITE, *SEQUENCES, "iter")
    body = chain[:-1] if terminal in ends else chain
    for c in body:
        qs = interp.call(qs, c)
        if hasattr(qs, "using") and isinstance(qs, models.QuerySet):
            qs = qs.using(alias)
    if terminal == "delete" and isinstance(qs, models.QuerySet) and type(qs).delete is models.QuerySet.delete:
        from django.db.models.deletion import Collector

        if not Collector(using=alias).can_fast_delete(qs):
            # Django's collector emulates on_delete in Python: the rows are selected here and deleted
            # by the generated GORM helper, which reproduces the collector (see docs/gorm.md).
            sql, params = qs.values_list("pk", flat=True).query.get_compiler(using=alias).as_sql()
            result.statements = [Capture(sql, tuple(params), "select")]
            result.sentinels = sentinels.items
            result.command, result.result = "many", "delete_ids"
            return result
    if terminal == "in_bulk" and not chain[-1]["args"]:
        terminal = "iter"  # in_bulk() with no ids: every row of the QuerySet, keyed by pk in Python
    if terminal == "bulk_create":
        return _bulk_create(result, qs, alias, conn, sentinels)
    captured: list[Capture] = []
    with capture(conn, captured):
        if terminal == "iter" or terminal not in ends:
            if isinstance(qs, models.QuerySet):
                sql, params = qs.query.get_compiler(using=alias).as_sql()
                captured.append(Capture(sql, tuple(params), "select"))
                result.command = "many"
                result.result = "rows"
            else:
                raise NotTranslated("UNSUPPORTED_TERMINAL", "the chain does not end in a QuerySet")
        else:
            try:
                interp.call(qs, chain[-1])  # what it returns is fake; the SQL it sent is what counts
            except qs.model.DoesNotExist:
                pass
            except NotTranslated:
                raise
            except Exception as exc:  # noqa: BLE001 - what Django raises on a fake empty result
                if not captured:
                    raise NotTranslated("COMPILE_FAILED", f"{type(exc).__name__}: {exc}") from exc
            result.command = TERMINALS_ONE.get(terminal) or TERMINALS_WRITE.get(terminal) or "one"
            result.result = "instance" if terminal in TERMINALS_ONE or terminal == "create" else "scalar"
            if terminal in SEQUENCES:
                result.command, result.result = SEQUENCES[terminal], "sequence"
            if terminal == "update_or_create":
                _update_path(qs, chain[-1], interp, captured)
    if terminal == "delete" and any(c.kind == "select" for c in captured):
        raise NotTranslated("CASCADE_DELETE", "delete() runs Django's collector: use the generated GORM Delete helper")
    if not captured:
        raise NotTranslated("NO_STATEMENT", f"{terminal}() sent no SQL")
    lookups = [a["value"] for c in chain if c["method"] == "prefetch_related" for a in c["args"]
               if a["kind"] == "literal" and isinstance(a.get("value"), str)]
    if lookups:  # prefetch_related: a second query per relation, keyed by the parent ids
        captured += [_prefetch(qs.model, lookup, alias, sentinels) for lookup in lookups]
        result.result = "sequence"
    if len(captured) != 1 and result.result != "sequence":
        raise NotTranslated("MULTIPLE_STATEMENTS", f"{terminal}() runs {len(captured)} statements")
    result.statements = captured
    result.sentinels = sentinels.items
    return result


def _prefetch(model: type, lookup: str, alias: str, sentinels: Sentinels) -> Capture:
    """The query Django's prefetcher runs for ``lookup``: the related rows of a list of parents."""
    if "__" in lookup:
        raise NotTranslated("NESTED_PREFETCH", f"prefetch_related({lookup!r}) across several relations")
    parent = model(pk=sentinels.make("parent_ids", "the parent rows' primary keys", model._meta.pk, "in", False)[0])
    parent._state.db = alias
    manager = getattr(parent, lookup)
    getter = getattr(manager, "get_prefetch_querysets", None)
    if getter is not None:
        qs = getter([parent])[0]
    else:  # Django 4.2
        qs = manager.get_prefetch_queryset([parent])[0]
    sql, params = qs.query.get_compiler(using=alias).as_sql()
    return Capture(sql, tuple(params), "select")


def _bulk_create(result: Compiled, qs, alias: str, conn, sentinels: Sentinels) -> Compiled:
    """bulk_create(objs): the INSERT Django runs per batch, here for one row (every value a parameter)."""
    model = qs.model
    obj = model()
    for f in model._meta.concrete_fields:
        if f.primary_key and f.auto_created or getattr(f, "auto_created", False):
            continue
        if f.is_relation:
            setattr(obj, f.attname, 1)
    captured: list[Capture] = []
    with capture(conn, captured):
        try:
            model._default_manager.db_manager(alias).bulk_create([obj])
        except Exception as exc:  # noqa: BLE001 - the fake result after the INSERT
            if not captured:
                raise NotTranslated("COMPILE_FAILED", f"{type(exc).__name__}: {exc}") from exc
    result.statements = [c for c in captured if c.kind == "insert"][:1]
    result.sentinels = []
    result.command, result.result = "exec", "sequence"
    return result


def _update_path(qs, call: dict, interp: Interpreter, captured: list[Capture]) -> None:
    """update_or_create's other branch: the row exists, its defaults are saved (UPDATE ... WHERE pk)."""
    kwargs = {a["keyword"]: interp.literal_or_sentinel(a, qs.model, a["keyword"], False)
              for a in call["args"] if a["keyword"] not in ("", "*", "**")}
    defaults = kwargs.pop("defaults", {}) or {}
    obj = qs.model(pk=interp.s.make("pk", "the existing row's primary key", qs.model._meta.pk, "exact", False))
    obj._state.adding = False
    obj._state.db = qs.db
    for k, v in defaults.items():
        setattr(obj, k, v)
    auto = [f.name for f in qs.model._meta.concrete_fields if getattr(f, "auto_now", False)]
    try:
        obj.save(using=qs.db, update_fields=list(defaults) + auto)
    except Exception:  # noqa: BLE001 - Django complains that the fake UPDATE touched no row
        pass


def compile_sites(sites: list[dict], dialects: tuple[str, ...], root: str = "",
                  progress: Optional[str] = None) -> list[dict]:
    """Every site for every dialect, in the order of ``sites`` then ``dialects``; the dialects on two cores.

    Each site compiles isolated and bounded (see load.isolate). With ``progress`` (a directory), each
    dialect appends to ``<progress>/<dialect>.jsonl`` a line when a site starts and one with its result:
    the parent process sees where a stuck worker was, and keeps what was done before it."""
    from ..parallel import in_parallel

    per_dialect = in_parallel(lambda d: _compile_dialect(sites, d, root, progress), list(dialects), work=len(sites))
    return [per_dialect[j][i] for i in range(len(sites)) for j in range(len(dialects))]


def _compile_dialect(sites: list[dict], dialect: str, root: str = "", progress: Optional[str] = None) -> list[dict]:
    import os

    out = []
    with progress_writer(os.path.join(progress, f"{dialect}.jsonl") if progress else None) as write:
        for site in sites:
            write(json.dumps({"start": site["id"]}))
            out.append(_compile_one(site, dialect, root))
            write(json.dumps({"done": out[-1]}))
    return out


def _compile_one(site: dict, dialect: str, root: str = "") -> dict:
    """One site, isolated: signals recorded not delivered, side effects refused, time bounded."""
    receivers: list[str] = []
    effects: list[str] = []
    try:
        with isolated(root, receivers, effects), time_limit(compile_timeout(), root):
            out = _compile_with_saves(site, dialect, root)
    except CompileTimeout as exc:
        return {"site": site["id"], "dialect": dialect, "reason": "COMPILE_TIMEOUT", "error": str(exc)}
    if effects:
        return {"site": site["id"], "dialect": dialect, "reason": "SIDE_EFFECT",
                "error": "compiling it tried to act outside the process (refused): " + "; ".join(effects[:3])}
    if receivers:
        out["receivers_not_run"] = receivers
    return out


def _compile_with_saves(site: dict, dialect: str, root: str) -> dict:
    """A write that runs a save() override is compiled twice: as Django runs it, and with Django's own
    Model.save instead of the override (what a Go query does). The same statements: translated, the
    override named (its Python is not ported). Different ones: SAVE_OVERRIDE, never the one or the other."""
    ran: list[str] = []
    with save_overrides(root, ran):
        out = _compile_plain(site, dialect)
    if not ran:
        return out
    plain: list[str] = []
    with save_overrides(root, plain, bypass=True):
        without = _compile_plain(site, dialect)
    if "reason" in out and "reason" in without:
        return out  # not translated either way: its own reason says why
    if "reason" in out or not _same_statements(out, without):
        if "reason" in out:
            what = f"{out['reason']}: {out.get('error', '')}"
        else:
            n, m = len(out["statements"]), len(without.get("statements") or [])
            what = (f"it sends {n} statements instead of {m}" if n != m else "it sends other statements or values")
            what += " than Django's own save()"
        return {"site": site["id"], "dialect": dialect, "reason": "SAVE_OVERRIDE", "save_overrides": ran,
                "error": f"the write depends on {', '.join(ran)}: {what}"}
    out["save_overrides"] = ran
    return out


def _same_statements(a: dict, b: dict) -> bool:
    """The same SQL, in the same order, and the same value wherever either binds a runtime argument (a
    sentinel). Other values may differ between two runs and mean nothing: auto_now, default callables."""
    sa, sb = a.get("statements") or [], b.get("statements") or []
    if [(s["sql"], s["kind"], len(s["params"])) for s in sa] != [(s["sql"], s["kind"], len(s["params"])) for s in sb]:
        return False
    traced = [json.dumps(x["value"], sort_keys=True) for x in (a.get("sentinels") or []) + (b.get("sentinels") or [])]
    for x, y in zip(sa, sb):
        for p, q in zip(x["params"], y["params"]):
            if p != q and any(json.dumps(v, sort_keys=True) in traced for v in (p, q)):
                return False
    return True


def _compile_plain(site: dict, dialect: str) -> dict:
    try:
        c = compile_site(site, dialect)
        out = {"site": site["id"], "dialect": dialect, "command": c.command, "result": c.result,
               "statements": _statements(c),
               "sentinels": [{"name": s.name, "source": s.source, "kind": s.kind, "value": _jsonable(s.value),
                              "optional": s.optional, "is_list": s.is_list, "field": s.field} for s in c.sentinels]}
        if any(s.kind == "bool" for s in c.sentinels):
            # a runtime boolean looks like every literal True: compiled again with it False, the
            # difference shows where it went (a parameter, or `col` against `NOT col`)
            try:
                out["flipped"] = _statements(compile_site(site, dialect, flip_bools=True))
            except Exception:  # noqa: BLE001 - without it the site stays BOOL_PARAMETER
                pass
        return out
    except NotTranslated as exc:
        return {"site": site["id"], "dialect": dialect, "reason": exc.code, "error": str(exc)}
    except NoConnection as exc:
        return {"site": site["id"], "dialect": dialect, "reason": "NEEDS_DATABASE",
                "error": f"Django needs a live database to run this: {exc}"}
    except Exception as exc:  # noqa: BLE001 - Django refused the chain: report it, go on
        return {"site": site["id"], "dialect": dialect, "reason": "COMPILE_FAILED",
                "error": f"{type(exc).__name__}: {exc}"}


def _statements(c: Compiled) -> list[dict]:
    return [{"sql": s.sql, "params": [_jsonable(p) for p in s.params], "kind": s.kind} for s in c.statements]


def _jsonable(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    tagged = encode(v)  # migrator.codec: the one tagged-value encoding
    if tagged is not None:
        return tagged
    if isinstance(v, dict):
        return {"json": v}
    if type(v).__name__ == "Jsonb" and hasattr(v, "obj"):  # psycopg's JSON adapter (PostgreSQL)
        return {"json": v.obj}
    return {"repr": repr(v)}


# ----------------------------------------------------------------------------- real values (parity)


class Values(Sentinels):
    """The same interpretation with real values instead of sentinels: what the Django side of query
    parity runs. ``values`` maps each source argument (sentinel name) to its value."""

    def __init__(self, values: dict[str, Any]):
        super().__init__()
        self.values = values
        self.used: list[str] = []  # names read by the call being interpreted

    def make(self, name: str, source: str, fld: Optional[models.Field], lookup: str, optional: bool) -> Any:
        if name not in self.values:
            raise KeyError(f"no value for `{source}` ({name})")
        self.used.append(name)
        return self.values[name]


def evaluate(site: dict, values: dict[str, Any]) -> Any:
    """Run a site's chain through Django with real values and return its result."""
    interp = Interpreter(site, Values(values))
    chain = list(site["chain"])
    manager = interp.base()
    qs = manager
    if hasattr(qs, "get_queryset"):
        qs = qs.get_queryset() if not site.get("related_from") else qs.all()
    terminal = chain[-1]["method"] if chain else "iter"
    if terminal in ("add", "remove") and len(chain) == 1:
        return (terminal, interp.call(manager, chain[-1]))
    ends = (*TERMINALS_ONE, *TERMINALS_SCALAR, *TERMINALS_WRITE, *SEQUENCES, "iter")
    body = chain[:-1] if terminal in ends else chain
    for c in body:
        qs = interp.call(qs, c)
    if terminal == "iter" or terminal not in ends:
        return ("rows", qs)
    try:
        return (terminal, interp.call(qs, chain[-1]))
    except qs.model.DoesNotExist:
        return (terminal, None)
