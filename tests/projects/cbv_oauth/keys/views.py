from django.http import JsonResponse
from oauth2_provider.views import JwksInfoView, OAuthProtectedResourceMetadataView

from .models import Client


class OwnKeysView(JwksInfoView):
    """Its get() is the project's: not the toolkit's answer, so it is read as any class-based view."""

    def get(self, request, *args, **kwargs):
        return JsonResponse({"keys": []})


def client_count(request):
    """A query of the project's own: the tree then has the sqlc store its views are read against."""
    return JsonResponse({"count": Client.objects.count()})


class NamedResourceView(OAuthProtectedResourceMetadataView):
    """Its resource name is the project's method: not the toolkit's document, so read as any class-based view."""

    def get_resource_name(self):
        return "named"
