from django.db import models


class Book(models.Model):
    GENRES = [("sf", "Science fiction"), ("po", "Poetry")]
    title = models.CharField(max_length=40)
    genre = models.CharField(max_length=2, choices=GENRES)
    isbn = models.CharField(max_length=13, unique=True)
