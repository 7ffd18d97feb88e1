"""Which signal receivers write rows (load.receivers): read from their Python, never run.

A receiver that writes makes a translated write site RECEIVER_WRITES (helpdesk's create_usersettings on
User's post_save: Django's database had one UserSettings row more than Go's). A receiver that acts
elsewhere (a file, a cache, a log) does not. The slow end-to-end case is tests/projects/compile_side_effects
(test_compile_isolation.py): give_card through a helper, slug_badge setting the row in pre_save.
"""

from __future__ import annotations

import textwrap

import pytest

from migrator.load.receivers import body_writes, receiver_writes


def src(body: str, params: str = "sender, instance, created, **kwargs") -> str:
    return f"def r({params}):\n" + textwrap.indent(textwrap.dedent(body), "    ")


WRITES = [
    ("UserSettings.objects.create(user=instance)", True),
    ("if created:\n    Profile.objects.get_or_create(user=instance)", True),
    ("Order.objects.filter(user=instance).update(flag=True)", True),
    ("cls.objects.update_or_create(ident=1, defaults={})", True),
    ("Tag._default_manager.bulk_create([])", True),
    ("Tag.objects.all().delete()", True),
    ("instance.article.save()", True),
    ("instance.delete()", True),
    ("instance.tags.add(tag)", True),
    ("instance.groups.clear()", True),
    # not writes: a cache, a log, a file, a plain set, reads, the parent's save
    ("cache.delete(key)", False),
    ("cache.set(key, 1)", False),
    ("seen.add(instance.pk)", False),
    ("logger.info('saved %s', instance)", False),
    ("with open(p, 'w') as fh:\n    fh.write(instance.title)", False),
    ("n = Order.objects.filter(user=instance).count()", False),
    ("Order.objects.get(pk=1)", False),
    ("super().save()", False),
    ("instance.title = 'x'", False),  # post_save: the row is written already, the assignment is in memory
]


@pytest.mark.parametrize("body,writes", WRITES)
def test_a_write_is_read_from_the_body(body, writes):
    found, _ = body_writes(src(body))
    assert bool(found) is writes, found


def test_lines_are_the_files_and_decorators_are_not_the_body():
    source = ('@receiver(post_save, sender=User, dispatch_uid="x")\n'
              "def create_profile(sender, instance, created, raw=False, **kwargs):\n"
              '    """Doc."""\n'
              "    if raw or not created:\n"
              "        return\n"
              "    Profile.objects.get_or_create(user=instance)\n")
    found, calls = body_writes(source, first_line=8)
    assert [(w.line, w.text, w.what) for w in found] == [
        (13, "Profile.objects.get_or_create(user=instance)", "writes rows")]
    assert calls == []  # receiver(...) is the decorator, not a call of the body


def test_pre_save_assignments_to_the_instance_are_writes_of_the_row():
    body = 'badge = kwargs["instance"]\nbadge.slug = badge.name.lower()\nlocal = 1\n'
    found, _ = body_writes(src(body, "sender, **kwargs"), pre_save=True)
    assert [(w.line, w.what) for w in found] == [(3, "sets the row's fields before the write")]
    found, _ = body_writes(src("instance.revision_number = 1"), pre_save=True)
    assert [w.text for w in found] == ["instance.revision_number = 1"]
    assert body_writes(src(body, "sender, **kwargs"), pre_save=False)[0] == []


def test_unparsable_or_not_a_function_is_no_write():
    assert body_writes("x = (") == ([], [])
    assert body_writes("class A: pass") == ([], [])


# live functions the reading follows (this module is their package)

class _Manager:
    def log_create(self, instance):
        return self._write(instance)

    def _write(self, instance):
        return self.create(object_pk=instance.pk)


class LogEntry:
    objects = _Manager()


class Ticks:
    @classmethod
    def changed(cls, instance, **kwargs):
        if not instance.no_changes:
            cls.update_changed()

    @classmethod
    def update_changed(cls, **kwargs):
        cls.objects.update_or_create(ident=1, defaults={})


def _issue(member):
    Card.objects.get_or_create(member=member)  # noqa: F821 - read, never run


def through_helper(sender, instance, created, **kwargs):
    if created:
        _issue(instance)


def through_manager(sender, instance, **kwargs):
    LogEntry.objects.log_create(instance)


def only_elsewhere(sender, instance, **kwargs):
    textwrap.dedent(str(instance))  # another package's function: not followed
    _log(instance)


def _log(instance):
    print(instance)


def where(fn) -> str:
    return f"here.py:{fn.__code__.co_firstlineno}"


@pytest.mark.parametrize("receiver,writes", [
    (through_helper, "Card.objects.get_or_create(member=member) (writes rows)"),
    (Ticks.changed, "cls.objects.update_or_create(ident=1, defaults={}) (writes rows)"),
    (through_manager, "self.create(object_pk=instance.pk) (writes rows)"),
    (only_elsewhere, None),
])
def test_calls_of_the_receivers_package_are_followed(receiver, writes):
    found = receiver_writes(receiver, "post_save", where)
    if writes is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith("here.py:") and found[0].endswith(writes), found
