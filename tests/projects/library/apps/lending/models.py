from django.conf import settings
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=200)
    born = models.DateField(null=True, blank=True)

    def __str__(self):
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=255)
    isbn = models.CharField(max_length=13, unique=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    published_year = models.SmallIntegerField(null=True, blank=True)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    available = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Loan(models.Model):
    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="loans")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="loans"
    )
    borrowed_at = models.DateTimeField(auto_now_add=True)
    due = models.DateField()
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "lending_loan_records"

    def __str__(self):
        return f"{self.book_id} -> {self.member_id}"


class Shelf(models.Model):
    name = models.CharField(max_length=100, unique=True)
    books = models.ManyToManyField(Book, related_name="shelves", blank=True)

    def __str__(self):
        return self.name
