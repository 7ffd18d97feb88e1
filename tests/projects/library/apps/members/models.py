from django.contrib.auth.models import AbstractUser
from django.db import models


class Member(AbstractUser):
    member_number = models.CharField(max_length=20, unique=True)
    joined_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"{self.username} ({self.member_number})"
