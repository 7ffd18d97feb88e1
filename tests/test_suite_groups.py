"""The slow tier's scheduling (tests/conftest.py `_xdist_groups`, `pytest_xdist_make_scheduler`) and tests/once.py:
the sample's PostgreSQL and MariaDB parity runs start together on the two xdist workers, and PostgreSQL's runs once
per suite whichever worker asks first. In process: xdist's scheduler driven by fake workers, threads for the lock."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

import conftest
from once import once_in

PG = "tests/test_parity_cmd.py::test_sample_passes_on_postgresql"
MARIADB = "tests/test_mysql.py::test_sample_on_mariadb_has_postgresql_case_counts"
SLOW = [  # a slow tier's node ids in collection order (modules sorted by name), a few of each long group
    "tests/test_bench.py::test_bench_quick",
    "tests/test_generate.py::test_a", "tests/test_generate.py::test_b",
    "tests/test_mutation_kill_rate.py::test_parity_strength_on_the_sample",
    MARIADB, "tests/test_mysql.py::test_refused_query_forms_translate_and_pass_on_mariadb",
    "tests/test_mysql.py::test_migration_history_project_on_mariadb", "tests/test_mysql.py::test_fiber_tree_with_mysql_builds",
    "tests/test_parity_cmd.py::test_sample_passes_on_sqlite", "tests/test_parity_cmd.py::test_http_check_passes_on_sqlite",
    PG, "tests/test_parity_cmd.py::test_a_mutated_query_fails_with_a_readable_diff",
    "tests/test_parity_http_check.py::test_a", "tests/test_parity_http_check.py::test_b",
    "tests/test_schema.py::test_a",
]


class Worker:
    def __init__(self, name):
        self.gateway, self.shutting_down, self.sent = SimpleNamespace(id=name), False, []

    def send_runtest_some(self, indexes):
        self.sent.extend(indexes)

    def shutdown(self):
        self.shutting_down = True


def started(order: list[str]) -> tuple[list[str], list[str]]:
    """The tests xdist hands each of two workers before either finishes one, for the collection ``order``."""
    options = {"dist": "loadgroup"}
    config = SimpleNamespace(getoption=options.get, getvalue=lambda name: ["2*popen"],
                             option=SimpleNamespace(loadscopereorder=False))
    sched = conftest.pytest_xdist_make_scheduler(config, None)
    workers = [Worker("gw0"), Worker("gw1")]
    for w in workers:
        sched.add_node(w)
        sched.add_node_collection(w, order)
    sched.schedule()
    return [[order[i] for i in w.sent] for w in workers]


def test_the_two_servers_parity_runs_start_together_on_two_workers():
    items = [SimpleNamespace(nodeid=n, fixturenames=()) for n in SLOW]
    conftest._xdist_groups(items)
    first, second = started([i.nodeid for i in items])
    assert first[0] == PG and second[0] == MARIADB
    assert PG not in second and MARIADB not in first
    # each module's tests stay on one worker (their module fixtures run once), PostgreSQL's test alone in its group
    assert {conftest.xdist_group(n) for n in first} == {"sample-parity-postgresql", "tests/test_parity_cmd.py"}
    assert {conftest.xdist_group(n) for n in second} == {"tests/test_mysql.py"}


def test_a_test_using_the_mariadb_server_outside_its_group_fails_collection():
    items = [SimpleNamespace(nodeid="tests/test_x.py::test_y", fixturenames=("mariadb_server",))]
    with pytest.raises(pytest.UsageError, match="tests/test_x.py::test_y uses mariadb_server"):
        conftest._xdist_groups(items)
    conftest._xdist_groups([SimpleNamespace(nodeid="tests/test_mysql.py::test_z", fixturenames=("mariadb_server",))])


def test_once_computes_once_and_the_other_caller_waits_for_it(tmp_path):
    calls, out = [], {}
    entered = threading.Event()

    def compute():
        calls.append(1)
        entered.set()
        time.sleep(0.3)  # the other caller arrives meanwhile and must wait, not compute
        return {"proc": [0, "out", ""], "left": []}

    first = threading.Thread(target=lambda: out.setdefault("a", once_in(tmp_path, "run", compute)))
    first.start()
    entered.wait(5)
    out["b"] = once_in(tmp_path, "run", lambda: calls.append("again") or {"other": 1})
    first.join(5)
    assert calls == [1] and out["a"] == out["b"] == {"proc": [0, "out", ""], "left": []}


def test_once_left_without_a_result_is_computed_by_the_next_caller(tmp_path):
    def dies():
        raise RuntimeError("worker died")

    with pytest.raises(RuntimeError):
        once_in(tmp_path, "run", dies)
    assert not (tmp_path / "run.json").exists()
    assert once_in(tmp_path, "run", lambda: [1, 2]) == [1, 2]
