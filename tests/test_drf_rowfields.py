"""A serializer's own __init__ that adds a field per row of a model (load/drf_rowfields), helpdesk's
BaseTicketSerializer shape: fast tables on the reading (the QuerySet built with Django: tests/test_drf_scoped.py's
loader run over drf_scoped's QueueFieldsSerializer)."""

from __future__ import annotations

import ast
from types import SimpleNamespace

import pytest

from migrator.ir_drf import RowFields


def read_or_refused(read, want, *args):
    """``read(*args)`` equals ``want``, or raises Unread when ``want`` is None (the shape refused)."""
    from migrator.load.drf_queryset import Unread

    if want is None:
        with pytest.raises(Unread):
            read(*args)
    else:
        assert read(*args) == want


def _stmt(src: str) -> ast.stmt:
    return ast.parse(src).body[0]


@pytest.mark.parametrize("src, want", [
    ('f"custom_{field.name}"', ("custom_", "name")),
    ('f"{field.name}"', None),  # no prefix
    ('f"custom_{field.name!r}"', None),  # a conversion changes the key
    ('f"custom_{other.name}"', None),  # not the loop's row
    ('f"custom_{field.name}_x"', None),
    ('"custom_" + field.name', None),
])
def test_key(src, want):
    from migrator.load.drf_rowfields import _key

    node = ast.parse(src, mode="eval").body
    read_or_refused(_key, want, node, "field")


class _Ser:
    include = True
    off = False
    computed = property(lambda self: True)


@pytest.mark.parametrize("src, want", [
    ("self.include", True), ("not self.include", False), ("self.off", False), ("not self.off", True),
    ("self.computed", None), ("self.missing", None), ("other.include", None), ("self.include and x", None),
])
def test_class_attribute_test(src, want):
    from migrator.load.drf_rowfields import _test

    node = ast.parse(src, mode="eval").body
    read_or_refused(_test, want, node, _Ser)


@pytest.mark.parametrize("src, want", [
    ("super().__init__(*args, **kwargs)", True),
    ("super().__init__(*args)", False),  # DRF would not get the instance / data
    ("super().__init__(*args, many=True, **kwargs)", False),
    ("super(Base, self).__init__(*args, **kwargs)", False),
    ("other().__init__(*args, **kwargs)", False),
])
def test_super_init(src, want):
    from migrator.load.drf_rowfields import _super_init

    assert _super_init(_stmt(src)) is want


_ROWS = SimpleNamespace(model=SimpleNamespace(__name__="Field", _meta=SimpleNamespace(label="a.Field", ordering=["n"]),
                                              build=lambda self: None),
                        query=SimpleNamespace(order_by=()))


class Owner:
    pass


@pytest.mark.parametrize("src, want", [
    ('for f in rows:\n    self.fields[f"c_{f.name}"] = f.build()',
     RowFields("a.Field", "Field.objects.all()", ("n",), "c_", "name", "Field.build", "Owner",
               built_reason="the source of <lambda> is not readable")),  # the builder's reading: test_drf_builder
    ('for f in rows:\n    self.fields[f"c_{f.name}"] = f.build(1)', "the field added is not f.<method>()"),
    ('for f in rows:\n    self.fields[f"c_{f.name}"] = g.build()', "the field added is not f.<method>()"),
    ('for f in rows:\n    self.fields[f"c_{f.name}"] = f.gone()', "Field.gone is not a method"),
    ('for f in rows:\n    self.other[f"c_{f.name}"] = f.build()', "the loop's body is not self.fields[...] = ..."),
    ('for f in rows:\n    self.fields[f"c_{f.name}"] = f.build()\n    x = 1', "does not end with one loop"),
    ('for f in unknown:\n    self.fields[f"c_{f.name}"] = f.build()', "does not end with one loop"),
    ('for f in rows:\n    self.fields[f"c_{f.name}"] = f.build()\nelse:\n    pass', "does not end with one loop"),
])
def test_loop(src, want):
    from migrator.load.drf_queryset import Unread
    from migrator.load.drf_rowfields import _loop

    names = {"rows": ("Field.objects.all()", _ROWS)}
    if isinstance(want, RowFields):
        assert _loop(_stmt(src), Owner, names) == want
        ordered = {"rows": ("Field.objects.order_by('k')", SimpleNamespace(model=_ROWS.model, query=SimpleNamespace(
            order_by=("k",))))}
        assert _loop(_stmt(src), Owner, ordered).order_by == ("k",)  # the QuerySet's order before Meta.ordering
    else:
        with pytest.raises(Unread) as exc:
            _loop(_stmt(src), Owner, names)
        assert want in str(exc.value)


class _NoSuper:
    def __init__(self, *args, **kwargs):
        self.fields = {}


class _Reassigns:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        print("side effect")
        for f in rows:  # noqa: F821 - never run, only read
            self.fields[f"c_{f.name}"] = f.build()


def test_other_shapes_refused():
    from migrator.load.drf_queryset import Unread
    from migrator.load.drf_rowfields import read_row_fields

    for cls, why in ((_NoSuper, "does not begin with super().__init__(*args, **kwargs)"),
                     (_Reassigns, "is not an assignment of a QuerySet or an if over a class attribute: "
                                  "print('side effect')"),
                     (type("Plain", (), {}), "has no __init__ of its own")):
        with pytest.raises(Unread) as exc:
            read_row_fields(cls)
        assert why in str(exc.value)


@pytest.mark.parametrize("src", ["Field.objects.filter(a=x)", "Field.objects.filter(**kw)", "Field.objects.get(a=1)",
                                 "fields()", "rows.filter(a=b.c)"])
def test_queryset_refused(src):
    from migrator.load.drf_queryset import Unread
    from migrator.load.drf_rowfields import _queryset

    with pytest.raises(Unread):
        _queryset(ast.parse(src, mode="eval").body, {}, {"rows": ("Field.objects.all()", None)})


def _try(src: str) -> ast.Try:
    return _stmt(f"try:\n    {src}\nexcept M.DoesNotExist:\n    value = None")


@pytest.mark.parametrize("src, want", [
    ("value = self.labels.get(field=field).value", ("value", "labels", "field", "value")),
    ("value = self.labels.get(field=other).value", None),  # not the loop's row
    ("value = self.labels.filter(field=field).value", None),
    ("value = other.labels.get(field=field).value", None),
    ("value = self.labels.get(field=field, b=1).value", None),
    ("value = self.labels.get(field=field)", None),  # the related object, not a column of it
    ("self.x = self.labels.get(field=field).value", None),
])
def test_get_value(src, want):
    """helpdesk's `value = self.ticketcustomfieldvalue_set.get(field=field).value` (the try's only statement)."""
    from migrator.load.drf_rowfields import _get_value

    fn = SimpleNamespace(__qualname__="T.m")
    read_or_refused(_get_value, want, _try(src), "field", fn)


@pytest.mark.parametrize("src, want", [
    ('setattr(self, f"custom_{field.name}", value)', ("custom_", "name")),
    ('setattr(self, f"custom_{field.name}", other)', None),
    ('setattr(obj, f"custom_{field.name}", value)', None),
    ('self.custom = value', None),
    ('setattr(self, f"custom_{field.id}_{field.name}", value)', None),
])
def test_setattr(src, want):
    from migrator.load.drf_rowfields import _setattr

    read_or_refused(_setattr, want, _stmt(src), "field", "value")


def test_row_attributes_in_the_rule():
    """A model method a view runs on its rows is no rule once read (translate/drf_rowkeys generates what it sets);
    one not read keeps its rule."""
    from migrator.ir_drf import DRFView, RowAttributes
    from migrator.translate.drf_views import scoped_reasons

    read = RowAttributes("Ticket.set_custom_field_values", "helpdesk.CustomField", "CustomField.objects.all()",
                         ("ordering",), "custom_", "name", "ticketcustomfieldvalue_set",
                         "helpdesk.TicketCustomFieldValue", "field", "value", None)
    view = DRFView("h.V", "ModelViewSet", model="helpdesk.Ticket", scoped="Ticket.objects.all()",
                   scoped_model="helpdesk.Ticket", scoped_sets=("set_custom_field_values",),
                   object_sets=("set_custom_field_values", "other"), row_attributes=(read,))
    assert scoped_reasons(view) == [
        "get_object runs Ticket.other() on the row: the attributes it sets are not translated yet"]
    assert scoped_reasons(DRFView("h.V", "ModelViewSet", model="helpdesk.Ticket", object_sets=("set_values",))) == [
        "get_object runs Ticket.set_values() on the row: the attributes it sets are not translated yet"]


def test_queryset_django_refuses():
    """A call Django refuses while building the QuerySet (a FieldError) is Unread, never the loader's failure."""
    from migrator.load.drf_queryset import Unread
    from migrator.load.drf_rowfields import _queryset

    class Refuses:
        def filter(self, **kwargs):
            raise ValueError("Cannot resolve keyword 'bogus'")

    with pytest.raises(Unread) as exc:
        _queryset(ast.parse("rows.filter(bogus=1)", mode="eval").body, {}, {"rows": ("F.objects.all()", Refuses())})
    assert str(exc.value) == "rows.filter(bogus=1): ValueError: Cannot resolve keyword 'bogus'"
