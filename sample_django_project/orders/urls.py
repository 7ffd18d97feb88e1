from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("", views.OrderCollectionView.as_view(), name="order-collection"),
    path("mine/", views.my_orders, name="my-orders"),
    path("stats/", views.order_stats, name="stats"),
    path("maintenance/", views.maintenance, name="maintenance"),
    path("payments/", views.payment_list, name="payment-list"),
    path("coupons/", views.coupon_list, name="coupon-list"),
    path("coupons/batch/", views.coupon_batch, name="coupon-batch"),
    path("coupons/<slug:code>/", views.coupon_detail, name="coupon-detail"),
    path("reports/top-customers/", views.top_customers, name="top-customers"),
    path("reports/newsletter/", views.newsletter_report, name="newsletter-report"),
    path("reports/attention/", views.attention_report, name="attention-report"),
    path("reports/customer/<str:email>/", views.customer_lines, name="customer-lines"),
    path("number/<str:number>/", views.order_by_number, name="order-by-number"),
    path("<int:pk>/", views.order_detail, name="order-detail"),
    path("<int:pk>/lines/", views.order_lines, name="order-lines"),
    path("<int:pk>/status/", views.order_status, name="order-status"),
    path("<int:pk>/coupons/", views.order_apply_coupon, name="order-apply-coupon"),
    path("<int:pk>/payments/", views.order_payment, name="order-payment"),
]
