"""Django class-based views read method by method (translate.handlers_cbv, load.cbv): a handler method is
rewritten into the function view Django runs, then read by the one view reader. Fast tier: the rewrite and the
class-level reasons on in-memory inputs; slow: tests/projects/cbv_views through `migrate analyze --http` and
`migrate parity --only http` (Django and the built Go server answering the same requests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from conftest import run_cli
from migrator.load import cbv
from migrator.translate.auth_views import class_guard
from migrator.translate.handlers_cbv import _rewrite, class_skip, method_route, options_group, reads_options
from migrator.translate.handlers_values import NotRecognised

PROJECT = Path(__file__).parent / "projects" / "cbv_views"
CONSTS = {"kind": "note", "limit": 1}
never_cache_m = method_decorator(never_cache)


def login_required(fn):  # a name only: load.cbv reads decorators as written (Django's needs settings to import)
    return fn


@pytest.mark.parametrize("source, expected", [
    ("def get(self, request, pk):\n    return f(pk)\n", "def get(request, pk      ):\n    return f(pk)\n"),
    # the URL kwargs as arguments, whatever the signature spells; lines and columns kept
    ("def get(self, request, *args, **kwargs):\n    return f(kwargs['pk'])\n",
     "def get(request, pk                   ):\n    return f(pk          )\n"),
    ("def get(self, request, **kw):\n    return f(self.kwargs.get('pk'), kw.get('x'))\n",
     "def get(request, pk        ):\n    return f(pk                   , None       )\n"),
    ("def get(self, r, pk):\n    return f(self.request.GET, self.kind, self.limit)\n",
     "def get(r, pk      ):\n    return f(r           .GET, 'note'   , 1         )\n"),
    ("def get(self, request, pk):\n    return self.helper(pk)\n",
     "def get(request, pk      ):\n    return self.helper(pk)\n"),
    # the URL kwargs passed on by name; *args is () (a route read has no unnamed group), its comma goes too
    ("def dispatch(self, request, *args, **kwargs):\n    return f(request, *args, **kwargs)\n",
     "def dispatch(request, pk                   ):\n    return f(request       , pk=pk   )\n"),
    ("def get(self, request, *args, **kwargs):\n    return f(*args, x=1)\n",
     "def get(request, pk                   ):\n    return f(       x=1)\n"),
    # a signature over two lines keeps its line count; columns are UTF-8 bytes, as ast gives them
    ("def get(self,\n        request, pk=None):\n    return f('é', self.kind, pk)\n",
     "def get(request, pk\n):\n    return f('é', 'note'   , pk)\n"),
])
def test_a_handler_method_becomes_the_function_view_django_runs(source, expected):
    out, binding = _rewrite(source, CONSTS, ["pk"], True, {"helper"})
    assert out == expected
    assert (binding["params"], binding["methods"]) == (["pk"], ["helper"])


@pytest.mark.parametrize("source, expected", [
    # todo's TaskAutocomplete: state set, the path parameter named; **kwargs holds no other, so it passes nothing
    ("def dispatch(self, request, pk, *args, **kwargs):\n    self.task = g(pk)\n"
     "    return super().dispatch(request, pk, *args, **kwargs)\n",
     "def dispatch(request, pk                       ):\n    self_task = g(pk)\n"
     "    return _next_dispatch  (request, pk                 )\n"),
    # dal's ViewMixin: Python 2's super(); the URL kwargs passed on by name
    ("def dispatch(self, request, *args, **kwargs):\n    self.q = request.GET.get('q', '')\n"
     "    return super(Mixin, self).dispatch(request, *args, **kwargs)\n",
     "def dispatch(request, pk                   ):\n    self_q = request.GET.get('q', '')\n"
     "    return _next_dispatch             (request       , pk=pk   )\n"),
    # the handler reads the state as the local the prelude set
    ("def get(self, request, pk):\n    return f(self.task, self.kind)\n",
     "def get(request, pk      ):\n    return f(self_task, 'note'   )\n"),
])
def test_a_prelude_dispatch_hands_its_state_to_the_next_layer(source, expected):
    """A dispatch running statements before ``super().dispatch``: its ``self.<name> =`` become locals handed to
    the next layer (ClassViewReader.next_layer), which the rewritten super() call names."""
    out, binding = _rewrite(source, CONSTS, ["pk"], True, set(), ["q", "task"], source.startswith("def dispatch"))
    assert out == expected
    # a helper method reads the state and the request its caller carries (ClassViewReader.carried)
    assert _rewrite("def helper(self):\n    return f(self.task, self.request.user)\n", CONSTS, ["pk"], False, set(),
                    ["task"])[0] == "def helper(    ):\n    return f(self_task, self_request.user)\n"
    with pytest.raises(NotRecognised, match=r"dispatch\(self, \*args, ...\): the request arrives in \*args"):
        _rewrite("def dispatch(self, *args, **kwargs):\n    x = 1\n    return super().dispatch(*args, **kwargs)\n",
                 CONSTS, ["pk"], True, set(), [], True)
    with pytest.raises(NotRecognised, match=r"self.task assigned in a helper method"):
        _rewrite("def helper(self):\n    self.task = 1\n", CONSTS, ["pk"], False, set(), ["task"])
    with pytest.raises(NotRecognised, match="self.task assigned: the view's state is not translated"):
        _rewrite("def get(self, request, pk):\n    self.task = 1\n    return f()\n", CONSTS, ["pk"], True, set(), ["task"])


@pytest.mark.parametrize("source, handler, reason", [
    ("def get(self, request, pk):\n    return f(self.args)\n", True, "self.args: not a literal class attribute"),
    ("def get(self, request, pk):\n    return f(self)\n", True, "`self` used as a value"),
    ("def get(self, request):\n    return f()\n", True, "does not take the path parameter pk (Django answers 500)"),
    ("def get(self, request, pk, slug):\n    return f()\n", True, "argument slug is not a path parameter"),
    ("def get(self, request, **kwargs):\n    return f(kwargs['slug'])\n", True, "not a path parameter of the route"),
    ("def get(self, request, *args, **kwargs):\n    return f(args)\n", True, "*args is read"),
    ("def helper(self):\n    return f(self.kwargs['pk'])\n", False, "self.kwargs read in a helper method"),
    ("def get(self, request, pk):\n    return f(self.get_queryset())\n", True, "self.get_queryset: not a literal"),
    # schedule's CancelButtonMixin.post: a literal class attribute assigned is state, not a constant to substitute
    ("def post(self, request, pk):\n    self.kind = g(request)\n    return f(self.kind)\n", True,
     "self.kind assigned: the view's state is not translated"),
])
def test_what_self_stands_for_is_never_guessed(source, handler, reason):
    with pytest.raises(NotRecognised, match=reason.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        _rewrite(source, CONSTS, ["pk"], handler, set())


def _raw(**cbv) -> dict:
    base = {"handlers": {}, "functions": {}, "methods": {}, "constants": {}, "dispatch_decorators": [],
            "overrides": [], "generic": [], "allow": []}
    return {"view": "v.V", "kind": "class", "auth_mixins": None, "cbv": {**base, **cbv}}


def test_method_route_and_the_methods_it_refuses():
    get = {"name": "get", "owner": "v.V", "django": False, "ref": "v.V.get", "decorated": False}
    fn = {"source": "def get(self, request):\n    return 1\n", "file": "v.py", "line": 3, "names": {}}
    raw = _raw(handlers={"GET": get, "HEAD": get,
                         "PUT": dict(get, name="put", ref="v.V.put", decorated=True),
                         "POST": dict(get, name="post", owner="django.views.generic.edit.ProcessFormView", django=True),
                         "OPTIONS": {"name": "options", "owner": "django.views.generic.base.View", "django": True}},
               functions={"v.V.get": fn})
    route = method_route(dict(raw, _params=[]), "HEAD")
    assert route["view"] == "v.V.get" and route["functions"]["v.V.get"]["source"] == "def get(request      ):\n    return 1\n"
    for method, reason in [("POST", "ProcessFormView.post() is Django's generic code"), ("PUT", "put() is decorated"),
                           ("DELETE", "the class has no delete()")]:
        with pytest.raises(NotRecognised, match=reason.replace("(", r"\(").replace(")", r"\)")):
            method_route(dict(raw, _params=[]), method)
    with pytest.raises(NotRecognised, match=r"passes the keyword arguments flag \(path\(\.\.\., kwargs\)\)"):
        method_route(dict(raw, _params=[], extra_kwargs=["flag"]), "GET")
    assert options_group(dict(raw, cbv=dict(raw["cbv"], allow=["GET", "HEAD", "OPTIONS"]))) == {
        "methods": ["OPTIONS"],
        "stmts": ['return 200, Headed{Header: [][2]string{{"Allow", "GET, HEAD, OPTIONS"}}, Body: NoBody}, nil']}
    other = _raw(handlers={"OPTIONS": {"name": "options", "owner": "django.views.generic.base.RedirectView",
                                       "django": True}})
    assert options_group(other) == ("options() of django.views.generic.base.RedirectView: Django code other than "
                                    "View.options is not read")


def test_preludes_chain_to_the_handler_or_to_djangos_generic_one():
    """Each prelude's super().dispatch names the next layer; after the last, the handler, or "" when the handler
    is Django's generic code (its reason kept for ClassViewReader.read, named after the preludes' own)."""
    pre = {"source": "def dispatch(self, request, *args, **kwargs):\n    self.q = 1\n"
                     "    return super().dispatch(request, *args, **kwargs)\n", "file": "v.py", "line": 1, "names": {}}
    get = {"name": "get", "owner": "v.V", "django": False, "ref": "v.V.get", "decorated": False}
    fn = {"source": "def get(self, request):\n    return f(self.q)\n", "file": "v.py", "line": 5, "names": {}}
    raw = _raw(handlers={"GET": get, "POST": dict(get, name="post", owner="django.views.generic.list.BaseListView",
                                                  django=True, ref="")},
               functions={"v.V.dispatch": pre, "v.V.get": fn}, preludes=["v.V.dispatch"], hooks=["get_queryset"])
    route = method_route(dict(raw, _params=[]), "GET")
    assert route["view"] == "v.V.dispatch" and route["functions"]["v.V.dispatch"]["next"] == "v.V.get"
    assert route["functions"]["v.V.get"]["source"] == "def get(request      ):\n    return f(self_q)\n"
    assert route["generic"] == ""
    route = method_route(dict(raw, _params=[]), "POST")
    assert route["functions"]["v.V.dispatch"]["next"] == "" and route["generic"].startswith(
        "BaseListView.post() is Django's generic code, which calls the project's get_queryset()")
    with pytest.raises(NotRecognised, match="BaseListView.post"):  # no prelude: the generic handler's reason alone
        method_route(dict(raw, _params=[], cbv=dict(raw["cbv"], preludes=[])), "POST")
    # a method the class lacks: Django runs the preludes first (their 404 / 403 / early answer), then
    # View.http_method_not_allowed: 405 with the class's Allow, not the route's bare 405 before them
    route = method_route(dict(raw, _params=[], cbv=dict(raw["cbv"], allow=["GET", "POST"])), "DELETE")
    assert route["view"] == "v.V.dispatch" and route["functions"]["v.V.dispatch"]["next"] == ""
    assert route["options_answer"] == 'return 405, Headed{Header: [][2]string{{"Allow", "GET, POST"}}, Body: NoBody}, nil'
    with pytest.raises(NotRecognised, match=r"the class has no delete\(\)"):  # no prelude: the route's 405 answers
        method_route(dict(raw, _params=[], cbv=dict(raw["cbv"], preludes=[])), "DELETE")


def test_a_drf_apiview_is_refused_with_a_reason_not_a_key_error():
    """An @api_view function (helpdesk's datatables_ticket_list) is a class view load.cbv leaves as
    ``{"drf": True}``, without a handler table: every method, OPTIONS included, is a NotRecognised naming it."""
    drf = {"view": "helpdesk.views.staff.datatables_ticket_list", "kind": "class", "cbv": {"drf": True}, "_params": []}
    for method in ("GET", "HEAD"):
        with pytest.raises(NotRecognised, match=r"^a DRF APIView \(an @api_view function too\): DRF's dispatch"):
            method_route(drf, method)
    assert options_group(drf).startswith("a DRF APIView (an @api_view function too)")
    assert not reads_options(drf)


class _Own(View):  # actstream's JSONActivityFeed: dispatch answers every method itself
    def dispatch(self, request, *args, **kwargs):
        return JsonResponse({})


class _Passing(View):  # a dispatch only calling super() passes the request on
    def dispatch(self, *args, **kwargs):
        return super().dispatch(*args, **kwargs)


@method_decorator(login_required, name="dispatch")
class _OwnBehind(_Passing, _Own):
    pass


class _Around(View):  # code around View.dispatch: not Django's request cycle
    def dispatch(self, request, *args, **kwargs):
        if request.GET.get("x"):
            return JsonResponse({})
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return JsonResponse({})

    def post(self, request):
        return JsonResponse({})


class _Ajax(View):  # postman's AjaxMixin: module-level method_decorator aliases on a dispatch only calling super()
    http_method_names = ["get"]

    @never_cache_m
    @method_decorator(login_required)
    def dispatch(self, *args, **kwargs):
        return super().dispatch(*args, **kwargs)

    def get(self, request):
        return JsonResponse({})


class _Py2Passing(View):  # dal's spelling of super(): still View's dispatch behind the decorator, not its own
    @method_decorator(login_required)
    def dispatch(self, request, *args, **kwargs):
        return super(_Py2Passing, self).dispatch(request, *args, **kwargs)

    def get(self, request):
        return JsonResponse({})


class _Checked(_Py2Passing):  # todo's TaskAutocomplete: every statement around super(...).dispatch is named
    @method_decorator(login_required)
    def dispatch(self, request, *args, **kwargs):
        try:
            self.note = request.GET["pk"]
        except KeyError:
            return JsonResponse({}, status=400)
        if not request.user.is_staff:
            raise PermissionError
        return super(_Checked, self).dispatch(request, *args, **kwargs)


class _Checked2(View):  # the decorated dispatch outermost: its guard runs first, as the route's does
    @method_decorator(login_required)
    def dispatch(self, request, *args, **kwargs):
        self.note = request.GET.get("pk")
        return super(_Checked2, self).dispatch(request, *args, **kwargs)

    def get(self, request):
        return JsonResponse({"note": self.note})


class _Dispatch1(View):  # wiki's Deleted: super().dispatch1(...) may reach View's dispatch: not its own answer
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch1(request, *args, **kwargs)

    def get(self, request):
        return JsonResponse({})


class _OwnOptions(View):
    def get(self, request):
        return JsonResponse({})

    def options(self, request, *args, **kwargs):
        return JsonResponse({})


@pytest.mark.parametrize("cls, handler, decorators, overrides", [
    (_Own, "_Own.dispatch", [], []),
    (_OwnBehind, "_Own.dispatch", ["login_required"], []),
    (_Around, "_Around.get", [], []),  # a prelude: read before the handler (translate.handlers_cbv)
    (_Ajax, "_Ajax.get", ["never_cache", "login_required"], []),
    (_OwnOptions, "_OwnOptions.get", [], []),
    (_Py2Passing, "_Py2Passing.get", ["login_required"], []),
    (_Dispatch1, "_Dispatch1.get", [], [
        "_Dispatch1.dispatch (runs `return super().dispatch1(request, *args, **kwargs)` around View.dispatch)"]),
    # a prelude, then a base's decorator that would run after its statements (not before the route)
    (_Checked, "_Py2Passing.get", ["login_required", "login_required"], [
        "_Py2Passing.dispatch (under login_required, after the statements of an outer dispatch)"]),
    (_Checked2, "_Checked2.get", ["login_required"], []),
])
def test_what_answers_a_method_of_a_class(cls, handler, decorators, overrides):
    """load.cbv on classes defined here: the handler of GET (the project's dispatch when it never calls
    super().dispatch), the decorators on dispatch (aliases of method_decorator resolved), what is not Django's."""
    assert cbv._handlers(cls)["GET"]["ref"] == f"{__name__}.{handler}"
    assert cbv.dispatch_decorators(cls) == (decorators, overrides)
    if cls in (_Around, _Checked, _Checked2):
        assert cbv.preludes(cls) == [vars(cls)["dispatch"]]


def test_the_methods_and_their_allow_order_are_djangos():
    assert list(cbv._handlers(_OwnOptions)) == ["GET", "HEAD", "OPTIONS"]  # http_method_names' order
    assert set(cbv._handlers(_Own)) == {m.upper() for m in View.http_method_names}  # dispatch takes them all
    raw = _raw(handlers=cbv._handlers(_OwnOptions), allow=["GET", "HEAD", "OPTIONS"])
    assert reads_options(raw) and not reads_options(_raw(handlers=cbv._handlers(_Around)))
    assert options_group(_raw(handlers=cbv._handlers(_Around), allow=["GET", "POST", "HEAD", "OPTIONS"])) == {
        "methods": ["OPTIONS"],
        "stmts": ['return 200, Headed{Header: [][2]string{{"Allow", "GET, POST, HEAD, OPTIONS"}}, Body: NoBody}, nil']}


def test_dispatch_decorators_and_mixins_become_one_guard():
    mixins = {"mixins": ["LoginRequiredMixin"], "permission_required": None, "custom": [], "raise_exception": True}
    raw = dict(_raw(dispatch_decorators=["csrf_exempt", "login_required"]), auth_mixins=mixins)
    assert class_guard(raw).wrap == "a.LoginRequired(a.LoginRequiredMixin(true, h))"
    assert class_skip(dict(raw, guarded=True)) == []
    assert class_skip(raw) == ["its access checks need djauth (the http target, django.contrib.auth installed)"]
    assert class_guard(_raw(dispatch_decorators=["csrf_exempt"])) is None
    assert class_skip(_raw(dispatch_decorators=["never_cache"], overrides=["V.dispatch"])) == [
        "the project replaces View's V.dispatch: the request cycle is not Django's",
        "method_decorator(never_cache) on dispatch: the decorator's behaviour is not translated"]
    assert class_skip(_raw(dispatch_decorators=["login_required(login_url='/x/')"]))[0].startswith(
        "its access checks are not translated: login_required: arguments ['login_url']")


@pytest.mark.slow
def test_class_based_views_of_a_project_are_read_method_by_method():
    """tests/projects/cbv_views through `migrate analyze --http` as a user runs it: each view migrated, or a
    stub with the construct that blocks it."""
    proc = run_cli("analyze", str(PROJECT), "--http", "-f", "json")
    assert proc.returncode == 0, proc.stderr
    rows = {v["view"]: (v["status"], v.get("reason") or "") for v in json.loads(proc.stdout)["views"]}
    assert rows == {
        "notes.views.NoteView": ("migrated", ""),
        "notes.views.PrivateCountView": ("migrated", ""),
        "notes.views.OpenNotesView": ("migrated", ""),
        "notes.views.LatestView": ("migrated", ""),
        "notes.views.DoneView": ("migrated", ""),  # a base's dispatch only adding @method_decorator(login_required)
        "notes.views.ArgsView": ("stub", "GET, HEAD: self.args: not a literal class attribute or a method of the "
                                         "project's class"),
        "notes.views.NotesPage": ("django", "a Django TemplateView: renders notes.html"),  # stays (translate.stays)
        # preludes: dispatch answers or sets state (self.limit, self.note), then View's dispatch calls get()
        "notes.views.OwnDispatchView": ("migrated", ""),
        "notes.views.NoteOwnerView": ("migrated", ""),
        # the prelude's blocker, then the generic handler's (todo's TaskAutocomplete: dal's dispatch, BaseListView)
        "notes.views.PreludeListView": ("stub", "DELETE, OPTIONS, PATCH, POST, PUT: attribute META; GET, HEAD: "
                                                "attribute META (in dispatch); then BaseListView.get() is "
                                                "Django's generic code, which calls the project's get_queryset(), "
                                                "render_to_response(): only the project's handler methods are read"),
        # the prelude runs before View.options and before View's 405 for the methods the class lacks
        # two relations read lazily, a row in user.groups.all(), PermissionDenied, dal's HttpResponseNotAllowed
        "notes.views.CardView": ("migrated", ""),
        "notes.views.OpenCardView": ("migrated", ""),  # no login guard: AnonymousUser's empty user.groups
        "notes.views.CardListView": ("migrated", ""),  # prefetch_related("board", "board__group"): three queries
        "notes.views.LateGuardView": ("stub", "the project replaces View's SignedInMixin.dispatch (under "
                                              "login_required, after the statements of an outer dispatch): the "
                                              "request cycle is not Django's"),
        "notes.views.FeedView": ("migrated", ""),  # its dispatch never calls super().dispatch: every method
        "notes.views.OptionsView": ("migrated", ""),  # its own options(), read as a handler method
        "notes.views.ExtraView": ("stub", "GET, HEAD: the route passes the keyword arguments flag (path(..., "
                                          "kwargs)): only the URL's own parameters are read"),
        "notes.views.NoteJSON": ("stub", "GET, HEAD: BaseDetailView.get() is Django's generic code, which calls the "
                                         "project's render_to_response(): only the project's handler methods are read"),
    }


@pytest.mark.slow
@pytest.mark.parametrize("framework, dialect", [("nethttp", "sqlite"), ("fiber", "postgresql")])
def test_class_based_views_answer_as_django(framework, dialect, request, tmp_path):
    """Django and the built Go server on the same data: every migrated method of the CBVs (the URL kwarg, the
    class attribute, the as_view() keyword, the helper method, a dispatch prelude's answers and state), anonymous
    requests refused by the mixin (403) and by method_decorator(login_required) (the login redirect), signed-in
    users (past a login guard: every value and query key, so the preludes' 403 and int() are compared), the same
    answers. The
    framework is the routing's and the dialect the store's, each shared by the other: two runs cover both."""
    tree, report = tmp_path / "go", tmp_path / "parity.json"
    proc = run_cli("generate", str(PROJECT), "--framework", framework, "--out", str(tree))
    assert proc.returncode == 0, proc.stderr
    database = ["--database", request.getfixturevalue("postgres_server").url()] if dialect == "postgresql" else []
    proc = run_cli("parity", str(PROJECT), "--generated", str(tree), "--no-generate", "--only", "http", *database,
                   "--json", str(report))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(report.read_text())
    assert result["dialect"] == dialect
    assert (result["summary"]["http"]["passed"], result["summary"]["http"]["failed"],
            result["summary"]["http"]["skipped"]) == (295, 0, 0)
    # 291 before CardListView (nyt's prefetch view, 4 requests), 117 before CardView, 152 before OpenCardView, 165 before 0003, 168 before each <int:...> route was also asked
    # for 4294967297 (parity.http_requests._beyond_int32), 173 before CardView read dal's `forward` JSON (its key asked
    # QUERY_VALUES and JSON_VALUES, anonymous and signed in), 211 before the write methods of the three views with
    # preludes were asked (the preludes run before View's 405: CardView's POST reads dal's forward from the form)
    routes = (tree / "http" / "routes.go").read_text()
    # DELETE: a 405 whose Allow is View._allowed_methods(), in http_method_names order; OPTIONS answers it too
    assert 'Methods: []string{"GET", "POST", "HEAD", "OPTIONS"},' in routes
    assert 'allow([]string{"GET", "HEAD", "OPTIONS"}, s.migrated("notes.views.PrivateCountView"' in routes
    assert "answers 501" not in (tree / "http" / "MIGRATION.md").read_text().split("OptionsView")[1].splitlines()[0]
    handlers = (tree / "http" / "handlers_migrated.go").read_text()
    assert handlers.count('return 200, Headed{Header: [][2]string{{"Allow", "GET, POST, HEAD, OPTIONS"}}, Body: NoBody}') == 1
    cards = handlers.split("func (s *Server) cardListViewMigrated")[1].split("\n}\n")[0]
    assert [n for n in ("Select(", "Select2(", "Select3(", "Select4(") if f"s.Store.GetCardPrefetchRelated{n}" in cards] == [
        "Select(", "Select2(", "Select4("]  # Django's three queries (the second lookup's `board` level is done already)
    card = handlers.split("func (s *Server) cardViewMigrated")[1].split("\n}\n")[0]  # the http check sends no HEAD,
    # no OPTIONS: they and the methods the class lacks run the prelude (its 403 page), then dal's 405
    assert '\tcase "DELETE", "HEAD", "OPTIONS", "PATCH", "PUT":\n' in card
    assert card.count("Page(djauth.PermissionDeniedPage)") == 3  # GET, POST, and the group above
    # POST (dal's allowed method, which the class lacks): the form's forward, then View's 405 with the class's Allow
    assert card.count('return 405, Headed{Header: [][2]string{{"Allow", "GET, HEAD, OPTIONS"}}, Body: NoBody}, nil') == 1
    assert card.count('return 405, Headed{Header: [][2]string{{"Allow", "GET, POST"}}, Body: NoBody}, nil') == 1
    # dal's forward: Python's json.loads of the query text; its RecursionError a 500, its ValueError and a value that
    # is not an object the two 400s (HttpResponseBadRequest's text/html)
    assert 'PyJSONLoadsText(QGetOr(req.Query, "forward", "{}"))' in card
    assert card.count('return 400, Page("Invalid JSON data"), nil') == card.count('Page("Not a JSON object")') == 2
    assert 's.migrated("notes.views.CardView"' in routes and 'allow([]string{"GET", "HEAD", "OPTIONS"}, s.migrated("notes.views.CardView"' not in routes
    assert "a.CSRFRequired(a.LoginRequiredMixin(true, h))" in routes
    # on the class, on a base's dispatch, on three preludes' dispatch, on LateGuardView's base (a stub: still guarded)
    assert routes.count("a.CSRFRequired(a.LoginRequired(h))") == 6
