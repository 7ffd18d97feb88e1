"""Writes of a model whose save receivers are Go stubs (migrator/parity/checks_models.py build_ops): they were left
out, so a renamed GORM json key of such a model was never decoded by any case (celery_beat: every schedule model has
a `PeriodicTasks.update_changed` receiver, 24 json-key mutants "not compared"). They now run, Django's side with
the model signals muted (a declared rule: a note names the receivers). Fast table test on an in-memory model."""

from __future__ import annotations

from types import SimpleNamespace

from migrator.parity.checks_models import build_ops


def _field(name, internal_type="CharField", **kw):
    base = dict(name=name, column=name, primary_key=False, relation=None, editable=True, auto_now=False,
                auto_now_add=False, unique=False, inherited_from="", choices=(), internal_type=internal_type,
                field_class=f"django.db.models.{internal_type}", max_length=40)
    return SimpleNamespace(**{**base, **kw})


def _model(hooks):
    fields = [_field("id", "AutoField", primary_key=True), _field("minute")]
    return SimpleNamespace(label="beat.Crontab", kind="concrete", parents=(), pk="id", fields=fields, hooks=hooks,
                           field=lambda name: next(f for f in fields if f.name == name))


def test_a_model_with_save_receivers_is_written_with_them_muted_on_djangos_side():
    hook = SimpleNamespace(kind="signal", signal="post_save", name="beat.PeriodicTasks.update_changed")
    dump = {"beat.Crontab": [{"id": 1, "minute": "1"}, {"id": 2, "minute": "2"}]}
    skipped: list = []
    ops = build_ops(SimpleNamespace(models=[_model((hook,))]), dump, skipped)
    mute = "post_save beat.PeriodicTasks.update_changed"
    assert [(o["op"], o.get("mute")) for o in ops] == [("update", mute), ("create", mute), ("delete", None)]
    gone = SimpleNamespace(kind="signal", signal="post_delete", name="beat.PeriodicTasks.update_changed")
    ops = build_ops(SimpleNamespace(models=[_model((gone,))]), dump, skipped)
    assert [(o["op"], o.get("mute")) for o in ops] == [
        ("update", None), ("create", None), ("delete", "post_delete beat.PeriodicTasks.update_changed")]
    assert ops[0]["values"] == {"minute": "1_go ✓%"} and skipped == []
    # without a receiver nothing is muted
    plain = build_ops(SimpleNamespace(models=[_model(())]), dump, [])
    assert [(o["op"], o.get("mute")) for o in plain] == [("update", None), ("create", None), ("delete", None)]
