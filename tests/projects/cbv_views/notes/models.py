from django.db import models


class Note(models.Model):
    title = models.CharField(max_length=50)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]


class Board(models.Model):  # todo's TaskList: a group sees its boards
    name = models.CharField(max_length=50)
    group = models.ForeignKey("auth.Group", on_delete=models.CASCADE)


class Card(models.Model):  # todo's Task: its board, nullable
    title = models.CharField(max_length=50)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, null=True)
