"""The queries check's write round (checks_queries._write_round): every write of a round on three copies (Go's,
Django's first run, Django's second), Django's runs and the three copies' dumps in ONE Django process (a batch), in
the order three processes ran them before (every first run, every second run, then the dumps), and each result
paired with its own copies."""

from __future__ import annotations

from types import SimpleNamespace

from migrator.parity import checks_queries


class FakeContext:
    def __init__(self, tmp):
        self.tmp_dir, self.batches, self.dropped, self.query_runs, self.url = tmp, [], [], {}, "db:loaded"
        self.scratch = SimpleNamespace(copy=lambda url, name: f"db:{name}", drop=self.dropped.append)

    def tmp(self, name):
        return self.tmp_dir / name

    def go(self, program, db, cases):
        return [{"value": f"go on {db}"}]

    def django_batch(self, jobs):
        self.batches.append([(j["command"], j["database"]) for j in jobs])
        return [[{"value": f"django on {j['database']}"}] if j["command"] == "querysets"
                else {"app.T": [{"id": 1, "db": j["database"]}]} for j in jobs]


def test_a_round_is_one_django_process_and_each_write_gets_its_own_copies(tmp_path, monkeypatch):
    monkeypatch.setattr(checks_queries, "_cases", lambda ctx, q, values, params_of: ({"q": q.name}, {"q": q.name}))
    ctx = FakeContext(tmp_path)
    items = [(i, SimpleNamespace(name=f"Q{i}", model="app.T"), {}, None, {"col"}) for i in (0, 1)]
    out = checks_queries._write_round(ctx, items)
    assert ctx.batches == [[("querysets", "db:w0_dj1"), ("querysets", "db:w1_dj1"), ("querysets", "db:w0_dj2"),
                            ("querysets", "db:w1_dj2"), ("dump", "db:w0_go"), ("dump", "db:w0_dj1"),
                            ("dump", "db:w0_dj2"), ("dump", "db:w1_go"), ("dump", "db:w1_dj1"), ("dump", "db:w1_dj2")]]
    for i, res in enumerate(out):
        assert res["query"] == f"Q{i}" and res["go"] == {"value": f"go on db:w{i}_go"}
        assert res["django"] == {"value": f"django on db:w{i}_dj1"} and res["django2"] == {"value": f"django on db:w{i}_dj2"}
        assert res["after_go"]["app.T"][0]["db"] == f"db:w{i}_go" and res["after_django"]["app.T"][0]["db"] == f"db:w{i}_dj1"
        assert res["skip"] == {("app.T", "db"), ("app.T", "col")}  # the two Django runs' dumps differ in "db" here
    assert sorted(ctx.dropped) == sorted(f"db:w{i}_{s}" for i in (0, 1) for s in ("go", "dj1", "dj2"))
