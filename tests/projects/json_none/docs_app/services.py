from .models import Doc


def add_doc(name, meta, body):
    return Doc.objects.create(name=name, meta=meta, body=body)


def set_meta(name, meta):
    return Doc.objects.filter(name=name).update(meta=meta)


def set_body(name, body):
    return Doc.objects.filter(name=name).update(body=body)


def by_meta(meta):
    return list(Doc.objects.filter(meta=meta).order_by("id"))


def by_body(body):
    return list(Doc.objects.filter(body=body).order_by("id"))


def meta_json_null():
    return list(Doc.objects.filter(meta=None).order_by("id"))


def meta_sql_null():
    return list(Doc.objects.filter(meta__isnull=True).order_by("id"))


def meta_literal():
    return list(Doc.objects.filter(meta={"k": "é", "n": [1, None]}).order_by("id"))
