from .models import Account


def active_count():
    return Account.objects.active().count()  # site: custom-chain


def my_accounts(user):
    return list(Account.objects.filter(owner=user).mine(user))  # site: custom-chain-on-custom


def visible_count(user):
    return Account.objects.visible(user).count()  # site: custom-branches


def owned_active(user):
    return Account.objects.owned_active_count(user)  # site: custom-followed


def owned_active_then(user):  # a number, then a QuerySet method on it: not followed
    return Account.objects.owned_active_count(user).filter(active=True)  # site: custom-followed-terminal


def invoices_of(thing):
    return thing.invoice_set.count()  # site: unique-set-accessor


def orders_of(key):
    account = find(key)
    return account.orders.count()  # site: named-after-model


def find(key):
    return key


def orders_of_acc(acc):  # a template tag's parameter, named by an abbreviation of its model
    return acc.orders.count()  # site: abbreviated-receiver


def orders_of_nothing(acc, o):  # too short to name a model, or no model's prefix: not followed
    return o.orders.count(), acc.invoice_orders.count()
