"""Migrated handlers: a view is read with ``ast`` and migrated only when its whole shape is proven.

Split from translate.http, which decides routes, patterns and names; this module decides which
views get a real handler and the Go that handler runs. The parts, composed into ViewReader:

- handlers_values: the values an expression is read into (public value types, no behaviour);
- handlers (here): expressions, calls, path parameters, helper inlining, JSON of a value;
- handlers_query: QuerySets (the site, its query on the store, the call, the rows);
- handlers_input, handlers_write, handlers_seq: conditions and input, statements and exceptions, get_or_create, text;
- handlers_names: Go names for what the reader computed, once the whole view is read;
- handlers_store: the dialect-neutral store the reader reads against; handlers_plan: every view.
"""

from __future__ import annotations

import ast as _ast

from ..plan import GoPackage
from . import handlers_fk, handlers_form, handlers_humanize, handlers_rowedit, handlers_shortcut, handlers_user
from .handlers_arith import ArithMixin
from .handlers_create import CreateMixin
from .handlers_except import ExceptMixin
from .handlers_exprs import ExprMixin
from .handlers_input import InputMixin
from .handlers_jsontext import BAD_REQUEST, plain_response
from .handlers_json import JSONMixin, Local, Responses, helper_argument
from .handlers_optional import Refining
from .handlers_names import HANDLER_SCOPE, finish, is_placeholder, number, placeholder
from .handlers_query import QueryMixin
from .handlers_seq import SequenceMixin
from .handlers_values import (  # noqa: F401 (Aggregate, NotRecognised: the reader's public values)
    BODY, INT_TYPES, JSON, LOADED, Aggregate, Const, Done, Exc, GoValue, Global, JSONObj, NotRecognised, Obj, Request, Response,
    Rows, Tuple, missing_arguments, module_member, not_selected, q)
from .handlers_write import FlowMixin
from .naming import GO_KEYWORDS, GO_PREDECLARED, camel, pascal
from .path_queries import PathChain

_Q = "django.db.models.query_utils.Q"


class ViewReader(ArithMixin, CreateMixin, ExceptMixin, ExprMixin, FlowMixin, InputMixin, JSONMixin, QueryMixin, SequenceMixin):
    """Reads one view for one HTTP method into Go statements that end in returns. ``pkg`` is the dialect-neutral
    store (handlers_store): the Go runs on either database."""

    def __init__(self, route: dict, project, sites: dict, queries: list, pkg: GoPackage, method: str = "GET",
                 responses: Responses | None = None, settings=lambda: None, skipped: dict | None = None):
        self.route, self.project, self.pkg, self.method = route, project, pkg, method
        self.skipped = skipped or {}  # dialect -> [(site id, code, detail)]: the sites sqlc has no query for
        self.settings = lambda: settings() or route.get("tz")  # {use_tz, time_zone}: load/drf's, else url_views', or None
        self.depth = 0  # 0: the view's own body (a return answers); >0: an inlined helper
        self.answering = None  # the depth of a helper whose returned responses answer (handlers_user.read_answering)
        self.handlers: list = []  # the enclosing except clauses, innermost last
        self.body_fields: dict = {}  # JSON body key -> its field in requestBody (handlers_input.body_field)
        self.body_keys: dict = {}  # keys read from the JSON body -> the type an isinstance tests (or None)
        self.reads_body = False
        self.clock = False  # the handler reads the request's clock (handlers_humanize)
        self.query_keys: set = set()  # request.GET keys the view reads
        self.json_query_keys: set = set()  # those read through json.loads (handlers_jsontext)
        self.form_keys: set = set()  # request.POST keys the view reads
        self.form_var, self.form_ints, self.form_texts = None, set(), {}  # request.POST (handlers_form)
        self.models = {m.label: m for m in project.models}
        self.sites = sites  # (file, line) -> [site]
        self.queries = {}
        self.all_queries = list(queries)
        for q in queries:
            if not q.part or q.part.startswith("1/1 "):  # a sequence of one statement is the whole call
                self.queries.setdefault(q.site, q)
        self.stmts: list[str] = []
        self.n = 0
        self.hints: dict[int, str] = {}  # placeholder number -> what its Go name says (handlers_names)
        self.named: set[int] = set()
        self.inlined: set[str] = set()  # the helper functions read into the handler
        self.memo: dict = {}  # (conversion, Go value) -> (variable, the blocks open where it was declared)  # placeholders named after the Python variable they are assigned to
        self.used: list[str] = []
        self.path: dict[str, dict] = {}
        self.functions = route.get("functions", {})
        self.helpers: list[str] = []  # the helper functions being read, innermost last
        self.guards: set = set()  # Go tests known true here (`x if r.user else None`: r.user is not None)
        self.lazy_rows: dict = {}  # Go variable -> the Obj of a relation fetched lazily (handlers_fk)
        self.local = Local()  # the response structs this reading declares (handlers_json)
        self.responses = responses if responses is not None else Responses()  # where they are named once read

    def part(self, value):
        """A value put inside a dict: a dict this same function built is a part of it, named after its key."""
        if isinstance(value, JSONObj) and value.origin == self.helper():
            value.origin = ""
        return value

    def helper(self) -> str:
        """The helper function being read ("" in the view itself): a dict it builds takes its name."""
        return self.helpers[-1] if self.helpers else ""

    # ---- entry
    def read(self) -> tuple[int, str]:
        fn = self.functions.get(self.route["view"])
        if fn is None:
            raise NotRecognised("no source for the view")
        tree = _ast.parse(fn["source"]).body[0]
        if isinstance(tree, _ast.ClassDef):  # the URLconf holds an instance: a syndication Feed, say
            raise NotRecognised(f"a callable instance of class {tree.name}: its __call__ is not read")
        if not isinstance(tree, _ast.FunctionDef):
            raise NotRecognised(f"not a function ({type(tree).__name__})")
        args = [a.arg for a in tree.args.args]
        if not args or tree.args.vararg or tree.args.kwarg:
            star = [f"*{tree.args.vararg.arg}" if tree.args.vararg else "", f"**{tree.args.kwarg.arg}" if tree.args.kwarg else ""]
            raise NotRecognised(f"unexpected signature: {' and '.join(x for x in star if x) or 'no request argument'} "
                                "(the view's arguments must be the request and its path parameters)")
        env = {args[0]: Request()}
        params = {p.name: p for rt in [self.route] for p in rt.get("_params", [])}
        defaults = dict(zip(args[len(args) - len(tree.args.defaults):], tree.args.defaults))
        missing = [a for a in args[1:] if a not in params and a not in defaults]
        for a in (a for a in args[1:] if a not in missing):
            p = params.get(a)
            if p is None and isinstance(defaults.get(a), _ast.Constant):  # Django calls it without: the default
                env[a] = Const(defaults[a].value)
                continue
            if p is None:
                raise NotRecognised(f"argument {a} is not a path parameter (its default is not a constant)")
            env[a] = self.path_param(p)
        if missing:  # a route calling the view without them: Python's TypeError, Django's 500 (below the decorators)
            self.stmts.append(missing_arguments(tree.name, missing, self.route.get("_extra", False)))
        out = Done() if missing else self.run(tree.body, env, fn)
        if not isinstance(out, Done):
            raise NotRecognised("the view does not return a response on every path")
        if self.reads_body:
            self.stmts[:0] = self.body_struct()
        self.stmts[:0] = handlers_form.form_prologue(self)
        if self.clock:  # naturaltime's clock, read once per request (handlers_humanize)
            self.stmts[:0] = [f"{handlers_humanize.CLOCK} := djtypes.Now()"]
        return self.responses.resolve(self.local, finish(self.stmts, self.hints, {p["var"] for p in self.path.values()}))

    def path_param(self, p) -> GoValue:
        var = camel(p.var)  # the Python argument's name, unless a handler's own name has it
        if var in HANDLER_SCOPE or var in GO_KEYWORDS or var in GO_PREDECLARED or not var.isidentifier():
            var = f"p{pascal(p.var)}"
        go = {"int": "int64", "str": "string", "slug": "string", "regex": "string", "uuid": "djtypes.UUID"}.get(p.converter)
        if go is None:  # (a uuid's text always parses: the route's regex is Django's)
            raise NotRecognised(f"converter {p.converter} is not read yet")
        self.path[p.name] = {"name": p.name, "var": var, "int": go == "int64", "uuid": go == "djtypes.UUID", "key": p.fiber_key}
        if go == "string":  # Go's \d: ASCII
            self.path[p.name]["digits"] = p.converter == "regex" and p.regex in (r"\d+", "[0-9]+")
        return GoValue(var, go)

    # ---- expressions
    def expr(self, node, env, fn):
        if isinstance(node, _ast.Constant):
            return Const(node.value)
        if isinstance(node, _ast.UnaryOp) and isinstance(node.op, _ast.USub) and isinstance(
                node.operand, _ast.Constant) and isinstance(node.operand.value, (int, float)):
            return Const(-node.operand.value)
        if isinstance(node, _ast.Name):
            if node.id in env:
                return env[node.id]
            g = fn["names"].get(node.id)
            if g is None:
                raise NotRecognised(f"unknown name {node.id}")
            return Const(g["value"]) if g["kind"] == "constant" else Global(g["kind"], g["ref"])
        if isinstance(node, _ast.Tuple):
            return Tuple(self.expr(e, env, fn) for e in node.elts)
        if isinstance(node, _ast.BoolOp) and isinstance(node.op, _ast.Or) and len(node.values) == 2 and isinstance(
                node.values[0], (_ast.Name, _ast.Constant)) and isinstance(left := self.expr(node.values[0], env, fn), Const):
            return left if left.value else self.expr(node.values[1], env, fn)  # Python's `a or b`, a known here
        if isinstance(node, _ast.BoolOp) and isinstance(node.op, _ast.Or) and len(node.values) == 2 and isinstance(
                node.values[1], _ast.Constant) and isinstance(node.values[1].value, str):
            v = self.or_text(node, env, fn)
            if v is not None:
                return v
        if isinstance(node, _ast.BoolOp) and isinstance(node.op, _ast.Or) and isinstance(node.values[-1], _ast.List):
            raise NotRecognised(f"`{_ast.unparse(node)}`: a JSON array (its items, looped over, are not read)")
        if isinstance(node, _ast.Dict):
            if any(not isinstance(k, _ast.Constant) or not isinstance(k.value, str) for k in node.keys):
                raise NotRecognised("a dict with computed keys")
            items = [(k.value, self.part(self.expr(v, env, fn))) for k, v in zip(node.keys, node.values)]
            return JSONObj(items, self.helper())
        if isinstance(node, _ast.BoolOp) and isinstance(node.op, _ast.Or) and len(node.values) == 2 and isinstance(
                node.values[1], _ast.Constant) and node.values[1].value is None:
            v = self.expr(node.values[0], env, fn)
            if not isinstance(v, GoValue):
                raise NotRecognised("`or None` of something that is not a column")
            zero = {"string": '""', "int64": "0", "int32": "0", "int": "0"}.get(v.type)
            if zero is not None and v.field is None or (zero is not None and v.field.internal_type != "DecimalField"):
                return GoValue(f"Nullable({v.code}, {v.code} != {zero})", "*" + v.type)  # nil for a falsy value
            code = f"JV({v.code})" if v.type.startswith("*") else self.json(v)  # the value a pointer holds
            return GoValue(f"OrNil({code})", "any")
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
            if not isinstance(v, GoValue) or v.type != "[]byte":
                raise NotRecognised("`or` of bytes")
            return GoValue(f"OrBytes({v.code}, []byte({q(node.values[1].value.decode())}))", "[]byte")
        if isinstance(node, (_ast.Compare, _ast.BoolOp)) or (isinstance(node, _ast.UnaryOp) and isinstance(
                node.op, _ast.Not)):
            return self.cond(node, env, fn)
        if isinstance(node, _ast.IfExp):
            return self.ifexp(node, env, fn)  # handlers_exprs
        if isinstance(node, _ast.JoinedStr):
            return self.fstring(node, env, fn)
        if isinstance(node, _ast.Subscript):
            v = self.subscript_input(node, env, fn)
            if v is not None:
                return v
        if isinstance(node, (_ast.BinOp, _ast.UnaryOp)) and self.is_q(node, env, fn):
            return Global("q", "django.db.models.Q")  # read by Django with the site it filters, never by Go
        if isinstance(node, _ast.BinOp):  # a date shifted by a timedelta (handlers_seq), or integers (handlers_arith)
            return self.time_shift(node, env, fn) if self.is_time_shift(node, fn) else self.arithmetic(node, env, fn)
        raise NotRecognised(f"{type(node).__name__} expression `{_ast.unparse(node)[:60]}` at {fn['file']}:{fn['line'] + node.lineno - 1}")

    def attribute(self, node, env, fn):
        if isinstance(node.value, _ast.Name) and f"{node.value.id}.{node.attr}" in fn["names"] and node.value.id not in env:
            g = fn["names"][f"{node.value.id}.{node.attr}"]
            return Const(g["value"]) if g["kind"] == "constant" else Global(g["kind"], g["ref"])
        base = self.expr(node.value, env, fn)
        if isinstance(base, Request) and node.attr == "user":  # request.user (handlers_user)
            return handlers_user.request_user(self)
        if isinstance(base, handlers_user.UserRow):
            return handlers_user.user_attribute(self, base, node.attr)
        if isinstance(base, Request) and node.attr == "method":  # each method is read on its own
            return Const(self.method)
        if isinstance(base, Request) and node.attr == "body":
            return GoValue("req.Body", "[]byte")
        if isinstance(base, Request) and node.attr in ("GET", "POST"):  # QueryDicts (handlers_form)
            return (handlers_form.request_get if node.attr == "GET" else handlers_form.request_post)(self)
        if isinstance(base, Global) and base.kind == "model" and node.attr == "DoesNotExist":
            return Global("exception", f"{base.ref}.DoesNotExist")
        choice = self.choices_attribute(base, node.attr)
        if choice is not None:
            return choice
        if isinstance(base, Obj):
            if base.joined and base.present not in self.guards:
                raise NotRecognised(f"attribute {node.attr} of a nullable relation read where it may be None")
            handlers_fk.none_attribute(self, base, node.attr)  # None's AttributeError, where the row may be None
            if node.attr in base.related:
                return base.related[node.attr]
            if node.attr in base.columns:
                code, typ, f = base.columns[node.attr]
                return GoValue(code, typ, f)
            related = handlers_user.related_user(self, base, node.attr) or handlers_fk.lazy_relation(self, base, node.attr)
            if related is not None:  # the user (djauth), or the row Django's descriptor fetches (handlers_fk)
                return related
            raise NotRecognised(not_selected(self.models.get(base.model), base.model, node.attr))
        if isinstance(base, GoValue) and node.attr == "name" and base.field is not None and base.field.internal_type in (
                "FileField", "ImageField"):
            return GoValue(base.code, base.type)  # FieldFile.name: the stored text
        raise NotRecognised(f"attribute {node.attr}")

    def call(self, node, env, fn):
        func = node.func
        if (saved := handlers_rowedit.save_row(self, node, env, fn)) is not None: return saved  # row.save(): load/save_sites
        if not (isinstance(func, _ast.Attribute) and self._is_chain(node, env, fn)):
            found = self.input_call(node, env, fn)
            if found is None:
                found = self.text_call(node, env, fn)
            if found is not None:
                return found
        found = self.builtin(node, env, fn)  # max, min, abs, len, bool, str, int (handlers_exprs)
        if found is not None:
            return found
        callee = None
        if isinstance(func, _ast.Name) and func.id == "list" and func.id not in env and func.id not in fn["names"]:
            pass
        elif isinstance(func, _ast.Name) or (isinstance(func, _ast.Attribute) and isinstance(func.value, _ast.Name)
                                             and func.value.id not in env
                                             and f"{func.value.id}.{func.attr}" in fn["names"]):
            callee = self.expr(func, env, fn)
        found = self.conversion(callee, node, env, fn)  # date.fromisoformat, Decimal (handlers_exprs)
        if found is not None:
            return found
        if isinstance(callee, Global):
            ref = callee.ref
            if ref == "django.http.response.JsonResponse":
                status = 200
                for kw in node.keywords:
                    if kw.arg == "status" and isinstance(kw.value, _ast.Constant):
                        status = kw.value.value
                    elif kw.arg == "status":  # decided at run time (201 if created else 200)
                        v = self.expr(kw.value, env, fn)
                        if not isinstance(v, GoValue) or v.type not in INT_TYPES:
                            raise NotRecognised("a status that is not an integer")
                        status = v.code if v.type == "int" else f"int({v.code})"
                    elif kw.arg == "safe":
                        continue
                    else:
                        raise NotRecognised("JsonResponse with keywords")
                if len(node.args) != 1:
                    raise NotRecognised("JsonResponse arguments")
                return Response(status, self.expr(node.args[0], env, fn))
            if ref == "django.http.response.HttpResponse":
                if node.args or [kw.arg for kw in node.keywords] != ["status"] or not isinstance(
                        node.keywords[0].value, _ast.Constant):
                    raise NotRecognised("HttpResponse with content")
                return Response(node.keywords[0].value.value, None)
            if ref in ("django.http.response.HttpResponseNotAllowed", BAD_REQUEST):
                return self.not_allowed(node, env, fn) if ref != BAD_REQUEST else plain_response(node)
            if ref == "django.shortcuts.get_object_or_404":
                return self.fetch_one(node, fn, env)
            if ref == "django.forms.models.model_to_dict":
                return self.model_to_dict(node, env, fn)
            if ref == "builtins.list" or (callee.kind == "external" and ref.endswith(".list")):
                return self.listing(node, env, fn)
            if callee.kind == "function" and ref in self.functions:
                self.inlined.add(ref)
                return self.inline(self.functions[ref], node, env, fn)
            found = self.clock_call(ref, node)
            if found is None:
                found = (handlers_humanize.natural_time(self, ref, node, env, fn)
                         or handlers_humanize.gettext_call(self, ref, node, fn))
            if found is not None:
                return found
            if ref == _Q:
                return Global("q", ref)
            raise NotRecognised(handlers_user.wrapped_user_reason(node, env, fn, ref) or f"call of {ref}")
        if isinstance(func, _ast.Name) and func.id == "list" and func.id not in env:
            return self.listing(node, env, fn)
        if isinstance(func, _ast.Attribute) and self._is_chain(node, env, fn):
            return self.queryset(node, fn, env)
        raise NotRecognised(f"call of {_ast.unparse(func)} at line {fn['line'] + node.lineno - 1}")

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
            return isinstance(env[root.id], (Obj, PathChain, Refining)) or handlers_user.is_user_chain(node, env)
        g = fn["names"].get(root.id)
        if g is not None and g["kind"] == "module":  # models.Notification.objects...: a model through its module
            g = fn["names"].get(module_member(node, root))
        return g is not None and g["kind"] == "model"

    def var(self, hint: str = "value") -> str:
        """A new Go variable; its name comes from ``hint`` unless a Python name is given to it (name_as)."""
        self.n += 1
        self.hints[self.n] = hint
        return placeholder(self.n)

    def name_as(self, value, python_name: str) -> None:
        """The Go variable holding ``value`` takes the Python name it is first assigned to."""
        code = value.var if isinstance(value, (Obj, Rows)) else getattr(value, "code", "")
        if isinstance(code, str) and is_placeholder(code) and number(code) not in self.named:
            self.named.add(number(code))
            self.hints[number(code)] = python_name

    def listing(self, node, env, fn):
        if len(node.args) != 1:
            raise NotRecognised("list() arguments")
        v = self.expr(node.args[0], env, fn)
        if isinstance(v, Rows):
            return v
        raise NotRecognised("list() of something that is not a QuerySet")

    def carried(self, env) -> dict:  # what an inlined helper sees besides its arguments (a class view's state: handlers_cbv)
        return {}

    def inline(self, target, node, env, fn):
        tree = _ast.parse(target["source"]).body[0]
        if not isinstance(tree, _ast.FunctionDef) or tree.args.vararg or tree.args.kwarg:
            raise NotRecognised("helper signature")
        positional = [a.arg for a in tree.args.posonlyargs]
        names = positional + [a.arg for a in tree.args.args]
        defaults = dict(zip(names[len(names) - len(tree.args.defaults):], tree.args.defaults))
        if len(node.args) > len(names) or any(isinstance(a, _ast.Starred) for a in node.args):
            raise NotRecognised(f"call of {tree.name} with more positional arguments than it takes, or *args")
        local = self.carried(env)
        for i, a in enumerate(node.args):  # a related row passed on unread, a JSON array refused (handlers_json)
            local[names[i]] = helper_argument(self, a, env, fn, target, tree, names[i])
        for kw in node.keywords:
            if kw.arg not in names or kw.arg in positional or kw.arg in local:  # Python's TypeError
                raise NotRecognised("keyword argument")
            local[kw.arg] = self.expr(kw.value, env, fn)
        for n in names:
            if n not in local:
                if n not in defaults or not isinstance(defaults[n], _ast.Constant):
                    raise NotRecognised(f"argument {n} of {tree.name}")
                local[n] = Const(defaults[n].value)
        atomic = handlers_shortcut.decorated(tree, target["names"])
        used, self.depth = len(self.used), self.depth + 1
        self.helpers.append(tree.name)
        try:
            out = self.run(tree.body, local, target)
        finally:
            self.depth -= 1
            self.helpers.pop()
        if atomic:
            handlers_shortcut.one_write(tree.name, self.used[used:], self.all_queries)
        if isinstance(out, Done):
            raise NotRecognised(f"{tree.name} never returns")
        return out.value if out is not None else Const(None)
