from django.db import models


class Tag(models.Model):
    code = models.CharField(primary_key=True, max_length=20)  # not an auto field: create() reads nothing back
    label = models.CharField(max_length=50)


class Show(models.Model):
    title = models.CharField(max_length=100)
    start = models.DateTimeField()
    day = models.DateField(null=True)
    active = models.BooleanField(default=True)
    public = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, blank=True)


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
