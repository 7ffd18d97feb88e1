"""A Django class-based view (``View.as_view()``) as plain data, read inside Django without instantiating it.

What ``View.dispatch`` does with a request, per HTTP method: the handler method it calls (``head`` falls back
to ``get`` as ``View.setup`` does), which class defines it (the project's, or Django's own generic code), the
project functions each handler reaches (load.urls.view_functions, with ``self.<method>`` calls resolved to the
class's methods), the class attributes read through ``self`` (literal values only, ``as_view(**initkwargs)``
included), the decorators ``method_decorator`` puts on ``dispatch``, and what the project overrides of the
request cycle (``dispatch``, ``setup``...), which the translator then does not pretend to follow.
"""

from __future__ import annotations

import ast
import functools
import inspect
import sys
import textwrap

from .cbv_known import known_view

# the parts of View's request cycle a subclass may replace: then dispatch is not Django's (a project's own
# options() is a handler method, read as the others; a dispatch that never calls super().dispatch is the
# handler of every method, see _own_dispatch)
_CYCLE = ("dispatch", "setup", "http_method_not_allowed")
_ACCESS = "django.contrib.auth.mixins"
# what Django's generic handlers (BaseDetailView.get, BaseListView.get, ProcessFormView.post...) call on self that
# a project overrides: named in the reason a generic handler is not read (wiki's DiffView.render_to_response)
_HOOKS = ("get_object", "get_queryset", "get_context_data", "render_to_response", "get_template_names",
          "get_form_class", "get_form", "form_valid", "form_invalid", "get_success_url", "get_redirect_url")


def _django(cls) -> bool:
    return (cls.__module__ or "").split(".")[0] == "django"


def _literal(value):
    """A class attribute's value when it is plain data (JSON-able), else the sentinel ``...``."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)) and all(_literal(v) is not ... and not isinstance(v, (list, tuple)) for v in value):
        return list(value)
    return ...


def dispatch_decorators(cls) -> tuple[list[str], list[str]]:
    """The decorators put on ``dispatch`` by the project's classes (outermost first: the view's own, then its
    bases'): ``@method_decorator(d, name="dispatch")`` above a class, or the decorators of a ``def dispatch`` that
    only calls ``super().dispatch`` (or never calls it: _own_dispatch), as written; and the request-cycle methods
    the project's classes replace otherwise (``Class.dispatch``, with what it runs around ``super().dispatch``).
    Classes after the one whose dispatch never calls ``super().dispatch`` are never reached: not read."""
    found: list[str] = []
    overrides = []
    prelude = False  # an outer dispatch ran statements: a decorator of an inner one would run after them
    for k in cls.__mro__:
        if _django(k):
            continue
        decorators, own = _class_decorators(k)
        found += decorators
        late = prelude and decorators  # they would run after an outer prelude's statements, not before the route
        for name in _CYCLE:  # a dispatch method_decorator put there, one only calling super(), or a prelude
            if name in vars(k) and (late or not (name == "dispatch" and (
                    own == "around" or (own not in ("replaced", "own") and (own == "super" or decorators))))):
                overrides.append(f"{k.__qualname__}.{name}" + (_around(k) if name == "dispatch" else "") + (
                    f" (under {', '.join(decorators)}, after the statements of an outer dispatch)" if late else ""))
        prelude = prelude or own == "around"
        if own == "own":
            overrides = [o for o in overrides if not o.startswith(f"{k.__qualname__}.dispatch")]
            break
    return found, overrides


def _dispatch_layers(cls, decorators: list[str]) -> list:
    """Each of dispatch_decorators' texts read as a project decorator (load.decorators.decorator_layers, in the
    globals of the module of the first class that writes it), None for one not read: translate.auth_views turns
    them into the route's guard (postman's ``auth_required`` on its Ajax view)."""
    from .decorators import decorator_layers

    out = []
    for text in decorators:
        owner = next((k for k in cls.__mro__ if not _django(k) and text in _class_decorators(k)[0]), cls)
        try:
            out.append(decorator_layers(text, vars(sys.modules[owner.__module__])))
        except Exception:  # noqa: BLE001 - a decorator this reader cannot evaluate keeps its text (a stub reason)
            out.append(None)
    return out


def preludes(cls) -> list:
    """The project's ``dispatch`` methods that run statements before ``return super().dispatch(...)``, outermost
    first (_around_super): the route reads them, then the method's handler (translate.handlers_cbv)."""
    return [vars(k)["dispatch"] for k in cls.__mro__ if not _django(k) and "dispatch" in vars(k)
            and inspect.isfunction(vars(k)["dispatch"]) and _class_decorators(k)[1] == "around"]


def _own_dispatch(cls):
    """The project's ``dispatch`` that answers every request itself (it never calls ``super().dispatch``, so
    Django's method switch is never reached), None when there is none: the first ``dispatch`` in the MRO decides.
    """
    for k in cls.__mro__:
        if "dispatch" not in vars(k) or k.__module__ == _ACCESS:  # an access mixin's dispatch calls super()'s
            continue
        kind = "django" if _django(k) else _class_decorators(k)[1]
        if kind not in ("super", ""):  # only calling super().dispatch (a decorator's place) passes it on
            return k if kind == "own" else None
    return None


def _around(k) -> str:
    """What a ``dispatch`` that calls ``super().dispatch`` runs besides, each statement's first line quoted in
    order (the decorators it is under first): todo's TaskAutocomplete loads the task, then checks the user."""
    fn = _dispatch_node(k)
    if fn is None:
        return ""
    body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    others = [s for s in body if not _returns_super(s)]
    quoted = [f"`{_first_line(s)[:80]}`" for s in others[:_QUOTED]]
    more = len(others) - _QUOTED
    more = f" and {more} more statement{'s' * (more > 1)}" if more > 0 else ""
    under = [_alias(k, text) for text in _method_decorators(fn)]
    under_text = f"under {', '.join(under)}; " if under else ""
    return f" ({under_text}runs {', '.join(quoted)}{more} around View.dispatch)" if quoted else ""


_QUOTED = 4  # statements quoted in a reason (dal's ViewMixin.dispatch has 4)


def _first_line(st) -> str:
    """A statement's first line; a ``try:`` with the first line it tries (``try: self.forwarded = json.loads(...``)."""
    lines = ast.unparse(st).splitlines()
    return f"try: {lines[1].strip()}" if isinstance(st, ast.Try) and len(lines) > 1 else lines[0]


def _returns_super(st) -> bool:
    """``return super().dispatch(...)``: the statement that hands the request on (not quoted by _around)."""
    return isinstance(st, ast.Return) and isinstance(st.value, ast.Call) and _super_dispatch(st.value.func)


def _method_decorators(fn: ast.FunctionDef) -> list[str]:
    """The decorators of a ``def dispatch`` as written, ``method_decorator(d)`` read as ``d``."""
    return [text for dec in fn.decorator_list for text in _listed(
        dec.args[0] if isinstance(dec, ast.Call) and ast.unparse(dec.func).endswith("method_decorator") and dec.args
        else dec)]


def _super_call(node) -> bool:
    """``super()`` or ``super(Class, self)``."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
            and len(node.args) in (0, 2) and not node.keywords)


def _super_dispatch(node) -> bool:
    """``super().dispatch`` or ``super(Class, self).dispatch`` (dal's ViewMixin: Python 2's spelling)."""
    return isinstance(node, ast.Attribute) and node.attr == "dispatch" and _super_call(node.value)


def _dispatch_node(k):
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(k))).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return None
    return next((n for n in getattr(tree, "body", ()) if isinstance(n, ast.FunctionDef) and n.name == "dispatch"), None)


def _alias(k, text: str) -> str:
    """A decorator named through a module-level alias of ``method_decorator`` (postman's
    ``never_cache_m = method_decorator(never_cache)``) as the decorator it wraps (``never_cache``)."""
    module = sys.modules.get(k.__module__)
    try:
        tree = ast.parse(inspect.getsource(module)) if module is not None and text.isidentifier() else None
    except (OSError, TypeError, SyntaxError):
        return text
    for node in tree.body if tree is not None else ():
        if (isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == [text]
                and isinstance(node.value, ast.Call) and ast.unparse(node.value.func).endswith("method_decorator")
                and len(node.value.args) == 1 and not node.value.keywords):
            return ast.unparse(node.value.args[0])
    return text


@functools.cache  # asked for each class of the MRO by _handlers, dispatch_decorators and describe_class
def _class_decorators(k) -> tuple[tuple[str, ...], str]:
    """One class's decorators of ``dispatch`` (see dispatch_decorators), and its own ``def dispatch``: "" (none),
    "super" (it only calls ``super().dispatch``), "own" (it never calls it) or "replaced"."""
    found: list[str] = []
    trivial = ""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(k))).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return tuple(found), trivial
    if not isinstance(tree, ast.ClassDef):
        return tuple(found), trivial
    for dec in tree.decorator_list:
        if not (isinstance(dec, ast.Call) and ast.unparse(dec.func).endswith("method_decorator")):
            found.append(ast.unparse(dec))  # a class decorator of another kind: named, not translated
            continue
        name = next((kw.value for kw in dec.keywords if kw.arg == "name"), None)
        if isinstance(name, ast.Constant) and name.value == "dispatch" and dec.args:
            found += _listed(dec.args[0])
        else:
            found.append(ast.unparse(dec))
    for node in tree.body:
        if not (isinstance(node, ast.FunctionDef) and node.name == "dispatch"):
            continue
        # any super() call may reach View's dispatch (wiki's Deleted: super().dispatch1 -> ... -> super().dispatch)
        trivial = ("super" if _only_super(node) else "around" if _around_super(node)
                   else "replaced" if any(_super_call(n) for n in ast.walk(node)) else "own")
        found += _method_decorators(node) if trivial != "replaced" else []
    return tuple(_alias(k, text) for text in found), trivial


def _listed(arg) -> list[str]:
    """``method_decorator``'s argument: one decorator, or a list / tuple of them (applied first to last)."""
    return [ast.unparse(e) for e in arg.elts] if isinstance(arg, (ast.List, ast.Tuple)) else [ast.unparse(arg)]


def _around_super(fn: ast.FunctionDef) -> bool:
    """Statements, then ``return super().dispatch(...)`` as the last one and no other ``super()``: a prelude
    (todo's TaskAutocomplete loads the task and checks the user), read before the handler method (translate.
    handlers_cbv)."""
    body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return len(body) > 1 and _returns_super(body[-1]) and not any(
        _super_call(n) for s in body[:-1] for n in ast.walk(s))


def _only_super(fn: ast.FunctionDef) -> bool:
    """``def dispatch(self, *args, **kwargs): return super().dispatch(*args, **kwargs)`` (or ``super(Cls, self)``)."""
    body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return len(body) == 1 and _returns_super(body[0])


def _self_attributes(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
            and n.value.id == "self"}


def _handlers(cls) -> dict[str, dict]:
    """METHOD -> {"ref", "owner", "django": bool, "decorated": bool} in ``http_method_names`` order (Django's
    ``Allow`` order); ``head`` is ``get`` when the class has no ``head`` (View.setup); every method is the
    project's ``dispatch`` when it answers them all (_own_dispatch: its decorators are dispatch_decorators')."""
    out: dict[str, dict] = {}
    own = _own_dispatch(cls)
    if own is not None:
        plain = inspect.unwrap(vars(own)["dispatch"])
        entry = {"name": "dispatch", "owner": f"{own.__module__}.{own.__qualname__}", "django": False,
                 "ref": f"{plain.__module__}.{plain.__qualname__}", "decorated": False}
        return {name.upper(): entry for name in cls.http_method_names}
    for name in cls.http_method_names:
        attr = name if hasattr(cls, name) else "get" if name == "head" and hasattr(cls, "get") else None
        if attr is None:
            continue
        owner = next((k for k in cls.__mro__ if attr in vars(k)), None)
        if owner is None:  # served by a metaclass or __getattr__: no handler the loader can name
            continue
        fn = vars(owner)[attr]
        plain = inspect.unwrap(fn) if inspect.isfunction(fn) else fn
        out[name.upper()] = {
            "name": attr, "owner": f"{owner.__module__}.{owner.__qualname__}", "django": _django(owner),
            "ref": f"{plain.__module__}.{plain.__qualname__}" if inspect.isfunction(plain) else "",
            "decorated": plain is not fn}
    return out


def describe_class(root: str, callback, cls, view_functions) -> dict:
    """``{"cbv": {...}}`` for load.urls.describe_view: the class-based view read method by method;
    ``view_functions``: load.urls' reader of a function and the project functions it calls."""
    if any(f"{k.__module__}.{k.__qualname__}" == "rest_framework.views.APIView" for k in cls.__mro__):
        return {"cbv": {"drf": True}}  # DRF's dispatch (Request, renderers, exceptions): the DRF step's
    handlers = _handlers(cls)
    initkwargs = dict(getattr(callback, "view_initkwargs", None) or {})
    functions: dict[str, dict] = {}
    methods: dict[str, str] = {}  # self.<name> -> the function's qualified name
    constants: dict = {}
    around = [inspect.unwrap(fn) for fn in preludes(cls)] if not _own_dispatch(cls) else []
    todo = [getattr(cls, h["name"]) for h in handlers.values() if not h["django"]] + around
    own = _own_dispatch(cls) is not None
    seen: set = set()
    while todo:
        fn = inspect.unwrap(todo.pop(0))
        if not inspect.isfunction(fn) or fn in seen:
            continue
        seen.add(fn)
        for ref, entry in view_functions(root, fn).items():
            functions.setdefault(ref, entry)
            for attr in sorted(_self_attributes(entry["source"])):
                if attr in initkwargs:
                    value = _literal(initkwargs[attr])
                elif attr in ("request", "kwargs", "args") or not hasattr(cls, attr):
                    continue
                else:
                    value = getattr(cls, attr)
                    if inspect.isfunction(value) and not _django(next(k for k in cls.__mro__ if attr in vars(k))):
                        methods[attr] = f"{value.__module__}.{value.__qualname__}"
                        todo.append(value)
                        continue
                    value = _literal(value)
                if value is not ...:
                    constants[attr] = value
    for entry in functions.values():  # self.helper(...) resolves like a module function (translate.handlers_cbv)
        for attr in sorted(_self_attributes(entry["source"]) & set(methods)):
            entry["names"][f"self.{attr}"] = {"kind": "function", "ref": methods[attr]}
    decorators, overrides = dispatch_decorators(cls)
    layers = _dispatch_layers(cls, decorators)
    generic = [f"{k.__module__}.{k.__qualname__}" for k in cls.__mro__[1:] if _django(k) and k.__module__.startswith(
        "django.views.generic") and k.__qualname__ not in ("View", "ContextMixin")]
    # the route's methods in Django's Allow order (View._allowed_methods()); None: the project's dispatch takes
    # every method, as a function view does
    hooks = sorted({name for k in cls.__mro__ if not _django(k) for name in _HOOKS if name in vars(k)})
    responders = _responders(root, cls, view_functions, functions)
    # a prelude runs before Django's method switch: every method reaches it (translate.handlers_cbv: then View's 405)
    return {"methods": None if own or around else list(handlers),
            "cbv": {"handlers": handlers, "functions": functions, "methods": methods, "constants": constants,
                    "dispatch_decorators": decorators, "dispatch_layers": layers, "overrides": overrides,
                    "generic": generic,
                    "allow": list(handlers), "own_dispatch": own,
                    "preludes": [f"{fn.__module__}.{fn.__qualname__}" for fn in around], "hooks": hooks, "responders": responders,
                    "template": _template_name(cls, initkwargs), "known": known_view(cls, decorators)}}


def _template_name(cls, initkwargs: dict):
    """The template a generic view renders: template_name, else the one Django derives from the model
    (``MultipleObjectTemplateResponseMixin``: ``pages/note_list.html``); None when neither is plain data."""
    name = initkwargs.get("template_name", getattr(cls, "template_name", None))
    model, suffix = initkwargs.get("model", getattr(cls, "model", None)), getattr(cls, "template_name_suffix", None)
    if name is None and isinstance(suffix, str) and hasattr(model, "_meta"):
        name = f"{model._meta.app_label}/{model._meta.model_name}{suffix}.html"
    return name if isinstance(name, str) else None


def _responders(root: str, cls, view_functions, functions: dict) -> dict:
    """The project's overrides of what Django's generic handlers answer with (``render_to_response``, ``form_valid``,
    ``form_invalid``): name -> the function's qualified name; ``dispatch``: the project's dispatch methods, MRO order;
    their sources added to ``functions`` (translate.stays reads them: a JSON ``render_to_response`` keeps a template
    view from staying in Django)."""
    out: dict = {}

    def add(fn) -> str:
        fn = inspect.unwrap(fn)
        for ref, entry in view_functions(root, fn, 0).items():
            functions.setdefault(ref, entry)
        return f"{fn.__module__}.{fn.__qualname__}"

    for name in ("render_to_response", "form_valid", "form_invalid"):
        owner = next((k for k in cls.__mro__ if name in vars(k)), None)
        fn = vars(owner)[name] if owner is not None and not _django(owner) else None
        if inspect.isfunction(fn):
            out[name] = add(fn)
    # every project dispatch on the way to View's (each may answer before calling super().dispatch)
    out["dispatch"] = [add(vars(k)["dispatch"]) for k in cls.__mro__ if not _django(k) and "dispatch" in vars(k)
                       and inspect.isfunction(vars(k)["dispatch"])]
    out["self"] = {}  # the project methods those dispatch methods call on self (machina's check_permissions)
    for ref in out["dispatch"]:
        for attr in sorted(_self_attributes(functions[ref]["source"]) if ref in functions else ()):
            value = getattr(cls, attr, None)
            owner = next((k for k in cls.__mro__ if attr in vars(k)), None)
            if inspect.isfunction(value) and owner is not None and not _django(owner):
                out["self"][attr] = add(value)
    return out
