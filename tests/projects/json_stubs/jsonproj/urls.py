from django.urls import path, re_path

from feeds import views

urlpatterns = [
    path("count/", views.count),
    path("guarded/", views.guarded),
    re_path(r"^api/occurrences", views.occurrences),
    path("unread/", views.UnreadView.as_view()),
    path("mine/", views.listing),
    path("all/", views.listing),
    path("kwargs/", views.kwargs_view),
    path("feed/", views.LatestFeed()),
    path("pick/", views.pick),
    path("pick/<int:pk>/", views.pick),
    path("select/", views.select_create),
    path("select/echo/", views.select_echo),
]
