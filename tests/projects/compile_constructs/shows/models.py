from django.core.exceptions import ValidationError
from django.db import models


class Tag(models.Model):
    code = models.CharField(primary_key=True, max_length=20)  # not an auto field: create() reads nothing back
    label = models.CharField(max_length=50)


class ShowManager(models.Manager):
    def titled(self, text, filter: models.Q):
        return self.filter(filter, title__icontains=text)

    def listed(self, first):  # a Q built from its argument, not a QuerySet
        return models.Q(id__gte=first) & models.Q(active=True)


class Show(models.Model):
    title = models.CharField(max_length=100)
    start = models.DateTimeField()
    day = models.DateField(null=True)
    active = models.BooleanField(default=True)
    public = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, blank=True)

    objects = ShowManager()


class Slot(models.Model):
    doors = models.TimeField()  # apart: the Go type of a time column on PostgreSQL is sqlc's (pgtype.Time)


class Note(models.Model):
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="notes")
    text = models.CharField(max_length=200)


class Board(models.Model):
    name = models.CharField(max_length=50)
    notes_seen = models.IntegerField(default=0)

    def save(self, *args, **kwargs):
        self.notes_seen = Note.objects.count()  # a query of its own before the INSERT
        super().save(*args, **kwargs)


class Plugin(models.Model):  # a parent table: a Poster's key is its plugin_ptr, the same value as Plugin.id
    shows = models.ManyToManyField(Show, blank=True, related_name="plugins")


class Poster(Plugin):
    caption = models.CharField(max_length=50)


class Revision(models.Model):
    plugin = models.ForeignKey(Plugin, on_delete=models.CASCADE, related_name="revision_set")
    number = models.IntegerField()


class Shift(models.Model):  # apart, last: SUM of a DurationField on PostgreSQL is an untyped interval in Go
    length = models.DurationField(null=True)


class URIList(models.JSONField):  # oauth2_provider's ResourceJSONField: a list of texts or nothing
    def get_db_prep_value(self, value, connection, prepared=False):
        if value is not None and (not isinstance(value, list) or not all(isinstance(x, str) for x in value)):
            raise ValidationError("Resource must be a list of URI strings")
        return super().get_db_prep_value(value, connection, prepared)


class Grant(models.Model):  # apart, last: its stand-in must be a list (COMPILE_FAILED with an object before)
    label = models.CharField(max_length=50)
    resource = URIList(default=list)
