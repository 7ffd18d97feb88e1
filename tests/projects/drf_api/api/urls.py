from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shop import views

router = DefaultRouter()
router.register("products", views.ProductViewSet)
router.register("orders", views.OrderViewSet)
router.register("tags", views.TagViewSet, basename="tag")
router.register("plain", views.PlainProducts, basename="plain")
router.register("paged", views.PagedProducts, basename="paged")
router.register("sized", views.SizedProducts, basename="sized")
router.register("tasks", views.TaskViewSet, basename="tasks")
router.register("staff", views.StaffProducts, basename="staff")
router.register("members", views.MemberProducts, basename="members")
router.register("token", views.TokenProducts, basename="token")

urlpatterns = [
    path("api/", include(router.urls)),
    path("api/cheap/", views.CheapList.as_view()),
]
