from django.urls import path
from oauth2_provider.views import JwksInfoView

from keys.views import OwnKeysView, client_count

urlpatterns = [
    path("jwks.json", JwksInfoView.as_view()),
    path("own-keys.json", OwnKeysView.as_view()),
    path("clients/count", client_count),
]
