from shelf.models import Book


def by_genre(genre):
    return Book.objects.get(genre=genre)  # two rows or more share a genre: MultipleObjectsReturned


def by_isbn(isbn):
    return Book.objects.get(isbn=isbn)  # unique: one row or none
