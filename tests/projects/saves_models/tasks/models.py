"""save() overrides of the corpus, by family: the first three are ported into the generated BeforeSave hook,
the last runs a query and stays a scaffold (hooks_setting.go) naming what to port."""

import datetime
import uuid

from django.db import models
from django.utils import timezone


class Task(models.Model):  # django-todo's Task.save(): a date set from a flag
    title = models.CharField(max_length=30)
    completed = models.BooleanField(default=False)
    completed_date = models.DateField(blank=True, null=True)
    touched = models.DateTimeField(blank=True, null=True)

    def save(self, **kwargs):
        # If Task is being marked complete, set the completed_date
        if self.completed:
            self.completed_date = datetime.datetime.now()
        else:
            self.touched = timezone.now()
        super(Task, self).save()


class Ticket(models.Model):  # django-helpdesk's Ticket.save(): a title cut to its column's length
    title = models.CharField(max_length=200)

    def save(self, *args, **kwargs):
        if len(self.title) > 200:
            self.title = self.title[:197] + "..."

        super().save(*args, **kwargs)


class Box(models.Model):  # django-helpdesk's Queue.save(): Python defaults that depend on other fields
    kind = models.CharField(max_length=5, blank=True, null=True)
    folder = models.CharField(max_length=20, blank=True, null=True)
    port = models.IntegerField(blank=True, null=True)
    host = models.CharField(max_length=20, blank=True, null=True)

    def save(self, *args, **kwargs):
        if self.kind == "imap" and not self.folder:
            self.folder = "INBOX"
        if not self.port:
            self.port = 143
        if not self.kind:
            self.host = None
        super().save(*args, **kwargs)


class Note(models.Model):  # django-helpdesk's KBItem.save() and IgnoreEmail.save(): NOT NULL dates set when unset
    stamp = models.DateTimeField()
    day = models.DateField()

    def save(self, *args, **kwargs):
        if not self.stamp:
            self.stamp = timezone.now()
        if not self.day:
            self.day = timezone.now()
        return super().save(*args, **kwargs)


class Invite(models.Model):  # django-organizations' OrganizationInvitation.save(): a random UUID when unset
    guid = models.UUIDField()
    code = models.CharField(max_length=36, blank=True)

    def save(self, **kwargs):
        if not self.guid:
            self.guid = str(uuid.uuid4())
        if not self.code:
            self.code = str(uuid.uuid4())
        return super().save(**kwargs)


class Setting(models.Model):  # django-nyt's Settings.save(): it runs a query, so it is not ported
    owner = models.CharField(max_length=20)
    is_default = models.BooleanField(default=False)

    def save(self, *args, **kwargs):
        if self.is_default:
            Setting.objects.filter(owner=self.owner, is_default=True).exclude(pk=self.pk).update(is_default=False)
        super().save(*args, **kwargs)


class Page(models.Model):  # wiki's URLPath.delete() asserts, organizations' OrganizationUser.delete() raises
    locked = models.BooleanField(default=False)
    depth = models.IntegerField(default=0)

    def delete(self, *args, **kwargs):
        assert not (self.locked and self.depth), "You cannot delete a locked page below the root."
        if self.depth > 2:
            raise PermissionError("too deep to delete")
        super().delete(*args, **kwargs)
