"""Receivers and overrides with effects outside the process, like a search index updated on save."""

import fcntl
import os
import threading

from django.conf import settings
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

# A lock another thread holds for ever, as a search backend's writer thread may.
_HELD = threading.Lock()
_HELD.acquire()


class Tag(models.Model):
    name = models.CharField(max_length=50)


class TrapField(models.CharField):
    """Converts values in Python as Django compiles a lookup on it: some values never come back."""

    def get_prep_value(self, value):
        if value == "stuck":
            _HELD.acquire()  # waits for ever: the per-site time limit must end it
        elif value == "stubborn":
            while True:  # a retry loop that swallows everything, the time limit's exception included
                try:
                    _HELD.acquire()
                except BaseException:  # noqa: B036
                    pass
        elif value == "crash":
            os._exit(3)  # the process ends: the worker is restarted without this site
        return super().get_prep_value(value)


class Note(models.Model):
    title = models.CharField(max_length=100)
    body = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True)

    mood = TrapField(max_length=20, blank=True)


class Slugged(models.Model):
    title = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, blank=True)

    def save(self, *args, **kwargs):
        # a save() override that runs a query: the slug loop of many real projects
        base = self.title.lower().replace(" ", "-")
        self.slug = base
        n = 1
        while Slugged.objects.filter(slug=self.slug).exists():
            n += 1
            self.slug = f"{base}-{n}"
        super().save(*args, **kwargs)


class Stamped(models.Model):
    title = models.CharField(max_length=100)

    def save(self, *args, **kwargs):
        # a save() override with Python only: the sentinel's query is the same, but a title with spaces
        # around is written stripped (the probe compile shows it)
        self.title = self.title.strip()
        super().save(*args, **kwargs)


class Dated(models.Model):
    title = models.CharField(max_length=100)
    day = models.DateTimeField(null=True, blank=True)

    def save(self, *args, **kwargs):
        # sets an unset date to now (helpdesk's KBItem.save): the plain save binds NULL there, not a stamp
        if not self.day:
            self.day = timezone.now()
        super().save(*args, **kwargs)


class Logged(models.Model):
    title = models.CharField(max_length=100)
    made = models.DateTimeField(default=timezone.now)

    def save(self, *args, **kwargs):
        # Python that changes no value a caller passes; `made` differs between two compiles either way (a
        # default callable): translated
        if self.title is None:
            self.title = ""
        super().save(*args, **kwargs)


class Exported(models.Model):
    title = models.CharField(max_length=100)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # a save() override that writes a file next to the project (an export, a thumbnail)
        with open(os.path.join(settings.BASE_DIR, f"export-{self.pk}.txt"), "w") as fh:
            fh.write(self.title)


@receiver(post_save, sender=Note)
def index_note(sender, instance, **kwargs):
    """Takes a file lock and writes a file into the project, like haystack's Whoosh backend."""
    os.makedirs(settings.INDEX_DIR, exist_ok=True)
    with open(os.path.join(settings.INDEX_DIR, "LOCK"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with open(os.path.join(settings.INDEX_DIR, f"note-{instance.pk}.txt"), "w") as fh:
            fh.write(instance.title)


@receiver(pre_save, sender=Note)
def block_forever(sender, instance, **kwargs):
    _HELD.acquire()  # a lock another thread holds: this receiver never returns


@receiver(post_delete, sender=Note)
@receiver(m2m_changed, sender=Note.tags.through)
def touch_index(sender, **kwargs):
    os.makedirs(settings.INDEX_DIR, exist_ok=True)
    open(os.path.join(settings.INDEX_DIR, "touched"), "w").close()


@receiver(post_save, sender=Tag)
def write_beside(sender, instance, **kwargs):
    # a plain file next to manage.py
    with open(os.path.join(settings.BASE_DIR, "written_by_receiver.txt"), "a") as fh:
        fh.write(instance.name)


class Member(models.Model):
    name = models.CharField(max_length=100)
    rank = models.IntegerField(default=0)


class Card(models.Model):
    member = models.OneToOneField(Member, on_delete=models.CASCADE)


def _issue_card(member):
    Card.objects.get_or_create(member=member)


@receiver(post_save, sender=Member)
def give_card(sender, instance, created, **kwargs):
    # a receiver that writes a row of its own, through a helper (helpdesk's create_usersettings)
    if created:
        _issue_card(instance)


class Badge(models.Model):
    name = models.CharField(max_length=100)
    slug = models.CharField(max_length=100, blank=True)


@receiver(pre_save, sender=Badge)
def slug_badge(sender, **kwargs):
    # a pre_save receiver that sets a field of the row being written
    badge = kwargs["instance"]
    badge.slug = badge.name.lower()
