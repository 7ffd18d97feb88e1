"""Calls of Django's contrib managers and QuerySet shorthands, rewritten into the plain chain Django runs.

The interpreter (load.compile) runs a site's chain with stand-in values. A few calls do not run on a
QuerySet, or run queries their arguments cannot drive with a stand-in; each is replaced here by the
QuerySet calls Django's own code makes, so Django still compiles the SQL:

- ``ContentType.objects.get_for_model(x)``: ``get(app_label=..., model=...)`` and, when that finds no row,
  ``get_or_create`` of the same values (contrib.contenttypes' manager; it caches the row in the process).
  The SQL is a get_or_create of ``x``'s app label and model name: literals when ``x`` names a model class,
  else two parameters the Go caller passes (``x._meta.app_label``, ``x._meta.model_name``).
- ``Site.objects.get_current()``: ``get(pk=settings.SITE_ID)`` (contrib.sites, cached). Without SITE_ID
  Django looks the request's host up, then the host without its port: two queries chosen by the first
  one's result, reported REQUEST_SITE.
- ``qs.none()``: no SQL at all in Django (an empty result); here ``filter(pk__isnull=True)``, which no row
  satisfies, so the Go query returns the same empty result.

Only the contrib managers themselves are rewritten (a project manager with a method of the same name runs
its own code): the method found on the site's manager must be Django's.
"""

from __future__ import annotations

import ast
from typing import Any, Optional

from django.apps import apps


class NotCanonical(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _literal(keyword: str, value: Any) -> dict:
    return {"kind": "literal", "source": repr(value), "keyword": keyword, "value": value, "names": []}


def _runtime(keyword: str, source: str) -> dict:
    return {"kind": "runtime", "source": source, "keyword": keyword, "value": None, "names": []}


def _django_method(manager: Any, name: str, module: str) -> bool:
    fn = getattr(type(manager), name, None)
    return fn is not None and getattr(fn, "__module__", "").startswith(module)


def _model_named(source: str) -> Optional[type]:
    """The model class a source expression names (``Article``, ``models.Article``), when exactly one has that name."""
    try:
        node = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        return None
    name = node.attr if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) else getattr(node, "id", None)
    found = [m for m in apps.get_models() if m.__name__ == name]
    return found[0] if len(found) == 1 else None


def _get_for_model(call: dict) -> dict:
    positional = [a for a in call["args"] if not a["keyword"]]
    named = {a["keyword"]: a for a in call["args"] if a["keyword"]}
    if len(positional) == 2 and "for_concrete_model" not in named:  # get_for_model(model, False)
        named["for_concrete_model"] = positional.pop()
    if len(positional) != 1 or set(named) - {"for_concrete_model"}:
        raise NotCanonical("UNSUPPORTED_EXPRESSION", "get_for_model() with other arguments than a model (and "
                           "for_concrete_model)")
    concrete = True
    if "for_concrete_model" in named:
        flag = named["for_concrete_model"]
        if flag["kind"] != "literal" or not isinstance(flag.get("value"), bool):
            raise NotCanonical("BOOL_PARAMETER", "get_for_model(for_concrete_model=<runtime value>)")
        concrete = flag["value"]
    arg = positional[0]
    model = _model_named(arg["source"])
    if model is not None:
        opts = (model._meta.concrete_model if concrete else model)._meta
        args = [_literal("app_label", opts.app_label), _literal("model", opts.model_name)]
    else:
        meta = f"({arg['source']})._meta" + (".concrete_model._meta" if concrete else "")
        args = [_runtime("app_label", f"{meta}.app_label"), _runtime("model", f"{meta}.model_name")]
    return dict(call, method="get_or_create", args=args)


def _get_current(call: dict) -> dict:
    from django.conf import settings

    site_id = getattr(settings, "SITE_ID", None)
    if site_id is None:
        raise NotCanonical("REQUEST_SITE", "get_current() without settings.SITE_ID looks the request's host up, then "
                           "the host without its port: the second query depends on the first one's result")
    return dict(call, method="get", args=[_literal("pk", site_id)])


def canonical_chain(site: dict, manager: Any) -> list[dict]:
    """The site's chain with contrib-manager calls and ``none()`` replaced by the calls Django makes."""
    chain = [dict(c) for c in site["chain"]]
    for i, c in enumerate(chain):
        if c["method"] == "none" and not c["args"]:
            chain[i] = dict(c, method="filter", args=[_literal("pk__isnull", True)])
    if not chain or site.get("related_from"):
        return chain
    first = chain[0]
    if first["method"] == "get_for_model" and _django_method(manager, "get_for_model", "django.contrib.contenttypes"):
        chain[0] = _get_for_model(first)
    elif first["method"] == "get_current" and _django_method(manager, "get_current", "django.contrib.sites"):
        chain[0] = _get_current(first)  # with SITE_ID set, Django ignores a request argument
    return chain
