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
