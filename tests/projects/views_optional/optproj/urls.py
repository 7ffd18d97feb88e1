from django.urls import path, re_path

from notes import views

urlpatterns = [
    path("notes/", views.note_list, name="note-list"),
    path("notes/count/", views.note_count, name="note-count"),
    re_path(r"^notes/count/all/$", views.note_count),  # a second route calling it with the same (no) arguments
    path("notes/count/<int:minimum>/", views.note_count),  # other arguments: its own reading (django-nyt's latest_id)
]
