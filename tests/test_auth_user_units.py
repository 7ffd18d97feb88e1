"""Fast table tests of request.user in a migrated view's body (migrator/translate/handlers_user.py): a view
of a few lines read by handlers.ViewReader over a tiny in-memory project with a user model, and the exact Go.
No Django, no sqlc, no Go build (test_auth_views.py runs the sample's `me` view against Django)."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest

from migrator.ir import Field, Model, Relation
from migrator.plan import GoMethod, GoPackage, GoStruct
from migrator.translate.auth import BASE_USER
from migrator.translate.handlers_names import placeholder
from migrator.translate.handlers_user import user_guards
from migrator.translate.handlers_values import NotRecognised

P = placeholder
USER = Model("auth", "User", "auth_user", "concrete", "django.contrib.auth.models", "auth/models.py", 1, fields=(
    Field("id", "id", "id", "AutoField", "AutoField", primary_key=True, editable=False),
    Field("username", "username", "username", "CharField", "CharField"),
    Field("email", "email", "email", "EmailField", "EmailField"),
    Field("is_staff", "is_staff", "is_staff", "BooleanField", "BooleanField"),
    Field("date_joined", "date_joined", "date_joined", "DateTimeField", "DateTimeField"),
), abstract_bases=(BASE_USER,))
NOTE = Model("shop", "Note", "shop_note", "concrete", "shop.models", "shop/models.py", 1, fields=(
    Field("id", "id", "id", "AutoField", "AutoField", primary_key=True, editable=False),
    Field("owner", "owner_id", "owner_id", "ForeignKey", "ForeignKey",
          relation=Relation("foreign_key", "auth.User", related_name="notes")),
))


def _reader(source: str, handlers=()):
    from migrator.translate.handlers import ViewReader

    count = NS(site="s1", part="", name="NoteCount", command="one", result="scalar",
               params=[NS(name="owner_id", source="request.user", is_list=False, optional=False, kind="int",
                          transform="", field="")])
    site = NS(id="s1", file="shop/views.py", line=4, column=12, model="shop.Note", function="mine",
              chain=(NS(method="count", args=()),))
    pkg = GoPackage(methods={"NoteCount": GoMethod((("ownerID", "int64"),), "int64")}, structs={})
    names = {"JsonResponse": {"kind": "external", "ref": "django.http.response.JsonResponse"}}
    route = {"view": "shop.views.mine", "functions": {"shop.views.mine": {
        "source": source, "names": names, "file": "shop/views.py", "line": 1}}, "_params": []}
    reader = ViewReader(route, NS(models=[USER, NOTE]), {("shop/views.py", 4): [site]}, [count], pkg)
    reader.handlers = list(handlers)
    return reader


HEAD = "def mine(request):\n    if not request.user.is_authenticated:\n        return JsonResponse({}, status=401)\n"
LOAD = [f"{P(1)}, err := djauth.CurrentUser(ctx)", "if err != nil {",
        'return http.StatusInternalServerError, nil, fmt.Errorf("mine: request.user: %w", err)', "}"]


def test_flags_and_username_have_anonymous_values():
    view = ('def mine(request):\n    return JsonResponse({"a": request.user.is_authenticated, '
            '"s": request.user.is_staff, "n": request.user.username, "id": request.user.id})\n')
    out = _reader(view).read()
    assert out == [s.replace(P(1), "user") for s in LOAD] + [
        'return 200, MineResponse{A: user.IsAuthenticated, S: user.IsStaff, N: user.Username, '
        'ID: JV(user.NullPK())}, nil']


def test_relation_checks_the_user_is_signed_in_then_queries_by_pk():
    # request.user.notes.count(): Django raises for AnonymousUser (500), so the Go checks before the query
    out = _reader(HEAD + '    return JsonResponse({"n": request.user.notes.count()})\n').read()
    assert out == [s.replace(P(1), "user") for s in LOAD] + [
        # past `if not request.user.is_authenticated: return`, the user is signed in: no second check
        "if !user.IsAuthenticated {", 'return 401, MineResponse{}, nil', "}",
        # the view's last query returns its error with the answer (handlers_names._return_last_error)
        "noteCount, err := s.Store.NoteCount(ctx, user.IntPK())",
        'return 200, MineResponse2{N: noteCount}, Wrap(err, "mine: count note")']


@pytest.mark.parametrize("body, why", [
    ('JsonResponse({"d": request.user.date_joined})', "request.user.date_joined is not read yet"),
    ('JsonResponse({"d": request.user.get_full_name()})', "no QuerySet site"),
])
def test_what_djauth_does_not_load_keeps_the_view_a_stub(body, why):
    with pytest.raises(NotRecognised, match=why):
        _reader(f"def mine(request):\n    return {body}\n").read()


def test_an_except_clause_could_catch_the_anonymous_error():
    with pytest.raises(NotRecognised, match="inside try"):
        _reader('def mine(request):\n    return JsonResponse({"e": request.user.email})\n', handlers=["x"]).read()


def test_views_reading_djauth_get_the_middleware_unless_guarded():
    handlers = [NS(view="v.me", name="Me"), NS(view="v.card", name="Card"), NS(view="v.list", name="List"),
                NS(view="v.mine", name="Mine")]
    reads = NS(groups=[{"stmts": ["user, err := djauth.CurrentUser(ctx)"]}], variants={})
    plain = NS(groups=[{"stmts": ["return 200, nil, nil"]}], variants={})
    # v.mine: only the reading of its second route (other arguments: its own core) reads the user
    migrated = {"v.me": reads, "v.card": reads, "v.list": plain, "v.mine": NS(groups=plain.groups, variants={3: reads})}
    identity = "func(a *djauth.Auth, h http.HandlerFunc) http.HandlerFunc { return h }"
    assert user_guards(handlers, migrated, {"Card": "a.LoginRequired(h)"}) == {"Me": identity, "Mine": identity}


def test_a_nullable_foreign_key_parameter_takes_the_users_pk():
    """request.user.reviews on a nullable FK: sqlc types the parameter nullable (pgtype.Int4 / sql.NullInt64);
    the store takes an int64 and gives each package a valid value."""
    from migrator.translate.handlers_store import neutral_store, param_type
    from migrator.translate.handlers_store_go import store_file

    assert param_type("pgtype.Int4", "sql.NullInt64") == "int64"
    pkgs = {"postgresql": GoPackage(methods={"C": GoMethod((("userID", "pgtype.Int4"),), "int64")}),
            "sqlite": GoPackage(methods={"C": GoMethod((("userID", "sql.NullInt64"),), "int64")})}
    adapters = {a["dialect"]: a["methods"][0] for a in store_file(neutral_store(pkgs), ["C"])["adapters"]}
    assert adapters["postgresql"]["call"] == "s.q.C(ctx, pgtype.Int4{Int32: userID32, Valid: true})"
    assert adapters["postgresql"]["narrows"] == [{"var": "userID32", "source": "userID", "name": "userID", "func": "Int32Of",
                                                 "no_match": ""}]
    assert adapters["sqlite"]["call"] == "s.q.C(ctx, sql.NullInt64{Int64: userID, Valid: true})"


GUARD = ("def _guard(request):\n    if not request.user.is_authenticated:\n"
         "        return JsonResponse({\"error\": \"authentication required\"}, status=401)\n    return None\n")


def _with_guard(view: str, guard: str = GUARD):
    reader = _reader(view)
    fns = reader.route["functions"]
    fns["shop.views._guard"] = {"source": guard, "names": fns["shop.views.mine"]["names"], "file": "shop/views.py",
                                "line": 20}
    fns["shop.views.mine"]["names"]["_guard"] = {"kind": "function", "ref": "shop.views._guard"}
    reader.functions = fns
    return reader


@pytest.mark.parametrize("test", ["denied", "denied is not None"])
def test_a_helper_returning_a_response_or_none_answers_the_view(test):
    # denied = _guard(request); if denied: return denied -> the helper's 401 answers, None goes on
    view = (f"def mine(request):\n    denied = _guard(request)\n    if {test}:\n        return denied\n"
            '    return JsonResponse({"n": request.user.username})\n')
    assert _with_guard(view).read() == [s.replace(P(1), "user") for s in LOAD] + [
        "if !user.IsAuthenticated {", 'return 401, ErrorResponse{Error: "authentication required"}, nil', "}",
        'return 200, MineResponse{N: user.Username}, nil']


@pytest.mark.parametrize("guard, why", [
    (GUARD.replace("return None", "return 1"), "something else than None"),
    (GUARD.replace("return None", "return JsonResponse({})"), "never returns"),
    (GUARD.replace("    return None\n", "    return {}\n"), "something else than None"),
])
def test_a_helper_returning_anything_else_keeps_the_view_a_stub(guard, why):
    view = ("def mine(request):\n    denied = _guard(request)\n    if denied:\n        return denied\n"
            '    return JsonResponse({})\n')
    with pytest.raises(NotRecognised, match=why):
        _with_guard(view, guard).read()


def test_a_response_or_none_helper_used_otherwise_stays_a_stub():
    view = ("def mine(request):\n    denied = _guard(request)\n    if denied:\n        return JsonResponse({})\n"
            '    return JsonResponse({})\n')
    with pytest.raises(NotRecognised, match="several kinds"):
        _with_guard(view).read()


def test_an_anonymous_users_id_as_a_query_argument_is_reported():
    # Django compiles filter(owner_id=None) to IS NULL: a query other than `owner_id = $1`, so the view stays a stub
    view = ('def mine(request):\n    """Mine."""\n\n    return JsonResponse({"n": Note.objects.filter(owner_id=request.user.id)'
            '.count()})\n')
    reader = _reader(view)
    reader.queries["s1"].params[0].source = "request.user.id"
    reader.functions["shop.views.mine"]["names"]["Note"] = {"kind": "model", "ref": "shop.Note"}
    with pytest.raises(NotRecognised, match="IS NULL"):
        reader.read()


PATHS_SRC = '''def user_orders(user, status=None):
    qs = user.orders.all()
    if status == "draft":
        qs = qs.filter(placed_at__isnull=True)
    elif status:
        qs = qs.filter(status=status)
    return list(qs.order_by("-placed_at").values("id"))
'''


def _branch_site(src: str):
    import ast

    from migrator.ir import Arg, Call, QuerySetSite

    last = src.count("\n")
    chain = (Call("all", (), 2, 22), Call("filter", (Arg("literal", "True", "placed_at__isnull", True),), 4, 17),
             Call("order_by", (Arg("literal", '"-placed_at"', "", "-placed_at"),), last, 20),
             Call("values", (Arg("literal", '"id"', "", "id"),), last, 40))
    site = QuerySetSite(f"o/services.py:{last}:17", "o/services.py", last, 17, "user_orders", "orders.Order",
                        "user.orders", chain, "dynamic", "BRANCH_DEPENDENT")
    return ast.parse(src).body[0], site


def test_a_queryset_refined_in_if_elif_arms_gets_one_site_per_path():
    from migrator.load.path_sites import paths

    found = paths(*_branch_site(PATHS_SRC))
    assert [(line, [(c.method, [a.source for a in c.args]) for c in chain]) for line, chain in found] == [
        (4, [("all", []), ("filter", ["True"]), ("order_by", ['"-placed_at"']), ("values", ['"id"'])]),
        (6, [("all", []), ("filter", ["status"]), ("order_by", ['"-placed_at"']), ("values", ['"id"'])]),
        (2, [("all", []), ("order_by", ['"-placed_at"']), ("values", ['"id"'])]),  # no branch taken
    ]
    assert found[1][1][1].args[0].names == ("status",) and found[1][1][1].args[0].kind == "runtime"


@pytest.mark.parametrize("edit", [
    ('        qs = qs.filter(status=status)\n', '        qs = qs.filter(status=status)\n        status = 1\n'),  # 2 statements
    ('    return list', '    status = "x"\n    return list'),  # an argument rebound before the evaluation
    ('    elif status:\n', '    elif status:\n        pass\n'),  # an arm that does more than refine
    ('qs = qs.filter(status=status)', 'qs = qs.filter(status=status.lower())'),  # an argument that is a call
    ('    qs = user.orders.all()\n', '    qs = user.orders.all()\n    qs = qs.none()\n'),  # not bound just before the if
])
def test_other_branch_shapes_stay_dynamic(edit):
    from migrator.load.path_sites import paths

    assert paths(*_branch_site(PATHS_SRC.replace(*edit))) is None


@pytest.mark.slow
def test_a_projects_own_403_page_is_reported(tmp_path):
    """tests/projects/auth_error_pages: handler403 and a 403_csrf.html template; the Go guards answer Django's
    default 403 pages, so generate says so (the sample, with Django's pages, gets none)."""
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-m", "migrator", "generate", str(repo / "tests/projects/auth_error_pages"),
                          "--out", str(tmp_path / "gen"), "--target", "http"], capture_output=True, text=True,
                         timeout=600, cwd=repo, env={**__import__("os").environ, "PYTHONPATH": str(repo)})
    assert out.returncode == 0, out.stderr
    lines = [ln for ln in (out.stdout + out.stderr).splitlines() if "ROUTE_ERROR_PAGE" in ln]
    assert len(lines) == 1 and "the URLconf's handler403, a 403_csrf.html template)" in lines[0], lines


def test_request_user_is_read_once_on_each_path():
    """Issue 14, "the user loaded once per request": request.user read in an if arm that returns and again after
    it gives one CurrentUser call on each path (the arm's variable is out of scope after it); djauth's Middleware
    loads the user once however often it is asked (tests/test_auth.py test_request_user_is_loaded_once_per_request)."""
    view = ('def mine(request):\n    if request.GET.get("s") == "x":\n        return JsonResponse({"n": request.user.username})\n'
            '    return JsonResponse({"s": request.user.is_staff, "c": request.user.notes.count()})\n')
    out = _reader(view).read()
    assert out == ['if QGet(req.Query, "s") != nil && *QGet(req.Query, "s") == "x" {'] + [
        s.replace(P(1), "user") for s in LOAD] + ["return 200, MineResponse{N: user.Username}, nil", "}"] + [
        s.replace(P(1), "user2") for s in LOAD] + [
        "if !user2.IsAuthenticated {", 'return http.StatusInternalServerError, nil, errors.New("AnonymousUser: pk as a '
        'query argument")', "}", "noteCount, err := s.Store.NoteCount(ctx, user2.IntPK())",
        'return 200, MineResponse2{S: user2.IsStaff, C: noteCount}, Wrap(err, "mine: count note")']
    assert sum("djauth.CurrentUser(ctx)" in s for s in out) == 2  # one per path: the arm returns


def test_a_json_array_a_helper_loops_over_is_refused_naming_the_loop():
    """The sample's OrderCollectionView.post stays a stub on its first unread part: `data.get("items") or []`
    passed to create_order, which loops over it. The reason names the helper and its loop (session 14); an
    array the helper does not loop over keeps the general reason."""
    helper = "def total(request, items, note=''):\n    n = 0\n    for item in items:\n        n += 1\n    return n\n"
    for loops, reason in ((True, "`request.GET.get('items') or []`: a JSON array passed as `items` to total, which "
                                 "loops over its items (`for item in items` at shop/helpers.py:12); a loop over a "
                                 "request's JSON array is not read"),
                          (False, "`request.GET.get('items') or []`: a JSON array (its items, looped over, are not read)")):
        reader = _reader('def mine(request):\n    return JsonResponse({"n": total(request, '
                         'request.GET.get("items") or [])})\n')
        fns = reader.functions
        fns["shop.views.mine"]["names"]["total"] = {"kind": "function", "ref": "shop.helpers.total"}
        fns["shop.helpers.total"] = {"source": helper if loops else helper.replace("in items", "in [1]"),
                                     "names": {}, "file": "shop/helpers.py", "line": 10}
        with pytest.raises(NotRecognised) as refused:
            reader.read()
        assert str(refused.value) == reason


KANBAN = '''def mine(request):
    huser = HelpdeskUser(request.user)
    if not huser.can_access_queue(7):
        return JsonResponse({"error": "Permission denied"}, status=403)
    ok = huser.can_access_ticket(7) and huser.has_full_access()
    return JsonResponse({"ok": ok})
'''


@pytest.mark.parametrize("source, why", [
    # django-helpdesk's kanban_update_ticket (POST): the object made from the user and each of its methods the
    # view calls, in line order (before: "call of helpdesk.user.HelpdeskUser", nothing on what it is used for)
    (KANBAN, "HelpdeskUser(request.user) at line 2: an object of helpdesk.user.HelpdeskUser made from the signed-in "
             "user, whose permission rules are the project's own; its methods are not read: "
             "huser.can_access_queue(7) at line 3, huser.can_access_ticket(7) at line 5, huser.has_full_access() "
             "at line 5"),
    # not given the user: the general reason
    (KANBAN.replace("HelpdeskUser(request.user)", "HelpdeskUser(None)"), "call of helpdesk.user.HelpdeskUser"),
])
def test_an_object_made_from_the_user_is_named_with_the_methods_called_on_it(source, why):
    reader = _reader(source)
    reader.route["functions"]["shop.views.mine"]["names"]["HelpdeskUser"] = {
        "kind": "external", "ref": "helpdesk.user.HelpdeskUser"}
    with pytest.raises(NotRecognised) as exc:
        reader.read()
    assert str(exc.value) == why
