"""JSON views for the lending app."""
import json
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Sum
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from apps.lending.models import Author

from .models import Book, Loan

BOOK_FIELDS = ("id", "title", "isbn", "published_year", "price", "available")
SEARCHABLE = {
    "author": "author_id",
    "year": "published_year",
    "year_min": "published_year__gte",
    "available": "available",
    "isbn": "isbn",
}


def _book_dict(book):
    return {
        "id": book.pk,
        "title": book.title,
        "isbn": book.isbn,
        "author": book.author.name,
        "published_year": book.published_year,
        "price": str(book.price),
        "available": book.available,
    }


@require_GET
def book_list(request):
    qs = Book.objects.all()
    q = request.GET.get("q")
    if q:
        qs = qs.filter(title__icontains=q)
    books = list(qs.values(*BOOK_FIELDS))
    for b in books:
        b["price"] = str(b["price"])
    return JsonResponse({"count": len(books), "results": books})


@require_GET
def book_search(request):
    filters = {}
    for param, lookup in SEARCHABLE.items():
        value = request.GET.get(param)
        if value is None:
            continue
        if param == "available":
            value = value.lower() in ("1", "true", "yes")
        filters[lookup] = value
    books = Book.objects.filter(**filters).exclude(price__lte=0).order_by("-published_year", "title")
    return JsonResponse({"results": [_book_dict(b) for b in books.select_related("author")]})


@require_GET
def book_detail(request, pk):
    try:
        book = Book.objects.select_related("author").get(pk=pk)
    except Book.DoesNotExist:
        return JsonResponse({"error": "not found"}, status=404)
    data = _book_dict(book)
    data["times_borrowed"] = Loan.objects.filter(book=book).count()
    return JsonResponse(data)


@require_GET
def author_detail(request, pk):
    try:
        author = Author.objects.get(pk=pk)
    except Author.DoesNotExist:
        return JsonResponse({"error": "not found"}, status=404)
    available = author.books.filter(available=True).order_by("-published_year")
    return JsonResponse({
        "id": author.pk,
        "name": author.name,
        "born": author.born.isoformat() if author.born else None,
        "available_books": list(available.values_list("title", flat=True)),
    })


@require_GET
def stats(request):
    authors = Author.objects.annotate(book_count=Count("books")).order_by("-book_count", "name")
    totals = Book.objects.aggregate(avg_price=Avg("price"), total_value=Sum("price"), n=Count("id"))
    return JsonResponse({
        "authors": [{"name": a.name, "books": a.book_count} for a in authors],
        "avg_price": str(totals["avg_price"]) if totals["avg_price"] is not None else None,
        "total_value": str(totals["total_value"]) if totals["total_value"] is not None else None,
        "books": totals["n"],
        "open_loans": Loan.objects.exclude(returned_at__isnull=False).count(),
    })


@require_GET
def my_loans(request):
    if not request.user.is_authenticated:
        return JsonResponse({"error": "authentication required"}, status=401)
    loans = request.user.loans.filter(returned_at__isnull=True).select_related("book").order_by("due")
    return JsonResponse({"results": [
        {"id": l.pk, "book": l.book.title, "due": l.due.isoformat()} for l in loans
    ]})


@require_POST
def borrow(request):
    try:
        payload = json.loads(request.body or b"{}")
        book_id = int(payload["book"])
        member_number = str(payload["member_number"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "book and member_number required"}, status=400)
    User = get_user_model()
    member = User.objects.filter(member_number=member_number, is_active=True).first()
    if member is None:
        return JsonResponse({"error": "unknown member"}, status=404)
    if Loan.objects.filter(book_id=book_id, returned_at__isnull=True).exists():
        return JsonResponse({"error": "book already on loan"}, status=409)
    if not Book.objects.filter(pk=book_id, available=True).exists():
        return JsonResponse({"error": "book not available"}, status=404)
    loan = Loan.objects.create(book_id=book_id, member=member, due=date.today() + timedelta(days=14))
    Book.objects.filter(pk=book_id).update(available=False)
    return JsonResponse({"id": loan.pk, "due": loan.due.isoformat()}, status=201)


@require_POST
def return_loan(request, pk):
    updated = Loan.objects.filter(pk=pk, returned_at__isnull=True).update(returned_at=timezone.now())
    if not updated:
        return JsonResponse({"error": "no open loan"}, status=404)
    Book.objects.filter(loans__pk=pk).update(available=True)
    return JsonResponse({"returned": pk})
