from .models import Book


def published_count():
    return Book.objects.filter(published=True).count()
