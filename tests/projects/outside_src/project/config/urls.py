from django.urls import path

from shopapp import views

urlpatterns = [path("items/", views.items)]
