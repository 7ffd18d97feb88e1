"""Fast table tests of ``prefetch_related`` in a migrated view (migrator/translate/handlers_prefetch.py): a view of a
few lines read by handlers.ViewReader over a tiny in-memory project, and the exact Go. django-nyt's
``get_notifications`` prefetches ``"subscription", "subscription__notification_type"``: a nullable relation, then
a relation of its rows; Django runs the rows, then each level once (the second lookup's first level is done
already), each keyed by the set of keys the level above holds."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest

from migrator.ir import Field, Model, Relation
from migrator.plan import GoMethod, GoPackage, GoStruct
from migrator.translate.handlers_values import NotRecognised

_ID = Field("id", "id", "id", "AutoField", "AutoField", primary_key=True, editable=False)
GROUP = Model("auth", "Group", "auth_group", "concrete", "m", "auth/models.py", 1, fields=(
    _ID, Field("name", "name", "name", "CharField", "CharField")))
BOARD = Model("shop", "Board", "shop_board", "concrete", "shop.models", "shop/models.py", 1, fields=(
    _ID, Field("name", "name", "name", "CharField", "CharField"),
    Field("group", "group_id", "group_id", "ForeignKey", "ForeignKey", relation=Relation("foreign_key", "auth.Group"))))
CARD = Model("shop", "Card", "shop_card", "concrete", "shop.models", "shop/models.py", 9, fields=(
    _ID, Field("board", "board_id", "board_id", "ForeignKey", "ForeignKey", null=True,
               relation=Relation("foreign_key", "shop.Board"))))
BODY = ('def cards(request):\n    rows = Card.objects.order_by("-id").prefetch_related({lookups})\n'
        '    return JsonResponse({{"cards": [{elt} for c in rows[:10]]}})\n')
NESTED = '{"board": c.board.name if c.board else None, "group": c.board.group.name if c.board else None}'
STRUCTS = {"ShopCard": GoStruct((("ID", "int64", "id"), ("BoardID", "*int64", "board_id"))),
           "ShopBoard": GoStruct((("ID", "int64", "id"), ("Name", "string", "name"), ("GroupID", "int64", "group_id"))),
           "AuthGroup": GoStruct((("ID", "int64", "id"), ("Name", "string", "name")))}


def _reader(lookups: str, elt: str, statements: list[tuple[str, str]], command: str = "many"):
    from migrator.translate.handlers import ViewReader

    n = len(statements) + 1
    queries = [NS(site="s", part=f"1/{n} select", name="Cards", command=command, result="rows", params=[])] + [
        NS(site="s", part=f"{i + 2}/{n} select", name=name, command="many", result="rows", params=[])
        for i, (name, _) in enumerate(statements)]
    methods = {"Cards": GoMethod((), "[]ShopCard")}
    methods.update({name: GoMethod((("ids", "[]int64"),), f"[]{row}") for name, row in statements})
    chain = (NS(method="order_by", args=(), condition=""), NS(method="prefetch_related", condition="", args=tuple(
        NS(kind="literal", value=v, source=repr(v)) for v in eval(f"[{lookups}]"))), NS(method="[]", args=(), condition=""))
    sites = {("shop/views.py", 3): [NS(id="s", file="shop/views.py", line=3, column=12, model="shop.Card",
                                       function="cards", chain=chain)]}
    names = {"JsonResponse": {"kind": "external", "ref": "django.http.response.JsonResponse"},
             "Card": {"kind": "model", "ref": "shop.Card"}}
    route = {"view": "shop.views.cards", "functions": {"shop.views.cards": {
        "source": BODY.format(lookups=lookups, elt=elt), "names": names, "file": "shop/views.py", "line": 1}}}
    pkg = GoPackage(methods=methods, structs=STRUCTS)
    return ViewReader(route, NS(models=[GROUP, BOARD, CARD]), sites, queries, pkg)


TWO_LEVELS = [("Boards", "ShopBoard"), ("Boards2", "ShopBoard"), ("Groups", "AuthGroup")]


def test_each_level_runs_once_keyed_by_the_level_above():
    text = "\n".join(_reader('"board", "board__group"', NESTED, TWO_LEVELS).read())
    assert "s.Store.Boards2(" not in text  # the second lookup's `board` level: Django's done_queries
    assert text.index("s.Store.Cards(ctx)") < text.index("s.Store.Boards(ctx, keys)") < text.index(
        "s.Store.Groups(ctx, keys2)")
    assert "if keys := PrefetchKeys(cards, func(r ShopCard) *int64 { return r.BoardID }); len(keys) > 0 {" in text
    assert "if keys2 := PrefetchKeys(boards, func(r ShopBoard) *int64 { return Ptr(r.GroupID) }); len(keys2) > 0 {" in text
    assert "boardsByKey := PrefetchIndex(boards, func(r ShopBoard) int64 { return r.ID })" in text
    assert "groupsByKey := PrefetchIndex(groups, func(r AuthGroup) int64 { return r.ID })" in text
    # each card's rows from the indexes (no query per card); the nullable one's None where no row has its key
    assert ("Board: Nullable(Prefetched(boardsByKey, r.BoardID).Name, PrefetchedHas(boardsByKey, r.BoardID)), "
            "Group: Nullable(Prefetched(groupsByKey, Ptr(Prefetched(boardsByKey, r.BoardID).GroupID)).Name, "
            "PrefetchedHas(boardsByKey, r.BoardID))") in text


def test_a_nullable_prefetched_row_is_read_only_where_it_is_there():
    with pytest.raises(NotRecognised, match="attribute name of a nullable relation read where it may be None"):
        _reader('"board"', '{"board": c.board.name}', TWO_LEVELS[:1]).read()


@pytest.mark.parametrize("lookups, statements, reason", [
    ('"board"', TWO_LEVELS, "runs 4 statements, its prefetch_related lookups 2"),
    ('"board__cards"', [("Boards", "ShopBoard"), ("Cards2", "ShopCard")],
     "cards of shop.Board is a reverse or many-to-many relation"),
])
def test_what_is_not_read_keeps_the_view_a_stub(lookups, statements, reason):
    with pytest.raises(NotRecognised, match=reason):
        _reader(lookups, '{"pk": c.pk}', statements).read()


def test_a_prefetched_chain_read_as_one_row_keeps_the_view_a_stub():
    with pytest.raises(NotRecognised, match="prefetch_related is read for model rows only"):
        _reader('"board"', '{"pk": c.pk}', TWO_LEVELS[:1], command="one").read()


def test_an_abstract_models_relation_adds_no_lazy_relation_site(tmp_path):
    """load/fk_sites: an abstract model's relation names ``"self"`` (wiki's ``BaseRevisionMixin.previous_revision``),
    no table: it broke `migrate generate bench/corpus/wiki` (IndexError on the label) and adds no site."""
    from dataclasses import replace

    from migrator.ir import Project, QuerySetSite
    from migrator.load.fk_sites import with_fk_sites

    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "views.py").write_text("def card(request, pk):\n    card = Card.objects.get(pk=pk)\n"
                                                "    return card.previous.name, card.board.name\n")
    rev = Field("previous", "previous_id", "previous_id", "ForeignKey", "ForeignKey", null=True,
                relation=Relation("foreign_key", "self"))
    base = Model("shop", "Base", "", "abstract", "shop.models", "shop/models.py", 20, fields=(_ID, rev))
    site = QuerySetSite("shop/views.py:2:12", "shop/views.py", 2, 12, "card", "shop.Card", "Card.objects", (), "static")
    project = Project(str(tmp_path), "s", "5.2", models=(GROUP, BOARD, CARD, base), querysets=(site,))
    assert [s.id for s in with_fk_sites(project).querysets[1:]] == ["shop/views.py:3:32/fk:shop.Board.id"]
    concrete = replace(base, name="Rev", kind="concrete", fields=(_ID, replace(rev, relation=Relation(
        "foreign_key", "shop.Rev"))))
    assert [s.id for s in with_fk_sites(replace(project, models=(GROUP, BOARD, CARD, concrete))).querysets[1:]] == [
        "shop/views.py:3:32/fk:shop.Board.id", "shop/views.py:3:12/fk:shop.Rev.id"]
