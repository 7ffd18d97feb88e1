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
        "noteCount, err := s.Store.NoteCount(ctx, user.IntPK())", "if err != nil {",
        'return http.StatusInternalServerError, nil, fmt.Errorf("mine: count note: %w", err)', "}",
        'return 200, MineResponse2{N: noteCount}, nil']


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
    handlers = [NS(view="v.me", name="Me"), NS(view="v.card", name="Card"), NS(view="v.list", name="List")]
    reads = NS(groups=[{"stmts": ["user, err := djauth.CurrentUser(ctx)"]}])
    migrated = {"v.me": reads, "v.card": reads, "v.list": NS(groups=[{"stmts": ["return 200, nil, nil"]}])}
    assert user_guards(handlers, migrated, {"Card": "a.LoginRequired(h)"}) == {
        "Me": "func(a *djauth.Auth, h http.HandlerFunc) http.HandlerFunc { return h }"}


def test_a_nullable_foreign_key_parameter_takes_the_users_pk():
    """request.user.reviews on a nullable FK: sqlc types the parameter nullable (pgtype.Int4 / sql.NullInt64);
    the store takes an int64 and gives each package a valid value."""
    from migrator.translate.handlers_store import neutral_store, param_type, store_file

    assert param_type("pgtype.Int4", "sql.NullInt64") == "int64"
    pkgs = {"postgresql": GoPackage(methods={"C": GoMethod((("userID", "pgtype.Int4"),), "int64")}),
            "sqlite": GoPackage(methods={"C": GoMethod((("userID", "sql.NullInt64"),), "int64")})}
    adapters = {a["dialect"]: a["methods"][0] for a in store_file(neutral_store(pkgs), ["C"])["adapters"]}
    assert adapters["postgresql"]["call"] == "s.q.C(ctx, pgtype.Int4{Int32: userID32, Valid: true})"
    assert adapters["postgresql"]["narrows"] == [{"var": "userID32", "source": "userID", "name": "userID", "func": "Int32Of"}]
    assert adapters["sqlite"]["call"] == "s.q.C(ctx, sql.NullInt64{Int64: userID, Valid: true})"
