"""A get() whose filter is provably unique keeps sqlc's :one (sqlcstep/getone.exact_one, proved by
equivalence.single_row); every other get() reads up to Django's 21 rows through the wrapper."""

from __future__ import annotations

import pytest

from migrator.equivalence import single_row
from migrator.parity.mutate_sql import code_mask
from migrator.sqlcstep.getone import exact_one
from migrator.sqlcstep.inputs import query_block

UNIQUE = {("book", "id"), ("book", "isbn"), ("author", "id"), ("profile", "user_id"), ("user", "id")}
TOGETHER = frozenset({("book", frozenset({"shelf", "pos"}))})
COLS = 'SELECT "book"."id" FROM "book"'
JOIN = 'SELECT "book"."id", "author"."id" FROM "book" INNER JOIN "author" ON ("book"."author_id" = "author"."id")'

CASES = [
    # (sql, to_one, at most one row?)
    (f'{COLS} WHERE "book"."id" = sqlc.arg(pk) LIMIT 21', False, True),
    (f'{COLS} WHERE "book"."isbn" = $1 LIMIT 21', False, True),
    (f'{COLS} WHERE ("book"."isbn" = ?1 AND "book"."genre" = ?2) LIMIT 21', False, True),
    (f'{COLS} WHERE "book"."genre" = sqlc.arg(genre) LIMIT 21', False, False),  # not unique
    (f'{COLS} WHERE ("book"."id" = sqlc.arg(a) OR "book"."genre" = sqlc.arg(b)) LIMIT 21', False, False),
    (f'{COLS} WHERE "book"."id" > sqlc.arg(pk) LIMIT 21', False, False),  # not an equality
    (f'{COLS} WHERE ("book"."shelf" = sqlc.arg(s) AND "book"."pos" = sqlc.arg(p)) LIMIT 21', False, True),
    (f'{COLS} WHERE "book"."shelf" = sqlc.arg(s) LIMIT 21', False, False),  # half of the unique set
    (f'{JOIN} WHERE "book"."id" = sqlc.arg(pk) LIMIT 21', True, True),  # to the foreign key's target
    (f'{JOIN} WHERE "author"."id" = sqlc.arg(pk) LIMIT 21', True, False),  # unique on the joined table only
    # a join on a column that is not unique on the joined side multiplies rows
    ('SELECT "author"."id" FROM "author" INNER JOIN "book" ON ("author"."id" = "book"."author_id") '
     'WHERE "author"."id" = sqlc.arg(pk) LIMIT 21', True, False),
    ('SELECT "user"."id" FROM "user" LEFT OUTER JOIN "profile" ON ("user"."id" = "profile"."user_id") '
     'WHERE "user"."id" = sqlc.arg(pk) LIMIT 21', True, True),  # a one-to-one's reverse side
    ('SELECT "book"."id" FROM "book" INNER JOIN "author" T3 ON ("book"."author_id" = T3."id") '
     'WHERE "book"."id" = sqlc.arg(pk) LIMIT 21', True, True),  # an aliased join
    (f'{COLS} WHERE "book"."id" IN (SELECT U0."id" FROM "book" U0 WHERE U0."isbn" = $1) LIMIT 21', True, False),
]


@pytest.mark.parametrize("sql,to_one,one", CASES)
def test_single_row(sql, to_one, one):
    assert bool(single_row(sql, code_mask(sql), UNIQUE, TOGETHER)) is one


class Q:
    def __init__(self, sql: str, get: bool = True, command: str = "one"):
        self.name, self.sql, self.get, self.command, self.part, self.note = "ByThingGet", sql, get, command, "", ""
        self.model = "app.Book"


SITE = {"chain": [{"method": "get"}], "file": "app/views.py", "line": 3, "function": "by_thing", "root": "Book.objects"}
KEYS = (frozenset(), frozenset(UNIQUE), TOGETHER)


def test_a_unique_get_stays_one_and_others_read_rows():
    unique = Q(f'{COLS} WHERE "book"."isbn" = sqlc.arg(isbn) LIMIT 21')
    shared = Q(f'{COLS} WHERE "book"."genre" = sqlc.arg(genre) LIMIT 21')
    assert exact_one(unique, KEYS) and not exact_one(shared, KEYS)
    assert query_block(unique, SITE, KEYS)[0] == "-- name: ByThingGet :one"
    assert query_block(shared, SITE, KEYS)[0] == "-- name: ByThingGetRows :many"
    assert query_block(unique, SITE)[0] == "-- name: ByThingGetRows :many"  # no keys known: nothing proved
    mysql = Q('SELECT `book`.`id` FROM `book` WHERE `book`.`isbn` = sqlc.arg(isbn) LIMIT 21')
    assert exact_one(mysql, KEYS)
