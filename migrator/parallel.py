"""Run independent per-dialect steps on two cores (see ``in_parallel``)."""

from __future__ import annotations

import os
import pickle
import threading

PARALLEL_FROM = 200  # models or sites: below this, a second process costs more than it saves


def in_parallel(fn, items: list, work: int) -> list:
    """``[fn(x) for x in items]``, the first item in a forked child while this process does the rest.

    For the per-dialect steps of a large project (Django's schema and compile in the loader, sqlglot's
    rewrite in translate): independent, about 1 ms per model or site each, so two cores halve them.
    Fork (not spawn): the child inherits everything, nothing is pickled but the result. Where fork is
    missing or fails, threads run, or the work is small (``work`` < PARALLEL_FROM), it runs here in turn."""
    # a process with other threads (a project may start some while Django boots) is not forked: a lock
    # another thread holds would stay held in the child forever
    if len(items) < 2 or work < PARALLEL_FROM or not hasattr(os, "fork") or threading.active_count() > 1:
        return [fn(x) for x in items]
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return [fn(x) for x in items]
    if pid == 0:  # the child: one item, its result pickled to the pipe, then gone without cleanup handlers
        code = 0
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as fh:
                pickle.dump(fn(items[0]), fh, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - the parent redoes the item
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    rest = [fn(x) for x in items[1:]]
    with os.fdopen(read_end, "rb") as fh:
        data = fh.read()
    _, status = os.waitpid(pid, 0)
    first = pickle.loads(data) if status == 0 and data else fn(items[0])
    return [first, *rest]


def started(fn, *args):
    """``fn(*args)`` in a thread while the caller goes on (for a step that mostly waits on a process of its own,
    such as a Django boot); the returned callable waits for the result, or raises what ``fn`` raised."""
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller that waits
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def wait():
        thread.join()
        if "error" in box:
            raise box["error"]
        return box["value"]
    return wait
