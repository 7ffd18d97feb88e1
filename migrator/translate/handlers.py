"""Migrated handlers: a view is read with ``ast`` and migrated only when its whole shape is proven.

Split from translate.http, which decides routes, patterns and names; this module decides which
views get a real handler and the Go that handler runs.
"""

from __future__ import annotations

import ast as _ast
import re
from dataclasses import dataclass

from .handlers_plan import GoPackage
from .handlers_seq import SequenceMixin, _Tuple
from .handlers_write import FlowMixin, _Done, _Exc, _QueryDict
from .naming import pascal

DIALECT_PACKAGES = {"postgresql": ("PG", "pgdb"), "sqlite": ("Lite", "sqlitedb")}
_INT_TYPES = {"int64", "int32", "int16", "int"}


class NotRecognised(Exception):
    """The view's shape is not proven: it stays a stub (the message says why)."""


@dataclass
class _Obj:  # one model row a query returned
    var: str
    model: str
    columns: dict  # attribute (name and attname) -> (Go expression, Go type, IR field)
    related: dict  # relation name -> _Obj
    present: str = ""  # Go bool: the row was found (.first() may give None); "" when it always is


@dataclass
class _Go:  # a Go value
    code: str
    type: str
    field: object = None


@dataclass
class _Rows:
    var: str
    kind: str  # values | flat | model
    row: object  # values: {key: _Go template with "r."}, model: _Obj with var "r"


@dataclass
class _Response:
    status: int
    body: object


@dataclass
class _Aggregate:  # the output of Sum/Min/Max of a decimal column (its Go value: interface{})
    function: str
    decimal_places: int
    internal_type: str = "Aggregate"


class _Const:
    def __init__(self, value):
        self.value = value


class _JSONObj:
    def __init__(self, items):
        self.items = dict(items)


class _Global:
    def __init__(self, kind, ref):
        self.kind, self.ref = kind, ref


class _Request:
    pass


class _Lazy:  # a QuerySet assigned to a name, not evaluated yet
    def __init__(self, node):
        self.node = node


class ViewReader(FlowMixin, SequenceMixin):
    """Reads one view for one dialect and one HTTP method into Go statements that end in returns."""

    def __init__(self, route: dict, project, sites: dict, queries: list, pkg: GoPackage, dialect: str,
                 method: str = "GET"):
        self.route, self.project, self.dialect, self.pkg, self.method = route, project, dialect, pkg, method
        self.depth = 0  # 0: the view's own body (a return answers); >0: an inlined helper
        self.handlers: list = []  # the enclosing except clauses, innermost last
        self.body_vars: set = set()  # Go variables holding the decoded JSON body
        self.body_keys: dict = {}  # keys read from the JSON body -> the type an isinstance tests (or None)
        self.reads_body = False
        self.query_keys: set = set()  # request.GET keys the view reads
        self.models = {m.label: m for m in project.models}
        self.sites = sites  # (file, line) -> [site]
        self.queries = {}
        self.all_queries = list(queries)
        for q in queries:
            if not q.part or q.part.startswith("1/1 "):  # a sequence of one statement is the whole call
                self.queries.setdefault(q.site, q)
        self.stmts: list[str] = []
        self.n = 0
        self.used: list[str] = []
        self.path: dict[str, dict] = {}
        self.functions = route.get("functions", {})
        self.field = DIALECT_PACKAGES[dialect][0]

    # ---- entry
    def read(self) -> tuple[int, str]:
        fn = self.functions.get(self.route["view"])
        if fn is None:
            raise NotRecognised("no source for the view")
        tree = _ast.parse(fn["source"]).body[0]
        if not isinstance(tree, _ast.FunctionDef):
            raise NotRecognised("not a function")
        args = [a.arg for a in tree.args.args]
        if not args or tree.args.vararg or tree.args.kwarg:
            raise NotRecognised("unexpected signature")
        env = {args[0]: _Request()}
        params = {p.name: p for rt in [self.route] for p in rt.get("_params", [])}
        for a in args[1:]:
            p = params.get(a)
            if p is None:
                raise NotRecognised(f"argument {a} is not a path parameter")
            env[a] = self.path_param(p)
        out = self.run(tree.body, env, fn)
        if not isinstance(out, _Done):
            raise NotRecognised("the view does not return a response on every path")
        return self.stmts

    def path_param(self, p) -> _Go:
        var = f"p{pascal(p.var)}"
        if p.converter == "int":
            self.path[p.name] = {"name": p.name, "var": var, "int": True, "uuid": False, "key": p.fiber_key}
            return _Go(var, "int64")
        if p.converter in ("str", "slug", "regex"):
            self.path[p.name] = {"name": p.name, "var": var, "int": False, "uuid": False, "key": p.fiber_key}
            return _Go(var, "string")
        if p.converter == "uuid":  # the route's regex is Django's: the text always parses
            self.path[p.name] = {"name": p.name, "var": var, "int": False, "uuid": True, "key": p.fiber_key}
            return _Go(var, "djtypes.UUID")
        raise NotRecognised(f"converter {p.converter} is not read yet")

    def _method_test(self, test, env):
        if (isinstance(test, _ast.Compare) and len(test.ops) == 1 and isinstance(test.left, _ast.Attribute)
                and test.left.attr == "method" and isinstance(test.left.value, _ast.Name)
                and isinstance(env.get(test.left.value.id), _Request)
                and isinstance(test.comparators[0], _ast.Constant) and isinstance(test.ops[0], (_ast.Eq, _ast.NotEq))):
            return str(test.comparators[0].value).upper(), isinstance(test.ops[0], _ast.Eq)
        return None

    # ---- expressions
    def expr(self, node, env, fn):
        if isinstance(node, _ast.Constant):
            return _Const(node.value)
        if isinstance(node, _ast.UnaryOp) and isinstance(node.op, _ast.USub) and isinstance(
                node.operand, _ast.Constant) and isinstance(node.operand.value, (int, float)):
            return _Const(-node.operand.value)
        if isinstance(node, _ast.Name):
            if node.id in env:
                return env[node.id]
            g = fn["names"].get(node.id)
            if g is None:
                raise NotRecognised(f"unknown name {node.id}")
            return _Global(g["kind"], g["ref"])
        if isinstance(node, _ast.Tuple):
            return _Tuple(self.expr(e, env, fn) for e in node.elts)
        if isinstance(node, _ast.BoolOp) and isinstance(node.op, _ast.Or) and len(node.values) == 2 and isinstance(
                node.values[1], _ast.Constant) and isinstance(node.values[1].value, str):
            v = self.or_text(node, env, fn)
            if v is not None:
                return v
        if isinstance(node, _ast.Dict):
            if any(not isinstance(k, _ast.Constant) or not isinstance(k.value, str) for k in node.keys):
                raise NotRecognised("a dict with computed keys")
            return _JSONObj((k.value, self.expr(v, env, fn)) for k, v in zip(node.keys, node.values))
        if isinstance(node, _ast.BoolOp) and isinstance(node.op, _ast.Or) and len(node.values) == 2 and isinstance(
                node.values[1], _ast.Constant) and node.values[1].value is None:
            v = self.expr(node.values[0], env, fn)
            if not isinstance(v, _Go):
                raise NotRecognised("`or None` of something that is not a column")
            return _Go(f"OrNil({self.json(v)})", "any")
        if isinstance(node, _ast.Attribute):
            return self.attribute(node, env, fn)
        if isinstance(node, _ast.ListComp):
            return self.listcomp(node, env, fn)
        if isinstance(node, _ast.Subscript) and self._is_chain(node, env, fn):
            return self.queryset(node, fn, env)
        if isinstance(node, _ast.Call):
            return self.call(node, env, fn)
        if isinstance(node, _ast.BoolOp) and isinstance(node.op, _ast.Or) and len(node.values) == 2 and isinstance(
                node.values[1], _ast.Constant) and isinstance(node.values[1].value, bytes):
            v = self.expr(node.values[0], env, fn)
            if not isinstance(v, _Go) or v.type != "[]byte":
                raise NotRecognised("`or` of bytes")
            return _Go(f"OrBytes({v.code}, []byte({q(node.values[1].value.decode())}))", "[]byte")
        if isinstance(node, (_ast.Compare, _ast.BoolOp)) or (isinstance(node, _ast.UnaryOp) and isinstance(
                node.op, _ast.Not)):
            return self.cond(node, env, fn)
        if isinstance(node, _ast.IfExp):
            test = self.cond(node.test, env, fn)
            if isinstance(test, _Const):
                return self.expr(node.body if test.value else node.orelse, env, fn)
            a, b = self.expr(node.body, env, fn), self.expr(node.orelse, env, fn)
            typ = self.merge_type([a, b])
            return _Go(f"Cond({test.code}, {self.as_type(a, typ)}, {self.as_type(b, typ)})", typ)
        if isinstance(node, _ast.JoinedStr):
            return self.fstring(node, env, fn)
        if isinstance(node, _ast.Subscript):
            v = self.subscript_input(node, env, fn)
            if v is not None:
                return v
        raise NotRecognised(f"{type(node).__name__} expression")

    def attribute(self, node, env, fn):
        if isinstance(node.value, _ast.Name) and f"{node.value.id}.{node.attr}" in fn["names"] and node.value.id not in env:
            g = fn["names"][f"{node.value.id}.{node.attr}"]
            return _Global(g["kind"], g["ref"])
        base = self.expr(node.value, env, fn)
        if isinstance(base, _Request) and node.attr == "body":
            return _Go("req.Body", "[]byte")
        if isinstance(base, _Request) and node.attr == "GET":
            return _QueryDict()
        if isinstance(base, _Global) and base.kind == "model" and node.attr == "DoesNotExist":
            return _Global("exception", f"{base.ref}.DoesNotExist")
        if isinstance(base, _Obj):
            if node.attr in base.related:
                return base.related[node.attr]
            if node.attr in base.columns:
                code, typ, f = base.columns[node.attr]
                return _Go(code, typ, f)
            raise NotRecognised(f"attribute {node.attr} of {base.model} is not a column the query selected")
        if isinstance(base, _Go) and node.attr == "name" and base.field is not None and base.field.internal_type in (
                "FileField", "ImageField"):
            return _Go(base.code, base.type)  # FieldFile.name: the stored text
        raise NotRecognised(f"attribute {node.attr}")

    def call(self, node, env, fn):
        func = node.func
        if not (isinstance(func, _ast.Attribute) and self._is_chain(node, env, fn)):
            found = self.input_call(node, env, fn)
            if found is None:
                found = self.text_call(node, env, fn)
            if found is not None:
                return found
        callee = None
        if isinstance(func, _ast.Name) and func.id in ("list", "str", "int") and func.id not in env and (
                func.id not in fn["names"]):
            pass
        elif isinstance(func, _ast.Name) or (isinstance(func, _ast.Attribute) and isinstance(func.value, _ast.Name)
                                             and func.value.id not in env
                                             and f"{func.value.id}.{func.attr}" in fn["names"]):
            callee = self.expr(func, env, fn)
        if isinstance(callee, _Global):
            ref = callee.ref
            if ref == "django.http.response.JsonResponse":
                status = 200
                for kw in node.keywords:
                    if kw.arg == "status" and isinstance(kw.value, _ast.Constant):
                        status = kw.value.value
                    elif kw.arg == "status":  # decided at run time (201 if created else 200)
                        v = self.expr(kw.value, env, fn)
                        if not isinstance(v, _Go) or v.type not in _INT_TYPES:
                            raise NotRecognised("a status that is not an integer")
                        status = v.code if v.type == "int" else f"int({v.code})"
                    elif kw.arg == "safe":
                        continue
                    else:
                        raise NotRecognised("JsonResponse with keywords")
                if len(node.args) != 1:
                    raise NotRecognised("JsonResponse arguments")
                return _Response(status, self.expr(node.args[0], env, fn))
            if ref == "django.http.response.HttpResponse":
                if node.args or [kw.arg for kw in node.keywords] != ["status"] or not isinstance(
                        node.keywords[0].value, _ast.Constant):
                    raise NotRecognised("HttpResponse with content")
                return _Response(node.keywords[0].value.value, None)
            if ref == "django.shortcuts.get_object_or_404":
                return self.fetch_one(node, fn, env)
            if ref == "django.forms.models.model_to_dict":
                return self.model_to_dict(node, env, fn)
            if ref == "builtins.list" or (callee.kind == "external" and ref.endswith(".list")):
                return self.listing(node, env, fn)
            if callee.kind == "function" and ref in self.functions:
                return self.inline(self.functions[ref], node, env, fn)
            raise NotRecognised(f"call of {ref}")
        if isinstance(func, _ast.Name) and func.id in ("list", "str", "int") and func.id not in env:
            if func.id == "list":
                return self.listing(node, env, fn)
            arg = self.expr(node.args[0], env, fn)
            if func.id == "str" and isinstance(arg, _Exc):
                if arg.message is None:
                    raise NotRecognised(f"str() of a {arg.ref} whose message is Python's own")
                return arg.message
            if func.id == "str" and isinstance(arg, _Go) and arg.type != "any":
                return arg
            if func.id == "int" and isinstance(arg, _Go) and arg.type == "*string":
                return self.py_int(arg)
            if func.id == "int" and isinstance(arg, _Go) and arg.type == "any":
                return _Go(self.as_int(arg), "int64")
            if func.id == "int" and isinstance(arg, _Go) and arg.type == "string":
                return self.parse_int(arg)
            if func.id == "int" and isinstance(arg, _Go) and arg.type in _INT_TYPES:
                return arg
            raise NotRecognised(f"{func.id}() of this value")
        if isinstance(func, _ast.Attribute) and self._is_chain(node, env, fn):
            return self.queryset(node, fn, env)
        raise NotRecognised("call")

    def _root(self, node):
        while isinstance(node, (_ast.Call, _ast.Attribute, _ast.Subscript)):
            node = node.func if isinstance(node, _ast.Call) else node.value
        return node

    def _is_chain(self, node, env, fn) -> bool:
        """A QuerySet chain: rooted at a model (Model.objects...) or at a fetched row (obj.lines...)."""
        root = self._root(node)
        if not isinstance(root, _ast.Name) or root is node:
            return False
        if root.id in env:
            return isinstance(env[root.id], _Obj)
        g = fn["names"].get(root.id)
        return g is not None and g["kind"] == "model"

    def parse_int(self, arg: _Go) -> _Go:
        var = self.var()
        self.stmts.append(f"{var}, err := strconv.ParseInt({arg.code}, 10, 64)\n"
                          "if err != nil {\nreturn http.StatusInternalServerError, nil, err\n}")
        return _Go(var, "int64")

    def var(self) -> str:
        self.n += 1
        return f"v{self.n}"

    def listing(self, node, env, fn):
        if len(node.args) != 1:
            raise NotRecognised("list() arguments")
        v = self.expr(node.args[0], env, fn)
        if isinstance(v, _Rows):
            return v
        raise NotRecognised("list() of something that is not a QuerySet")

    def inline(self, target, node, env, fn):
        tree = _ast.parse(target["source"]).body[0]
        if not isinstance(tree, _ast.FunctionDef) or tree.args.vararg or tree.args.kwarg:
            raise NotRecognised("helper signature")
        names = [a.arg for a in tree.args.args]
        defaults = dict(zip(names[len(names) - len(tree.args.defaults):], tree.args.defaults))
        local = {}
        for i, a in enumerate(node.args):
            local[names[i]] = self.expr(a, env, fn)
        for kw in node.keywords:
            if kw.arg not in names:
                raise NotRecognised("keyword argument")
            local[kw.arg] = self.expr(kw.value, env, fn)
        for n in names:
            if n not in local:
                if n not in defaults or not isinstance(defaults[n], _ast.Constant):
                    raise NotRecognised(f"argument {n} of {tree.name}")
                local[n] = _Const(defaults[n].value)
        self.depth += 1
        try:
            out = self.run(tree.body, local, target)
        finally:
            self.depth -= 1
        if isinstance(out, _Done):
            raise NotRecognised(f"{tree.name} never returns")
        return out.value if out is not None else _Const(None)

    # ---- QuerySets
    def site_at(self, fn, node, whole: bool = True):
        line = fn["line"] + node.lineno - 1
        found = self.sites.get((fn["file"], line), [])
        if len(found) > 1:
            found = [s for s in found if s.column == node.col_offset + 1] or found
        if len(found) != 1:
            raise NotRecognised(f"no QuerySet site at {fn['file']}:{line}")
        site = found[0]
        q = self.queries.get(site.id)
        if q is None and not whole:  # a sequence: the caller takes its statements
            return site, None, None
        if q is None:
            raise NotRecognised(f"the site {site.file}:{site.line} has no sqlc query on {self.dialect}")
        m = self.pkg.methods.get(q.name)
        if m is None:
            raise NotRecognised(f"{q.name} is not in the generated package")
        return site, q, m

    def call_query(self, q, m, site, env, fn) -> str:
        values = []
        for p in q.params:
            if p.is_list or p.optional:
                raise NotRecognised(f"parameter {p.name} of {q.name} is a list or optional")
            try:
                src = _ast.parse(p.source, mode="eval").body
            except SyntaxError:
                raise NotRecognised(f"parameter source {p.source!r}")
            values.append((p, self.expr(src, env, fn)))
        if not m.params:
            args = ""
        elif len(m.params) == 1 and not m.params[0][1].endswith("Params"):
            if len(values) != 1:
                raise NotRecognised(f"{q.name}: parameters")
            args = ", " + self.arg(values[0][0], values[0][1], m.params[0][1])
        else:
            struct = self.pkg.structs.get(m.params[0][1])
            if struct is None:
                raise NotRecognised(f"{q.name}: no params struct")
            by_tag = {tag: (name, typ) for name, typ, tag in struct.fields}
            parts = []
            for p, v in values:
                if p.name not in by_tag:
                    raise NotRecognised(f"{q.name}: parameter {p.name}")
                name, typ = by_tag[p.name]
                parts.append(f"{name}: {self.arg(p, v, typ)}")
            args = f", {DIALECT_PACKAGES[self.dialect][1]}.{m.params[0][1]}{{{', '.join(parts)}}}"
        self.used.append(q.name)
        return f"s.Store.{self.field}.{q.name}(ctx{args})"

    def arg(self, p, v, typ: str) -> str:
        ptr = typ.startswith("*")
        base = typ.lstrip("*")
        if isinstance(v, _Obj):
            pk = next((c for a, c in v.columns.items() if a == "pk"), None)
            if pk is None:
                raise NotRecognised("instance without its primary key")
            v = _Go(pk[0], pk[1])
        if isinstance(v, _Const):
            if isinstance(v.value, bool) or not isinstance(v.value, (int, str)):
                raise NotRecognised("constant argument")
            v = _Go(q(v.value) if isinstance(v.value, str) else str(v.value), "string" if isinstance(v.value, str) else "int64")
        if isinstance(v, _Go) and v.type == "any" and p.kind == "int":
            v = _Go(self.as_int(v), "int64")
        if not isinstance(v, _Go) or v.type == "any":
            raise NotRecognised(f"argument {p.name}")
        t = p.transform
        if t in ("year_start", "year_end"):
            if base != "djtypes.Date" or v.type not in _INT_TYPES:
                raise NotRecognised("a year bound that is not a date")
            code = f"djtypes.NewDate(int({v.code}), {'1, 1' if t == 'year_start' else '12, 31'})"
        elif t in ("like", "like_prefix", "like_suffix", "like_exact"):
            fn = {"like": "Contains", "like_prefix": "StartsWith", "like_suffix": "EndsWith", "like_exact": "LikeEscape"}[t]
            code = f"djtypes.{fn}({v.code})"
        elif t:
            raise NotRecognised(f"transform {t}")
        elif base == "int32" and v.type == "int64" and v.code.startswith("v"):  # a value from input: checked
            code = self.var()
            self.stmts.append(f"{code}, err := Int32Of({v.code})\n"
                              "if err != nil {\nreturn http.StatusInternalServerError, nil, err\n}")
        elif base in _INT_TYPES and v.type in _INT_TYPES:
            code = v.code if base == v.type else f"{base}({v.code})"
        elif base in ("string", "interface{}") and v.type == "string":
            code = v.code
        elif base == "djtypes.UUID" and v.type == "djtypes.UUID":
            code = v.code
        elif base == "interface{}":
            code = v.code
        else:
            raise NotRecognised(f"a {v.type} value for a {typ} parameter")
        return f"Ptr({code})" if ptr else code

    def fetch_one(self, node, fn, env):
        site, q, m = self.site_at(fn, node.func)
        if q.result != "instance" or q.command != "one":
            raise NotRecognised("get_object_or_404 of something else than one row")
        call = self.call_query(q, m, site, env, fn)
        var = self.var()
        self.stmts.append(f"{var}, err := {call}\nif IsNoRows(err) {{\nreturn http.StatusNotFound, NotFoundBody, nil\n}}\n"
                          f"if err != nil {{\nreturn http.StatusInternalServerError, nil, err\n}}\n_ = {var}")
        return self.obj(var, site, m.ret)

    def queryset(self, node, fn, env, at=None):
        site, q, m = self.site_at(fn, at if at is not None else self._root(node))
        call = self.call_query(q, m, site, env, fn)
        var = self.var()
        last = site.chain[-1].method if site.chain else ""
        if q.command == "exec":
            self.stmts.append(f"if err := {call}; err != nil {{\nreturn http.StatusInternalServerError, nil, err\n}}")
            return _Const(None)
        if q.command == "one" and q.result == "instance" and last in ("get", "first"):
            self.stmts.append(f"{var}, err := {call}\n_ = {var}")
            present = ""
            if last == "get":
                self.throw_if("IsNoRows(err)", f"{site.model}.DoesNotExist")
            else:
                present = f"{var}Found"
                self.stmts.append(f"{present} := !IsNoRows(err)\nif IsNoRows(err) {{\nerr = nil\n}}")
            self.stmts.append("if err != nil {\nreturn http.StatusInternalServerError, nil, err\n}")
            obj = self.obj(var, site, m.ret)
            obj.present = present
            return obj
        self.stmts.append(f"{var}, err := {call}\nif err != nil {{\nreturn http.StatusInternalServerError, nil, err\n}}")
        if q.command == "execrows":
            self.stmts.append(f"_ = {var}")
            return _Go(var, "int64")
        if q.result == "scalar" and last == "count":
            return _Go(var, m.ret)
        if q.command != "many":
            raise NotRecognised(f"{q.name}: a {q.result} result")
        methods = [c.method for c in site.chain]
        row_type = m.ret[2:]
        if "values_list" in methods:
            vl = next(c for c in site.chain if c.method == "values_list")
            if not any(a.keyword == "flat" and a.value is True for a in vl.args) or row_type not in (
                    "string", "int64", "int32", "bool", "decimal.Decimal", "interface{}"):
                raise NotRecognised("values_list without flat=True")
            f = self.resolve(site.model, vl.args[0].value) if vl.args else None
            return _Rows(var, "flat", _Go("r", row_type, f))
        if "values" in methods:
            vals = next(c for c in site.chain if c.method == "values")
            struct = self.pkg.structs.get(row_type)
            if struct is None:
                raise NotRecognised(f"{q.name}: row struct")
            by_tag = {tag: (name, typ) for name, typ, tag in struct.fields}
            keys = [a.value for a in vals.args if not a.keyword]
            if not keys or any(k not in by_tag for k in keys):
                raise NotRecognised(f"{q.name}: values() keys and columns differ")
            row = {}
            for k in keys:
                name, typ = by_tag[k]
                f = self.resolve(site.model, k)
                if f is None and typ == "interface{}":
                    ann = next((a.source for c in site.chain if c.method == "annotate" for a in c.args
                                if a.keyword == k), "")
                    if not ann.startswith("Count("):
                        f = self.aggregate_field(site.model, ann, k)
                row[k] = _Go(f"r.{name}", typ, f)
            return _Rows(var, "values", row)
        return _Rows(var, "model", self.obj("r", site, row_type))

    def resolve(self, model: str, path: str, reverse: bool = False):
        """The IR field a values() key names (a__b follows relations), or None (an annotation).

        ``reverse``: a part may also be a reverse relation's query name (``orders`` on User for
        Order.user), as inside an aggregate's path."""
        m = self.models.get(model)
        parts = path.split("__")
        for i, part in enumerate(parts):
            if m is None:
                return None
            f = next((f for f in m.fields if part in (f.name, f.attname)), None)
            if f is None and reverse and i < len(parts) - 1:
                back = [(o, g) for o in self.models.values() for g in o.fields
                        if g.relation and g.relation.kind != "many_to_many" and g.relation.target == m.label
                        and g.relation.related_query_name == part]
                if len(back) != 1:
                    return None
                m = back[0][0]
                continue
            if f is None:
                return None
            if i == len(parts) - 1:
                return f
            m = self.models.get(f.relation.target) if f.relation else None
        return None

    def aggregate_field(self, model: str, source: str, key: str):
        """The output of ``Sum/Min/Max("path")`` (no filter, no distinct) when its type is known statically:
        an _Aggregate field for a decimal (written per dialect as Django converts it), the column's own
        field for an integer. Anything else: not migrated."""
        try:
            call = _ast.parse(source, mode="eval").body
        except SyntaxError:
            call = None
        if (not isinstance(call, _ast.Call) or not isinstance(call.func, _ast.Name)
                or call.func.id not in ("Sum", "Min", "Max") or len(call.args) != 1 or call.keywords
                or not isinstance(call.args[0], _ast.Constant) or not isinstance(call.args[0].value, str)):
            raise NotRecognised(f"annotation {key} of unknown type")
        f = self.resolve(model, call.args[0].value, reverse=True)
        if f is None or f.relation or f.primary_key:
            raise NotRecognised(f"annotation {key}: {source} of a path that is not a column")
        if f.internal_type == "DecimalField":
            return _Aggregate(call.func.id, f.decimal_places)
        if f.internal_type in ("IntegerField", "SmallIntegerField", "PositiveIntegerField",
                               "PositiveSmallIntegerField"):
            return f  # PostgreSQL: SUM of int4/int2 is int8; SQLite: an integer; NULL for no row
        raise NotRecognised(f"annotation {key}: {source} of a {f.internal_type}")

    def obj(self, var: str, site, go_type: str) -> _Obj:
        struct = self.pkg.structs.get(go_type)
        if struct is None:
            raise NotRecognised(f"row type {go_type}")
        fields = list(struct.fields)
        related_names = [a.value for c in site.chain if c.method == "select_related" for a in c.args]
        if any(c.method in ("only", "defer") for c in site.chain):
            if related_names:
                raise NotRecognised("only() with select_related()")
            return self._take_named(var, site.model, fields)
        obj, fields = self._take(var, site.model, fields)
        for rel in related_names:
            if not isinstance(rel, str) or "__" in rel:
                raise NotRecognised("select_related across several relations")
            f = next((f for f in self.models[site.model].fields if f.name == rel and f.relation), None)
            if f is None or f.null:
                raise NotRecognised(f"select_related({rel!r}) is not a required forward relation")
            sub, fields = self._take(var, f.relation.target, fields)
            obj.related[rel] = sub
        return obj

    def _take(self, var, label, fields):
        m = self.models.get(label)
        if m is None or any(f.inherited_from in self.models for f in m.fields):
            raise NotRecognised(f"model {label} (multi-table inheritance is not read yet)")
        cols = [f for f in m.fields if f.column]
        if len(fields) < len(cols):
            raise NotRecognised(f"the row of {label} has fewer columns than the model")
        obj = _Obj(var, label, {}, {})
        for f, (name, typ, tag) in zip(cols, fields):
            if not re.fullmatch(re.escape(f.column) + r"(_\d+)?", tag):
                raise NotRecognised(f"column {tag} where {label}.{f.name} was expected")
            obj.columns[f.attname] = (f"{var}.{name}", typ, f)
            if not f.relation:
                obj.columns[f.name] = obj.columns[f.attname]
            if f.primary_key:
                obj.columns["pk"] = (f"{var}.{name}", typ, f)
        return obj, fields[len(cols):]

    def _take_named(self, var, label, fields):
        """A row of only() columns: each struct field matched to the model field by its column name."""
        m = self.models.get(label)
        if m is None or any(f.inherited_from in self.models for f in m.fields):
            raise NotRecognised(f"model {label} (multi-table inheritance is not read yet)")
        obj = _Obj(var, label, {}, {})
        by_column = {f.column: f for f in m.fields if f.column}
        for name, typ, tag in fields:
            f = by_column.get(tag)
            if f is None:
                raise NotRecognised(f"column {tag} of the only() row is not a field of {label}")
            obj.columns[f.attname] = (f"{var}.{name}", typ, f)
            if not f.relation:
                obj.columns[f.name] = obj.columns[f.attname]
            if f.primary_key:
                obj.columns["pk"] = obj.columns[f.attname]
        return obj

    def model_to_dict(self, node, env, fn):
        obj = self.expr(node.args[0], env, fn)
        if not isinstance(obj, _Obj) or len(node.args) != 1:
            raise NotRecognised("model_to_dict of something that is not a row")
        exclude: list = []
        for kw in node.keywords:
            if kw.arg != "exclude" or not isinstance(kw.value, (_ast.List, _ast.Tuple)):
                raise NotRecognised("model_to_dict keywords")
            exclude = [e.value for e in kw.value.elts if isinstance(e, _ast.Constant)]
        items = []
        for f in self.models[obj.model].fields:
            if not f.editable or f.name in exclude:
                continue
            if not f.column or f.internal_type in ("FileField", "ImageField"):
                raise NotRecognised(f"model_to_dict includes {f.name} ({f.internal_type})")
            code, typ, field_ = obj.columns[f.attname]
            items.append((f.name, _Go(code, typ, field_)))
        return _JSONObj(items)

    def listcomp(self, node, env, fn):
        if len(node.generators) != 1 or node.generators[0].ifs or not isinstance(node.generators[0].target, _ast.Name):
            raise NotRecognised("comprehension shape")
        gen = node.generators[0]
        if isinstance(gen.iter, _ast.Name) and isinstance(env.get(gen.iter.id), _Lazy):
            rows = self.queryset(env[gen.iter.id].node, fn, env, at=gen.iter)
        else:
            rows = self.expr(gen.iter, env, fn)
        if not isinstance(rows, _Rows) or rows.kind != "model":
            raise NotRecognised("comprehension over something that is not model rows")
        inner = dict(env)
        inner[gen.target.id] = rows.row
        saved = len(self.stmts)
        elt = self.expr(node.elt, inner, fn)
        if len(self.stmts) != saved:
            raise NotRecognised("a query inside a comprehension")
        return _Go(f"MapRows({rows.var}, func(r {DIALECT_PACKAGES[self.dialect][1]}.{self._row_type(rows)}) any {{\n"
                   f"return {self.json(elt)}\n}})", "any")

    def _row_type(self, rows: _Rows) -> str:
        code = next(iter(rows.row.columns.values()))[0] if isinstance(rows.row, _Obj) else ""
        for st in self.stmts:
            if st.startswith(f"{rows.var}, err := "):
                name = st.split("s.Store.")[1].split(".", 1)[1].split("(")[0]
                return self.pkg.methods[name].ret[2:]
        raise NotRecognised(f"row type of {rows.var} {code}")

    # ---- JSON
    def json(self, v) -> str:
        if isinstance(v, _Const):
            if v.value is None:
                return "nil"
            if isinstance(v.value, bool):
                return "true" if v.value else "false"
            if isinstance(v.value, (int, float)):
                return repr(v.value)
            if isinstance(v.value, str):
                return q(v.value)
            raise NotRecognised("constant")
        if isinstance(v, _JSONObj):
            return "map[string]any{" + ", ".join(f"{q(k)}: {self.json(x)}" for k, x in v.items.items()) + "}"
        if isinstance(v, _Go):
            if v.type == "any":
                return v.code
            f = v.field
            if f is not None and f.internal_type in ("FileField", "ImageField"):
                raise NotRecognised("a FieldFile is not JSON")
            if isinstance(f, _Aggregate):
                if self.dialect == "sqlite":  # Django: Context(prec=15).create_decimal_from_float, unquantized
                    return f"PyDecimalOfFloat({v.code})"
                return f"JDecimal({v.code}, {f.decimal_places})"  # numeric: the column's scale
            if f is not None and f.internal_type == "DecimalField":
                return f"JDecimal({v.code}, {f.decimal_places})"
            return f"JV({v.code})"
        if isinstance(v, _Rows):
            pkg = DIALECT_PACKAGES[self.dialect][1]
            if v.kind == "flat":
                return f"MapRows({v.var}, func(r {v.row.type}) any {{ return {self.json(v.row)} }})"
            if v.kind == "values":
                rt = self._row_type(v)
                body = "map[string]any{" + ", ".join(f"{q(k)}: {self.json(x)}" for k, x in v.row.items()) + "}"
                return f"MapRows({v.var}, func(r {pkg}.{rt}) any {{\nreturn {body}\n}})"
            raise NotRecognised("model rows written as JSON")
        raise NotRecognised(f"{type(v).__name__} is not JSON")


def q(value) -> str:
    """A Go interpreted string literal."""
    from ..gostring import go_string

    return go_string(value)
