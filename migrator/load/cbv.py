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
import inspect
import textwrap

# the parts of View's request cycle a subclass may replace: then dispatch is not Django's
_CYCLE = ("dispatch", "setup", "http_method_not_allowed", "options")
_ACCESS = "django.contrib.auth.mixins"


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
    only calls ``super().dispatch``, as written; and the request-cycle methods the project's classes replace
    otherwise (``Class.dispatch``...)."""
    found: list[str] = []
    overrides = []
    for k in cls.__mro__:
        if _django(k):
            continue
        decorators, own = _class_decorators(k)
        found += decorators
        for name in _CYCLE:  # a dispatch method_decorator put there, or one only calling super(), is View's
            if name in vars(k) and not (name == "dispatch" and own != "replaced" and (own == "super" or decorators)):
                overrides.append(f"{k.__qualname__}.{name}")
    return found, overrides


def _class_decorators(k) -> tuple[list[str], str]:
    """One class's decorators of ``dispatch`` (see dispatch_decorators), and its own ``def dispatch``: "" (none),
    "super" (it only calls ``super().dispatch``) or "replaced"."""
    found: list[str] = []
    trivial = ""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(k))).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return found, trivial
    if not isinstance(tree, ast.ClassDef):
        return found, trivial
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
        trivial = "super" if _only_super(node) else "replaced"
        for dec in node.decorator_list if trivial == "super" else ():
            found += _listed(dec.args[0] if isinstance(dec, ast.Call) and ast.unparse(dec.func).endswith(
                "method_decorator") and dec.args else dec)
    return found, trivial


def _listed(arg) -> list[str]:
    """``method_decorator``'s argument: one decorator, or a list / tuple of them (applied first to last)."""
    return [ast.unparse(e) for e in arg.elts] if isinstance(arg, (ast.List, ast.Tuple)) else [ast.unparse(arg)]


def _only_super(fn: ast.FunctionDef) -> bool:
    """``def dispatch(self, *args, **kwargs): return super().dispatch(*args, **kwargs)``."""
    body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return (len(body) == 1 and isinstance(body[0], ast.Return) and isinstance(body[0].value, ast.Call)
            and ast.unparse(body[0].value.func) == "super().dispatch")


def _self_attributes(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
            and n.value.id == "self"}


def _handlers(cls) -> dict[str, dict]:
    """METHOD -> {"ref", "owner", "django": bool, "decorated": bool} in ``http_method_names`` order (Django's
    ``Allow`` order); ``head`` is ``get`` when the class has no ``head`` (View.setup)."""
    out: dict[str, dict] = {}
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
    todo = [getattr(cls, h["name"]) for h in handlers.values() if not h["django"]]
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
    generic = [f"{k.__module__}.{k.__qualname__}" for k in cls.__mro__[1:] if _django(k) and k.__module__.startswith(
        "django.views.generic") and k.__qualname__ not in ("View", "ContextMixin")]
    return {"cbv": {"handlers": handlers, "functions": functions, "methods": methods, "constants": constants,
                    "dispatch_decorators": decorators, "overrides": overrides, "generic": generic,
                    "allow": list(handlers)}}
