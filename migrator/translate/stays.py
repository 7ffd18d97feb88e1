"""Views that stay in Django: every response they give is an HTML page (a template) or part of an HTML form's flow.

Decided from the code the loader read (load.urls.describe_view), never from names: a function view (or a
project handler method of a class-based view) stays when every ``return`` gives a template response
(``render``, ``TemplateResponse``, ``HttpResponse(render_to_string(...))``, ``get_template(...).render``,
``self.render_to_response`` of a template view), a redirect, or a bare status answer
(``HttpResponseForbidden()``), with at least one template, or only redirects after reading a posted form. A Django
generic view (TemplateView, ListView, FormView, CreateView, DeleteView, RedirectView, auth's LoginView...)
whose handlers are all Django's stays, unless the project overrides ``render_to_response`` with a JSON answer.
Django's admin site stays. Any JSON path (``JsonResponse``, ``json.dumps``, a DRF ``Response``) or a response
this module cannot name keeps the view a normal stub with its reason.

The generated Go answers such a route as a stub (501); the manifest says ``django``, and the cut-over keeps
the route on Django (cutover.state).
"""

from __future__ import annotations

import ast
import re
import textwrap

_TEMPLATE = {"django.shortcuts.render", "django.shortcuts.render_to_response",
             "django.template.response.TemplateResponse", "django.template.response.SimpleTemplateResponse"}
_TO_STRING = {"django.template.loader.render_to_string", "django.template.loader.get_template",
              "django.template.loader.select_template"}
_REDIRECT = {"django.shortcuts.redirect", "django.http.response.HttpResponseRedirect",
             "django.http.response.HttpResponsePermanentRedirect", "django.contrib.auth.views.redirect_to_login"}
_JSON = {"django.http.response.JsonResponse", "json.dumps", "rest_framework.response.Response",
         "django.core.serializers.serialize"}
_PLAIN = {"django.http.response." + n for n in (
    "HttpResponse", "HttpResponseForbidden", "HttpResponseBadRequest", "HttpResponseNotFound",
    "HttpResponseNotAllowed", "HttpResponseGone", "HttpResponseServerError", "HttpResponseNotModified")}
_GENERIC_TEMPLATE = "django.views.generic.base.TemplateResponseMixin"
_GENERIC_REDIRECT = "django.views.generic.base.RedirectView"
# a redirect after these is an HTML form's flow (a posted form; a flash message shown on the next page)
_FORM_POST = re.compile(r"request\.(POST|FILES)\b|\.is_valid\(\)|request\.method\s*==\s*[\"']POST[\"']|\bmessages\.")
# the admin site's wrappers of its views (load.urls records a view's decorators as file:qualname)
_ADMIN_WRAPPERS = ("django/contrib/admin/options.py:ModelAdmin.get_urls.", "django/contrib/admin/sites.py:AdminSite.")


class _Unknown(Exception):
    """A response this module cannot name: the view is not classified."""


def classify(handlers, raw_routes: list[dict], migrated) -> dict[str, str]:
    """view -> why it stays in Django ("renders todo/list.html"), for the views not migrated."""
    raw_by_view = {r["view"]: r for r in raw_routes}
    out: dict[str, str] = {}
    for h in handlers:
        raw = raw_by_view.get(h.view)
        if h.view in migrated or h.view in out or raw is None:
            continue
        why = stays(raw)
        if why:
            out[h.view] = why
    return out


def stays(raw: dict) -> str:
    """Why the route's view stays in Django, "" when it does not (or cannot be told)."""
    kind, view = raw.get("kind"), raw.get("view", "")
    if kind == "function" and (view.startswith("django.contrib.admin.") or any(
            d.startswith(_ADMIN_WRAPPERS) for d in raw.get("decorators") or ())):
        return "Django's admin site"
    try:
        if kind == "function":
            entry = (raw.get("functions") or {}).get(view) or {"source": raw.get("python", ""), "names": {}}
            kinds = _Reader(raw.get("functions") or {}).function(entry)
            if view.startswith("django.contrib.") and kinds == {"redirect"}:  # contenttypes' "view on site"
                return "Django's own view: redirects"
            return _verdict(kinds, entry["source"])
        if kind == "class" and isinstance(raw.get("cbv"), dict) and not raw["cbv"].get("drf"):
            return _class(raw["cbv"], view)
    except _Unknown:
        return ""
    return ""


def _verdict(kinds: set, source: str) -> str:
    templates = sorted(k[len("template:"):] for k in kinds if k.startswith("template:"))
    if not kinds <= {"redirect", "plain"} | {f"template:{t}" for t in templates}:
        return ""
    if templates:
        return "renders " + ", ".join(templates) + ("; redirects" if "redirect" in kinds else "")
    if "redirect" in kinds and _FORM_POST.search(source):
        return "reads a posted form and redirects (an HTML form's flow)"
    return ""


def _class(cbv: dict, view: str) -> str:
    generic = cbv.get("generic") or []
    if view.startswith("django.views.generic."):  # the route's class is Django's own (TemplateView.as_view(...))
        cbv = dict(cbv, generic=[view, *generic])
    handlers = {m: h for m, h in (cbv.get("handlers") or {}).items() if m not in ("OPTIONS",)}
    if not handlers or cbv.get("own_dispatch"):
        return ""
    reader = _Reader(cbv.get("functions") or {}, cbv)
    kinds: set = set()
    source = ""
    if any(".dispatch" not in o for o in cbv.get("overrides") or ()):
        return ""  # setup() or http_method_not_allowed() replaced: not read
    around = cbv.get("overrides") or cbv.get("preludes")  # a dispatch of the project's runs code: what it answers
    for ref in (cbv.get("responders") or {}).get("dispatch", ()) if around else ():
        if ref not in reader.functions:
            return ""
        kinds |= reader.function(reader.functions[ref])  # what it answers itself (super().dispatch: the handlers)
        source += reader.functions[ref]["source"]
    if around and "dispatch" not in (cbv.get("responders") or {}):
        return ""
    for h in handlers.values():
        if h.get("django"):
            kinds |= reader.generic(h["name"])
            continue
        entry = (cbv.get("functions") or {}).get(h.get("ref", ""))
        if entry is None:
            return ""
        source += entry["source"]
        kinds |= reader.function(entry)
    if all(h.get("django") for h in handlers.values()):
        base = next((g for g in generic if not g.endswith("Mixin")), generic[0] if generic else "")
        why = "redirects" if kinds == {"redirect"} else _verdict(kinds, "request.POST")
        if why and base.startswith("django.views.generic") and not view.startswith("django."):
            return f"a Django {base.rsplit('.', 1)[-1]}: {why}"
        return why
    return _verdict(kinds, source)


class _Reader:
    """The response kinds of a function's returns: "template:NAME", "redirect", "plain", "json" (raises _Unknown)."""

    def __init__(self, functions: dict, cbv: dict | None = None):
        self.functions, self.cbv, self.depth = functions, cbv, 0

    def function(self, entry: dict) -> set:
        try:
            tree = ast.parse(textwrap.dedent(entry["source"]))
        except SyntaxError:
            raise _Unknown from None
        fn = tree.body[0] if tree.body else None
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            raise _Unknown
        assigned: dict[str, list] = {}
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                assigned.setdefault(node.targets[0].id, []).append(node.value)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                assigned.setdefault(node.target.id, []).append(node.value)
        returns = [n.value for n in _returns(fn)]
        if self.depth and any(r is None or isinstance(r, ast.Constant) and r.value is None for r in returns):
            returns = [r for r in returns if r is not None and not (isinstance(r, ast.Constant) and r.value is None)]
            if not returns:  # a helper answering None or a response: `r = helper(); if r: return r`
                raise _Unknown
        if not returns or any(r is None for r in returns):
            raise _Unknown
        out: set = set()
        for r in returns:
            out |= self.expr(r, entry.get("names") or {}, assigned)
        return out

    def expr(self, node, names: dict, assigned: dict, seen: frozenset = frozenset()) -> set:
        if isinstance(node, ast.IfExp):
            return self.expr(node.body, names, assigned, seen) | self.expr(node.orelse, names, assigned, seen)
        if isinstance(node, ast.Name) and node.id in assigned and node.id not in seen:
            out: set = set()
            for value in assigned[node.id]:
                out |= self.expr(value, names, assigned, seen | {node.id})
            return out
        if not isinstance(node, ast.Call):
            raise _Unknown
        func = ast.unparse(node.func)
        ref = (names.get(func) or {}).get("ref", "")
        if ref in _TEMPLATE:
            return {f"template:{_template(node, 1)}"}
        if ref in _REDIRECT:
            return {"redirect"}
        if ref in _JSON:
            return {"json"}
        if ref in _PLAIN:
            return self._plain(node, names, assigned)
        if func.endswith(".render") and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call):
            inner = ast.unparse(node.func.value.func)  # loader.get_template("x.html").render(...)
            if (names.get(inner) or {}).get("ref") in _TO_STRING:
                return {f"template:{_template(node.func.value, 0)}"}
        if self.cbv is not None and func.startswith(("self.", "super().")):
            return self._method(func.split(".", 1)[1], node, names)
        if (names.get(func) or {}).get("kind") == "function" and ref in self.functions and self.depth < 3:
            self.depth += 1
            try:
                return self.function(self.functions[ref])
            finally:
                self.depth -= 1
        raise _Unknown

    def _plain(self, node: ast.Call, names: dict, assigned: dict) -> set:
        """``HttpResponse(...)``: "plain" without content or with a literal, else what its content is made of."""
        content = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "content"), None)
        if isinstance(content, ast.Name) and len(assigned.get(content.id, ())) == 1:
            content = assigned[content.id][0]  # html = render_to_string(...); return HttpResponse(html)
        if content is None or isinstance(content, ast.Constant):
            return {"plain"}
        if isinstance(content, ast.Call):
            inner = ast.unparse(content.func)
            ref = (names.get(inner) or {}).get("ref", "")
            if ref in _TO_STRING:
                return {f"template:{_template(content, 0)}"}
            if ref in _JSON:
                return {"json"}
            if inner.endswith(".render") and isinstance(content.func, ast.Attribute) and isinstance(
                    content.func.value, ast.Call) and (names.get(ast.unparse(content.func.value.func)) or {}).get(
                    "ref") in _TO_STRING:
                return {f"template:{_template(content.func.value, 0)}"}
        raise _Unknown

    def _method(self, name: str, node: ast.Call, names: dict) -> set:
        """``self.render_to_response(...)``, ``super().get(...)``, ``self.form_valid(form)`` in a class-based view."""
        if name == "dispatch" and ast.unparse(node.func).startswith("super()"):
            return set()  # View.dispatch: the handlers' answers, read on their own
        responders = self.cbv.get("responders") or {}
        own = (self.cbv.get("methods") or {}).get(name) or responders.get(name) or (responders.get("self") or {}).get(name)
        if isinstance(own, str) and ast.unparse(node.func).startswith("self.") and own in self.functions and self.depth < 3:
            self.depth += 1
            try:
                return self.function(self.functions[own])
            finally:
                self.depth -= 1
        if name in (self.cbv.get("hooks") or ()) and ast.unparse(node.func).startswith("self."):
            raise _Unknown  # the project's override, not read
        return self.generic(name)

    def generic(self, name: str) -> set:
        """What Django's own method ``name`` of the view's generic bases answers."""
        generic = self.cbv.get("generic") or []
        responders = self.cbv.get("responders") or {}
        template = f"template:{self.cbv.get('template') or 'its template'}"
        if "render_to_response" in responders and name != "render_to_response":
            ref = responders["render_to_response"]
            if ref not in self.functions:
                raise _Unknown
            kinds = self.function(self.functions[ref])  # super().render_to_response inside: Django's
            template = next((k for k in kinds if k.startswith("template:")), None)
            if kinds - {template}:
                raise _Unknown
        if _GENERIC_REDIRECT in generic and name in ("get", "head", "post", "put", "patch", "delete", "options"):
            return {"redirect"}
        if _GENERIC_TEMPLATE in generic:
            if name in ("get", "head", "render_to_response", "form_invalid"):
                return {template}
            if name in ("post", "put"):
                return {template, "redirect"}  # the form's errors re-rendered, or a redirect when valid
            if name in ("delete", "form_valid"):
                return {"redirect"}
        raise _Unknown


def _returns(fn):
    """The return statements of ``fn`` itself (not of nested functions or classes)."""
    todo = list(fn.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Return):
            yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        todo.extend(ast.iter_child_nodes(node))


def _template(call: ast.Call, at: int) -> str:
    """The template a call names: its argument ``at`` (or template_name=), quoted when not a literal."""
    arg = call.args[at] if len(call.args) > at else next(
        (k.value for k in call.keywords if k.arg in ("template_name", "template")), None)
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    if isinstance(arg, (ast.List, ast.Tuple)) and arg.elts and isinstance(arg.elts[0], ast.Constant):
        return str(arg.elts[0].value)
    return f"`{ast.unparse(arg)}`" if arg is not None else "a template"
