from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from .models import Node


@login_required
def my_nodes(request):
    """django-todo's views in miniature: an anonymous caller gets Django's login redirect, never this JSON."""
    return JsonResponse({"names": list(Node.objects.order_by("name").values_list("name", flat=True))})


@require_GET
def forbidden(request, pk):
    """Django answers PermissionDenied with its 403 page, not a 500."""
    node = Node.objects.filter(pk=pk).first()
    if node is None:
        raise PermissionDenied
    return JsonResponse({"name": node.name})


@require_GET
def ping(request, pk):
    """A path parameter the body never reads: parsed for its 404, declared nowhere (go vet)."""
    return JsonResponse({"pong": True})
