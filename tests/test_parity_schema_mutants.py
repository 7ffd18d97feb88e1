"""Schema mutants of a table the schema check already fails on (issue 18, session 8), fast tier.

schedule's migrations leave four tables otherwise than a fresh schema file (an index, a column type): their
cases fail on the tree as it is, and their 33 schema mutants were `not compared`. They are judged by the
lines the table differs on now: each line is compared exactly, so a mutant that changes, adds or removes one
is seen, and one that changes nothing of the comparison is not. Nothing is loosened: the case still fails.
"""

from __future__ import annotations

from types import SimpleNamespace as NS

from migrator.parity.mutation import Mutant, schema_hits

BASE = "t.indexes: only migrate has ('t_a_idx', ('a',), False, 'c', '', 'CREATE INDEX ...')"


def _mutant(table="t"):
    return Mutant(id="t:drop-index:0", target=table, check="schema", path="schema/sqlite.sql", kind="drop-index",
                  what="index t_b_idx dropped", original="x", mutated="y")


def _case(name, detail, status="failed"):
    return NS(name=name, status=status, detail=detail)


def test_a_mutant_of_a_failing_table_is_killed_by_a_new_difference():
    mutated = _case("t", BASE + "\nt.indexes: only migrate has ('t_b_idx', ('b',), False, 'c', '', 'CREATE ...')")
    assert schema_hits(_mutant(), [mutated], [], {"t": BASE}) == [mutated]


def test_the_same_differences_as_before_do_not_kill():
    same = _case("t", BASE)
    assert schema_hits(_mutant(), [same], [], {"t": BASE}) == []


def test_a_passing_table_failing_kills_and_other_tables_do_not():
    other = _case("u", "u.columns[x]: migrate a != schema file b")
    mine = _case("t", "t.pk: migrate ('id',) != schema file ()")
    assert schema_hits(_mutant(), [other], [], {}) == []
    assert schema_hits(_mutant(), [other, mine], [], {"u": other.detail}) == [mine]
    assert schema_hits(_mutant(), [_case("t", "", status="passed")], [], {}) == []


def test_a_mutant_that_removes_the_difference_is_seen_too():
    """schedule: the schema file's index that migrations never made, dropped: the table now agrees."""
    now_passes = _case("t", "", status="passed")
    assert schema_hits(_mutant(), [now_passes], [], {"t": BASE}) == [now_passes]
