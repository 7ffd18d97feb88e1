from django.urls import path, re_path

from desk import views

urlpatterns = [
    path("login/", views.login_page, name="login"),
    path("staff/", views.staff_board, name="staff"),
    path("member/", views.member_board, name="member"),
    path("unread/", views.unread, name="unread"),
    path("superuser/", views.superuser_board, name="superuser"),
    path("hidden/", views.hidden, name="hidden"),
    path("calendar/", views.calendar, name="calendar"),
    path("role/", views.role_board, name="role"),
    path("ajax/", views.ajax_board, name="ajax"),
    path("wrapped/", views.wrapped, name="wrapped"),
    path("wrapped-count/", views.wrapped_count, name="wrapped_count"),
    path("wrapped-outside/", views.wrapped_outside, name="wrapped_outside"),
    path("nyt-count/", views.nyt_count, name="nyt_count"),
    re_path(r"^nyt-mark/$", views.nyt_mark, name="nyt_mark_base"),  # django-nyt's mark_read routes
    re_path(r"^nyt-mark/(\d+)/$", views.nyt_mark, name="nyt_mark"),
    re_path(r"^nyt-mark/(?P<id_lte>\d+)/(?P<id_gte>\d+)/$", views.nyt_mark, name="nyt_mark"),
    path("owned/<int:pk>/", views.owned, name="owned"),
    path("vote/", views.vote, name="vote"),
    path("fresh/", views.fresh, name="fresh"),
    path("fresh-count/", views.FreshCountView.as_view(), name="fresh_count"),
    path("notice/<int:pk>/", views.notice_since, name="notice_since"),
]
