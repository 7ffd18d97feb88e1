"""A ModelViewSet: reads and writes (create, update, partial_update, destroy) with DRF's validation."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shop import views

router = DefaultRouter()
router.register("notes", views.NoteViewSet, basename="notes")
router.register("tags", views.TagWrites, basename="tags")

urlpatterns = [path("api/", include(router.urls))]
