from django.urls import include, path
from rest_framework.routers import DefaultRouter

from club import views

router = DefaultRouter()
router.register("owners", views.OwnerViewSet, basename="owners")
router.register("shelves", views.ShelfViewSet, basename="shelves")

urlpatterns = [path("api/", include(router.urls))]
