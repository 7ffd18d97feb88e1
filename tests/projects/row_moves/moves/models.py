from django.db import models


class Calendar(models.Model):  # django-scheduler's Calendar and Event, reduced
    slug = models.SlugField(unique=True)


class Event(models.Model):
    start = models.DateTimeField()
    end = models.DateTimeField()
    updated_on = models.DateTimeField(auto_now=True)
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)  # a nullable key save() writes


class Occurrence(models.Model):  # django-scheduler's, reduced: moved with its event by F() + a timedelta
    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    original_start = models.DateTimeField()
    original_end = models.DateTimeField()


if __import__("os").environ.get("ROW_MOVES_GLOBAL_RECEIVER"):  # tests/test_row_moves.py: a receiver for every model
    from django.db.models.signals import post_save

    def reindex(sender, instance, **kwargs):  # haystack's RealtimeSignalProcessor connects its handle_save so
        pass

    post_save.connect(reindex, dispatch_uid="row_moves_reindex")
