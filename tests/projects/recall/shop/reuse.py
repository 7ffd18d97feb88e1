from shop.loaders import Order


def big_orders(account):
    return list(Order.objects.filter(account=account))  # site: imported-binding
