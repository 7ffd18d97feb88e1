"""DRF's authentication and permission classes: AllowAny, IsAdminUser, IsAuthenticatedOrReadOnly,
DjangoModelPermissions(OrAnonReadOnly), Session / Basic / Token authentication (api.settings_auth)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shop import views

router = DefaultRouter()
router.register("plain", views.PlainProducts, basename="plain")
router.register("staff", views.StaffProducts, basename="staff")
router.register("members", views.MemberProducts, basename="members")
router.register("token", views.TokenProducts, basename="token")
router.register("basicfirst", views.BasicFirstProducts, basename="basicfirst")
router.register("notes", views.NoteViewSet, basename="notes")
router.register("guarded", views.GuardedNotes, basename="guarded")
router.register("tokennotes", views.TokenNotes, basename="tokennotes")

urlpatterns = [path("api/", include(router.urls))]
