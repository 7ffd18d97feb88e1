from django.urls import include, path
from rest_framework.routers import DefaultRouter

from desk import views

router = DefaultRouter()
router.register("notes", views.NoteViewSet, basename="notes")
router.register("mine", views.MyTicketViewSet, basename="mine")
router.register("dyn", views.DynamicTicketViewSet, basename="dyn")
router.register("custom", views.CustomTicketViewSet, basename="custom")
router.register("staffcustom", views.StaffCustomTicketViewSet, basename="staffcustom")
router.register("methods", views.MethodTicketViewSet, basename="methods")

urlpatterns = [path("api/", include(router.urls))]
