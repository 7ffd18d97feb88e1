import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Tag(models.Model):
    slug = models.SlugField(unique=True)


class Product(models.Model):
    class Kind(models.IntegerChoices):
        BOOK = 1
        GAME = 2

    name = models.CharField(max_length=50)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    kind = models.IntegerField(choices=Kind.choices, default=Kind.BOOK)
    sku = models.UUIDField(default=uuid.uuid4)
    added = models.DateTimeField()
    launch = models.DateField(null=True)
    weight = models.FloatField(null=True)
    tags = models.ManyToManyField(Tag, blank=True)


class Order(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    quantity = models.IntegerField()


class Note(models.Model):
    """Written through a ModelViewSet: create / update / partial update / destroy with DRF's validation."""

    class Priority(models.IntegerChoices):
        LOW = 1
        MID = 2
        HIGH = 3

    title = models.CharField(max_length=20)
    body = models.CharField(max_length=200, blank=True, default="")
    priority = models.IntegerField(choices=Priority.choices, default=Priority.LOW)
    stars = models.IntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    done = models.BooleanField(default=False)


class Task(models.Model):
    """DurationFields, one nullable: DRF writes them as duration_string ("1 02:03:04.000005"); a FileField: its
    absolute URL under MEDIA_URL, null when empty."""

    title = models.CharField(max_length=50)
    spent = models.DurationField()
    pause = models.DurationField(null=True)
    attachment = models.FileField(upload_to="tasks/", blank=True)
