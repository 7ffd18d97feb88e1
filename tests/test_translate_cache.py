"""translate.sqlc_cache: sqlglot's translation of a site is reused only for the same compiled SQL, site, dialect,
hints and code; what it reuses equals a fresh translation (fast tier: no Django, no sqlc)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import pytest

from migrator import cache
from migrator.plan import value_from_json, value_to_json
from migrator.translate.sqlc import Hints, translate_all
from migrator.translate.sqlc_cache import TranslationCache
from migrator.translate.sqlc_model import Untranslatable

from test_translate_tables import ROWS, SELECT

SITE = {"chain": [{"method": "filter", "args": []}], "function": "f", "model": "shop.Item"}


def compiled(dialect: str, where: str, params: list, sentinels: list) -> dict:
    return {"site": "s", "dialect": dialect, "command": "many", "result": "rows",
            "statements": [{"sql": SELECT + where, "params": params, "kind": "select"}], "sentinels": sentinels}


class Counting:
    """translate_all, counting its calls."""

    def __init__(self, dialect: str, hints: Hints = Hints()):
        self.dialect, self.hints, self.calls = dialect, hints, 0

    def __call__(self, c, site):
        self.calls += 1
        return translate_all(c, site, self.dialect, self.hints)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_cached_translation_equals_a_fresh_one_and_an_edit_translates_again(tmp_path, monkeypatch, dialect):
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path))
    rows = [compiled(dialect, *row[:3]) for row in ROWS]
    fresh = [translate_all(c, SITE, dialect) for c in rows]
    first = TranslationCache(dialect, Hints())
    fn = Counting(dialect)
    assert [first.translate(c, SITE, fn) for c in rows] == [(q, None) for q in fresh] and fn.calls == len(rows)
    first.save()
    again, fn = TranslationCache(dialect, Hints()), Counting(dialect)
    assert [again.translate(c, SITE, fn) for c in rows] == [(q, None) for q in fresh] and fn.calls == 0
    edited = compiled(dialect, '"shop_item"."name" <> %s', ["s7301"], ROWS[0][2])  # a view edited: its SQL changed
    queries, skip = again.translate(edited, SITE, fn)
    assert fn.calls == 1 and skip is None and queries == translate_all(edited, SITE, dialect)
    moved = {**SITE, "function": "g"}  # the same SQL from another function: its own entry
    assert again.translate(rows[0], moved, fn)[0] == translate_all(rows[0], moved, dialect) and fn.calls == 2


def test_the_hints_the_dialect_and_the_code_key_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path))
    c = compiled("sqlite", *ROWS[0][:3])
    first = TranslationCache("sqlite", Hints())
    first.translate(c, SITE, Counting("sqlite"))
    first.save()
    nullable = Hints(nullable=frozenset({"shop.Item.name"}))  # a field made nullable: typed otherwise on SQLite
    for other in (TranslationCache("sqlite", nullable), TranslationCache("postgresql", Hints())):
        fn = Counting(other.path.name.split("-")[0], nullable if other.path.name.startswith("sqlite") else Hints())
        other.translate(c, SITE, fn)
        assert fn.calls == 1
    monkeypatch.setattr(cache, "_CODE", ["another migrator"])  # an upgrade or an edit of the migrator
    fn = Counting("sqlite")
    TranslationCache("sqlite", Hints()).translate(c, SITE, fn)
    assert fn.calls == 1
    monkeypatch.setattr(cache, "_CODE", [])
    fn = Counting("sqlite")
    TranslationCache("sqlite", Hints()).translate(c, SITE, fn)
    assert fn.calls == 0
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", "off")
    fn = Counting("sqlite")
    TranslationCache("sqlite", Hints()).translate(c, SITE, fn)
    assert fn.calls == 1


def test_a_site_left_out_is_cached_with_its_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("MIGRATOR_CACHE_DIR", str(tmp_path))
    c = compiled("sqlite", *ROWS[0][:3])

    def refuse(c, site):
        raise Untranslatable("SLICE_ORDER", "a parameter after an __in list")

    def crash(c, site):
        raise ValueError("no such token")
    first = TranslationCache("sqlite", Hints())
    assert first.translate(c, SITE, refuse) == ([], ("SLICE_ORDER", "a parameter after an __in list"))
    assert first.translate(c, {**SITE, "function": "g"}, crash) == ([], ("REWRITE_FAILED", "ValueError: no such token"))
    first.save()
    again = TranslationCache("sqlite", Hints())
    assert again.translate(c, SITE, crash) == ([], ("SLICE_ORDER", "a parameter after an __in list"))


def test_a_runtime_boolean_django_wrote_into_one_statement_of_a_sequence_is_not_frozen():
    """django-nyt's ``filter(is_viewed=is_viewed)`` then ``prefetch_related``: Django writes the boolean into the
    first statement (``"is_viewed"``, no placeholder). Each statement kept only the sentinels it has a placeholder
    for, so the query froze the sentinel's True; the compile with it False (``flipped``) says where it goes."""
    from test_translate_tables import sentinel

    flag, pk = sentinel("active", True, "bool"), sentinel("pk", 7301)
    first, second = ({"sql": SELECT + w, "params": p, "kind": "select"} for w, p in (
        ('"shop_item"."active"', []), ('"shop_item"."id" = %s', [7301])))
    c = {"site": "s", "dialect": "sqlite", "command": "many", "result": "sequence", "statements": [first, second],
         "sentinels": [flag, pk], "flipped": [dict(first, sql=SELECT + 'NOT "shop_item"."active"'), second]}
    one, two = translate_all(c, SITE, "sqlite")
    assert [p.name for p in one.params] == ["active"] and '"shop_item"."active" = sqlc.arg(active)' in one.sql
    assert [p.name for p in two.params] == ["pk"]


@dataclass(frozen=True)
class _Leaf:
    name: str
    sizes: tuple[int, ...] = ()


@dataclass
class _Node:
    leaves: list[_Leaf]
    by_name: dict[str, _Leaf]
    pair: tuple[_Leaf, Optional[_Leaf]]
    maybe: Optional[_Leaf] = None
    derived: int = field(default=7, init=False)


def test_a_value_read_back_from_json_equals_the_value_written_each_time():
    """plan.value_from_json keeps each dataclass's resolved fields (read once per class): the second read of the
    same classes gives the same values as the first, an init=False field keeps its default, a missing key its."""
    a, b = _Leaf("a", (1, 2)), _Leaf("b")
    node = _Node([a, b], {"a": a}, (b, None), a)
    data = value_to_json(node)
    assert value_from_json(_Node, data) == node and value_from_json(_Node, data) == node
    assert value_from_json(_Node, {**data, "derived": 99}).derived == 7
    assert value_from_json(_Node, {k: v for k, v in data.items() if k != "maybe"}).maybe is None
    assert value_from_json(Optional[_Node], None) is None
