from django.urls import include, path
from rest_framework.routers import DefaultRouter

from desk import views

router = DefaultRouter()
router.register("notes", views.NoteViewSet, basename="notes")
router.register("mine", views.MyTicketViewSet, basename="mine")
router.register("dyn", views.DynamicTicketViewSet, basename="dyn")

urlpatterns = [path("api/", include(router.urls))]
