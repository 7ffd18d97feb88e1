from django.db import models


class DigitsField(models.CharField):
    """Prepares its value with int(): a value that is not digits raises in Python before any SQL is sent, as a
    field that validates or transforms in get_prep_value may (the compile step's stand-in values are not digits)."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else str(int(value))


class Badge(models.Model):
    name = models.CharField(max_length=50, unique=True)
    code = DigitsField(max_length=12)
