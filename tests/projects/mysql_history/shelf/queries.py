from .models import Book


def add_book(owner, code):
    # color_event and flag are computed by Django at save time: '' (no default) and 'x'
    return Book.objects.create(owner=owner, code=code, rank=1)


def books_noted(notes):
    # an __in over a nullable column: sqlc's MySQL (and SQLite) code takes []sql.NullString
    return list(Book.objects.filter(note__in=notes).order_by("pk"))
