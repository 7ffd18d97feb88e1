from django.urls import path

from shelf import views

urlpatterns = [path("recent/", views.recent), path("classics/", views.classics)]
