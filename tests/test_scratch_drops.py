"""PostgreSQL scratch copies are dropped in batches (parity/scratch.py): every DROP DATABASE forces a checkpoint,
about a second each on a loaded machine when run after every use. The statements the server receives, recorded by a
stand-in connection (no server is started)."""

from __future__ import annotations

import pytest

from migrator.parity import scratch as scratch_mod
from migrator.parity.scratch import DROP_BATCH, Scratch


class Recorder:
    def __init__(self, log: list[str]):
        self.log = log

    def execute(self, statement):
        self.log.append(statement.as_string(None) if hasattr(statement, "as_string") else str(statement))

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def pg(monkeypatch, tmp_path):
    log: list[str] = []
    monkeypatch.setattr(Scratch, "_admin", lambda self: Recorder(log))
    monkeypatch.setattr(scratch_mod.uuid, "uuid4", lambda: type("U", (), {"hex": "abcdef0123456789"})())
    return Scratch("postgresql://postgres@127.0.0.1:5/parity", tmp_path), log


def test_drops_wait_for_a_batch_and_a_name_asked_again_is_a_new_database(pg):
    s, log = pg
    loaded = s.fresh("loaded")
    first = s.copy(loaded, "m0")
    s.drop(first)
    second = s.copy(loaded, "m0")  # the next round's m0, while the first one waits for its drop
    assert first.endswith("/parity_abcdef01_m0") and second.endswith("/parity_abcdef01_m0_1")
    assert log == ['CREATE DATABASE "parity_abcdef01_loaded"',
                   'CREATE DATABASE "parity_abcdef01_m0" TEMPLATE "parity_abcdef01_loaded"',
                   'CREATE DATABASE "parity_abcdef01_m0_1" TEMPLATE "parity_abcdef01_loaded"']
    s.drop(second)
    copies = [s.copy(loaded, f"w{i}") for i in range(DROP_BATCH - 2)]
    for url in copies[:-1]:
        s.drop(url)
    assert not [x for x in log if x.startswith("DROP")]  # DROP_BATCH - 1 waiting
    s.drop(copies[-1])
    drops = [x for x in log if x.startswith("DROP")]
    assert drops == [f'DROP DATABASE IF EXISTS "{u.rsplit("/", 1)[1]}" WITH (FORCE)' for u in [first, second, *copies]]


def test_close_drops_the_waiting_and_the_live_databases(pg):
    s, log = pg
    loaded = s.fresh("loaded")
    s.drop(s.copy(loaded, "m0"))
    s.close()
    assert [x for x in log if x.startswith("DROP")] == ['DROP DATABASE IF EXISTS "parity_abcdef01_m0" WITH (FORCE)',
                                                         'DROP DATABASE IF EXISTS "parity_abcdef01_loaded" WITH (FORCE)']
