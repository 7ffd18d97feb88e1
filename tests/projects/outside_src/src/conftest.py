def pytest_configure():
    from shopapp.models import Item  # noqa: F401  (never scanned: test code)

    Item.objects.none()
