import uuid

from django.core.exceptions import ValidationError
from django.db import models


class ListJSONField(models.JSONField):
    """As oauth2_provider's ResourceJSONField: a list of strings, refused otherwise when saved."""

    def get_db_prep_value(self, value, connection, prepared=False):
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise ValidationError("Resource must be a list of URI strings")
        return super().get_db_prep_value(value, connection, prepared)


class Client(models.Model):
    id = models.BigAutoField(primary_key=True)  # declared, not auto_created
    name = models.CharField(max_length=20, unique=True)


class Token(models.Model):
    id = models.BigAutoField(primary_key=True)
    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    jti = models.UUIDField(unique=True, default=uuid.uuid4)
    resource = ListJSONField(blank=True, default=list)
