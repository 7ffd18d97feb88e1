from .models import Item


def test_items():
    assert Item.objects.count() == 0
