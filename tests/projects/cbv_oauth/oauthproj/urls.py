from django.urls import include, path
from oauth2_provider.views import JwksInfoView, OAuthProtectedResourceMetadataView

from keys.views import NamedResourceView, OwnKeysView, client_count

urlpatterns = [
    path("jwks.json", JwksInfoView.as_view()),
    path("own-keys.json", OwnKeysView.as_view()),
    path("clients/count", client_count),
    # the toolkit's RFC 8414 / RFC 9728 metadata views, each served by two routes (with and without the
    # issuer / resource path), and a subclass of one whose get_resource_name() is the project's
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path(".well-known/oauth-protected-resource/named/", NamedResourceView.as_view()),
    path(".well-known/oauth-protected-resource/plain/", OAuthProtectedResourceMetadataView.as_view()),
]
