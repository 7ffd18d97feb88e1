"""QuerySets in a migrated view: the site a chain is at, its sqlc query on the store, the call with its
arguments, and the row or rows it gives (their columns matched to the model's fields)."""

from __future__ import annotations

import ast as _ast
import re

from . import handlers_form, handlers_optional, handlers_paths, handlers_prefetch
from .handlers_arith import WIDE, in_expression, is_slice_bound
from .handlers_names import plural
from .handlers_user import OptionalUser, UserRow, anonymous_manager, anonymous_pk_argument, unless_anonymous, user_pk
from .naming import pascal
from .handlers_fk import FK
from .path_queries import PATH, path_of
from .handlers_values import (INT_TYPES, JSON, Aggregate, Const, GoValue, Lazy, NotRecognised, Obj, Rows,
                              model_word, narrow_int, path_value, q, why_no_query)


class QueryMixin:
    """The QuerySet part of ViewReader."""

    # ---- QuerySets
    def site_at(self, fn, node, whole: bool = True, path: str = "", prefetch: bool = False):  # prefetch: queryset's
        line = fn["line"] + node.lineno - 1
        found = [s for s in self.sites.get((fn["file"], line), [])
                 if PATH not in s.id and FK not in s.id]  # path sites: by `path`; a relation's: handlers_fk
        if len(found) > 1:
            found = [s for s in found if s.column == node.col_offset + 1] or found
        if len(found) != 1:
            raise NotRecognised(f"no QuerySet site at {fn['file']}:{line}")
        site = found[0]
        q = self.queries.get(site.id + path)  # path: the query of the if/elif path followed (path_queries)
        if q is None and not whole:  # a sequence: the caller takes its statements
            return site, None, None
        parts = [x for x in self.all_queries if x.site == site.id + path and x.part]
        q = q or (handlers_prefetch.first(site, parts) if prefetch else None)  # the rows; the caller the rest
        if q is None and parts:
            what = handlers_prefetch.UNREAD if handlers_prefetch.first(site, parts) else "only get_or_create's are read"
            raise NotRecognised(f"the site {site.file}:{site.line} runs {len(parts)} statements ({what})")
        if q is None:
            why = why_no_query(self.skipped, site.id + path)
            raise NotRecognised(f"the site {site.file}:{site.line} has no sqlc query shared by both dialects" + (
                why or (f": {site.reason} ({site.kind} site)" if site.reason else "")))
        m = self.pkg.methods.get(q.name)
        if m is None:  # the store's reason (handlers_store._why_left_out), where it gave one
            why = [d for sid, _, d in self.skipped.get("shape", ()) if d.startswith(f"{q.name} is not in the store")]
            raise NotRecognised(why[0] if why else f"{q.name} is not in the generated package")
        return site, q, m

    def call_query(self, q, m, site, env, fn, given=None, held=None) -> str:
        """``given``: parameter name -> Go code of its value (a default Django computes at save time);
        ``held``: the Refining the chain starts from (its optional filters: handlers_optional)."""
        self.query = q  # the query whose arguments arg() converts
        given = given or {}
        values = []
        for p in q.params:
            if p.name in given:
                values.append((p, given[p.name]))
                continue
            if p.optional and isinstance(held, handlers_optional.Refining):
                values.append((p, handlers_optional.value(self, site, p, env, fn)))  # nil: the filter is off
                continue
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
                parts.append(f"{name}: {v if p.name in given else self.arg(p, v, typ)}")
            args = f", {m.params[0][1]}{{{', '.join(parts)}}}"
        self.used.append(q.name)
        return f"s.Store.{q.name}(ctx{args})"

    def arg(self, p, v, typ: str) -> str:
        if p.optional and isinstance(v, GoValue) and v.type in (typ, "nil"):  # handlers_optional.value
            return v.code
        ptr = typ.startswith("*")
        base = typ.lstrip("*")
        if isinstance(v, OptionalUser) and self.computed(("authenticated", v.row.var)) is not None:
            v = v.row  # the user or None, where the user is known signed in (handlers_shortcut)
        if isinstance(v, UserRow):  # request.user as an argument (handlers_user)
            v = user_pk(self, v)
        anonymous_pk_argument(v, p.name)
        if isinstance(v, Obj):
            pk = next((c for a, c in v.columns.items() if a == "pk"), None)
            if pk is None:
                raise NotRecognised("instance without its primary key")
            v = GoValue(pk[0], pk[1])
        if isinstance(v, Const) and isinstance(v.value, bool) and base == "bool":  # is_viewed=False (a default)
            v = GoValue("true" if v.value else "false", "bool")
        elif isinstance(v, Const):
            if isinstance(v.value, bool) or not isinstance(v.value, (int, str)):
                raise NotRecognised("constant argument")
            v = GoValue(q(v.value) if isinstance(v.value, str) else str(v.value), "string" if isinstance(v.value, str) else "int64")
        if isinstance(v, GoValue) and v.type == JSON and p.kind == "int":
            if in_expression(self.query.sql, p.name):
                self.bool_operand(v, p.name)
            v = GoValue(self.as_int(v), "int64")
        if isinstance(v, GoValue) and v.type == WIDE:  # integer arithmetic (handlers_arith): a slice bound only
            if not is_slice_bound(self.query.sql, p.name):
                raise NotRecognised(f"argument {p.name}: an integer computed by arithmetic is read as a slice bound only")
            v = GoValue(v.code, "int64")
        if not isinstance(v, GoValue) or v.type in ("any", JSON):
            raise NotRecognised(f"argument {p.name}")
        t = p.transform
        if t in ("year_start", "year_end") and base == "djtypes.DateTime":
            code = self.datetime_year_bound(v, t == "year_end")  # handlers_seq
            return code if ptr else f"*{code}"
        if t in ("year_start", "year_end"):
            if base != "djtypes.Date" or v.type not in INT_TYPES:
                raise NotRecognised("a year bound that is not a date")
            code = f"djtypes.NewDate(int({v.code}), {'1, 1' if t == 'year_start' else '12, 31'})"
        elif t in ("like", "like_prefix", "like_suffix", "like_exact"):
            fn = {"like": "Contains", "like_prefix": "StartsWith", "like_suffix": "EndsWith", "like_exact": "LikeEscape"}[t]
            code = f"djtypes.{fn}({v.code})"
        elif t:
            raise NotRecognised(f"transform {t}")
        elif base in INT_TYPES and v.type in INT_TYPES:
            code = narrow_int(base, v)
        elif base in ("string", "interface{}") and v.type == "string":
            code = v.code
        elif base == "string" and v.type == "*string" and handlers_form.nil_matches_nothing(self, p, v):
            code = f"*{v.code}"
        elif base in INT_TYPES and v.type in ("string", "*string") and (
                lookup := handlers_form.int_lookup(self, p, v, base)) is not None:
            code = lookup
        elif base in ("djtypes.UUID", "djtypes.Date", "djtypes.DateTime", "djtypes.Duration") and v.type == base:
            code = v.code
        elif base == "interface{}" or base == v.type == "bool":
            code = v.code
        elif base in INT_TYPES and path_value(self.path, v.code).get("digits"):
            code = narrow_int(base, self.parse_int(v))  # int() of a re_path group of digits (Django's get_prep_value)
        else:
            raise handlers_paths.mismatch(v, typ, p)  # an integer for a timedelta: that path's 501
        return f"Ptr({code})" if ptr else code

    def fetch_one(self, node, fn, env):
        site, query, m = self.site_at(fn, node.func)
        if query.result != "instance" or query.command != "one":
            raise NotRecognised("get_object_or_404 of something else than one row")
        call = self.call_query(query, m, site, env, fn)
        var = self.var(model_word(site.model))
        self.stmts.append(f"{var}, err := {call}\nif err != nil {{\nreturn NotFoundOrFail(err, {q(self.doing(site))})\n}}")
        return self.obj(var, site, m.ret)

    def queryset(self, node, fn, env, at=None):
        root = at if at is not None else self._root(node)
        site, q, m = self.site_at(fn, root, path=path_of(root, env), prefetch=True)
        held = env.get(root.id) if isinstance(root, _ast.Name) else None
        if isinstance(held, handlers_optional.Refining):
            handlers_optional.check(site, held, q)
        last = site.chain[-1].method if site.chain else ""
        handlers_prefetch.check(site, q)
        if last == "create":  # Model.objects.create(...) (handlers_create)
            return self.create_row(site, q, m, env, fn, node)
        self.no_match = f"{site.model}.DoesNotExist" if last == "get" and q.command == "one" else None
        anonymous = anonymous_manager(self, node, env, fn)  # user.groups: empty for AnonymousUser
        self.anonymous_empty = anonymous.var if anonymous else None
        try:
            call = self.call_query(q, m, site, env, fn, held=held)
        finally:
            self.no_match = self.anonymous_empty = None
        call = unless_anonymous(anonymous, call, q, m, last) if anonymous is not None else call
        word = model_word(site.model)
        if q.command == "exec":
            self.stmts.append(f"if err := {call}; err != nil {{\n{self.fail(site)}\n}}")
            return Const(None)
        if q.command == "one" and q.result == "instance" and last in ("get", "first"):
            var = self.var(word)
            self.stmts.append(f"{var}, err := {call}")
            present = ""
            if last == "get":
                self.throw_if("IsNoRows(err)", f"{site.model}.DoesNotExist")
                self.stmts.append(self.on_error(site))
            else:  # .first(): None when there is no row
                present = self.var(f"{word}_found")
                self.stmts.append(f"{present} := err == nil\nif err != nil && !IsNoRows(err) {{\n{self.fail(site)}\n}}")
            obj = self.obj(var, site, m.ret)
            obj.present = present
            return obj
        hint = {"execrows": f"{last}d" if last.endswith("e") else f"{last}ed", "one": f"{word}_{last}"}.get(
            q.command, plural(word))
        var = self.var(hint)
        if q.command == "one" and q.result == "scalar" and last == "exists":  # SELECT 1 ... LIMIT 1: a row or none
            self.stmts.append(f"{var}, err := Exists({call})\n" + self.on_error(site))
            return GoValue(var, "bool")
        self.stmts.append(f"{var}, err := {call}\n" + self.on_error(site))
        if q.command == "execrows":
            return GoValue(var, "int64")
        if q.result == "scalar" and last == "count":
            return GoValue(var, m.ret)
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
            return Rows(var, "flat", GoValue("r", row_type, f))
        if "values" in methods:
            vals = next(c for c in site.chain if c.method == "values")
            struct = self.pkg.structs.get(row_type)
            if struct is None:
                raise NotRecognised(f"{q.name}: row struct")
            by_tag = {tag: (name, typ) for name, typ, tag in struct.fields}
            keys = [k for a in vals.args if a.keyword in ("", "*")  # values(*FIELDS): the constant list's names
                    for k in (a.value if a.keyword == "*" and isinstance(a.value, list) else [a.value])]
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
                row[k] = GoValue(f"r.{name}", typ, f)
            return Rows(var, "values", row)
        rows = Rows(var, "model", self.obj("r", site, row_type))
        return handlers_prefetch.attach(self, site, q, rows) if handlers_prefetch.heads(site, q) else rows

    @staticmethod
    def doing(site) -> str:
        """What the view was doing when the query failed: its function, the method, the model."""
        last = next((c.method for c in reversed(site.chain) if c.method not in ("[]", "iter")), "query")
        return f"{site.function}: {last} {model_word(site.model).replace('_', ' ')}"

    def fail(self, site) -> str:
        """The Go that answers 500 with the query's error, saying which query failed."""
        return f"return http.StatusInternalServerError, nil, fmt.Errorf({q(self.doing(site) + ': %w')}, err)"

    def on_error(self, site) -> str:
        return f"if err != nil {{\n{self.fail(site)}\n}}"

    def error_check(self, what: str) -> str:
        """Go answering 500 when ``err`` is set (Python raised what Django answers with a 500), the error
        wrapped with the view's name and what it was doing."""
        return (f"if err != nil {{\nreturn http.StatusInternalServerError, nil, "
                f"fmt.Errorf({q(self.view_name() + ': ' + what + ': %w')}, err)\n}}")

    def view_name(self) -> str:
        return self.route["view"].rpartition(".")[2]

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
        an Aggregate field for a decimal (written per dialect as Django converts it), the column's own
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
            return Aggregate(call.func.id, f.decimal_places)
        if f.internal_type in ("IntegerField", "SmallIntegerField", "PositiveIntegerField",
                               "PositiveSmallIntegerField"):
            return f  # PostgreSQL: SUM of int4/int2 is int8; SQLite: an integer; NULL for no row
        raise NotRecognised(f"annotation {key}: {source} of a {f.internal_type}")

    def obj(self, var: str, site, go_type: str) -> Obj:
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
            if f is None:
                raise NotRecognised(f"select_related({rel!r}) is not a forward relation")
            sub, fields = self._take(var, f.relation.target, fields)
            if f.null:  # a LEFT OUTER JOIN: None where the row has no related row (Python's `if r.user`)
                fk_code, fk_type, _ = obj.columns[f.attname]
                if not fk_type.startswith("*") or any(not c[1].startswith("*") for c in sub.columns.values()):
                    raise NotRecognised(f"select_related({rel!r}) of a nullable relation whose columns are not nullable")
                sub.present, sub.joined = f"{fk_code} != nil", True
            obj.related[rel] = sub
        return obj

    def _take(self, var, label, fields):
        m = self.models.get(label)
        if m is None or any(f.inherited_from in self.models for f in m.fields):
            raise NotRecognised(f"model {label} (multi-table inheritance is not read yet)")
        cols = [f for f in m.fields if f.column]
        if len(fields) < len(cols):
            raise NotRecognised(f"the row of {label} has fewer columns than the model")
        obj = Obj(var, label, {}, {})
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
        obj = Obj(var, label, {}, {})
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

    def listcomp(self, node, env, fn):
        if len(node.generators) != 1 or node.generators[0].ifs or not isinstance(node.generators[0].target, _ast.Name):
            raise NotRecognised("comprehension shape")
        gen = node.generators[0]
        lazy = isinstance(gen.iter, _ast.Name) and isinstance(env.get(gen.iter.id), Lazy)
        rows = self.queryset(env[gen.iter.id].node, fn, env, at=gen.iter) if lazy else self.expr(gen.iter, env, fn)
        if not isinstance(rows, Rows) or rows.kind != "model":
            raise NotRecognised("comprehension over something that is not model rows")
        inner = dict(env)
        inner[gen.target.id] = rows.row
        saved = len(self.stmts)
        elt = self.expr(node.elt, inner, fn)
        if len(self.stmts) != saved:
            raise NotRecognised("a query inside a comprehension")
        code, typ = self.typed(elt, pascal(self.view_name()) + pascal(model_word(rows.row.model)))
        return GoValue(f"MapRows({rows.var}, func(r {self._row_type(rows)}) {typ} {{\nreturn {code}\n}})", "[]" + typ)

    def _row_type(self, rows: Rows) -> str:
        code = next(iter(rows.row.columns.values()))[0] if isinstance(rows.row, Obj) else ""
        for st in self.stmts:
            if st.startswith(f"{rows.var}, err := "):
                name = st.split("s.Store.")[1].split("(")[0]
                return self.pkg.methods[name].ret[2:]
        raise NotRecognised(f"row type of {rows.var} {code}")
