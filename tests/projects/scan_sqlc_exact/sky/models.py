from django.db import models


class Place(models.Model):
    name = models.CharField(max_length=40)
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    opened = models.DateField()

    class Meta:
        ordering = ["name"]


class Job(models.Model):
    title = models.CharField(max_length=40)
    zone = models.CharField(max_length=40)
    rank = models.IntegerField()
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["rank", "title"]


class LetterManager(models.Manager):
    def thread(self, filter: models.Q):
        return self.select_related("sender", "recipient").filter(filter).order_by("id")


class Person(models.Model):
    name = models.CharField(max_length=40)
    joined = models.DateField()


class Letter(models.Model):
    subject = models.CharField(max_length=40)
    thread = models.IntegerField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    sender = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="sent")
    recipient = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="received")

    objects = LetterManager()
