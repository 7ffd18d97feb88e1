"""migrator.parallel.in_parallel: the per-dialect steps of a large project on two cores, same results."""

from __future__ import annotations

import os

from migrator import parallel


def test_results_in_order_with_the_first_item_in_a_child():
    pids = parallel.in_parallel(lambda x: (x, os.getpid()), ["sqlite", "postgresql"], work=10_000)
    assert [p[0] for p in pids] == ["sqlite", "postgresql"]
    assert pids[0][1] != os.getpid() and pids[1][1] == os.getpid()  # it did fork


def test_a_failing_child_is_redone_here():
    here = os.getpid()

    def only_here(x):
        if os.getpid() != here:
            raise RuntimeError("the child fails")
        return x * 2

    assert parallel.in_parallel(only_here, [1, 2], work=10_000) == [2, 4]


def test_small_work_runs_in_this_process():
    assert parallel.in_parallel(lambda x: os.getpid(), [1, 2], work=parallel.PARALLEL_FROM - 1) == [os.getpid()] * 2


def test_started_runs_beside_the_caller_and_hands_on_its_result_or_error():
    import threading

    gate = threading.Event()
    # it waits for this thread to let it go: run in the caller's thread, it would time out and give None
    wait = parallel.started(lambda x: x * 2 if gate.wait(5) else None, 21)
    gate.set()
    assert wait() == 42

    def fails():
        raise ValueError("the loader failed")

    wait = parallel.started(fails)
    try:
        wait()
    except ValueError as exc:
        assert str(exc) == "the loader failed"
    else:
        raise AssertionError("the error was lost")


def test_generate_starts_the_drf_read_only_when_the_views_are_read():
    from migrator.generate import _drf_later

    assert _drf_later(None, ("gorm", "sqlc"), ("sqlite", "postgresql")) is None  # no http target
    assert _drf_later(None, ("gorm", "sqlc", "http"), ("sqlite",)) is None  # one dialect: every view a stub
    assert _drf_later(None, ("gorm", "http"), ("sqlite", "postgresql")) is None  # no sqlc target: stubs too
