import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver

WAITS = [(datetime.timedelta(minutes=5), "short"), (datetime.timedelta(hours=1, microseconds=1), "long")]


class Maker(models.Model):
    name = models.CharField(max_length=12, unique=True)
    code = models.CharField(max_length=8, unique=True, null=True)  # unique=True added by a later migration

    def __str__(self):
        return self.name


class Gadget(models.Model):
    maker = models.ForeignKey(Maker, on_delete=models.CASCADE)
    name = models.CharField(max_length=40)
    kind = models.CharField(max_length=1, choices=[("a", "A"), ("b", "B")])
    size = models.PositiveIntegerField()
    rating = models.IntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    price = models.DecimalField(max_digits=6, decimal_places=2)
    made = models.DateTimeField()
    blob = models.BinaryField(null=True)
    wait = models.DurationField(choices=WAITS, default=datetime.timedelta(minutes=5))

    class Meta:
        unique_together = [("maker", "kind")]

    def __str__(self):
        if self.size % 2:
            raise ValueError(f"odd size {self.size}")  # fails on some generated data
        return self.name

    def save(self, *args, **kwargs):  # fails on generated edge data: data generation must not call it
        if "ü" in self.name:
            raise RuntimeError("Gadget.save() refuses non-ASCII names")
        super().save(*args, **kwargs)


@receiver(post_save, sender=Maker)
def maker_saved(sender, instance, raw, **kwargs):  # a receiver with a side effect the Go side lacks
    if not raw:
        raise RuntimeError("maker_saved must not run while generating data")


class GadgetView(models.Model):
    """Unmanaged, over a view the RunSQL migration creates on SQLite only."""
    name = models.CharField(max_length=12)

    class Meta:
        managed = False
        db_table = "edge_gadget_view"
