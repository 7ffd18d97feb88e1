from django.urls import path

from notes import views

urlpatterns = [
    path("notes/<int:pk>/", views.NoteView.as_view(), name="note"),
    path("notes/count/", views.PrivateCountView.as_view(), name="count"),
    path("notes/open/", views.OpenNotesView.as_view(), name="open"),
    path("notes/latest/", views.LatestView.as_view(limit=1), name="latest"),
    path("notes/<int:pk>/args/", views.ArgsView.as_view(), name="args"),
    path("notes/page/", views.NotesPage.as_view(template_name="notes.html"), name="page"),
    path("notes/own/", views.OwnDispatchView.as_view(), name="own"),
    path("notes/<int:pk>/owner/", views.NoteOwnerView.as_view(), name="owner"),
    path("notes/done/", views.DoneView.as_view(), name="done"),
    path("notes/late/", views.LateGuardView.as_view(), name="late"),
    path("notes/<int:pk>/feed/", views.FeedView.as_view(), name="feed"),
    path("notes/options/", views.OptionsView.as_view(), name="options"),
    path("notes/<int:pk>/json/", views.NoteJSON.as_view(), name="json"),
    path("notes/prelude-list/", views.PreludeListView.as_view(), name="prelude-list"),
    path("cards/<int:pk>/", views.CardView.as_view(), name="card"),
    path("cards/<int:pk>/open/", views.OpenCardView.as_view(), name="open-card"),
    path("cards/", views.CardListView.as_view(), name="cards"),
    path("notes/extra/", views.ExtraView.as_view(), {"flag": "x"}, name="extra"),
]
