from django.db import models


class Owner(models.Model):
    name = models.CharField(max_length=40)


class Book(models.Model):
    # 0001 made it NOT NULL with CHECK (rank >= 0); 0002's AlterField MODIFYs it, and MariaDB drops a
    # column's CHECK then (todo's Task.priority): integer UNSIGNED still refuses a negative value
    rank = models.PositiveIntegerField(null=True, blank=True)
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE)
    code = models.CharField(max_length=10)
    flag = models.CharField(max_length=10, default="x")
    # no default: Django saves '' (schedule's Event.color_event, a varchar(10))
    color_event = models.CharField(max_length=10, blank=True)
    note = models.CharField(max_length=20, null=True, blank=True)

    class Meta:
        # 0001 had (owner, code): InnoDB served the owner foreign key with it; 0002 widens it, and Django's
        # MySQL schema editor first adds an index on owner_id alone (actstream's Follow)
        unique_together = [("owner", "code", "flag")]
