from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("users/", views.user_collection, name="user-collection"),
    path("users/<str:username>/", views.user_detail, name="user-detail"),
    path("profiles/<int:user_id>/", views.profile_detail, name="profile-detail"),
    path("leaderboard/", views.loyalty_leaderboard, name="leaderboard"),
    path("profiles/<int:user_id>/card/", views.profile_card, name="profile-card"),
    path("profiles/<int:user_id>/review/", views.profile_review, name="profile-review"),
    path("staff/", views.staff_directory, name="staff-directory"),
]
