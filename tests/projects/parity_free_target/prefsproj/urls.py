from django.urls import path

from prefs import views

urlpatterns = [path("settings/<int:user_id>/", views.create_settings)]
