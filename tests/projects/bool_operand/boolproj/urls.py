from django.urls import path

from stock import views

urlpatterns = [path("items/<int:pk>/restock/", views.restock, name="restock")]
