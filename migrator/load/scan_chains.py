"""Chains into sites: a method chain unrolled to its root (manager, related manager, flow), its calls and
arguments, its kind, and the QuerySetSite emitted for it."""

from __future__ import annotations

import ast
import re
from typing import Optional, Sequence

import libcst as cst

from .. import querysets as Q
from ..ir import Arg, Call, Model, QuerySetSite
from .branches import BRANCH_REASONS, Flow, Reason
from .cst_tools import children, is_a, reads, target_names, walk
from . import model_refs, model_source, scan_custom, scan_kwargs, third_party
from .scan_index import ASYNC_METHODS, COMBINATORS, Ctx, GET_OBJECT

_BINDS = (cst.Assign, cst.AugAssign, cst.AnnAssign, cst.For, cst.NamedExpr)


class ChainSites:
    """Turns chains into sites for FileScanner. A mixin: it reads the state FileScanner sets up (index, pos, code, scopes, ctx, sites)."""

    # ------------------------------------------------------------------ chains

    def unroll(self, node: cst.BaseExpression) -> Optional[tuple[cst.BaseExpression, list[tuple[str, cst.CSTNode]]]]:
        """Split ``root.m1(...).m2(...)[...]`` into the root and its (method, node) ops, innermost first."""
        ops: list[tuple[str, cst.CSTNode]] = []
        cur = node
        while True:
            if type(cur) is cst.Call and type(cur.func) is cst.Attribute:
                name = cur.func.attr.value
                ops.append((ASYNC_METHODS.get(name, name), cur))
                cur = cur.func.value
            elif type(cur) is cst.Subscript:
                ops.append(("[]", cur))
                cur = cur.value
            else:
                break
        ops.reverse()
        return cur, ops

    def resolve_root(self, root: cst.BaseExpression, ctx: Ctx):
        """(kind, model, root text, manager, related_from) for a chain root, or None."""
        if type(root) is cst.Name and root.value in ctx.flows:
            return ("flow", None, root.value, "", "")
        if type(root) is cst.Attribute:
            attr = root.attr.value
            owner = self.model_ref(root.value, ctx)
            if owner is not None:
                if self.index.manager(owner, attr):
                    return ("manager", owner, self.code(root), attr, "")
                tags = self.index.by_label.get(third_party.tag_manager(owner, attr))
                if tags is not None:  # Entry.tags.most_common(): the tags of every row of the model
                    return ("tags", tags, self.code(root), attr, "")
                return None
            inst = self.instance_model(root.value, ctx)
            if inst is None and not (type(root.value) is cst.Name and root.value.value in ctx.flows):
                inst = model_refs.conventional_owner(self.index, root.value, attr)
            if inst is not None and inst.kind == "abstract":  # self.tags in an abstract model: whose join table?
                subs = self.index.by_abstract.get(f"{inst.module}.{inst.name}", ())
                own = inst.field(attr)
                if own is not None and own.name == attr and own.relation is not None and own.relation.kind == "many_to_many" \
                        or any(self.index.related(m, attr) for m in subs):
                    return ("abstract", None, self.code(root), attr, "")
                return None
            if inst is not None:
                rel = self.index.related(inst, attr)
                if rel is not None:
                    return ("related", rel[0], self.code(root), attr, inst.label)
                return None
            if attr in ("objects", "_default_manager") and type(root.value) is cst.Name:
                if root.value.value in ctx.locals or root.value.value in ctx.params:
                    return ("model_var", None, self.code(root), attr, "")
                if root.value.value in self.module_model_vars and self.qualified(root.value) is None:
                    return ("model_var", None, self.code(root), attr, "")  # Group = apps.get_model(settings.X)
            if attr in ("objects", "_default_manager") and type(root.value) is cst.Attribute \
                    and root.value.attr.value == "model" and type(root.value.value) is cst.Name \
                    and (root.value.value.value in ctx.locals or root.value.value.value in ctx.params):
                return ("model_var", None, self.code(root), attr, "")  # queryset.model.objects
        return None

    def arg(self, a: cst.Arg, ctx: Ctx) -> Arg:
        keyword = a.keyword.value if a.keyword is not None else a.star
        value = self.inline_flows(a.value, ctx) if not a.star else a.value
        src = self.code(value)
        names = sorted(reads(value) & (ctx.locals | ctx.params) - ctx.model_vars)
        # a call to anything but a Django expression class (Q, F, Count...) computes a runtime value
        names += sorted({self.code(c) for c in walk(value) if type(c) is cst.Call
                         if self.code(c.func).rpartition(".")[2] not in Q.EXPRESSION_CLASSES})
        if names:
            return Arg(kind="runtime", source=src, keyword=keyword, names=tuple(names))
        try:
            value = ast.literal_eval(self.constants.get(src, src))
            if isinstance(value, (set, frozenset, bytes, complex)):
                value = repr(value)
            elif isinstance(value, tuple):
                value = list(value)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            value = None
        return Arg(kind="literal", source=src, keyword=keyword, value=value)

    def call(self, method: str, node: cst.CSTNode, ctx: Ctx) -> Call:
        p = self.pos[node]
        if method == "[]":
            text = ", ".join(self.code(e.slice) for e in node.slice)
            names = sorted(set().union(*(reads(e.slice) for e in node.slice)) & (ctx.locals | ctx.params))
            args = (Arg(kind="runtime" if names else "literal", source=text, names=tuple(names)),)
        elif method == "all" and type(node.func) is cst.Attribute and node.func.attr.value == "get_queryset":
            args = ()  # the all() a default get_queryset(request) stands for (ModelAdmin): request is no argument of it
        else:
            args = tuple(self.arg(a, ctx) for a in scan_kwargs.expand(node.args, ctx))
        if method != "[]":
            p = self.pos[node.func.attr]
        # a condition is set when branches merge (merge()), never here: inside its own branch a call is unconditional
        return Call(method=method, args=args, line=p.start.line, column=p.start.column + 1)

    def classify(self, model: Optional[Model], calls: Sequence[Call], ctx: Ctx, reasons: list[str]) -> list[str]:
        out = list(reasons)
        known = set(Q.KNOWN_METHODS) | (self.index.custom_methods(model) if model else set())
        if model is not None and third_party.is_tree_model(model):
            known |= third_party.TREE_METHODS  # node.get_descendants(): reported TREE_QUERY by build()
        for c in calls:
            if c.method in Q.UNSUPPORTED_METHODS:
                out.append(Q.UNSUPPORTED_METHODS[c.method])
            elif c.method not in known:
                out.append("UNKNOWN_METHOD")
            elif c.method not in Q.KNOWN_METHODS and model is not None and self.index.custom_verdict(model, c.method) == "opaque":
                out.append("CUSTOM_METHOD")  # its body is in the project, and is not a chain on self
            for a in c.args:
                runtime_shape = scan_kwargs.runtime_shape(c.method, a)
                if runtime_shape is not None:
                    out.append(runtime_shape)
                elif a.keyword == "**" and a.kind == "runtime":
                    out.append("DYNAMIC_KWARGS")
                elif a.kind == "runtime" and set(a.names) & ctx.loop_q:
                    out.append("Q_BUILT_IN_LOOP")
                elif c.method in Q.SHAPE_METHODS and a.kind == "runtime" and not a.keyword:
                    out.append("DYNAMIC_FIELD")
                elif a.keyword == "*" and a.kind == "runtime":
                    out.append("DYNAMIC_FIELD")
        return out

    def emit(self, node: cst.CSTNode, model: Optional[Model], root: str, manager: str, related_from: str,
             calls: list[Call], ctx: Ctx, reasons: list[str], conditional: bool,
             at: Optional[tuple[int, int, int]] = None) -> None:
        reasons = self.classify(model, calls, ctx, reasons)
        if model is None and not set(model_refs.INDIRECT.values()) & set(reasons):
            reasons.append("UNRESOLVED_MODEL")
        if conditional and not reasons:
            reasons.append("CONDITIONAL_FILTER")
        kind, reason = "static", ""
        for r in sorted(reasons, key=lambda r: r in BRANCH_REASONS):
            k = Q.REASONS[r][0]
            if Q.KIND_ORDER[k] > Q.KIND_ORDER[kind]:
                kind, reason = k, r
        line, column, end_line = at if at is not None else (self.pos[node].start.line, self.pos[node].start.column + 1,
                                                             self.pos[node].end.line)
        explanation = (getattr(reason, "detail", "") or Q.REASONS[reason][1]) if reason else ""
        reason = str(reason)  # a plain code in the IR, not a Reason
        if reason == "CONDITIONAL_FILTER":
            conds = sorted({c.condition for c in calls if c.condition})
            explanation = f"refined under {', '.join('`if ' + c + '`' for c in conds)}; becomes optional filters"
        elif reason == "UNKNOWN_METHOD":
            known = set(Q.KNOWN_METHODS) | (self.index.custom_methods(model) if model else set())
            bad = [c.method for c in calls if c.method not in known]
            explanation = f"`{bad[0]}()` is not a QuerySet or manager method the tool knows"
        self.sites.append(QuerySetSite(
            id=f"{self.rel}:{line}:{column}",
            file=self.rel, line=line, column=column, end_line=end_line,
            function=ctx.function, model=model.label if model else "", chain=tuple(calls),
            root=re.sub(r"\s*\n\s*", "", root),  # one line: it heads the query's comment in sqlc's input
            kind=kind, reason=reason, explanation=explanation, manager=manager, related_from=related_from,
        ))

    def chain_site(self, node: cst.BaseExpression, ctx: Ctx):
        """Recognise ``node`` as a QuerySet chain. Returns (root info, ops) or None."""
        root, ops = self.unroll(node)
        swapped = self.view_chain(root, ops, ctx)
        if swapped is not None:
            info, ops = swapped
        else:
            info = self.resolve_root(root, ctx)
        if info is None and ops and ops[0][0] not in Q.KNOWN_METHODS:
            inlined = self.method_chain(root, ops, ctx)
            if inlined is not None:
                info, ops = inlined
        if info is None and ops and ops[0][0] in third_party.TREE_METHODS:
            info = self.tree_root(root, ops[0][0], ctx)
        if info is None:
            return None
        # A chain ends at its first terminal method; anything after belongs to the result object.
        for i, (meth, _n) in enumerate(ops):
            if meth in Q.TERMINAL_METHODS and i != len(ops) - 1:
                return None
        model = info[1]
        if ops and info[0] != "flow":
            known = set(Q.KNOWN_METHODS) | (self.index.custom_methods(model) if model else set())
            if ops[-1][0] not in known and info[0] not in model_refs.INDIRECT:
                return None
        if ops and info[0] == "flow":
            flow = ctx.flows[info[2]]
            known = set(Q.KNOWN_METHODS) | (self.index.custom_methods(flow.model) if flow.model else set())
            if ops[-1][0] not in known:
                return None
        if not ops and info[0] != "flow":
            return None
        return info, ops

    def method_chain(self, root: cst.BaseExpression, ops: list, ctx: Ctx):
        """``self.open_topics().filter(...)`` where the class's own ``def open_topics(self): return <chain>``:
        that chain, then ``ops`` (as a view's get_queryset() is inlined). None when it is not such a method."""
        ci = self.class_info
        if ci is None or type(root) is not cst.Name or root.value != "self" or "self" not in ctx.params:
            return None
        fn = ci.methods.get(ops[0][0])
        params = fn.params if fn is not None else None
        if params is None or ops[0][1].args or len(params.params) != 1 or type(params.star_arg) is cst.Param \
                or params.kwonly_params or params.star_kwarg is not None or params.posonly_params or fn.decorators:
            return None  # only `def m(self)`: an argument would have to be bound to the body's names
        expr = model_source.single_return(fn)
        if expr is None or id(fn) in self.inlining:
            return None
        self.inlining.add(id(fn))
        try:
            found = self.chain_site(expr, ctx)
        finally:
            self.inlining.discard(id(fn))
        if found is None or found[0][0] == "flow" or (found[1] and found[1][-1][0] in Q.TERMINAL_METHODS):
            return None
        return found[0], [*found[1], *ops[1:]]

    def tree_root(self, node: cst.BaseExpression, method: str, ctx: Ctx):
        """``node.get_descendants()`` on a row of a django-mptt model: a QuerySet of that model (root info)."""
        model = self.instance_model(node, ctx)
        if model is None or model.kind == "abstract" or not third_party.is_tree_model(model):
            return None
        return ("tree", model, self.code(node), method, "")

    def view_model(self, ci: model_refs.ClassInfo, ctx: Ctx) -> Optional[Model]:
        return model_refs.view_model(self, ci, ctx)

    def view_chain(self, root: cst.BaseExpression, ops: list, ctx: Ctx):
        return model_refs.view_chain(self, root, ops, ctx)

    def build(self, info, ops, ctx: Ctx, rel_depth: Optional[int] = None):
        """(model, root, manager, related_from, calls, reasons, conditional) for a recognised chain."""
        kind, model, root, manager, related_from = info
        reasons: list[str] = []
        calls = [self.call(meth, n, ctx) for meth, n in ops]
        if kind == "manager" and model is not None and ops and ops[0][0] not in Q.KNOWN_METHODS \
                and self.index.custom_verdict(model, ops[0][0]) == "opaque":
            calls, reasons = scan_custom.followed_calls(self, model, manager, ops, calls, ctx)
        if kind == "flow":
            flow = ctx.flows[root]
            self.report_alternatives(flow, ctx)
            model, root, manager, related_from = flow.model, flow.root, flow.manager, flow.related_from
            calls = flow.calls + calls
            reasons = list(flow.reasons)
        elif kind in model_refs.INDIRECT:
            reasons.append(model_refs.INDIRECT[kind])
        reasons += self.nested_querysets(ops, ctx)
        conditional = any(c.condition for c in calls)
        return model, root, manager, related_from, calls, reasons, conditional

    def nested_querysets(self, ops: list, ctx: Ctx) -> list[Reason]:
        """QuerySets used as values in the arguments of ``ops`` (``pk__in=follows.values("id")``,
        ``Exists(Tag.objects.filter(...))``, ``thread__in=tpks``): part of this query, not evaluations of
        their own. Each is reported as a site carrying QUERYSET_AS_VALUE, and so is the outer query (its
        translation would turn the subquery into a parameter). ``*qs`` is left alone: it is iterated."""
        out: list[Reason] = []
        for meth, node in ops:
            if meth == "[]":
                continue
            for a in node.args:
                if a.star:
                    continue
                for inner, found in self.querysets_in(a.value, ctx):
                    if self.written_inline(found, ctx):
                        continue  # compiled as part of this query (load.interpret: nested)
                    line = self.pos[node.func.attr].start.line
                    if meth in COMBINATORS:
                        reason = self.combined_reason(node.func.attr, f"{meth}()")
                    else:
                        reason = Reason("QUERYSET_AS_VALUE", f"`{self.code(inner)}` is used as a value in `{meth}()` at "
                                        f"{self.rel}:{line}: part of that query, which the tool does not translate "
                                        "with its subquery")
                    out.append(reason)
                    p = self.pos[inner]
                    if (p.start.line, p.start.column) not in self.alternatives_done:
                        self.alternatives_done.add((p.start.line, p.start.column))
                        model, root, manager, rf, calls, reasons, cond = self.build(*found, ctx)
                        self.emit(inner, model, root, manager, rf, calls, ctx, [*reasons, reason], cond)
        return out

    def inline_flows(self, value: cst.BaseExpression, ctx: Ctx) -> cst.BaseExpression:
        """``value`` with each name that holds a subquery the outer site can compile (inline_flow) replaced by the
        chain it was bound to: ``notes = Note.objects.filter(...)`` then ``filter(id__in=notes)``."""
        found = [n for n in walk(value) if type(n) is cst.Name and self.inline_flow(n.value, ctx) is not None]
        for n in found:
            value = value.deep_replace(n, cst.parse_expression(self.inline_flow(n.value, ctx)))
        return value

    def inline_flow(self, name: str, ctx: Ctx) -> Optional[str]:
        """The code of the chain a variable holds, when one statement bound it and nothing refined it since, and
        that chain is one written_inline accepts; None otherwise (the site keeps QUERYSET_AS_VALUE)."""
        flow = ctx.flows.get(name)
        if flow is None or not flow.source or flow.parent is not None or flow.alternatives or flow.reasons \
                or flow.related_from or any(c.condition for c in flow.calls):
            return None
        ops = [(c.method, None) for c in flow.calls]
        if not self.inline_chain(flow.model, flow.root, flow.manager, ops):
            return None
        # a name the chain read, bound again after it (`text = other`): its value at the binding is not the one
        # the outer site would read under the same name
        read = set().union(*(a.names for c in flow.calls for a in c.args)) & (ctx.locals | ctx.params)
        if read and ctx.node is not None and any(
                self.pos[n].start.line > flow.line for n in walk(ctx.node.body) if type(n) in _BINDS
                for t in ([n.target] if type(n) is not cst.Assign else [x.target for x in n.targets])
                if set(target_names(t)) & read):
            return None
        return flow.source

    def inline_chain(self, model: Optional[Model], root: str, manager: str, ops: list) -> bool:
        named = root.rsplit(".", 1)[0].split(".")[-1]  # compile finds the model by this name (not cls, self.model)
        return manager in ("objects", "_default_manager") and bool(ops) and model is not None and \
            named == model.name and all(m in Q.QUERYSET_METHODS and m not in ("using", "[]") for m, _n in ops)

    def written_inline(self, found, ctx: Ctx) -> bool:
        """A QuerySet written in the argument itself, ``M.objects.<QuerySet methods>(...)`` with nothing in it the
        tool cannot follow: the outer site compiles it with the same stand-ins (a subquery, a union's operand)."""
        (kind, model, root, manager, _rf), ops = found
        if kind == "flow" and not ops:
            return self.inline_flow(root, ctx) is not None
        if kind != "manager" or not self.inline_chain(model, root, manager, ops):
            return False
        *_built, reasons, conditional = self.build(*found, ctx)
        return not reasons and not conditional

    def querysets_in(self, expr: cst.CSTNode, ctx: Ctx):
        """(node, chain) of each outermost QuerySet (a variable holding one, or a chain that does not end in a
        terminal method) inside an argument expression."""
        if type(expr) is cst.Name and expr.value in ctx.flows:
            yield expr, (("flow", None, expr.value, "", ""), [])
            return
        if type(expr) in (cst.Lambda,):
            return
        if is_a(expr, cst.BaseExpression) and type(expr) not in (cst.Name,):
            found = self.chain_site(expr, ctx) if type(expr) in (cst.Call, cst.Subscript) else None
            if found is not None:
                if not (found[1] and (found[1][-1][0] in Q.TERMINAL_METHODS or found[1][-1][0] == "[]")):
                    yield expr, found
                return  # a value (count(), get()): evaluated on its own, scanned as an ordinary site elsewhere
        for child in children(expr):
            yield from self.querysets_in(child, ctx)

    def report_alternatives(self, flow: Flow, ctx: Ctx) -> None:
        """The shapes a variable may hold besides the one its evaluation sites show (``if a: qs = A...``
        / ``else: qs = B...``): each is a site of its own, at its binding, carrying the merge's reason."""
        for alt, reason in flow.alternatives:
            key = (alt.line, alt.column)
            if key in self.alternatives_done:
                continue
            self.alternatives_done.add(key)
            self.emit(None, alt.model, alt.root, alt.manager, alt.related_from, list(alt.calls), ctx,
                      [*alt.reasons, reason], False, at=(alt.line, alt.column, max([alt.line, *(c.line for c in alt.calls)])))

    def get_object(self, node: cst.Call, ctx: Ctx) -> bool:
        """get_object_or_404(Model | queryset, **lookups) is a get() site."""
        qn = self.qualified(node.func)
        if qn not in GET_OBJECT or not node.args:
            return False
        first = node.args[0].value
        method = GET_OBJECT[qn]
        model = self.model_ref(first, ctx)
        p = self.pos[node]
        get = Call(method=method, args=tuple(self.arg(a, ctx) for a in scan_kwargs.expand(node.args[1:], ctx)),
                   line=p.start.line, column=p.start.column + 1)
        if model is not None:
            default = next((mg.name for mg in model.managers if mg.is_default), "objects")
            self.emit(node, model, f"{self.code(first)}._default_manager", default, "", [get], ctx, [], False)
            return True
        found = self.chain_site(first, ctx)
        if found is not None:
            model, root, manager, rf, calls, reasons, cond = self.build(*found, ctx)
            self.emit(node, model, root, manager, rf, calls + [get], ctx, reasons, cond)
            return True
        # get_object_or_404(ctype.model_class(), ...), (self.get_org_model(), ...): a query all the same,
        # on a model or QuerySet the tool cannot name
        for a in node.args[1:]:
            self.scan_expr(a.value, ctx)
        self.scan_expr(first, ctx)
        detail = f"`{self.code(first)}` is neither a model nor a QuerySet the tool can name statically"
        self.emit(node, None, self.code(first), "", "", [get], ctx, [Reason("MODEL_FROM_VARIABLE", detail)], False)
        return True
