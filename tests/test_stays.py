"""Views that stay in Django (translate.stays): every response an HTML page or an HTML form's redirect.

Fast tier: the classification on the loader's plain data (a view's source and the names it resolves), the
cut-over's decision for such a route, and analyze --http on tests/projects/views_stay (Django + sqlc, no Go).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from migrator.cutover.facts import ParityResult, RouteFact
from migrator.cutover.state import Settings, Wanted, decide, held_diagnostics
from migrator.translate.stays import stays

# what the loader resolves each name of a view's body to (load.urls.view_functions): Django's own code is "external"
NAMES = {name: {"kind": "function" if ref.startswith("app.views.") else "external", "ref": ref} for name, ref in {
    "render": "django.shortcuts.render", "redirect": "django.shortcuts.redirect",
    "JsonResponse": "django.http.response.JsonResponse", "HttpResponse": "django.http.response.HttpResponse",
    "HttpResponseForbidden": "django.http.response.HttpResponseForbidden",
    "HttpResponseRedirect": "django.http.response.HttpResponseRedirect",
    "TemplateResponse": "django.template.response.TemplateResponse",
    "render_to_string": "django.template.loader.render_to_string",
    "loader.get_template": "django.template.loader.get_template", "json.dumps": "json.dumps",
    "page": "app.views.page", "check": "app.views.check", "compute": "app.lib.compute"}.items()}
CHECK = {"source": "def check(request):\n    if request.GET.get('q'):\n        return redirect('t')\n    return None\n",
         "names": NAMES}
PAGE = {"source": "def page(request, name):\n    return render(request, name + '.html')\n", "names": NAMES}


def _function(body: str) -> dict:
    source = "def v(request):\n" + "".join(f"    {line}\n" for line in body.splitlines())
    return {"view": "app.views.v", "kind": "function", "python": source,
            "functions": {"app.views.v": {"source": source, "names": NAMES}, "app.views.page": PAGE, "app.views.check": CHECK}}


@pytest.mark.parametrize("body, why", [
    ("return render(request, 'a/list.html', {})", "renders a/list.html"),
    ("return TemplateResponse(request, template_name='a/t.html')", "renders a/t.html"),
    ("return HttpResponse(render_to_string('a/card.html'))", "renders a/card.html"),
    ("html = render_to_string('a/card.html')\nreturn HttpResponse(html)", "renders a/card.html"),
    ("return HttpResponse(loader.get_template('a/x.html').render({}, request))", "renders a/x.html"),
    ("t = 'a/x.html'\nreturn render(request, t)", "renders `t`"),
    ("if request.method == 'POST':\n    return redirect('home')\nreturn render(request, 'a/new.html')",
     "renders a/new.html; redirects"),
    ("if not request.user.is_staff:\n    return HttpResponseForbidden()\nreturn render(request, 'a/x.html')",
     "renders a/x.html"),  # a bare status answer is not JSON
    ("r = render(request, 'a.html') if request.GET else render(request, 'b.html')\nreturn r", "renders a.html, b.html"),
    ("return page(request, 'x')", "renders `name + '.html'`"),  # a project helper, read
    ("r = check(request)\nif r:\n    return r\nreturn render(request, 'a.html')",  # helpdesk's ticket_list
     "renders a.html; redirects"),
    ("form = F(request.POST)\nform.is_valid()\nreturn redirect('home')",
     "reads a posted form and redirects (an HTML form's flow)"),
    ("if request.method == 'POST':\n    return redirect('list')\nraise PermissionDenied",  # todo's toggle_done
     "reads a posted form and redirects (an HTML form's flow)"),
    # not in the class: a JSON path, an answer not named, nothing rendered
    ("if request.GET:\n    return JsonResponse({})\nreturn render(request, 'a.html')", ""),
    ("return HttpResponse(json.dumps({}), content_type='application/json')", ""),
    ("return HttpResponse(compute())", ""),
    ("return compute(request)", ""),
    ("return redirect('home')", ""),  # a redirect without a form: not an HTML page of its own
    ("return HttpResponse('ok')", ""),
    ("raise ValueError", ""),
    ("if request.GET:\n    return\nreturn render(request, 'a.html')", ""),
])
def test_a_function_view_stays_when_every_answer_is_html(body, why):
    assert stays(_function(body)) == why


def _class(handlers: dict, generic=(), **cbv) -> dict:
    return {"view": "app.views.V", "kind": "class", "python": "class V: ...",
            "cbv": {"handlers": handlers, "generic": list(generic), "functions": cbv.pop("functions", {}),
                    "methods": {}, "hooks": cbv.pop("hooks", []), "own_dispatch": False, **cbv}}


LIST = ["django.views.generic.list.ListView", "django.views.generic.list.MultipleObjectTemplateResponseMixin",
        "django.views.generic.base.TemplateResponseMixin", "django.views.generic.list.BaseListView"]
FORM = ["django.views.generic.edit.CreateView", "django.views.generic.base.TemplateResponseMixin",
        "django.views.generic.edit.BaseCreateView"]
DJANGO_GET = {"GET": {"name": "get", "django": True}, "HEAD": {"name": "get", "django": True}}
JSON_R2R = {"source": "def render_to_response(self, context):\n    return JsonResponse({})\n", "names": NAMES}
HTML_R2R = {"source": "def render_to_response(self, context):\n    return super().render_to_response(context)\n",
            "names": NAMES}
DISPATCH = {"source": "def dispatch(self, request, *a, **kw):\n    if not ok(request):\n        return redirect('login')\n"
                      "    return super().dispatch(request, *a, **kw)\n", "names": NAMES}
JSON_DISPATCH = {"source": "def dispatch(self, request, *a, **kw):\n    if not ok(request):\n"
                           "        return JsonResponse({})\n    return super().dispatch(request, *a, **kw)\n", "names": NAMES}
SELF_DISPATCH = {"source": "def dispatch(self, request, *a, **kw):\n    r = self.check(request)\n    if r:\n"
                           "        return r\n    return super().dispatch(request, *a, **kw)\n", "names": NAMES}
CHECK_PERMS = {"source": "def check(self, request):\n    if not request.user.is_authenticated:\n"
                         "        return HttpResponseRedirect('/login/')\n    raise PermissionDenied\n",
               "names": NAMES}
OWN_GET = {"source": "def get(self, request):\n    return self.render_to_response({})\n", "names": NAMES}


@pytest.mark.parametrize("raw, why", [
    (_class(DJANGO_GET, LIST, template="a/note_list.html"), "a Django ListView: renders a/note_list.html"),
    (_class({**DJANGO_GET, "POST": {"name": "post", "django": True}}, FORM, template=None),
     "a Django CreateView: renders its template; redirects"),
    (_class({m: {"name": "get", "django": True} for m in ("GET", "POST", "DELETE")},
            ["django.views.generic.base.RedirectView"]), "a Django RedirectView: redirects"),
    (_class(DJANGO_GET, LIST, template="a.html", responders={"render_to_response": "app.views.V.r"},
            functions={"app.views.V.r": HTML_R2R}, hooks=["render_to_response"]), "a Django ListView: renders a.html"),
    (_class({"GET": {"name": "get", "django": False, "ref": "app.views.V.get"}}, LIST, template="a.html",
            functions={"app.views.V.get": OWN_GET}), "renders a.html"),
    (_class(DJANGO_GET, LIST, template="a.html", overrides=["M.dispatch (runs `x = 1` around View.dispatch)"],
            responders={"dispatch": ["app.views.M.dispatch"]}, functions={"app.views.M.dispatch": DISPATCH}),
     "a Django ListView: renders a.html; redirects"),
    (_class(DJANGO_GET, LIST, template="a.html", overrides=["M.dispatch (runs `x = 1` around View.dispatch)"],
            responders={"dispatch": ["app.views.M.dispatch"], "self": {"check": "app.views.M.check"}},
            functions={"app.views.M.dispatch": SELF_DISPATCH, "app.views.M.check": CHECK_PERMS}),
     "a Django ListView: renders a.html; redirects"),  # machina's PermissionRequiredMixin
    # not in the class
    (_class(DJANGO_GET, LIST, template="a.html", overrides=["M.dispatch (runs `x = 1` around View.dispatch)"],
            responders={"dispatch": ["app.views.M.dispatch"]}, functions={"app.views.M.dispatch": JSON_DISPATCH}), ""),
    (_class(DJANGO_GET, LIST, template="a.html", overrides=["M.dispatch (runs `x = 1` around View.dispatch)"]), ""),
    # a prelude (load.cbv, no longer an override) is read the same: its JSON answer keeps the view, its redirect not
    (_class(DJANGO_GET, LIST, template="a.html", preludes=["app.views.M.dispatch"],
            responders={"dispatch": ["app.views.M.dispatch"]}, functions={"app.views.M.dispatch": JSON_DISPATCH}), ""),
    (_class(DJANGO_GET, LIST, template="a.html", preludes=["app.views.M.dispatch"],
            responders={"dispatch": ["app.views.M.dispatch"]}, functions={"app.views.M.dispatch": DISPATCH}),
     "a Django ListView: renders a.html; redirects"),
    (_class(DJANGO_GET, LIST, template="a.html", overrides=["M.setup"]), ""),
    (_class(DJANGO_GET, LIST, template="a.html", responders={"render_to_response": "app.views.V.r"},
            functions={"app.views.V.r": JSON_R2R}, hooks=["render_to_response"]), ""),  # wiki's DiffView
    (_class(DJANGO_GET, ["django.views.generic.list.BaseListView"]), ""),  # admin's AutocompleteJsonView shape
    (_class({"GET": {"name": "get", "django": False, "ref": "app.views.V.get"}}, LIST,
            functions={"app.views.V.get": {"source": "def get(self, request):\n    return JsonResponse({})\n",
                                            "names": NAMES}}), ""),
    (_class({"GET": {"name": "get", "django": False, "ref": "app.views.V.get"}}, LIST), ""),  # source not read
    ({"view": "app.views.V", "kind": "class", "cbv": {"drf": True}}, ""),
    ({"view": "django.contrib.admin.sites.AdminSite.index", "kind": "function", "python": ""}, "Django's admin site"),
    ({"view": "celery.admin.TaskAdmin.changelist_view", "kind": "function", "python": "",  # a project's ModelAdmin
      "decorators": ["django/contrib/admin/options.py:ModelAdmin.get_urls.<locals>.wrap.<locals>.wrapper"]},
     "Django's admin site"),
    ({"view": "django.contrib.contenttypes.views.shortcut", "kind": "function",
      "functions": {"django.contrib.contenttypes.views.shortcut": {
          "source": "def shortcut(request, ct, pk):\n    return HttpResponseRedirect(url)\n",
          "names": NAMES}}},
     "Django's own view: redirects"),
    ({"view": "django.views.generic.base.RedirectView", "kind": "class",  # the route's class is Django's own
      "cbv": {"handlers": {"GET": {"name": "get", "django": True}, "POST": {"name": "post", "django": True}},
              "generic": [], "functions": {}, "methods": {}, "hooks": []}}, "redirects"),
])
def test_a_class_based_view_stays_when_django_renders_its_template(raw, why):
    assert stays(raw) == why


def _fact(status: str, django: str = "notes/") -> RouteFact:
    return RouteFact(index=0, django=django, name="", view="pages.views.NoteList", methods=(), regex=f"^/{django}$",
                     status=status, reason="a Django ListView: renders pages/note_list.html" if status == "django" else "")


@pytest.mark.parametrize("status, wanted, state, held", [
    ("django", Wanted("go", key="notes/", line=4), "django",
     "its view stays in Django (a Django ListView: renders pages/note_list.html)"),
    ("django", Wanted("shadow", key="notes/", line=4), "django",
     "its view stays in Django (a Django ListView: renders pages/note_list.html)"),
    ("django", Wanted("go", key="*", line=4), "django", ""),  # a pattern moves the others, this one stays quietly
    ("django", Wanted("go", force=True, key="notes/", line=4), "go", ""),
    ("django", Wanted(), "django", ""),
    ("stub", Wanted("go", key="notes/", line=4), "shadow", "its view is a stub in Go (answers 501)"),
])
def test_the_cutover_keeps_a_view_that_stays_on_django(status, wanted, state, held):
    settings = Settings(entries=((wanted.key, wanted),) if wanted.key else (), file="migrator.yaml")
    [d] = decide([_fact(status)], settings, {"notes/": ParityResult("not covered")})
    assert (d.state, d.held) == (state, held)
    if status == "django" and held:
        [diag] = held_diagnostics([d], "migrator.yaml")
        assert diag.render() == ("migrator.yaml:4:1: warning[CUTOVER_HELD]: notes/: held at django instead of "
                                 f"{wanted.state}: {held} (leave it on Django, or set force: true on 'notes/')")


@pytest.mark.slow  # a process (Django + sqlc, about 10 s; no Go build)
def test_views_stay_project_lists_each_view_that_stays_in_django():
    """tests/projects/views_stay through `migrate analyze --http` as a user runs it: the template views, the generic
    ListView and TemplateView, the form post and auth's LoginView stay; a view with a JSON path, a ListView answering
    JSON and a JSON view do not."""
    proc = run_cli("analyze", str(Path(__file__).parent / "projects" / "views_stay"), "--http", "-f", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    rows = {v["view"]: (v["status"], v.get("reason", "")) for v in out["views"]}
    assert rows == {
        "pages.views.home": ("django", "renders pages/home.html"),
        "django.views.generic.base.TemplateView": ("django", "renders pages/about.html"),
        "pages.views.NoteList": ("django", "a Django ListView: renders pages/note_list.html"),
        "pages.views.new_note": ("django", "renders pages/new.html; redirects"),
        "pages.views.card": ("django", "renders pages/card.html"),
        "django.contrib.auth.views.LoginView": ("django", "renders registration/login.html; redirects"),
        "pages.views.note_detail": ("stub", "call of django.shortcuts.render"),
        "pages.views.NoteDiff": ("stub", "GET, HEAD: BaseListView.get() is Django's generic code, which calls the "
                                         "project's render_to_response(): only the project's handler methods are read"),
        "pages.views.note_count": ("migrated", ""),
    }
    assert out["summary"]["http"] == {"views": 9, "migrated": 1, "stubbed": 2, "django": 6}


def test_the_manifest_says_django_and_the_cutover_reads_it(tmp_path):
    """What generate writes for a view that stays (emit.manifest: status and reason) is what the cut-over reads."""
    from migrator.cutover.facts import read_routes
    from migrator.write import PRODUCED

    route = {"index": 0, "django": "notes/", "name": "notes", "methods": [], "regex": "^/notes/$", "handler": "NoteList"}
    views = [{"view": "pages.views.NoteList", "source": "pages/views.py:14", "status": "django",
              "reason": "a Django ListView: renders pages/note_list.html", "routes": [route]},
             {"view": "pages.views.note_detail", "source": "pages/views.py:35", "status": "stub",
              "reason": "call of django.shortcuts.render", "routes": [dict(route, index=1, django="notes/<int:pk>/")]}]
    (tmp_path / PRODUCED).write_text(json.dumps({"http": {"framework": "nethttp", "views": views}}))
    assert [(r.django, r.status, r.reason) for r in read_routes(tmp_path)] == [
        ("notes/", "django", "a Django ListView: renders pages/note_list.html"), ("notes/<int:pk>/", "stub", "")]
