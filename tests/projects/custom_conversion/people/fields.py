from django.db import models


class EmptyNullCharField(models.CharField):
    """Stores '' as NULL and reads NULL back as '': Python converts both ways."""

    def from_db_value(self, value, expression, connection):
        return "" if value is None else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value == "" else value


class LowerEmailField(models.EmailField):
    def to_python(self, value):
        value = super().to_python(value)
        return value.lower() if isinstance(value, str) else value


class PlainSlugField(models.SlugField):
    """A subclass that converts nothing: mapped as a SlugField, no diagnostic."""

    description = "a slug"


class ChecksumField(models.CharField):
    """Writes the sha256 of another field at save time, as django-oauth-toolkit's TokenChecksumField does: the value
    Django writes is computed in Python, whatever the caller set."""

    def pre_save(self, model_instance, add):
        import hashlib

        value = hashlib.sha256(model_instance.name.encode()).hexdigest()
        setattr(model_instance, self.attname, value)
        return value
