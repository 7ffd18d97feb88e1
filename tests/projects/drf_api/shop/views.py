from rest_framework import authentication, generics, permissions, viewsets
from rest_framework import pagination
from rest_framework.pagination import PageNumberPagination

from .models import Note, Order, Product, Tag, Task
from .serializers import (NoteSerializer, OrderSerializer, PlainProductSerializer, ProductSerializer, TagSerializer,
                          TaskSerializer)


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
    """Every field its one query gives: eligible, list paginated by LimitOffsetPagination (PAGE_SIZE: default_limit 3)."""

    queryset = Product.objects.all()
    serializer_class = PlainProductSerializer
    pagination_class = pagination.LimitOffsetPagination


class PagedProducts(viewsets.ReadOnlyModelViewSet):
    """Eligible, its list paginated by a PageNumberPagination subclass (page_size 2)."""

    queryset = Product.objects.order_by("-id")
    serializer_class = PlainProductSerializer
    pagination_class = Pages


class SizedPages(PageNumberPagination):
    page_size_query_param = "size"


class SizedProducts(viewsets.ReadOnlyModelViewSet):
    """Its paginator lets the client choose the page size (page_size_query_param, PAGE_SIZE 3 otherwise)."""

    queryset = Product.objects.all()
    serializer_class = PlainProductSerializer
    pagination_class = SizedPages


class NoteViewSet(viewsets.ModelViewSet):
    """Reads and writes: DRF's validation errors (required, max_length, choices, min / max values)."""

    queryset = Note.objects.order_by("id")
    serializer_class = NoteSerializer


class TagWrites(viewsets.ModelViewSet):
    """Writes of a unique SlugField (UniqueValidator, slug pattern); Product.tags points to Tag, so a destroy
    deletes join rows first (Django's collector): that stays 501 (api.urls_writes)."""

    queryset = Tag.objects.order_by("id")
    serializer_class = TagSerializer


class StaffProducts(viewsets.ReadOnlyModelViewSet):
    """Behind IsAdminUser with DRF's default authentication (Session first): 403 for anonymous requests."""

    queryset = Product.objects.all()
    serializer_class = PlainProductSerializer
    permission_classes = [permissions.IsAdminUser]


class MemberProducts(viewsets.ReadOnlyModelViewSet):
    """IsAuthenticatedOrReadOnly then DjangoModelPermissionsOrAnonReadOnly: reads open to anyone."""

    queryset = Product.objects.all()
    serializer_class = PlainProductSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, permissions.DjangoModelPermissionsOrAnonReadOnly]


class TokenProducts(viewsets.ReadOnlyModelViewSet):
    """TokenAuthentication first: DRF answers 401 with WWW-Authenticate: Token."""

    queryset = Product.objects.all()
    serializer_class = PlainProductSerializer
    authentication_classes = [authentication.TokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]


class BasicFirstProducts(viewsets.ReadOnlyModelViewSet):
    """Basic, then Token: every 401 carries the first class's header (Basic realm="api"), a bad token's too."""

    queryset = Product.objects.all()
    serializer_class = PlainProductSerializer
    authentication_classes = [authentication.BasicAuthentication, authentication.TokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]


class GuardedNotes(viewsets.ModelViewSet):
    """DjangoModelPermissions over DRF's default authentication (Session, then Basic): reads need a signed-in
    user, writes the model's add / change / delete permission (api.urls_auth)."""

    queryset = Note.objects.order_by("id")
    serializer_class = NoteSerializer
    permission_classes = [permissions.DjangoModelPermissions]


class TokenNotes(viewsets.ModelViewSet):
    """Session then Token authentication, IsAuthenticatedOrReadOnly (api.urls_auth)."""

    queryset = Note.objects.order_by("id")
    serializer_class = NoteSerializer
    authentication_classes = [authentication.SessionAuthentication, authentication.TokenAuthentication]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """DurationFields (duration_string), a nullable one."""

    queryset = Task.objects.order_by("id")
    serializer_class = TaskSerializer
