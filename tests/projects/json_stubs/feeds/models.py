from django.db import models


class Entry(models.Model):
    title = models.CharField(max_length=50)
    read = models.BooleanField(default=False)


class Calendar(models.Model):  # django-scheduler's Calendar and Event, reduced
    slug = models.SlugField(unique=True)


class Event(models.Model):
    start = models.DateTimeField()
    title = models.CharField(max_length=255)
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE)
