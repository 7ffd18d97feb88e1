from rest_framework import serializers

from .models import Note, Order, Product, Tag, Task


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "slug"]


class ProductSerializer(serializers.ModelSerializer):
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    label = serializers.CharField(source="name", read_only=True)

    class Meta:
        model = Product
        fields = ["id", "name", "label", "price", "kind", "sku", "added", "launch", "weight", "tags"]
        read_only_fields = ["sku"]


class OrderSerializer(serializers.ModelSerializer):
    product = ProductSerializer(read_only=True)
    total = serializers.SerializerMethodField()

    class Meta:
        model = Order
        exclude = []

    def get_total(self, obj):
        return obj.quantity * obj.product.price


class PlainProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        exclude = ["tags"]


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = "__all__"


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "title", "spent", "pause", "attachment"]
