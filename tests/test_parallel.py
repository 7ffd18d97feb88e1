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


class _Worker:
    """A stand-in for the session's Django process (load.Worker): answers the DRF request."""

    def __init__(self, reply):
        self.reply, self.sent, self.killed = reply, [], False
        self.proc = self

    def poll(self):
        return None

    def send(self, **request):
        self.sent.append(request)
        return "out"

    def receive(self, out):
        return self.reply

    def kill(self):
        self.killed = True


class _Session:
    def __init__(self, worker):
        self.worker = worker


def test_the_drf_read_is_one_request_to_the_session_django(tmp_path):
    """generate / analyze --http: ONE DRF read, in the process that loaded the project, waited on by both users."""
    from migrator.load.drf_once import drf_read

    worker = _Worker({"drf": {"views": {}}, "diagnostics": []})
    wait = drf_read(_drf_project(tmp_path, True), _Session(worker))
    assert worker.sent == []  # nothing asked before a user waits
    assert wait() == {"views": {}} and wait() == {"views": {}}  # the derivation, then the view translator
    assert worker.sent == [{"drf": True}]
    assert drf_read(_drf_project(tmp_path, False), _Session(worker)) is None  # no DRF installed: no read at all


def test_a_drf_read_asked_at_load_is_received_not_asked_again(tmp_path):
    """Session(drf=True): load_project asks for the DRF read as soon as the registry is read (the Django process
    collects it while the parent scans); the wait receives that request's result and sends nothing more."""
    from migrator.load.drf_once import drf_read

    worker = _Worker({"drf": {"views": {"v": {}}}, "diagnostics": []})
    worker.receive = lambda out: {"drf": {"views": {out: {}}}}
    session = _Session(worker)
    session.drf_reply = "early.json"
    assert drf_read(_drf_project(tmp_path, True), session)() == {"views": {"early.json": {}}}
    assert worker.sent == [] and session.drf_reply is None


def test_a_drf_read_that_fails_or_overruns_gives_no_drf_facts(tmp_path):
    from migrator.load.drf_once import drf_read

    failed = _Worker({"diagnostics": [{"code": "WORKER_FAILED"}]})
    assert drf_read(_drf_project(tmp_path, True), _Session(failed))() is None and not failed.killed
    stalled = _Worker({"stalled": True})
    assert drf_read(_drf_project(tmp_path, True), _Session(stalled))() is None and stalled.killed
