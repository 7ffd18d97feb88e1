from django.urls import path

from dash import views

urlpatterns = [
    path("events/", views.events),
    path("events/kind/", views.events_by_kind),
    path("events/daily/", views.daily_counts),
]
