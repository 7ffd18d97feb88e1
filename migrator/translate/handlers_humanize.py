"""Imports in a view's body, gettext of a literal, ``%`` of a text and humanize's ``naturaltime`` for migrated handlers.

- ``from m import name`` inside the view (django-nyt's ``get_notifications`` imports ``naturaltime`` there):
  the names are bound as the module-level import would bind them (an absolute import only; ``*`` and a
  relative import are refused).
- ``_("%d times") % n``: the literal's translation read by the loader in LANGUAGE_CODE (no LocaleMiddleware), then
  printf-style formatting of one integer or text (``fmt.Sprintf``).
- ``naturaltime(dt)`` of an aware DateTimeField value: ``djtypes.NaturalTime`` (the English texts, Django's
  timesince past a day), with the clock read once per request at the top of the handler (``requestNow``;
  Django reads it once per call, microseconds apart). Only where Django answers in English: USE_I18N off, or
  LANGUAGE_CODE ``en`` / ``en-us`` with no LocaleMiddleware (which would pick the language per request).
"""

from __future__ import annotations

import ast as _ast
import re

from ..load.url_views import GETTEXT
from .handlers_values import INT_TYPES, Const, GoValue, Global, NotRecognised, q

NATURALTIME = "django.contrib.humanize.templatetags.humanize.naturaltime"
CLOCK = "requestNow"  # the Go variable holding the request's clock (declared by ViewReader.read)
ENGLISH = ("en", "en-us")


def body_import(st, env: dict) -> bool:
    """Bind the names of ``from m import a, b as c`` in the view's body (True when ``st`` is one)."""
    if not isinstance(st, _ast.ImportFrom):
        return False
    if st.level or not st.module or any(a.name == "*" for a in st.names):
        raise NotRecognised(f"`{_ast.unparse(st)}` (a relative or * import in the view)")
    for a in st.names:
        env[a.asname or a.name] = Global("external", f"{st.module}.{a.name}")
    return True


def english(settings: dict | None) -> str:
    """Why Django's texts may not be English here ("" when they are)."""
    if settings is None or "i18n" not in settings:
        return "USE_I18N and LANGUAGE_CODE not read"
    if not settings["i18n"]:
        return ""
    if str(settings.get("language", "")).lower() not in ENGLISH:
        return f"LANGUAGE_CODE {settings.get('language')!r} (only English texts are ported)"
    if settings.get("locale_middleware"):
        return "LocaleMiddleware (the language is chosen per request)"
    return ""


def natural_time(reader, ref: str, node, env, fn):
    """``naturaltime(value)``: its Go text, or None for another call."""
    if ref != NATURALTIME:
        return None
    if len(node.args) != 1 or node.keywords:
        raise NotRecognised("naturaltime with other arguments than one value")
    settings = reader.route.get("tz") or reader.settings()  # a function view's: the URLconf reading's
    if settings is None or not settings.get("use_tz"):
        raise NotRecognised("naturaltime without USE_TZ (a naive local clock)")
    why = english(settings)
    if why:
        raise NotRecognised(f"naturaltime: {why}")
    value = reader.expr(node.args[0], env, fn)
    if not (isinstance(value, GoValue) and value.type == "djtypes.DateTime"):
        raise NotRecognised(f"naturaltime of `{_ast.unparse(node.args[0])}`, not a non-null DateTimeField value")
    reader.clock = True
    return GoValue(f"djtypes.NaturalTime({value.code}.Time, {CLOCK})", "string")


def gettext_call(reader, ref: str, node, fn):
    """``_("literal")`` (``gettext``): the text Django's catalogs give it in LANGUAGE_CODE, read by the loader
    (load/url_views.translated); None for another call."""
    if ref != GETTEXT:
        return None
    literal = node.args[0].value if len(node.args) == 1 and isinstance(node.args[0], _ast.Constant) else None
    if not isinstance(literal, str) or node.keywords or literal not in fn.get("texts", {}):
        raise NotRecognised(f"`{_ast.unparse(node)}`: gettext of a text the loader did not translate")
    settings = reader.route.get("tz") or {}
    if "locale_middleware" not in settings or settings["locale_middleware"]:
        raise NotRecognised(f"`{_ast.unparse(node)}`: the language may be chosen per request (LocaleMiddleware, "
                            "or the settings not read)")
    return Const(fn["texts"][literal])


_DIRECTIVE = re.compile(r"%(.)")


def percent(reader, node, env, fn):
    """``"text %d" % value`` (printf-style with one value): ``fmt.Sprintf`` for ``%d`` / ``%i`` of an integer and
    ``%s`` of an integer or a text (``%%`` kept); another directive, flag or value type stays a stub."""
    fmt_, value = reader.expr(node.left, env, fn), reader.expr(node.right, env, fn)
    if not (isinstance(fmt_, Const) and isinstance(fmt_.value, str)):
        raise NotRecognised(f"`{_ast.unparse(node)}`: % of something that is not a text known here")
    kind = ("int" if isinstance(value, GoValue) and value.type in INT_TYPES else "str" if isinstance(
        value, GoValue) and value.type == "string" else None)
    directives = [d for d in _DIRECTIVE.findall(fmt_.value) if d != "%"]
    if kind is None or len(directives) != 1 or fmt_.value.count("%") != 2 * fmt_.value.count("%%") + 1 or directives[0] not in (
            ("d", "i", "s") if kind == "int" else ("s",)):
        raise NotRecognised(f"`{_ast.unparse(node)}`: only one %d, %i or %s of an integer, or %s of a text, is read")
    go_fmt = _DIRECTIVE.sub(lambda m: "%%" if m.group(1) == "%" else ("%d" if kind == "int" else "%s"), fmt_.value)
    return GoValue(f"fmt.Sprintf({q(go_fmt)}, {value.code})", "string")
