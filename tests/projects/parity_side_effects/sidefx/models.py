from django.db import models


class Note(models.Model):
    title = models.CharField(max_length=80)
    attachment = models.FileField(upload_to="attachments/", blank=True)
    score = models.IntegerField(default=0)

    def __str__(self):
        return self.title
