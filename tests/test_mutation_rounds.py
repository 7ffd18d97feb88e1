"""The mutation run's per-round work (migrator/parity/mutation.py), on fakes: no process is started."""

from __future__ import annotations

from migrator.parity.mutation import _dumps


class FakeDjango:
    """ctx.django / ctx.django_batch over databases named 'okN' / 'badN': a bad one makes its batch fail, as a
    value Django's converters refuse does. Counts the Django processes a real context would start."""

    def __init__(self):
        self.processes = 0

    def django(self, db, command):
        self.processes += 1
        if db.startswith("bad"):
            raise RuntimeError(f"django_side {command} failed:\nValueError: {db}")
        return {"db": db}

    def django_batch(self, jobs):
        self.processes += 1
        if any(j["database"].startswith("bad") for j in jobs):
            raise RuntimeError("django_side batch failed")
        return [{"db": j["database"]} for j in jobs]


def test_one_unreadable_copy_costs_a_few_processes_not_one_per_copy():
    dbs = [f"ok{i}" for i in range(90)]
    dbs[37] = "bad37"
    ctx = FakeDjango()
    out = _dumps(ctx, dbs)
    assert [x if isinstance(x, str) else x["db"] for x in out][:37] == dbs[:37]
    assert out[37] == "Django cannot read the database Go wrote: django_side dump failed:\nValueError: bad37"
    assert [x["db"] for x in out[38:]] == dbs[38:]
    assert ctx.processes <= 2 * 7 + 1  # halving 90 down to 1 (the fallback was 1 + 90)


def test_every_copy_read_in_one_process_when_none_is_refused():
    ctx = FakeDjango()
    assert _dumps(ctx, ["ok1", "ok2"]) == [{"db": "ok1"}, {"db": "ok2"}] and ctx.processes == 1
    assert _dumps(ctx, []) == []


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
