"""Which store calls of a handler are pipelined (translate/pipeline.py): a table of statement pairs."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from migrator.translate.pipeline import groups, pipelined, read_only

FIRST = "updated, err := s.Store.Write(ctx, WriteParams{Quantity: number, Pk: pk})"
CHECK = ["if err != nil {", "return http.StatusInternalServerError, nil, err", "}",
         "if updated == 0 {", 'return 404, ErrorResponse{Error: "no"}, nil', "}"]
SQL = {
    "Write": 'UPDATE "p" SET "stock" = ("p"."stock" + $1) WHERE "p"."id" = $2',
    "Get": 'SELECT "p"."id", "p"."stock" FROM "p" WHERE "p"."id" = $1 LIMIT 21',
    "Count": 'SELECT COUNT(*) AS "__count" FROM "o" WHERE "o"."user_id" = $1',
    "Insert": 'INSERT INTO "t" ("slug") VALUES ($1) RETURNING "t"."id"',
    "Lock": 'SELECT "p"."id" FROM "p" WHERE "p"."id" = $1 FOR UPDATE',
    "NoKey": 'SELECT "p"."id" FROM "p" WHERE "p"."id" = $1 FOR NO KEY UPDATE',
    "Next": "SELECT nextval('p_id_seq')",
    "With": 'WITH d AS (DELETE FROM "p" RETURNING id) SELECT * FROM d',
    "Literal": "SELECT 'FOR UPDATE', 'nextval(' FROM \"p\" WHERE \"p\".\"id\" = $1",
}

# (the Go between the first call and the later one, the later call, expected: "" pipelined, else the reason)
PAIRS = [
    ("restock: the get() after the UPDATE, on the path parameter", CHECK, "product, err := s.Store.Get(ctx, pk)", ""),
    ("a read on a value computed before the first call", CHECK, "n, err := s.Store.Count(ctx, user.IntPK())", ""),
    ("struct keys are not reads", CHECK, "p, err := s.Store.Get(ctx, GetParams{Updated: pk})", ""),
    ("a quoted FOR UPDATE is a literal", CHECK, "p, err := s.Store.Literal(ctx, pk)", ""),
    ("a write after the first statement", CHECK, "id, err := s.Store.Insert(ctx, slug)", "not-read-only"),
    ("a data-modifying WITH", CHECK, "rows, err := s.Store.With(ctx)", "not-read-only"),
    ("a query the store's SQL lacks", CHECK, "x, err := s.Store.Unknown(ctx, pk)", "not-read-only"),
    ("row locks", CHECK, "p, err := s.Store.Lock(ctx, pk)", "locks"),
    ("FOR NO KEY UPDATE", CHECK, "p, err := s.Store.NoKey(ctx, pk)", "locks"),
    ("a sequence advanced", CHECK, "n, err := s.Store.Next(ctx)", "side-effect"),
    ("reads the first statement's result", CHECK, "p, err := s.Store.Get(ctx, updated)", "depends"),
    ("reads a value the Go between computes", CHECK + ["next := pk + 1"], "p, err := s.Store.Get(ctx, next)", "depends"),
    ("reads a value the Go between reassigns", CHECK + ["pk = 7"], "p, err := s.Store.Get(ctx, pk)", "depends"),
    ("a field of a reassigned value", CHECK + ["data.Pk = 7"], "p, err := s.Store.Get(ctx, data.Pk)", "depends"),
    ("the session read between", ["user, err := djauth.CurrentUser(ctx, s.SQL, req)"] + CHECK,
     "p, err := s.Store.Get(ctx, pk)", "database-between"),
    ("a nested query between", ["if updated > 1 {", "_, err = s.Store.Get(ctx, pk)", "}"],
     "p, err := s.Store.Get(ctx, pk)", "nested"),
]


@pytest.mark.parametrize("what, between, later, reason", PAIRS, ids=[p[0] for p in PAIRS])
def test_which_pairs_are_pipelined(what, between, later, reason):
    found, refused = groups([FIRST, *between, later], SQL)
    if reason:
        assert found == [] and [r[2] for r in refused] == [reason], (found, refused)
    else:
        assert [[c.query for c in g] for g in found] == [["Write", later.split("s.Store.")[1].split("(")[0]]]
        assert refused == []


def test_a_refused_call_starts_the_next_group():
    lines = [FIRST, "a, err := s.Store.Insert(ctx, slug)", "b, err := s.Store.Get(ctx, pk)", "c, err := s.Store.Count(ctx, pk)"]
    found, refused = groups(lines, SQL)
    assert [[c.query for c in g] for g in found] == [["Insert", "Get", "Count"]]
    assert refused == [("Write", "Insert", "not-read-only")]


def test_reads_only_are_not_a_group():
    """accounts.views.me: two counts after the profile; pipelined, me's Go was 2.64x its Python (issue 17: ~2x)."""
    lines = ["a, err := s.Store.Count(ctx, pk)", "b, err := s.Store.Get(ctx, pk)"]
    assert groups(lines, SQL) == ([], [("Count", "Get", "first-reads")])
    assert pipelined(lines, [SimpleNamespace(name=n, sql=q) for n, q in SQL.items()],
                     SimpleNamespace(methods={})) == lines


def test_a_nested_first_call_is_not_a_group():
    assert groups(["if ok {", FIRST, "p, err := s.Store.Get(ctx, pk)", "}"], SQL) == ([], [])


@pytest.mark.parametrize("sql, reason", [
    ("select 1", ""), ("  SELECT * FROM p FOR SHARE", "locks"), ("SELECT * FROM p FOR KEY SHARE", "locks"),
    ("SELECT pg_advisory_lock(1)", "side-effect"), ("SELECT set_config('a', 'b', false)", "side-effect"),
    ("DELETE FROM p", "not-read-only"), ("-- SELECT\nUPDATE p SET a = 1", "not-read-only"),
])
def test_read_only(sql, reason):
    assert read_only(sql) == reason


def test_the_rewrite_keeps_the_go_between_and_each_call_reads_its_own_answer():
    later = "product, err := s.Store.Get(ctx, pk)"
    queries = [SimpleNamespace(name=n, sql=s) for n, s in SQL.items()]
    package = SimpleNamespace(methods={"Write": SimpleNamespace(ret="int64"), "Get": SimpleNamespace(ret="GetRow")})
    out = pipelined(["piped := 1", FIRST, *CHECK, later, "return 200, product, nil"], queries, package)
    assert out == [
        "piped := 1",
        "var piped2 struct {", "updated int64\nupdatedErr error", "product GetRow\nproductErr error", "}",
        "s.Store.Pipeline(ctx, func(st Store) {",
        "piped2.updated, piped2.updatedErr = st.Write(ctx, WriteParams{Quantity: number, Pk: pk})",
        "piped2.product, piped2.productErr = st.Get(ctx, pk)",
        "})",
        "updated, err := piped2.updated, piped2.updatedErr",
        *CHECK,
        "product, err := piped2.product, piped2.productErr",
        "return 200, product, nil",
    ]


def test_an_exec_without_a_result_is_left_alone():
    queries = [SimpleNamespace(name=n, sql=s) for n, s in SQL.items()]
    package = SimpleNamespace(methods={"Write": SimpleNamespace(ret=""), "Get": SimpleNamespace(ret="GetRow")})
    lines = [FIRST, *CHECK, "product, err := s.Store.Get(ctx, pk)"]
    assert pipelined(lines, queries, package) == lines
