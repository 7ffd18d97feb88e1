from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter
from rest_framework.urlpatterns import format_suffix_patterns

from shop import views

router = DefaultRouter()
router.register("items", views.ItemViewSet)

urlpatterns = [
    path("api/", include(router.urls)),
    path("log/", views.log),
    path("routes/", views.routes),
    path("type/", views.type),
    # two patterns no Go route can stand for: each must be one ROUTE_UNSUPPORTED warning, counted as left out
    re_path(r"^legacy/(?P<a>x)|(?P<b>y)/$", views.log),  # a top-level alternation (the loader)
    path("with space/", views.log),  # a space in a ServeMux pattern (the translator)
]
urlpatterns += format_suffix_patterns([path("stats/", views.stats)])
urlpatterns += i18n_patterns(
    path("items/<int:pk>/close/", views.close),
    path("admin/item/<path:object_id>/change/", views.change),
)
