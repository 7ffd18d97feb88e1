from django.http import JsonResponse
from rest_framework import serializers, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from .models import Item


# Views whose names collide with the generated Go server's own members and with Go keywords.
def close(request, pk):
    return JsonResponse({"closed": pk})


def log(request):
    return JsonResponse({"log": []})


def routes(request):
    return JsonResponse({})


def type(request):  # noqa: A001 - a Go keyword as a view name
    return JsonResponse({})


def change(request, object_id):
    return JsonResponse({"object_id": object_id})


@api_view(["GET"])
def stats(request, format=None):
    return Response({"items": Item.objects.count()})


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "name"]


class ItemViewSet(viewsets.ModelViewSet):
    queryset = Item.objects.all()
    serializer_class = ItemSerializer

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        return Response({"archived": pk})
