from django.db import models


class Calendar(models.Model):  # django-scheduler's Calendar and Event, reduced
    slug = models.SlugField(unique=True)


class Event(models.Model):
    start = models.DateTimeField()
    end = models.DateTimeField()
    updated_on = models.DateTimeField(auto_now=True)
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE)
