from django.urls import include, path

from catalog.api import router

urlpatterns = [
    path("api/accounts/", include("accounts.urls")),
    path("api/catalog/", include("catalog.urls")),
    path("api/orders/", include("orders.urls")),
    path("api/drf/", include(router.urls)),  # Django REST framework (catalog/api.py)
]
