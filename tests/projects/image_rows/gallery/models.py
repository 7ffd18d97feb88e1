from django.core.files.images import get_image_dimensions
from django.db import models


class CheckedImageField(models.ImageField):
    """django-machina's ExtendedImageField in miniature: clean() opens the image to check its size."""

    def clean(self, value, model_instance):
        value = super().clean(value, model_instance)
        get_image_dimensions(value)  # FileNotFoundError for a file that is not there
        return value


class Picture(models.Model):
    """Generated data names image files that do not exist: one row's full_clean() raising stopped the whole
    models check of parity, where it is that row's problem (on both copies alike)."""

    title = models.CharField(max_length=50)
    image = CheckedImageField(upload_to="pictures")


class Photo(models.Model):
    """wiki's ImageRevision in miniature: width_field / height_field. Setting the image of a loaded row makes
    Django read the named file's size; the models check's update named a file that does not exist, and Django's
    side failed FileNotFoundError where Go's wrote the row."""

    image = models.ImageField(upload_to="photos", width_field="width", height_field="height", blank=True, null=True)
    width = models.SmallIntegerField(blank=True, null=True)
    height = models.SmallIntegerField(blank=True, null=True)
