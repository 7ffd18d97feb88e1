from django.db import models


class Doc(models.Model):
    name = models.CharField(max_length=50)
    meta = models.JSONField(null=True, blank=True)  # None given to it is SQL NULL (get_db_prep_value)
    body = models.JSONField(default=dict)  # NOT NULL: None given to it is refused (IntegrityError)
