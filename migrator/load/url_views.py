"""One route's view read without calling it (load.urls walks the URLconf and calls ``describe_view``): its
dotted name, file and line, source, the methods its decorators allow, its decorators, a class-based view's
handlers, a DRF viewset's actions, and the project functions its body reaches (``view_functions``)."""

from __future__ import annotations

import ast
import inspect
import os
import textwrap
from typing import Optional

from .cbv import describe_class
from .decorators import read_wrappers
from .sources import in_source_tree
from .view_auth import auth_mixins, csrf_of


def _rel(root: str, path: Optional[str]) -> str:
    """A path as generated output may show it: the loader's one namer (``sources.display_path``), so a
    view in a ``--source`` tree names the same file as its QuerySet sites."""
    from .sources import display_path

    return display_path(root, path) if path else ""


def _request_methods(view) -> Optional[list[str]]:
    """The methods the decorators of ``view`` allow (intersected), or None when none restrict them.

    ``require_http_methods(list)`` (and require_GET / require_POST / require_safe built on it) wraps the
    view in a closure holding ``request_method_list``; functools.wraps leaves ``__wrapped__`` on each layer.
    """
    allowed: Optional[set[str]] = None
    fn, seen = view, 0
    while fn is not None and seen < 50:
        code = getattr(fn, "__code__", None)
        if code is not None and fn.__closure__ and "request_method_list" in code.co_freevars:
            cell = fn.__closure__[code.co_freevars.index("request_method_list")]
            methods = {str(m).upper() for m in cell.cell_contents}
            allowed = methods if allowed is None else allowed & methods
        fn, seen = getattr(fn, "__wrapped__", None), seen + 1
    return sorted(allowed) if allowed is not None else None


def _decorators(root: str, view) -> list[str]:
    """The wrappers around ``view`` (outermost first) other than require_http_methods' (read by
    ``_request_methods``): login_required, permission_required, cache_page... each as module.qualname."""
    out: list[str] = []
    fn, seen = view, 0
    while getattr(fn, "__wrapped__", None) is not None and seen < 50:
        code = getattr(fn, "__code__", None)
        if code is None:
            out.append(type(fn).__name__)
        elif not (fn.__closure__ and "request_method_list" in code.co_freevars):
            # functools.wraps copied the view's own names onto the wrapper: its code says where it was written
            out.append(f"{_rel(root, code.co_filename)}:{getattr(code, 'co_qualname', code.co_name)}")
        fn, seen = fn.__wrapped__, seen + 1
    return out


def _class_methods(cls) -> list[str]:
    """What Django's View._allowed_methods() answers: handlers defined, plus HEAD when GET is (View.setup)."""
    names = [m for m in cls.http_method_names if hasattr(cls, m)]
    if "get" in names and "head" not in names and "head" in cls.http_method_names:
        names.append("head")
    return sorted(m.upper() for m in names)


def _branch_methods(source: str) -> list[str]:
    """Methods compared with ``request.method`` in the source (``==``, ``!=``, ``in``)."""
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return []
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        if not any(isinstance(s, ast.Attribute) and s.attr == "method" for s in sides):
            continue
        for s in sides:
            for c in ([s] if isinstance(s, ast.Constant) else getattr(s, "elts", [])):
                if isinstance(c, ast.Constant) and isinstance(c.value, str) and c.value.isalpha():
                    found.add(c.value.upper())
    return sorted(found)


def _api_view_function(cls):
    """The function DRF's ``@api_view`` wrapped in a class (``WrappedAPIView``): each method handler the
    decorator set is a closure over it (``func``). None for any other class."""
    for name in getattr(cls, "http_method_names", ()):
        handler = cls.__dict__.get(name)
        code = getattr(handler, "__code__", None)
        if (code is not None and handler.__closure__ and "func" in code.co_freevars
                and "<locals>" in getattr(handler, "__qualname__", "")):
            fn = handler.__closure__[code.co_freevars.index("func")].cell_contents
            if inspect.isfunction(fn):
                return fn
    return None


def _viewset_actions(callback) -> Optional[dict[str, str]]:
    """A DRF router route: ``{"GET": "list", "POST": "create"}`` from the callback ViewSetMixin.as_view
    made (``cls``, ``actions``); HEAD answers as GET does (ViewSetMixin.view adds it per request)."""
    actions = getattr(callback, "actions", None)
    if getattr(callback, "cls", None) is None or not isinstance(actions, dict):
        return None
    out = {str(m).upper(): str(a) for m, a in actions.items()}
    if "GET" in out and "HEAD" not in out:
        out["HEAD"] = out["GET"]
    return dict(sorted(out.items()))


GETTEXT = "django.utils.translation.gettext"


def translated(tree, env: dict) -> dict:
    """``{"texts": {literal: gettext(literal)}}`` of each ``gettext("...")`` (``_`` included) of one literal in a
    function, in LANGUAGE_CODE (the language of every request when no LocaleMiddleware chooses one: the
    translator checks that); {} when it has none."""
    from django.conf import settings
    from django.utils import translation

    texts: dict[str, str] = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) == 1
                and not node.keywords and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and getattr(env.get(node.func.id), "__module__", None) == "django.utils.translation"
                and getattr(env.get(node.func.id), "__name__", None) == "gettext"):
            with translation.override(settings.LANGUAGE_CODE):
                texts[node.args[0].value] = str(translation.gettext(node.args[0].value))
    return {"texts": texts} if texts else {}


def language_settings(settings) -> dict:
    """What decides the language of Django's texts (humanize's naturaltime, handlers_humanize.english)."""
    middleware = [str(m) for m in (getattr(settings, "MIDDLEWARE", None) or [])]
    return {"i18n": bool(settings.USE_I18N), "language": str(settings.LANGUAGE_CODE),
            "locale_middleware": any(m.rpartition(".")[2] == "LocaleMiddleware" for m in middleware)}


def describe_view(root: str, callback) -> dict:
    """Dotted name, file, line, source, app and methods of a URLconf callback."""
    from django.apps import apps
    from django.conf import settings

    actions = _viewset_actions(callback)
    cls = getattr(callback, "cls", None) if actions is not None else getattr(callback, "view_class", None)
    wrapped = _api_view_function(cls) if cls is not None and actions is None else None
    if wrapped is not None:  # @api_view: the function is the view, the class only its methods
        target = wrapped
    else:
        target = cls if cls is not None else inspect.unwrap(callback)
    if not (inspect.isfunction(target) or inspect.isclass(target) or inspect.ismethod(target)):
        target = type(target)  # a callable instance (a syndication Feed): its class, never its repr
    module = getattr(target, "__module__", "") or ""
    dotted = f"{module}.{getattr(target, '__qualname__', getattr(target, '__name__', repr(target)))}"
    file, line, source = "", 0, ""
    try:
        file = _rel(root, inspect.getsourcefile(target))
        lines, line = inspect.getsourcelines(target)
        source = textwrap.dedent("".join(lines))
    except (OSError, TypeError):
        pass
    extra: dict = {}
    if actions is not None:
        methods: Optional[list[str]] = sorted(set(actions) | ({"OPTIONS"} if hasattr(cls, "options") else set()))
        kind = "viewset"
        extra["actions"] = actions
    elif cls is not None:
        methods = _class_methods(cls)
        kind = "class"
        extra["auth_mixins"] = auth_mixins(cls)
        extra.update(describe_class(root, callback, cls, view_functions))  # method by method (load.cbv)
    else:
        methods = _request_methods(callback)
        kind = "function"
        extra["decorators"] = _decorators(root, callback)
        extra["wrappers"] = read_wrappers(callback, lambda p: _rel(root, p))  # each layer as a guard (load.decorators)
        extra["tz"] = {"use_tz": bool(settings.USE_TZ), "time_zone": str(settings.TIME_ZONE or "UTC"),  # DRF's, without DRF
                       **language_settings(settings)}
    app = apps.get_containing_app_config(module)
    extra["csrf"] = csrf_of(callback)
    return {"view": dotted, "kind": kind, "file": file, "line": line, "python": source,
            "app": app.label if app else module.split(".")[0], "methods": methods,
            "branches": _branch_methods(source) if source else [],
            "functions": view_functions(root, target) if cls is None and source else {}, **extra}


def _resolve(root: str, obj) -> Optional[dict]:
    """What a name in a view's globals stands for, as plain data (never the object)."""
    from django.db import models as djmodels

    if inspect.isclass(obj) and issubclass(obj, djmodels.Model):
        return {"kind": "model", "ref": obj._meta.label}
    if inspect.ismodule(obj):
        return {"kind": "module", "ref": obj.__name__}
    if type(obj) in (str, int, bool):  # a module constant (schedule's EVENT_NAME_PLACEHOLDER, read from settings)
        return {"kind": "constant", "ref": repr(obj), "value": obj}
    if callable(obj):
        target = inspect.unwrap(obj) if inspect.isfunction(obj) else obj
        mod = getattr(target, "__module__", "") or ""
        ref = f"{mod}.{getattr(target, '__qualname__', getattr(target, '__name__', ''))}"
        try:
            path = inspect.getsourcefile(target) if inspect.isfunction(target) else None
        except TypeError:
            path = None
        local = bool(path) and (not os.path.relpath(os.path.abspath(path), root).startswith("..") and (
            "site-packages" not in path) or in_source_tree(path))  # an installed app scanned as the project's
        return {"kind": "function" if local else "external", "ref": ref}
    return None


def view_functions(root: str, view, depth: int = 3) -> dict:
    """The view and the project functions it calls (helpers, services), each with its source and the
    names its body uses resolved in its module globals: ``{qualified name: {source, file, line, names}}``.

    ``names`` maps a name (``JsonResponse``) or a module attribute (``services.popular_tags``) to
    ``{"kind": model | module | function | external, "ref": label or dotted name}``, so the http
    translator can read the view's body without importing anything.
    """
    out: dict[str, dict] = {}
    todo = [(inspect.unwrap(view), 0)]
    while todo:
        fn, level = todo.pop(0)
        ref = f"{fn.__module__}.{fn.__qualname__}"
        if ref in out:
            continue
        try:
            lines, line = inspect.getsourcelines(fn)
            file = _rel(root, inspect.getsourcefile(fn))
        except (OSError, TypeError):
            continue
        source = textwrap.dedent("".join(lines))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        env = getattr(fn, "__globals__", {})
        names: dict[str, dict] = {}
        for node in ast.walk(tree):
            key, obj = None, None
            if isinstance(node, ast.Name) and node.id in env:
                key, obj = node.id, env[node.id]
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and inspect.ismodule(
                    env.get(node.value.id)):
                key, obj = f"{node.value.id}.{node.attr}", getattr(env[node.value.id], node.attr, None)
            if key is None or key in names or obj is None:
                continue
            resolved = _resolve(root, obj)
            if resolved is None:
                continue
            names[key] = resolved
            if resolved["kind"] == "function" and level < depth and inspect.isfunction(obj):
                todo.append((inspect.unwrap(obj), level + 1))
        out[ref] = {"source": source, "file": file, "line": line, "names": names, **translated(tree, env)}
    return out
