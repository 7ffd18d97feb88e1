"""Receivers with side effects, as real projects have them: a search index under BASE_DIR, a file saved
through the storage (MEDIA_ROOT), an e-mail, a cache entry, and a line appended to an absolute path."""
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from .models import Note


def index(name: str, text: str) -> None:
    settings.SEARCH_INDEX.mkdir(exist_ok=True)
    with open(settings.SEARCH_INDEX / name, "a", encoding="utf-8") as fh:
        fh.write(text + "\n")


def audit(text: str) -> None:
    try:
        with open(settings.AUDIT_LOG, "a", encoding="utf-8") as fh:
            fh.write(text + "\n")
    except OSError:  # a logger that copes with a read-only disk
        pass


@receiver(post_migrate)
def migrated(sender, **kwargs):
    if sender.name != "sidefx":
        return
    index("migrated.txt", "migrated")
    cache.set("sidefx-migrated", True)
    send_mail("migrated", "the schema changed", "app@example.com", ["ops@example.com"])
    audit("migrated")


@receiver(post_save, sender=Note)
def note_saved(sender, instance, created, **kwargs):
    index("notes.txt", f"{instance.pk} {instance.title}")
    default_storage.save(f"notes/{instance.pk}.txt", ContentFile(instance.title.encode("utf-8")))
    send_mail(f"note {instance.pk}", instance.title, "app@example.com", ["ops@example.com"])
    audit(f"saved {instance.pk}")
