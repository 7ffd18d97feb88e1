from django.apps import apps

from shop.registry import get_class, get_classes, get_model

Account = apps.get_model("shop", "Account")
Order = get_model("shop", "Order")
Tag, Invoice = get_classes("shop.models", ["Tag", "Invoice"])
Registry = get_class("shop.registry", "get_model")  # not a model


def active_accounts():
    return list(Account.objects.filter(active=True))  # site: module-get-model


def order_count():
    return Order.objects.count()  # site: wrapper


def tag_names():
    return list(Tag.objects.values_list("name", flat=True))  # site: get-classes


def invoice(pk):
    model = apps.get_model("shop.Invoice")
    return model.objects.get(pk=pk)  # site: local-dotted


def tag_total():
    return apps.get_model("shop", "tag").objects.count()  # site: inline-lowercase


def by_label(label):
    model = apps.get_model("shop", label)
    return model.objects.count()  # site: runtime-label


def rebound(flag):
    model = apps.get_model("shop", "Tag")
    if flag:
        model = apps.get_model("shop", "Order")
    return model.objects.count()  # site: two-models
