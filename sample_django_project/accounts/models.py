from django.conf import settings
from django.db import models


class Profile(models.Model):
    """Extra per-user data; created automatically for every new user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
    )
    bio = models.TextField(blank=True)
    website = models.URLField(blank=True)
    birth_date = models.DateField(null=True, blank=True)
    loyalty_points = models.IntegerField(default=0)
    newsletter = models.BooleanField(default=False)
    phone = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["user_id"]

    def __str__(self):
        return f"Profile of {self.user}"
