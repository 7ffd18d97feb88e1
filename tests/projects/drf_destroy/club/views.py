from rest_framework import serializers, viewsets

from .models import Owner, Shelf


class OwnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Owner
        fields = ("id", "name")


class ShelfSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shelf
        fields = ("id", "name")


class OwnerViewSet(viewsets.ModelViewSet):
    queryset = Owner.objects.all()
    serializer_class = OwnerSerializer


class ShelfViewSet(viewsets.ModelViewSet):
    queryset = Shelf.objects.all()
    serializer_class = ShelfSerializer
