from django.urls import path

from regress import views

urlpatterns = [
    path("nodes/mine/", views.my_nodes),
    path("nodes/<int:pk>/forbidden/", views.forbidden),
    path("nodes/<int:pk>/ping/", views.ping),
]
