"""Django class-based views (``View`` subclasses, not DRF) read method by method with the function-view reader.

``View.dispatch`` calls ``getattr(self, request.method.lower())(request, *args, **kwargs)`` after ``setup`` stored
``self.request``, ``self.args`` and ``self.kwargs``; ``head`` is ``get`` unless the class has its own. So a
handler method *is* a function view with ``self`` bound to an instance whose attributes are known: this module
rewrites each method's source into the function view Django effectively runs (``self.request`` -> the request
argument, ``self.kwargs["pk"]`` and ``kwargs.get("pk")`` -> the path parameter ``pk``, a literal class attribute
or ``as_view()`` keyword -> its value, ``self.helper(...)`` -> the class's method read as a helper function) and
hands it to handlers.ViewReader, the one view translator. Rewrites keep every line where it was (and every column
they can), so the scanner's QuerySet sites, keyed by file and line, still match. Anything else ``self`` stands for
is not guessed: the method answers 501 with the reason, and the others are migrated.

The loader's facts are load.cbv's (``raw["cbv"]``); the route-level parts (CSRF, access mixins, the decorators
``method_decorator`` puts on ``dispatch``) are guards (handlers_cbv_auth), run before the method check as in
Django.
"""

from __future__ import annotations

import ast

from ..gostring import go_string
from .handlers_values import NotRecognised

# the Django handler whose answer needs no reading: View.options (200, no body, the Allow header)
DJANGO_OPTIONS = "django.views.generic.base.View"


# the generic views' hooks only their POST / PUT / DELETE handlers call (form handling, the redirect after it)
_WRITES = ("form_valid", "form_invalid", "get_success_url")


def readable(raw: dict) -> bool:
    """A class-based view load.cbv described as a Django View (not DRF's APIView)."""
    cbv = raw.get("cbv")
    return bool(cbv) and not cbv.get("drf")


def _unread(raw: dict) -> str:
    """Why a class view is not read method by method ("" when it is): DRF's APIView (an ``@api_view`` function
    too) has no handler table from load.cbv, only ``{"drf": True}``."""
    if readable(raw):
        return ""
    if (raw.get("cbv") or {}).get("drf"):
        return ("a DRF APIView (an @api_view function too): DRF's dispatch (its Request, renderers, exception "
                "handler) is not Django's View, and the DRF step reads viewsets only")
    return "the class was not described method by method (no load.cbv handler table)"


def reads_options(raw: dict) -> bool:
    """OPTIONS is answered by the project's code (its own ``options()``, or a ``dispatch`` that answers every
    method, or a prelude dispatch run before View.options): read by the view reader like the other methods, not
    answered as View.options alone."""
    h = readable(raw) and raw["cbv"]["handlers"].get("OPTIONS")
    return bool(h) and (not h["django"] or (h["owner"] == DJANGO_OPTIONS and bool(raw["cbv"].get("preludes"))))


def options_group(raw: dict) -> dict | str:
    """The switch group answering OPTIONS as Django's View.options does (200, no body, ``Allow``: the class's
    methods in ``http_method_names`` order, View._allowed_methods()), or why it is not read."""
    if why := _unread(raw):
        return why
    h = raw["cbv"]["handlers"].get("OPTIONS")
    if h is None:
        return "OPTIONS is not among http_method_names"
    if h["owner"] != DJANGO_OPTIONS:
        return f"options() of {h['owner']}: Django code other than View.options is not read"
    allow = go_string(", ".join(raw["cbv"]["allow"]))
    return {"methods": ["OPTIONS"], "stmts": [f'return 200, Headed{{Header: [][2]string{{{{"Allow", {allow}}}}}, '
                                              'Body: NoBody}, nil']}


def method_route(route: dict, method: str) -> dict:
    """The route ViewReader reads for ``method``: the handler method as a function view (``view`` its qualified
    name, ``functions`` rewritten without ``self``). Raises NotRecognised for a method that cannot be read."""
    if why := _unread(route):
        raise NotRecognised(why)
    cbv = route["cbv"]
    h = cbv["handlers"].get(method)
    preludes = list(cbv.get("preludes", ()))
    if h is None and not preludes:
        raise NotRecognised(f"the class has no {method.lower()}()")
    if h is None:  # Django runs the preludes for every method, then View.http_method_not_allowed (405, its Allow)
        h = {"django": True, "owner": DJANGO_OPTIONS, "name": "http_method_not_allowed", "decorated": False, "ref": ""}
    generic = ""
    if h["django"]:
        hooks = ", ".join(f"{n}()" for n in cbv.get("hooks", ()) if method not in ("GET", "HEAD") or n not in _WRITES)
        calls = f", which calls the project's {hooks}" if hooks else " (a template, a redirect, a form)"
        generic = (f"{h['owner'].rsplit('.', 1)[-1]}.{h['name']}() is Django's generic code{calls}: only the "
                   "project's handler methods are read")
        if not preludes:
            raise NotRecognised(generic)
    if h["decorated"]:
        raise NotRecognised(f"{h['name']}() is decorated: decorators on a handler method are not translated")
    if route.get("extra_kwargs"):  # Django passes them with the URL kwargs: not a path parameter the Go side has
        raise NotRecognised(f"the route passes the keyword arguments {', '.join(route['extra_kwargs'])} "
                            "(path(..., kwargs)): only the URL's own parameters are read")
    params = [p.name for p in route.get("_params", ())]
    functions = dict(cbv["functions"])
    methods = set(cbv["methods"].values())
    # each prelude's super().dispatch -> the next layer; after the last, Django's generic handler: not read (its
    # reason, after what the preludes meet first)
    chain = dict(zip(preludes, [*preludes[1:], "" if generic else h["ref"]]))
    state = sorted({a for ref in preludes for a in _assigned(cbv["functions"][ref]["source"])})
    for ref, fn in cbv["functions"].items():
        if ref == h["ref"] or ref in methods or ref in chain:
            try:
                source, binding = _rewrite(fn["source"], cbv["constants"], params, ref in (h["ref"], *chain),
                                           set(cbv["methods"]), state, ref in chain, _owner(ref))
            except NotRecognised as exc:  # a helper method: its reason when a reading reaches it
                if ref == h["ref"] or ref in chain:
                    raise
                functions[ref] = dict(fn, unreadable=str(exc))
                continue
            functions[ref] = dict(fn, source=source, self_binding=binding, next=chain.get(ref))
    options = options_group(route) if method == "OPTIONS" and h["owner"] == DJANGO_OPTIONS and h["django"] else None
    answer = options["stmts"][0] if isinstance(options, dict) else ""  # View.options past the preludes
    if h["name"] == "http_method_not_allowed":
        allow = go_string(", ".join(cbv["allow"]))
        answer = f'return 405, Headed{{Header: [][2]string{{{{"Allow", {allow}}}}}, Body: NoBody}}, nil'
    return dict(route, view=preludes[0] if preludes else h["ref"], functions=functions, generic=generic,
                options_answer=answer)


NEXT = "_next_dispatch"  # what a prelude's ``super().dispatch`` is rewritten to (ClassViewReader reads the next layer)


def _assigned(source: str) -> set[str]:
    """The ``self.<name>`` a prelude assigns: the view's state, a local ``self_<name>`` of the request's reading."""
    return {n.attr for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store)
            and isinstance(n.value, ast.Name) and n.value.id == "self"}


class _Edits:
    """Replacements of source spans (1-based lines, columns in UTF-8 bytes as ``ast`` gives them), applied so
    that no line moves: a shorter text is padded with spaces, a span over several lines keeps its newlines."""

    def __init__(self, source: str):
        self.source = source
        self.lines = [line.encode() for line in source.splitlines(keepends=True)]
        self.todo: list[tuple] = []

    def replace(self, node, text: str) -> None:
        self.todo.append((node.lineno, node.col_offset, node.end_lineno, node.end_col_offset, text))

    def replace_span(self, start: tuple[int, int], end: tuple[int, int], text: str) -> None:
        self.todo.append((*start, *end, text))

    def apply(self) -> str:
        for line, col, end_line, end_col, text in sorted(self.todo, reverse=True):
            head, tail = self.lines[line - 1][:col], self.lines[end_line - 1][end_col:]
            old = b"".join(self.lines[line - 1:end_line])[col:][: -len(tail) or None]
            new = text.encode()
            if end_line == line:
                new += b" " * max(0, len(old) - len(new))
            else:
                new += b"\n" * (end_line - line)
            lines = (head + new + tail).splitlines(keepends=True)
            self.lines[line - 1:end_line] = lines
        return b"".join(self.lines).decode()


def _key(node, kwargs: set[str]):
    """``self.kwargs["pk"]`` / ``kwargs["pk"]`` -> ("pk", True); ``….get("pk")`` -> ("pk", False); else None."""
    def is_kwargs(n):
        return (isinstance(n, ast.Attribute) and n.attr == "kwargs" and isinstance(n.value, ast.Name)
                and n.value.id == "self") or (isinstance(n, ast.Name) and n.id in kwargs)

    if isinstance(node, ast.Subscript) and is_kwargs(node.value) and isinstance(node.slice, ast.Constant):
        return node.slice.value, True
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
            and is_kwargs(node.func.value) and len(node.args) == 1 and not node.keywords
            and isinstance(node.args[0], ast.Constant)):
        return node.args[0].value, False
    return None


def _owner(ref: str) -> str:
    """``Class.`` of a method's dotted reference (``pkg.mod.Class.method``), to name it in a reason."""
    parts = ref.split(".")
    return f"{parts[-2]}." if len(parts) > 2 else ""


def _rewrite(source: str, constants: dict, params: list[str], handler: bool, methods: set, state=(),
             prelude: bool = False, owner: str = "") -> tuple[str, dict]:
    """The method's source as the function view Django runs (see the module's docstring), and what ``self``
    stands for in it (the binding _substitute reads). ``state``: the attributes the preludes assign (``self.task``
    -> ``self_task``); ``prelude``: a dispatch whose ``super().dispatch`` is the next layer (NEXT)."""
    fn = ast.parse(source).body[0]
    args = fn.args
    if not isinstance(fn, ast.FunctionDef) or not args.args or args.args[0].arg != "self" or args.posonlyargs \
            or args.kwonlyargs:
        raise NotRecognised(f"{getattr(fn, 'name', '?')}(): a method whose signature is not (self, ...)")
    edits = _Edits(source)
    names = [a.arg for a in args.args[1:]]
    kwargs = {args.kwarg.arg} if args.kwarg else set()
    if handler:
        if not names and prelude and args.vararg:  # oauth2_provider's OIDCOnlyMixin.dispatch(self, *args, **kwargs)
            raise NotRecognised(f"{owner}{fn.name}(self, *{args.vararg.arg}, ...): the request arrives in *{args.vararg.arg} "
                                "(a dispatch naming its request argument is read)")
        if not names:
            raise NotRecognised(f"{fn.name}(): no request argument")
        extra = [n for n in names[1:] if n not in params]
        if extra:
            raise NotRecognised(f"{fn.name}(): argument {extra[0]} is not a path parameter")
        missing = [p for p in params if p not in names[1:]]
        if missing and not args.kwarg:
            raise NotRecognised(f"{fn.name}() does not take the path parameter {missing[0]} (Django answers 500)")
        signature, request = ", ".join(names + missing), names[0]
    else:
        signature, request = ", ".join(names), None
        if args.vararg or args.kwarg:
            raise NotRecognised(f"{fn.name}(): a helper method with *args or **kwargs")
    if args.vararg and _uses(fn, args.vararg.arg):
        _pass_on_empty(fn, edits, args.vararg.arg)
    ends = [a for a in (*args.args, *args.defaults, args.vararg, args.kwarg) if a is not None]
    last = max(ends, key=lambda a: (a.end_lineno, a.end_col_offset))
    first = args.args[0]
    edits.replace_span((first.lineno, first.col_offset), (last.end_lineno, last.end_col_offset), signature)
    binding = {"constants": constants, "params": params, "kwargs": sorted(kwargs), "request": request,
               "methods": sorted(methods), "state": sorted(state), "prelude": prelude,
               "rest": [p for p in params if p not in names[1:]]}  # what **kwargs holds: the others
    _substitute(fn.body, edits, binding)
    return edits.apply(), binding


def _pass_on_empty(fn, edits: _Edits, name: str) -> None:
    """``f(a, *args)`` as ``f(a)``: a route the reader reads has no unnamed group (its pattern would not be exact),
    and Django passes the unnamed groups only, so ``args`` is ``()``. Any other read of it: NotRecognised."""
    passed = set()
    for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call)):
        for a in call.args:
            if isinstance(a, ast.Starred) and isinstance(a.value, ast.Name) and a.value.id == name:
                passed.add(id(a.value))
                _replace_argument(call, a, edits, "")
    if any(isinstance(n, ast.Name) and n.id == name and id(n) not in passed for n in ast.walk(fn)):
        raise NotRecognised(f"{fn.name}(): *{name} is read (Django passes the unnamed groups there)")


def _replace_argument(call, item, edits: _Edits, text: str) -> None:
    """One argument of ``call`` replaced by ``text`` (arguments, or nothing: its comma goes too)."""
    items = sorted([*call.args, *call.keywords], key=lambda a: (a.lineno, a.col_offset))
    i = next(k for k, a in enumerate(items) if a is item)
    if text:
        edits.replace(item, text)
    elif i:  # ", *args" after the previous argument
        edits.replace_span((items[i - 1].end_lineno, items[i - 1].end_col_offset), (item.end_lineno, item.end_col_offset), "")
    elif len(items) > 1:  # "*args, " before the next one
        edits.replace_span((item.lineno, item.col_offset), (items[1].lineno, items[1].col_offset), "")
    else:
        edits.replace(item, "")


def _super_dispatch(node) -> bool:
    """``super().dispatch`` or ``super(Class, self).dispatch`` (load.cbv reads the same two spellings)."""
    return (isinstance(node, ast.Attribute) and node.attr == "dispatch" and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name) and node.value.func.id == "super"
            and len(node.value.args) in (0, 2) and not node.value.keywords)


def _uses(fn, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(fn))


def _substitute(nodes: list, edits: _Edits, binding: dict) -> None:
    """Every ``self`` (and ``kwargs``) read in ``nodes``, replaced by what it stands for, or NotRecognised.
    ``binding["methods"]``: the class's methods the loader resolved (``self.x(...)`` stays: the reader inlines
    them)."""
    constants, params, request, methods = (binding[k] for k in ("constants", "params", "request", "methods"))
    kwargs, state = set(binding["kwargs"]), set(binding.get("state", ()))

    def visit(node):
        if binding.get("prelude") and isinstance(node, ast.Call) and _super_dispatch(node.func):
            edits.replace(node.func, NEXT)  # the next layer (ClassViewReader.next_layer), its arguments read
            node = ast.Call(func=ast.Name(NEXT), args=node.args, keywords=node.keywords)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self" and (
                node.attr in state):
            if request is None and not isinstance(node.ctx, ast.Load):
                raise NotRecognised(f"self.{node.attr} assigned in a helper method: the view's state is not translated")
            if not isinstance(node.ctx, ast.Load) and not binding.get("prelude"):
                raise NotRecognised(f"self.{node.attr} assigned: the view's state is not translated")
            edits.replace(node, f"self_{node.attr}")
            return
        found = _key(node, kwargs)
        if found is not None:
            key, required = found
            if request is None:
                raise NotRecognised("self.kwargs read in a helper method (the path parameters are the handler's)")
            if key in params:
                edits.replace(node, key)
            elif required:
                raise NotRecognised(f"self.kwargs[{key!r}]: not a path parameter of the route (a KeyError)")
            else:
                edits.replace(node, "None")
            return
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            if not isinstance(node.ctx, ast.Load):  # schedule's CancelButtonMixin: self.success_url = ...
                raise NotRecognised(f"self.{node.attr} assigned: the view's state is not translated")
            if node.attr == "request" and request is not None:
                edits.replace(node, request)
            elif node.attr in constants:
                edits.replace(node, repr(constants[node.attr]))
            elif node.attr == "request":  # a helper method: the request its caller carries (ClassViewReader.carried)
                edits.replace(node, "self_request")
            elif node.attr not in methods:
                raise NotRecognised(f"self.{node.attr}: not a literal class attribute or a method of the project's class")
            return
        if isinstance(node, ast.Call):  # f(request, **kwargs): the URL kwargs passed on, by name
            for kw in node.keywords:
                if kw.arg is None and isinstance(kw.value, ast.Name) and kw.value.id in kwargs:
                    _replace_argument(node, kw, edits, ", ".join(f"{p}={p}" for p in binding.get("rest", params)))
            node = ast.Call(func=node.func, args=node.args, keywords=[
                kw for kw in node.keywords if not (kw.arg is None and isinstance(kw.value, ast.Name)
                                                   and kw.value.id in kwargs)])
        if isinstance(node, ast.Name) and (node.id == "self" or node.id in kwargs):
            raise NotRecognised(f"`{node.id}` used as a value (only its attributes are read)")
        for child in ast.iter_child_nodes(node):
            visit(child)

    for st in nodes:
        visit(st)



def class_skip(raw: dict) -> list[str]:
    """Why a readable class-based view is not read at all (empty: it is, method by method)."""
    from .auth_views import NotAuth, class_guard, dispatch_decorators

    cbv, out = raw["cbv"], []
    if cbv.get("overrides"):
        out.append(f"the project replaces View's {', '.join(cbv['overrides'])}: the request cycle is not Django's")
    try:
        guard = class_guard(raw)
        _, others = dispatch_decorators(raw)
    except NotAuth as exc:
        return out + [f"its access checks are not translated: {exc}"]
    if guard is not None and not raw.get("guarded"):  # auth_views.guarded_routes: the route applies it
        out.append("its access checks need djauth (the http target, django.contrib.auth installed)")
    if others:
        out.append(f"method_decorator({', '.join(others)}) on dispatch: the decorator's behaviour is not translated")
    return out


def functions_of(raw: dict, kind: str, methods: list[str]) -> tuple[dict, list[str]]:
    """The functions a view's code lines are counted in, and the handler methods among them (for ``methods``)."""
    if kind != "class" or not readable(raw):
        return raw.get("functions", {}), []
    handlers = raw["cbv"]["handlers"]
    return raw["cbv"]["functions"], sorted({handlers[m]["ref"] for m in methods if m in handlers}
                                           | set(raw["cbv"].get("preludes", ()) if methods else ()))


def per_method(failed: dict) -> str:
    """A class-based view none of whose methods is read: each method's reason ("GET, HEAD: ...; POST: ..."),
    so that the blocker of every method is named, not only the first one's."""
    by_reason: dict[str, list[str]] = {}
    for method, why in failed.items():
        by_reason.setdefault(why, []).append(method)
    return "; ".join(f"{', '.join(methods)}: {why}" for why, methods in by_reason.items()) or "no method to read"
