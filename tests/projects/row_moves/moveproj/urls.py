from django.urls import path

from moves import views

urlpatterns = [
    path("api/move_or_resize/", views.api_move_or_resize_by_code),
    path("api/move_open/", views.api_move_open),
    path("api/shift_occurrences/", views.api_shift_occurrences),
]
