from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.create_profile")
def create_profile_for_new_user(sender, instance, created, raw=False, **kwargs):
    """Give every newly created user an empty Profile.

    Skipped for raw saves (loaddata), where fixtures bring their own profiles.
    """
    if raw or not created:
        return
    Profile.objects.get_or_create(user=instance)
