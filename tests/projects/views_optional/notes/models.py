from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=40)


class Note(models.Model):
    author = models.ForeignKey(Author, null=True, blank=True, on_delete=models.SET_NULL)
    rating = models.IntegerField()
    created_at = models.DateTimeField()
