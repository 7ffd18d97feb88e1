"""Fast table tests of ``row in <QuerySet>`` in a migrated view (migrator/translate/handlers_member.py): a view of
a few lines read by handlers.ViewReader over a tiny in-memory project, and the exact Go. todo's
``user_can_read_task`` tests ``task.task_list.group in user.groups.all()``: a row against a related manager's
rows, Model.__eq__ comparing primary keys."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest

from migrator.ir import Field, Model, Relation
from migrator.plan import GoMethod, GoPackage, GoStruct
from migrator.translate.auth import BASE_USER
from migrator.translate.handlers_names import placeholder
from migrator.translate.handlers_values import NotRecognised

P = placeholder
_ID = Field("id", "id", "id", "AutoField", "AutoField", primary_key=True, editable=False)
USER = Model("auth", "User", "auth_user", "concrete", "django.contrib.auth.models", "auth/models.py", 1, fields=(
    _ID, Field("username", "username", "username", "CharField", "CharField")), abstract_bases=(BASE_USER,))
NOTE = Model("shop", "Note", "shop_note", "concrete", "shop.models", "shop/models.py", 1, fields=(
    _ID, Field("owner", "owner_id", "owner_id", "ForeignKey", "ForeignKey",
               relation=Relation("foreign_key", "auth.User", related_name="notes"))))
TAG = Model("shop", "Tag", "shop_tag", "concrete", "shop.models", "shop/models.py", 9, fields=(_ID,))
HEAD = "def mine(request, pk):\n    note = get_object_or_404(Note, pk=pk)\n"
FIRST = "def mine(request, pk):\n    note = Note.objects.filter(pk=pk).first()\n"


def _param(name, source):
    return NS(name=name, source=source, is_list=False, optional=False, kind="int", transform="", field="")


def _reader(line3: str, rows_model: str = "shop.Note", first: bool = False):
    from migrator.translate.handlers import ViewReader

    word = rows_model.split(".")[1]
    get = NS(site="s1", part="", name="NoteGet", command="one", result="instance", params=[_param("id", "pk")])
    many = NS(site="s2", part="", name="Rows", command="many", result="instance", params=[_param("owner_id", "request.user")])
    sites = {("shop/views.py", 2): [NS(id="s1", file="shop/views.py", line=2, column=12 if not first else 11, model="shop.Note",
                                       function="mine", chain=(NS(method="first" if first else "get", args=()),))],
             ("shop/views.py", 3): [NS(id="s2", file="shop/views.py", line=3, column=30, model=rows_model,
                                       function="mine", chain=(NS(method="all", args=()),))]}
    structs = {"ShopNote": GoStruct((("ID", "int64", "id"), ("OwnerID", "int64", "owner_id"))),
               "ShopTag": GoStruct((("ID", "int64", "id"),))}
    pkg = GoPackage(methods={"NoteGet": GoMethod((("id", "int64"),), "ShopNote"),
                             "Rows": GoMethod((("ownerID", "int64"),), f"[]Shop{word}")}, structs=structs)
    names = {"JsonResponse": {"kind": "external", "ref": "django.http.response.JsonResponse"},
             "get_object_or_404": {"kind": "external", "ref": "django.shortcuts.get_object_or_404"},
             "Note": {"kind": "model", "ref": "shop.Note"}}
    route = {"view": "shop.views.mine", "functions": {"shop.views.mine": {
        "source": (FIRST if first else HEAD) + line3, "names": names, "file": "shop/views.py", "line": 1}},
        "_params": [NS(name="pk", var="pk", converter="int", fiber_key="pk")]}
    return ViewReader(route, NS(models=[USER, NOTE, TAG]), sites, [get, many], pkg)


LOOP = [f"{P(3)} := false", f"for _, r := range {P(2)} {{", "if r.ID == note.ID {", f"{P(3)} = true", "break", "}", "}"]


@pytest.mark.parametrize("op, test", [("in", P(3)), ("not in", f"!{P(3)}")])
def test_a_row_in_a_querysets_rows_compares_primary_keys(op, test):
    out = _reader(f'    return JsonResponse({{"m": note {op} request.user.notes.all()}})\n').read()
    text = "\n".join(out)
    assert "s.Store.NoteGet(ctx, pk)" in text and "s.Store.Rows(ctx, user.IntPK())" in text
    loop = "\n".join(LOOP).replace(P(2), "notes").replace(P(3), "found")
    assert loop in text  # every row read, as QuerySet.__contains__ evaluates the whole QuerySet
    assert f"M: {test.replace(P(3), 'found')}" in text


def test_none_is_in_no_queryset():
    out = "\n".join(_reader('    return JsonResponse({"m": note in request.user.notes.all()})\n', first=True).read())
    assert "M: noteFound && found" in out  # .first() found no row: note is None, never equal to a row


def test_rows_of_another_model_keep_the_view_a_stub():
    with pytest.raises(NotRecognised, match="a shop.Note row and shop.Tag rows"):
        _reader('    return JsonResponse({"m": note in request.user.notes.all()})\n', rows_model="shop.Tag").read()


# ---- row.<relation> read lazily (handlers_fk over load/fk_sites' one site per target)
BOARD = Model("shop", "Board", "shop_board", "concrete", "shop.models", "shop/models.py", 20, fields=(
    _ID, Field("name", "name", "name", "CharField", "CharField")))
CARD = Model("shop", "Card", "shop_card", "concrete", "shop.models", "shop/models.py", 30, fields=(
    _ID, Field("board", "board_id", "board_id", "ForeignKey", "ForeignKey", null=True,
               relation=Relation("foreign_key", "shop.Board")),
    Field("owner", "owner_id", "owner_id", "ForeignKey", "ForeignKey", relation=Relation("foreign_key", "shop.Board"))))


def _lazy_reader(body: str, with_site: bool = True):
    from migrator.translate.handlers import ViewReader

    get = NS(site="s1", part="", name="CardGet", command="one", result="instance", params=[_param("id", "pk")])
    board = NS(site="shop/other.py:9:5/fk:shop.Board.id", part="", name="BoardGet", command="one", result="instance", params=[_param("id", "x.board_id")])
    sites = {("shop/views.py", 2): [NS(id="s1", file="shop/views.py", line=2, column=12, model="shop.Card",
                                       function="card", chain=(NS(method="get", args=()),))]}
    if with_site:  # at the first read load/fk_sites found, anywhere in the project
        sites[("shop/other.py", 9)] = [NS(id="shop/other.py:9:5/fk:shop.Board.id", file="shop/other.py", line=9,
                                          column=5, model="shop.Board", function="other", chain=())]
    structs = {"ShopCard": GoStruct((("ID", "int64", "id"), ("BoardID", "*int64", "board_id"),
                                     ("OwnerID", "int64", "owner_id"))),
               "ShopBoard": GoStruct((("ID", "int64", "id"), ("Name", "string", "name")))}
    pkg = GoPackage(methods={"CardGet": GoMethod((("id", "int64"),), "ShopCard"),
                             "BoardGet": GoMethod((("id", "int64"),), "ShopBoard")}, structs=structs)
    names = {"JsonResponse": {"kind": "external", "ref": "django.http.response.JsonResponse"},
             "get_object_or_404": {"kind": "external", "ref": "django.shortcuts.get_object_or_404"},
             "Card": {"kind": "model", "ref": "shop.Card"}}
    source = "def card(request, pk):\n    card = get_object_or_404(Card, pk=pk)\n" + body
    route = {"view": "shop.views.card", "functions": {"shop.views.card": {
        "source": source, "names": names, "file": "shop/views.py", "line": 1}},
        "_params": [NS(name="pk", var="pk", converter="int", fiber_key="pk")]}
    return ViewReader(route, NS(models=[USER, BOARD, CARD]), sites, [get, board], pkg)


def test_a_relation_read_lazily_runs_the_descriptors_query_once():
    out = "\n".join(_lazy_reader('    return JsonResponse({"a": card.owner.name, "b": card.owner.id})\n').read())
    assert out.count("s.Store.BoardGet(") == 1  # Django caches the row on the instance: one query
    assert ("owner, err := s.Store.BoardGet(ctx, card.OwnerID)\nif err != nil {\nreturn http.StatusInternalServerError, "
            'nil, fmt.Errorf("card: shop.Card.owner: %w", err)\n}') in out  # RelatedObjectDoesNotExist: a 500
    assert "A: owner.Name, B: owner.ID" in out


def test_a_nullable_relation_is_none_without_a_query_and_its_attribute_a_500():
    out = "\n".join(_lazy_reader('    return JsonResponse({"a": card.board.name, "b": card.board.id})\n').read())
    assert ("var board ShopBoard\nboardFound := card.BoardID != nil\nif boardFound {\n"
            "board2, err := s.Store.BoardGet(ctx, *card.BoardID)\nif err != nil {\nreturn http.StatusInternalServerError, "
            'nil, fmt.Errorf("card: shop.Card.board: %w", err)\n}\nboard = board2\n}') in out
    assert out.count("if !boardFound {\nreturn http.StatusInternalServerError, nil, errors.New(" 
                     "\"AttributeError: 'NoneType' object has no attribute 'name'\")\n}") == 1  # once: then known present


@pytest.mark.parametrize("body, why", [
    ('    return JsonResponse({"a": card.owner.name})\n', "no query of shop.Board by id was generated"),
    ('    try:\n        return JsonResponse({"a": card.owner.name})\n    except ValueError:\n'
     '        return JsonResponse({}, status=400)\n',
     "read lazily inside try"),
])
def test_a_lazy_relation_without_its_query_or_inside_try_stays_a_stub(body, why):
    with pytest.raises(NotRecognised, match=why):
        _lazy_reader(body, with_site="try" in body).read()


def test_load_adds_one_site_per_target_of_the_relations_read(tmp_path):
    from migrator.ir import Project, QuerySetSite
    from migrator.load.fk_sites import with_fk_sites

    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "views.py").write_text(
        "def card(request, pk):\n    card = Card.objects.get(pk=pk)\n    return card.board.name, card.owner, "
        "request.user, card.title\n\n\ndef other(c):\n    return c.board\n")
    site = QuerySetSite("shop/views.py:2:12", "shop/views.py", 2, 12, "card", "shop.Card", "Card.objects", (), "static")
    project = Project(str(tmp_path), "s", "5.2", models=(USER, NOTE, BOARD, CARD), querysets=(site,))
    added = with_fk_sites(project).querysets[1:]
    # one per target (board and owner both reach Board; Note's owner is a User), not `other`'s (a function without
    # a QuerySet site), not request.user's; the row's model is the translator's to know
    assert [(s.id, s.model, s.manager, s.chain[0].args[0].source) for s in added] == [
        ("shop/views.py:3:29/fk:auth.User.id", "auth.User", "_base_manager", "card.owner_id"),
        ("shop/views.py:3:12/fk:shop.Board.id", "shop.Board", "_base_manager", "card.board_id")]


# ---- AnonymousUser's groups / user_permissions: an EmptyManager, its QuerySets empty (no query, no 500)
def test_anonymous_users_groups_are_empty_not_a_500():
    out = "\n".join(_reader('    return JsonResponse({"m": note in request.user.groups.all()})\n').read())
    assert ("notes, err := func() ([]ShopNote, error) {\nif !user.IsAuthenticated {\nreturn nil, nil\n}\n"
            "return s.Store.Rows(ctx, user.IntPK())\n}()") in out  # Django: EmptyManager(Group).all() is .none()
    assert "AnonymousUser" not in out  # the old code answered 500 here for an anonymous request


def test_anonymous_users_other_managers_still_raise():
    out = "\n".join(_reader('    return JsonResponse({"m": note in request.user.notes.all()})\n').read())
    assert 'errors.New("AnonymousUser: pk as a query argument")' in out  # AttributeError in Django: a 500
    assert "func() (" not in out
