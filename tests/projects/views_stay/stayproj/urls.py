from django.contrib.auth.views import LoginView
from django.urls import path
from django.views.generic import TemplateView

from pages import views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", TemplateView.as_view(template_name="pages/about.html")),
    path("notes/", views.NoteList.as_view(), name="notes"),
    path("notes/new/", views.new_note),
    path("notes/<int:pk>/card/", views.card),
    path("notes/<int:pk>/", views.note_detail),
    path("notes/diff/", views.NoteDiff.as_view()),
    path("api/notes/", views.note_count),
    path("login/", LoginView.as_view()),
]
