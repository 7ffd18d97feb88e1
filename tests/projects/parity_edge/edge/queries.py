from .models import Gadget


def made_and_price(low):
    # unordered, several rows, datetimes and decimals
    return list(Gadget.objects.filter(price__gte=low).order_by().values_list("made", "price"))


def gadget_names():
    return list(Gadget.objects.order_by("pk").values_list("name", "wait", "blob"))


def first_gadget(pk):
    return Gadget.objects.filter(pk=pk).first()


def odd_gadgets():
    return list(Gadget.objects.filter(size__gte=0).order_by("pk"))


def gadget_or_new(name):
    return Gadget.objects.get_or_create(name=name, defaults={"size": 2, "rating": 3, "price": 1})
