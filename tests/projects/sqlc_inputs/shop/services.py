"""Runtime arguments whose names clash with each other or with SQL keywords, and non-ASCII literals."""
from .models import Item


def by_price(price, price_unit):
    # `price` is a prefix of `price_unit`: renamed as text it became sqlc.arg(price)_unit
    return list(Item.objects.filter(price=price, price_unit=price_unit))


def by_unit_then_price(price_unit, price):
    return list(Item.objects.filter(price_unit=price_unit, price__gte=price).values("id", "name"))


def cafes():
    # a non-ASCII literal inlined into the SQLite query
    return list(Item.objects.filter(name="café").values("id", "name"))


def dashes(price):
    return Item.objects.filter(name__startswith="—", price=price).count()


def by_order(order):
    return Item.objects.filter(order__gte=order).count()


def by_user(user):
    return list(Item.objects.filter(user=user).values("id"))


def by_select(select, limit):
    return list(Item.objects.filter(name=select, order__lte=limit).values("id"))


def by_primary(name, primary):
    return list(Item.objects.filter(name=name, primary=primary).values("id"))


def cheap(price):
    # after the non-ASCII queries in the file: lost to the mis-edit before the fix
    return list(Item.objects.filter(price__lt=price).values("id", "price"))
