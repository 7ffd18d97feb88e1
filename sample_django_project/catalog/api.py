"""A small Django REST framework API over the catalog.

- tags: read-only, open to anyone, not paginated;
- categories: read by anyone (each with its subcategories: a nested many=True serializer), paginated (PageNumberPagination, the client may pick the page size), written by
  signed-in users only (IsAuthenticatedOrReadOnly);
- staff/tags: a ModelViewSet behind IsAdminUser, paginated by LimitOffsetPagination.

DRF's default authentication classes (SessionAuthentication, then BasicAuthentication) run on every request.
`migrate drf sample_django_project` reports their GET endpoints; `migrate generate` turns the lists and the
details into Go handlers, with the permission classes run by djauth (docs/drf.md).
"""

from rest_framework import pagination, permissions, routers, serializers, viewsets

from .models import Category, Tag


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name", "slug"]


class TagViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    permission_classes = [permissions.AllowAny]


class SubcategorySerializer(serializers.ModelSerializer):
    # a SerializerMethodField that returns a column as it is read: rendered as DRF renders the value
    path = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "path"]

    def get_path(self, obj):
        return obj.slug


class CategorySerializer(serializers.ModelSerializer):
    # a nested many=True serializer over a reverse foreign key: DRF runs category.children.all() per category
    children = SubcategorySerializer(many=True, read_only=True)
    # a related count: category.products.count() per category
    product_count = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description", "sort_order", "children", "product_count"]

    def get_product_count(self, obj):
        return obj.products.count()


class CategoryPages(pagination.PageNumberPagination):
    page_size = 2
    page_size_query_param = "size"
    max_page_size = 5


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    pagination_class = CategoryPages
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]


class StaffTagViewSet(viewsets.ModelViewSet):
    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    pagination_class = pagination.LimitOffsetPagination
    permission_classes = [permissions.IsAdminUser]


router = routers.DefaultRouter()
router.register("tags", TagViewSet)
router.register("categories", CategoryViewSet)
router.register("staff/tags", StaffTagViewSet, basename="staff-tags")
