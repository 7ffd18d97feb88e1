"""The project's URLconf as plain data, read inside Django (the worker calls ``collect_routes`` after
``django.setup()``).

Every endpoint of ``get_resolver()`` is walked, includes followed, in Django's order (the order it
tries them in). A route is a list of parts: literal text, or a parameter with the converter (or the
regex group) that constrains it, so the Go side can validate a value exactly where Django would
have refused to match. The view is read without calling it: its dotted name, file and line, its
source, and the HTTP methods it accepts, taken from the closures Django's ``require_http_methods``
family leaves on the wrapper (``request_method_list``), or from a class-based view's handlers.
``request.method`` comparisons in the source are recorded too (the branches a handler must keep).
A DRF router route is its viewset class with the action per method (``{"GET": "list"}``); ``i18n_patterns()``
becomes its language prefixes (``locale_prefixes``). A pattern the tool cannot translate is a located
diagnostic, and the route is left out. Paths are relative: to the project root, or for an installed
package to its sys.path entry (``rest_framework/views.py``).
"""

from __future__ import annotations

import ast
import inspect
import os
import re
import sys
import textwrap
from typing import Optional

from ..ir import Diagnostic, to_dict

from .urlpatterns import Unsupported, merge_literals as _merge_literals, pattern_parts, regex_parts, route_parts  # noqa: F401
from .cbv import describe_class
from .decorators import read_wrappers
from .view_auth import auth_mixins, csrf_of, error_page_diagnostics


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


def describe_view(root: str, callback) -> dict:
    """Dotted name, file, line, source, app and methods of a URLconf callback."""
    from django.apps import apps

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
    if callable(obj):
        target = inspect.unwrap(obj) if inspect.isfunction(obj) else obj
        mod = getattr(target, "__module__", "") or ""
        ref = f"{mod}.{getattr(target, '__qualname__', getattr(target, '__name__', ''))}"
        try:
            path = inspect.getsourcefile(target) if inspect.isfunction(target) else None
        except TypeError:
            path = None
        local = bool(path) and not os.path.relpath(os.path.abspath(path), root).startswith("..") and (
            "site-packages" not in path)
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
        out[ref] = {"source": source, "file": file, "line": line, "names": names}
    return out


LANGUAGE_PARAM = "lang_prefix"  # the wildcard standing for i18n_patterns()' language segment


def locale_prefixes(pattern) -> list[list[dict]]:
    """The prefixes an ``i18n_patterns()`` block (a LocalePrefixPattern) matches, as route parts.

    Django matches the prefix of the active language only. With LocaleMiddleware that language comes from
    the path itself, so every code of LANGUAGES is a prefix (``fr/``), except the default language
    (LANGUAGE_CODE) when ``prefix_default_language=False``: it has no prefix, and ``en/`` is a 404. Without
    LocaleMiddleware the active language is LANGUAGE_CODE: one prefix, or none. Several codes become one
    parameter segment (LANGUAGE_PARAM) whose regex is exactly those codes; a single one is literal text.
    """
    from django.conf import settings

    default = settings.LANGUAGE_CODE
    if "django.middleware.locale.LocaleMiddleware" in list(getattr(settings, "MIDDLEWARE", None) or []):
        codes = [str(code) for code, _ in settings.LANGUAGES]
    else:
        codes = [default]
    out: list[list[dict]] = []
    if not pattern.prefix_default_language:
        out.append([])
        codes = [c for c in codes if c != default]
    codes = sorted(dict.fromkeys(codes))
    if len(codes) == 1:
        out.append([{"literal": codes[0] + "/"}])
    elif codes:
        out.append([{"param": LANGUAGE_PARAM, "converter": "language",
                     "regex": "|".join(re.escape(c) for c in codes)}, {"literal": "/"}])
    return out


def _urlconf_on_path(root: str, urlconf: str) -> Optional[str]:
    """A directory of the project that makes ``urlconf`` importable (``src/`` when manage.py puts it on
    sys.path), searched three levels deep; None when there is none or more than one."""
    top = urlconf.split(".")[0]
    rel = urlconf.replace(".", os.sep)
    found = []
    skip = {"node_modules", "site-packages", "__pycache__"}
    for dirpath, dirnames, _files in os.walk(root):
        depth = os.path.relpath(dirpath, root).count(os.sep) + (dirpath != root)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in skip and depth < 3)
        if dirpath == root:
            continue
        if os.path.isdir(os.path.join(dirpath, top)) and (
                os.path.isfile(os.path.join(dirpath, rel + ".py"))
                or os.path.isfile(os.path.join(dirpath, rel, "__init__.py"))):
            found.append(dirpath)
    return found[0] if len(found) == 1 else None


class UrlconfMissing(Exception):
    """ROOT_URLCONF names a module that is nowhere: carries the located diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _settings_line(root: str, name: str) -> tuple[str, int]:
    """The settings file and line that assigns ``name`` (the settings module itself, else its imports)."""
    from django.conf import settings

    mods = [sys.modules.get(settings.SETTINGS_MODULE)]
    mods += [m for m in list(sys.modules.values()) if m is not None and m not in mods
             and (getattr(m, "__name__", "").startswith(settings.SETTINGS_MODULE.rsplit(".", 1)[0]))]
    for mod in mods:
        path = getattr(mod, "__file__", None)
        if not path or not path.endswith(".py"):
            continue
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                for n, text in enumerate(fh, 1):
                    if re.match(rf"\s*{name}\s*=", text):
                        return _rel(root, path), n
        except OSError:
            continue
    return "", 0


def _url_patterns(root: str, diags: list) -> tuple[list, str]:
    """The root resolver's patterns and its file. When ROOT_URLCONF imports only with another directory
    of the project on sys.path (manage.py or a WSGI file adds it), that directory is added and said so;
    any other import failure propagates (the worker reports URLCONF_IMPORT)."""
    from django.conf import settings
    from django.urls import clear_url_caches, get_resolver

    urlconf = str(settings.ROOT_URLCONF)
    try:
        resolver = get_resolver()
        patterns = resolver.url_patterns
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if not missing or not (urlconf == missing or urlconf.startswith(missing + ".")):
            raise
        extra = _urlconf_on_path(root, urlconf)
        if extra is None:
            file, line = _settings_line(root, "ROOT_URLCONF")
            raise UrlconfMissing(Diagnostic(
                code="URLCONF_IMPORT", file=file, line=line,
                message=f"ROOT_URLCONF {urlconf!r} does not import: no module named {missing!r}, and no directory "
                        "of the project holds it",
                hint="fix ROOT_URLCONF, or pass the project directory whose sys.path makes it import")) from exc
        sys.path.insert(0, extra)
        for name in [m for m in sys.modules if m == missing or m.startswith(missing + ".")]:
            del sys.modules[name]
        clear_url_caches()
        resolver = get_resolver()
        patterns = resolver.url_patterns
        diags.append(Diagnostic(
            code="URLCONF_SYS_PATH", severity="warning", file=_rel(root, extra),
            message=f"ROOT_URLCONF {urlconf!r} imports only with {_rel(root, extra)}/ on sys.path; read with it added",
            hint="the project adds it outside settings (manage.py, wsgi.py): the routes are read as Django serves them"))
    mod = resolver.urlconf_module
    return patterns, (_rel(root, getattr(mod, "__file__", "")) if inspect.ismodule(mod) else "")


def collect_routes(root: str) -> tuple[list[dict], list[dict]]:
    """Every endpoint of the root URLconf, in Django's order, and the diagnostics for those left out."""
    from django.urls import URLPattern, URLResolver
    from django.urls.resolvers import LocalePrefixPattern

    from django.conf import settings

    root = os.path.abspath(root)
    routes: list[dict] = []
    diags: list[Diagnostic] = []
    if not getattr(settings, "ROOT_URLCONF", None):  # valid for Django (no URL is served): no routes, said once
        return [], [to_dict(Diagnostic(code="URLCONF_NONE", severity="warning", message="settings have no ROOT_URLCONF: "
                                       "the http target has no routes", hint="set ROOT_URLCONF to serve views"))]

    def left_out(urlconf: str, django: str, pattern, exc: Exception, hint: str) -> None:
        diags.append(Diagnostic(code="ROUTE_UNSUPPORTED", file=urlconf, severity="warning",
                                message=f"{django}{pattern}: {exc}; the route is left out", hint=hint))

    def walk(patterns, prefix: list[dict], django: str, namespace: str, urlconf: str) -> None:
        for entry in patterns:
            endpoint = isinstance(entry, URLPattern)
            if isinstance(entry.pattern, LocalePrefixPattern):
                alternatives = [(prefix + p, django + "".join(x.get("literal", "<%s>" % x.get("param")) for x in p))
                                for p in locale_prefixes(entry.pattern)]
            else:
                try:
                    alternatives = [(prefix + pattern_parts(entry.pattern, endpoint), django + str(entry.pattern))]
                except Unsupported as exc:
                    left_out(urlconf, django, entry.pattern, exc,
                             "rewrite it with path() converters, or add the Go route by hand")
                    continue
            for parts, text in alternatives:
                if isinstance(entry, URLResolver):
                    ns = ":".join(p for p in (namespace, entry.namespace) if p)
                    file = urlconf
                    mod = entry.urlconf_module
                    if inspect.ismodule(mod):
                        file = _rel(root, getattr(mod, "__file__", "")) or urlconf
                    try:
                        children = entry.url_patterns
                    except Exception as exc:  # noqa: BLE001 - an included URLconf raised while importing
                        left_out(urlconf, django, entry.pattern, exc, "fix the included URLconf")
                        break
                    walk(children, parts, text, ns, file)
                    continue
                view = describe_view(root, entry.callback)
                routes.append({"django": text, "parts": _merge_literals(parts), "name": entry.name or "",
                               "namespace": namespace, "urlconf": urlconf, **view,
                               "extra_kwargs": sorted(map(str, getattr(entry, "default_args", None) or {}))})

    try:
        patterns, file = _url_patterns(root, diags)
    except UrlconfMissing as exc:
        return [], [to_dict(exc.diagnostic)]
    walk(patterns, [], "", "", file)
    diags += error_page_diagnostics()  # a 403 page of the project's own (load/view_auth)
    return routes, [to_dict(d) for d in diags]
