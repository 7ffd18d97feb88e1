"""An owner that other models point to with every on_delete the collector reproduces (its pets and their toys
CASCADE to each other: a cycle), and a shelf with RESTRICT."""

from django.db import models


class Owner(models.Model):
    name = models.CharField(max_length=20)


class Pet(models.Model):  # CASCADE, and its toys CASCADE from it: the collector recurses
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE)
    name = models.CharField(max_length=20)
    # CASCADE back from Toy.pet: a cycle the collector meets each row of once (wiki's Article.current_revision
    # and ArticleRevision.article)
    best_toy = models.ForeignKey("Toy", null=True, on_delete=models.CASCADE, related_name="best_of")


class Toy(models.Model):
    pet = models.ForeignKey(Pet, on_delete=models.CASCADE)
    name = models.CharField(max_length=20)


class Note(models.Model):  # SET_NULL
    owner = models.ForeignKey(Owner, null=True, on_delete=models.SET_NULL)
    text = models.CharField(max_length=20)


class Lock(models.Model):  # PROTECT, reached through a cascade too (a pet's lock protects the owner)
    owner = models.ForeignKey(Owner, null=True, on_delete=models.PROTECT)
    pet = models.ForeignKey(Pet, null=True, on_delete=models.PROTECT)


class Badge(models.Model):  # many-to-many: the join rows go
    name = models.CharField(max_length=20)
    owners = models.ManyToManyField(Owner)


class Shelf(models.Model):
    name = models.CharField(max_length=20)


class Book(models.Model):  # RESTRICT: not reproduced exactly by the GORM helper, the destroy stays 501
    shelf = models.ForeignKey(Shelf, on_delete=models.RESTRICT)
