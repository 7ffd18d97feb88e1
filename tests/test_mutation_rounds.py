"""The mutation run's per-round work (migrator/parity/mutation.py), on fakes: no process is started."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrator.parity import django_side
from migrator.parity.mutation import _dumps


class FakeDjango:
    """ctx.django_batch over databases named 'okN' / 'badN' (a bad one holds a value Django's converters refuse): with
    keep_going the bad copy answers its error and the others their dumps, as django_side's batch does; without it
    the whole batch fails. Counts the Django processes a real context would start."""

    def __init__(self):
        self.processes = 0

    def django(self, db, command):
        self.processes += 1
        if db.startswith("bad"):
            raise RuntimeError(f"django_side {command} failed:\nValueError: {db}")
        return {"db": db}

    def django_batch(self, jobs, keep_going=False):
        self.processes += 1
        if not keep_going and any(j["database"].startswith("bad") for j in jobs):
            raise RuntimeError("django_side batch failed")
        return [f"django_side dump failed:\nValueError: {j['database']}" if j["database"].startswith("bad")
                else {"db": j["database"]} for j in jobs]


def test_one_unreadable_copy_costs_one_process_for_all_copies():
    dbs = [f"ok{i}" for i in range(90)]
    dbs[37] = "bad37"
    ctx = FakeDjango()
    out = _dumps(ctx, dbs)
    assert [x if isinstance(x, str) else x["db"] for x in out][:37] == dbs[:37]
    assert out[37] == "Django cannot read the database Go wrote: django_side dump failed:\nValueError: bad37"
    assert [x["db"] for x in out[38:]] == dbs[38:]
    assert ctx.processes == 1  # halving the batch down to the bad copy cost 15; one process per copy, 91


def test_every_copy_read_in_one_process_when_none_is_refused():
    ctx = FakeDjango()
    assert _dumps(ctx, ["ok1", "ok2"]) == [{"db": "ok1"}, {"db": "ok2"}] and ctx.processes == 1


def test_a_batch_job_that_keeps_going_answers_its_traceback(monkeypatch):
    """django_side's batch: a keep_going job's failure is its answer (the traceback a process of its own would
    print); the next job still runs; a job without keep_going ends the batch as before."""
    monkeypatch.setattr(django_side, "switch_database", lambda url: None)
    runs = []

    def command(name, args):
        runs.append(name)
        if name == "bad":
            raise ValueError("a value Django's converters refuse")
        return {"ok": name}

    monkeypatch.setattr(django_side, "run_command", command)
    jobs = [{"database": "a", "command": "bad", "keep_going": True}, {"database": "b", "command": "dump", "keep_going": True}]
    first, second = [django_side.batch_job(j) for j in jobs]
    assert first[django_side.FAILED].strip().splitlines()[-1] == "ValueError: a value Django's converters refuse"
    assert first[django_side.FAILED].startswith("Traceback (most recent call last):")
    assert second == {"ok": "dump"} and runs == ["bad", "dump"]
    with pytest.raises(ValueError):
        django_side.batch_job({"database": "a", "command": "bad"})


class FakeContext:
    """What checks_models._go_writes uses of a Context, recording the processes it would start."""

    url = "loaded"

    def __init__(self):
        self.calls, self.copies = [], 0

    def go(self, program, command, db, ops):
        self.calls.append(("go", command, db))
        return [{"pk": 1}]

    def django(self, db, command, *args):
        self.calls.append(("django", command, db))
        return [{"pk": 1}]

    def django_batch(self, jobs):
        self.calls.append(("batch", tuple((j["command"], j["database"]) for j in jobs)))
        return [{"dump": j["database"]} if j["command"] == "dump" else {} for j in jobs]

    @property
    def scratch(self):
        return self

    def copy(self, url, name):
        self.copies += 1
        return f"{name}.{self.copies}"

    def drop(self, db):
        pass


def test_the_models_check_runs_djangos_writes_once_per_database():
    """The mutation run calls the models check again on every mutated tree: only Go's side changed there, so Django's
    two applies and their dumps (four Django processes a round) come from the first call."""
    from migrator.parity.checks_models import _go_writes

    ctx, kept = FakeContext(), {"ops_file": "ops.json"}
    first = _go_writes(ctx, kept)
    assert [c[:2] for c in ctx.calls] == [("go", "apply"), ("django", "apply"), ("django", "apply"), ("batch", (
        ("dump", "ops_go.1"), ("dump", "ops_dj1.2"), ("dump", "ops_dj2.3"), ("clean", "ops_go.1"), ("clean", "ops_dj1.2")))]
    assert first == ([{"pk": 1}], {"dump": "ops_go.1"}, {}) and kept["after"] == ({"dump": "ops_dj1.2"}, {"dump": "ops_dj2.3"})
    ctx.calls.clear()
    again = _go_writes(ctx, kept)
    assert [c[:2] for c in ctx.calls] == [("go", "apply"), ("batch", (("dump", "ops_go.4"), ("clean", "ops_go.4")))]
    assert again == ([{"pk": 1}], {"dump": "ops_go.4"}, {}) and kept["after"] == ({"dump": "ops_dj1.2"}, {"dump": "ops_dj2.3"})


def test_the_context_turns_a_kept_failure_into_the_message_a_process_of_its_own_raised(tmp_path):
    from migrator.parity.context import Context

    ctx = Context(root=tmp_path, settings="s", dialect="sqlite", tree=tmp_path, work=tmp_path, bin=tmp_path,
                  generated=None, scratch=None)
    tb = "Traceback (most recent call last):\n  File x\n    raise\n  File y\n    to_python\nValueError: refused\n"
    sent = []

    def django(db, command, path):
        sent.append(json.loads(Path(path).read_text()))
        return [{"app.Model": []}, {django_side.FAILED: tb}]

    ctx.django = django
    jobs = [{"database": "m0", "command": "dump"}, {"database": "m1", "command": "dump"}]
    assert ctx.django_batch(jobs, keep_going=True) == [
        {"app.Model": []}, "django_side dump failed:\n    raise\n  File y\n    to_python\nValueError: refused"]
    assert [j["keep_going"] for j in sent[0]] == [True, True]
    ctx.django_batch(jobs)
    assert "keep_going" not in sent[1][0]  # the other callers' batches still end at the first failure
