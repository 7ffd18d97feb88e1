"""A small Django REST framework API over the catalog's tags: read-only, open to anyone, not paginated.

`migrate drf sample_django_project` reports its GET endpoints; `migrate generate` turns the list and the
detail into Go handlers (docs/drf.md).
"""

from rest_framework import permissions, routers, serializers, viewsets

from .models import Tag


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name", "slug"]


class TagViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    permission_classes = [permissions.AllowAny]


router = routers.DefaultRouter()
router.register("tags", TagViewSet)
