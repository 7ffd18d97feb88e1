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


def _drf_project(root, installed: bool):
    from migrator.ir import App, Project

    apps = (App(label="rest_framework", name="rest_framework", path="", origin="external"),) if installed else ()
    return Project(root=str(root), settings_module="shop.settings", django_version="5", apps=apps, models=(),
                   querysets=())


def _settings(root, text: str):
    (root / "shop").mkdir()
    (root / "shop" / "settings.py").write_text("from .base import *\n")
    (root / "shop" / "base.py").write_text(text)


def test_the_drf_read_starts_with_the_load_once_when_the_settings_name_drf(tmp_path, monkeypatch):
    """generate / analyze --http: ONE DRF read, started before Django loads, waited on by both its users."""
    from migrator.load import drf_once

    reads = []
    monkeypatch.setattr(drf_once, "_read_drf", lambda root, settings: reads.append(settings) or {"views": {}})
    _settings(tmp_path, "INSTALLED_APPS = ['rest_framework']\n")  # named in a module of the settings' package
    reading = drf_once.DRFRead(tmp_path, "shop.settings")
    wait = reading.waiter(_drf_project(tmp_path, True))
    assert wait is reading.waiter(_drf_project(tmp_path, True))  # the second user waits on the same read
    assert wait() == {"views": {}} and wait() == {"views": {}}
    reading.close()
    assert reads == ["shop.settings"]
    assert drf_once.DRFRead(tmp_path, "shop.settings", wanted=False).waiter(_drf_project(tmp_path, False)) is None


def test_the_drf_read_starts_after_the_load_when_the_settings_guess_missed(tmp_path, monkeypatch):
    from migrator.load import drf_once

    reads = []
    monkeypatch.setattr(drf_once, "_read_drf", lambda root, settings: reads.append(settings))
    _settings(tmp_path, "INSTALLED_APPS = []\n")
    reading = drf_once.DRFRead(tmp_path, "shop.settings")
    reading.close()
    assert reads == []  # nothing started before the load
    assert reading.waiter(_drf_project(tmp_path, False)) is None  # no DRF installed: no read at all
    wait = reading.waiter(_drf_project(tmp_path, True))  # installed after all (INSTALLED_APPS built elsewhere)
    assert wait() is None and reads == ["shop.settings"]
