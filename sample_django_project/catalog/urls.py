from django.urls import path, re_path

from . import views

app_name = "catalog"

urlpatterns = [
    path("products/", views.product_list, name="product-list"),
    path("products/search/", views.product_search, name="product-search"),
    path("products/filter/", views.product_filter, name="product-filter"),
    path("products/featured/", views.featured_products, name="product-featured"),
    path("products/digital/", views.digital_products, name="product-digital"),
    path("products/cheapest/", views.cheapest_products, name="product-cheapest"),
    re_path(r"^products/launched/(?P<year>[0-9]{4})/$", views.products_launched, name="product-launched"),
    path("products/<int:pk>/", views.product_detail, name="product-detail"),
    path("products/by-slug/<slug:slug>/", views.product_by_slug, name="product-by-slug"),
    path("products/sku/<uuid:sku>/", views.product_by_sku, name="product-by-sku"),
    path("products/<int:pk>/restock/", views.product_restock, name="product-restock"),
    path("products/<int:pk>/tags/", views.product_add_tag, name="product-add-tag"),
    path("products/<int:pk>/tags/<slug:tag_slug>/", views.product_remove_tag, name="product-remove-tag"),
    path("products/<int:pk>/reviews/", views.ProductReviewsView.as_view(), name="product-reviews"),
    path("tags/", views.tag_list, name="tag-list"),
    path("categories/", views.category_list, name="category-list"),
    path("categories/<slug:slug>/", views.category_detail, name="category-detail"),
    path("categories/<slug:slug>/reprice/", views.category_reprice, name="category-reprice"),
    path("reviews/", views.review_list, name="review-list"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("lookup/<str:kind>/<str:value>/", views.lookup, name="lookup"),
    path("stats/", views.catalog_stats, name="stats"),
]
