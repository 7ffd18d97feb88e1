import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


class Person(AbstractUser):
    """AUTH_USER_MODEL: a UUID primary key (stored as 32 hex characters on SQLite)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    nickname = models.CharField(max_length=40, blank=True)
