"""The dump parity compares reads every row as stored: post_init receivers do not run while it loads the rows.
wiki's ImageRevision has an ImageField with width/height fields, whose post_init receiver opens the image file
when they are empty, as a mutant's Go copy held them; the file is not there, and the dump raised: every
mutant of the wiki run was `could not run` (session 11)."""

from __future__ import annotations

from django.db.models import signals

from migrator.parity import django_side
from migrator.parity.datagen import quiet_signals


class Sender:
    pass


def test_the_dump_runs_with_post_init_muted(monkeypatch):
    calls = []

    def opens_the_file(sender, instance, **kwargs):  # ImageField.update_dimension_fields, in short
        calls.append(instance)

    def rows():
        signals.post_init.send(sender=Sender, instance="row")  # what loading a model instance does
        return {"wiki_images.ImageRevision": [{"id": 6, "width": 0}]}

    signals.post_init.connect(opens_the_file, sender=Sender, weak=False)
    try:
        monkeypatch.setattr(django_side, "_dump", rows)
        assert django_side.dump() == {"wiki_images.ImageRevision": [{"id": 6, "width": 0}]}
        assert calls == []
        signals.post_init.send(sender=Sender, instance="row")  # restored after the dump
        assert calls == ["row"]
    finally:
        signals.post_init.disconnect(opens_the_file, sender=Sender)


def test_quiet_signals_mutes_the_model_signals_it_is_given_only():
    seen = []

    def receiver(sender, **kwargs):
        seen.append(sender)

    signals.pre_save.connect(receiver, sender=Sender, weak=False)
    try:
        with quiet_signals(("post_init",)):
            signals.pre_save.send(sender=Sender, instance=None)
        with quiet_signals():
            signals.pre_save.send(sender=Sender, instance=None)
        assert seen == [Sender]
    finally:
        signals.pre_save.disconnect(receiver, sender=Sender)
