from shopapp.models import Item


def test_names():
    assert not Item.objects.filter(name="x").exists()
