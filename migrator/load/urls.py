"""The project's URLconf as plain data, read inside Django (the worker calls ``collect_routes`` after
``django.setup()``).

Every endpoint of ``get_resolver()`` is walked, includes followed, in Django's order (the order it
tries them in). A route is a list of parts: literal text, or a parameter with the converter (or the
regex group) that constrains it, so the Go side can validate a value exactly where Django would
have refused to match. The view is read without calling it (load/url_views.py): its dotted name, file and line, its
source, and the HTTP methods it accepts, taken from the closures Django's ``require_http_methods``
family leaves on the wrapper (``request_method_list``), or from a class-based view's handlers.
``request.method`` comparisons in the source are recorded too (the branches a handler must keep).
A DRF router route is its viewset class with the action per method (``{"GET": "list"}``); ``i18n_patterns()``
becomes its language prefixes (``locale_prefixes``). A pattern the tool cannot translate is a located
diagnostic, and the route is left out. Paths are relative: to the project root, or for an installed
package to its sys.path entry (``rest_framework/views.py``).
"""

from __future__ import annotations

import inspect
import os
import re
import sys
from typing import Optional

from ..ir import Diagnostic, to_dict

from .urlpatterns import (Unsupported, merge_literals as _merge_literals, pattern_parts, positional_params,  # noqa: F401
                          regex_parts, route_parts)
from .url_views import _rel, describe_view
from .view_auth import error_page_diagnostics


LANGUAGE_PARAM = "lang_prefix"  # the wildcard standing for i18n_patterns()' language segment


def _positional_names(callback) -> list[str] | None:
    """The names of the arguments a function view takes after the request, in order (its decorators' ``@wraps``
    followed), None when it takes ``*args`` or its signature cannot be read."""
    try:
        params = list(inspect.signature(callback).parameters.values())[1:]
    except (TypeError, ValueError):
        return None
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return None
    return [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


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
                if view["kind"] == "function" and not getattr(entry, "default_args", None):
                    parts = positional_params(_merge_literals(parts), _positional_names(entry.callback))
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
