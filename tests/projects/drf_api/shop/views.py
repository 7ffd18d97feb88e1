from rest_framework import generics, permissions, viewsets
from rest_framework import pagination
from rest_framework.pagination import PageNumberPagination

from .models import Order, Product, Tag
from .serializers import OrderSerializer, PlainProductSerializer, ProductSerializer, TagSerializer


class Pages(PageNumberPagination):
    page_size = 2


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Product.objects.all()
    serializer_class = ProductSerializer
    pagination_class = Pages


class OrderViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Order.objects.all()
    serializer_class = OrderSerializer


class TagViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TagSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Tag.objects.filter(slug__startswith=self.request.query_params.get("p", ""))


class CheapList(generics.ListAPIView):
    queryset = Product.objects.filter(price__lt=10)
    serializer_class = ProductSerializer


class PlainProducts(viewsets.ReadOnlyModelViewSet):
    """Every field its one query gives: eligible, list paginated by LimitOffsetPagination."""

    queryset = Product.objects.all()
    serializer_class = PlainProductSerializer
    pagination_class = pagination.LimitOffsetPagination
