from django.urls import path

from . import views

app_name = "lending"

urlpatterns = [
    path("books/", views.book_list, name="book-list"),
    path("books/search/", views.book_search, name="book-search"),
    path("books/<int:pk>/", views.book_detail, name="book-detail"),
    path("authors/<int:pk>/", views.author_detail, name="author-detail"),
    path("stats/", views.stats, name="stats"),
    path("loans/mine/", views.my_loans, name="my-loans"),
    path("loans/", views.borrow, name="borrow"),
    path("loans/<int:pk>/return/", views.return_loan, name="return-loan"),
]
