"""The keys a serializer's own __init__ adds per row, and the attributes a model method sets, -> Go (translate/
drf_rowkeys, load/drf_sites.row_sites): fast tables on tiny inputs. Proven against DRF by tests/test_drf_scoped.py
(CustomTicketViewSet, StaffCustomTicketViewSet: helpdesk's shape, every data_type) and the drfjson.TextField
values by tests/test_drf_formats.py."""

from __future__ import annotations

import pytest

from migrator.ir_drf import DRFView, FieldBuilder, RowAttributes, RowFields, Serializer
from migrator.translate.handlers_store import Param, StoreMethod, StoreStruct

BUILT = FieldBuilder("CustomField.build_api_field", "data_type", (("integer", "IntegerField"), ("decimal", "DecimalField"),
                                                                 ("list", "ChoiceField")),
                     ((("*",), "label", "self.name"), (("*",), "required", "self.required"),
                      (("decimal",), "decimal_places", "self.decimal_places"), (("decimal",), "max_digits", "5"),
                      (("list",), "choices", "self.get_choices()")))
ROWS = RowFields("desk.CustomField", "CustomField.objects.all().filter(staff_only=False)", ("ordering",), "custom_",
                 "name", "CustomField.build_api_field", "BaseSerializer", BUILT)
ATTRS = RowAttributes("Ticket.set_values", "desk.CustomField", "CustomField.objects.all()", ("ordering",), "custom_",
                      "name", "values_set", "desk.Value", "field", "value", None)
SER = Serializer("S", "desk.views.S", "desk.Ticket", rows=ROWS, dynamic="BaseSerializer")
VIEW = DRFView("desk.views.V", "ReadOnlyModelViewSet", "desk.views.S", "desk.Ticket", scoped_sets=("set_values",),
               row_attributes=(ATTRS,))
FIELD = (("ID", "int64", "id"), ("Name", "string", "name"), ("DataType", "string", "data_type"),
         ("Required", "bool", "required"), ("DecimalPlaces", "*int64", "decimal_places"))


class Q:
    def __init__(self, site, name):
        self.site, self.name, self.command = "desk/views.py:9:4" + site, name, "many"


def _store(value_type="*string", structs=None):
    class Store:
        methods = {"Keys": StoreMethod("Keys", (), "", "[]DeskCustomField", "DeskCustomField", {}),
                   "Rows": StoreMethod("Rows", (), "", "[]DeskCustomField", "DeskCustomField", {}),
                   "Values": StoreMethod("Values", (Param("instance_id", "int64", "", {}),), "", "[]DeskValue",
                                         "DeskValue", {})}
    Store.structs = structs or {
        "DeskCustomField": StoreStruct("DeskCustomField", FIELD, {}),
        "DeskValue": StoreStruct("DeskValue", (("ID", "int64", "id"), ("FieldID", "int64", "field_id"),
                                               ("Value", value_type, "value")), {})}
    return Store


MINE = [Q("/rowkeys", "Keys"), Q("/rowattrs_set_values", "Rows"), Q("/rowvalues_set_values", "Values")]


def test_keyed_statements_exactly():
    from migrator.translate.drf_rowkeys import keyed

    stmts, used = keyed(VIEW, SER, MINE, _store())
    assert used == ["Keys", "Rows", "Values"]
    assert stmts[:3] == [
        "keys, err := s.Store.Keys(ctx) // BaseSerializer.__init__: a key per row of "
        "CustomField.objects.all().filter(staff_only=False)", "if err != nil {\n\t\treturn item, err\n\t}",
        "set := map[string]*string{}"]
    fill, loop = stmts[3], stmts[4]
    assert "rows, err := s.Store.Rows(ctx)" in fill and "related, err := s.Store.Values(ctx, row.ID)" in fill
    assert "byRow[r.FieldID] = r.Value" in fill and 'set["custom_"+r.Name] = byRow[r.ID]' in fill.replace(" + ", "+")
    assert fill.startswith("if attrs { // Ticket.set_values() ran on the row")
    for part in ('f := drfjson.TextField{Class: map[string]string{"integer": "IntegerField", "decimal": '
                 '"DecimalField", "list": "ChoiceField"}[k.DataType]}', "f.Required = k.Required",
                 'if k.DataType == "decimal" {\n\t\tf.DecimalPlaces = k.DecimalPlaces\n\t}',
                 'if k.DataType == "decimal" {\n\t\tf.MaxDigits = &[]int64{5}[0]\n\t}',
                 'v, ok := set["custom_" + k.Name]', "if !ok { // SkipField", "x, err := f.Render(v)",
                 'item.Keys = append(item.Keys, drfjson.Key{Name: "custom_" + k.Name, Value: x})'):
        assert part in loop, part
    assert "choices" not in loop and "label" not in loop  # they change validation only
    # a text column NOT NULL: its address; no method runs on the rows: every key left out (or a 500 when required)
    assert "byRow[r.FieldID] = &[]string{r.Value}[0]" in keyed(VIEW, SER, MINE, _store("string"))[0][3]
    bare = DRFView("desk.views.V", "ReadOnlyModelViewSet", "desk.views.S", "desk.Ticket")
    stmts, used = keyed(bare, SER, MINE, _store())
    assert used == ["Keys"] and stmts[3] == "_ = attrs // no model method sets the attributes"


@pytest.mark.parametrize("change, why", [
    (dict(args=((("*",), "allow_null", "True"),)), "argument allow_null=True changes what the field renders"),
    (dict(args=((("*",), "required", "self.name"),)), "required=self.name: a string column"),
    (dict(args=((("*",), "max_digits", "x"),)), "max_digits=x is not a constant or a column of the row"),
    (dict(args=((("*",), "choices", "self.get_choices()"),)), "argument choices"),  # on a class that is no ChoiceField
    (dict(column="required"), "required, the column picking the field class, is not a text"),
    (dict(column="nope"), "no column nope in DeskCustomField"),
])
def test_builder_refused(change, why):
    from dataclasses import replace

    from migrator.translate.drf_rowkeys import NotKeyed, keyed

    ser = replace(SER, rows=replace(ROWS, built=replace(BUILT, **change)))
    with pytest.raises(NotKeyed) as exc:
        keyed(VIEW, ser, MINE, _store())
    assert why in str(exc.value)


@pytest.mark.parametrize("view, mine, why", [
    (VIEW, MINE[1:], "no sqlc query of rowkeys"),
    (VIEW, MINE[:2], "no sqlc query of rowvalues_set_values"),
    (DRFView("v", "ReadOnlyModelViewSet", row_attributes=(ATTRS, ATTRS)), MINE, "2 model methods set the attributes"),
    (DRFView("v", "ReadOnlyModelViewSet", row_attributes=(RowAttributes(**{**ATTRS.__dict__, "default": ""}),)),
     MINE, "sets '' without a related row"),
])
def test_attributes_refused(view, mine, why):
    from migrator.translate.drf_rowkeys import NotKeyed, keyed

    with pytest.raises(NotKeyed) as exc:
        keyed(view, SER, mine, _store())
    assert why in str(exc.value)
    with pytest.raises(NotKeyed) as exc:  # the built field unread: never keys without their values
        from dataclasses import replace
        keyed(VIEW, replace(SER, rows=replace(ROWS, built=None, built_reason="x")), MINE, _store())
    assert "is not read (x)" in str(exc.value)


def test_a_declared_field_a_key_may_replace_is_refused():
    from dataclasses import replace

    from migrator.ir_drf import SerializerField
    from migrator.translate.drf_rowkeys import NotKeyed, keyed

    ser = replace(SER, fields=(SerializerField("custom_x", "value", "CharField", "custom_x"),))
    with pytest.raises(NotKeyed) as exc:
        keyed(VIEW, ser, MINE, _store())
    assert str(exc.value) == "the declared field custom_x may be one of the keys custom_<name>"


def test_row_sites_are_the_keys_rows_and_the_related_manager():
    from migrator.ir import QuerySetSite
    from migrator.load.drf_sites import derived, row_site, row_sites

    site = QuerySetSite("desk/views.py:9:4", "desk/views.py", 9, 4, "V", "desk.Ticket", "Ticket.objects", (), "static")
    ser = {"rows": {"source": "CustomField.objects.all().filter(staff_only=False)", "model": "desk.CustomField"}}
    view = {"row_attributes": [{"method": "Ticket.set_values", "source": "CustomField.objects.all()",
                                "model": "desk.CustomField", "related": "values_set", "related_model": "desk.Value"}]}
    got = row_sites(site, ser, view, "desk.Ticket")
    assert [(s.id, s.model, s.root, s.manager, s.related_from, [c.method for c in s.chain]) for s in got] == [
        ("desk/views.py:9:4/rowkeys", "desk.CustomField", "CustomField.objects", "objects", "", ["all", "filter"]),
        ("desk/views.py:9:4/rowattrs_set_values", "desk.CustomField", "CustomField.objects", "objects", "", ["all"]),
        ("desk/views.py:9:4/rowvalues_set_values", "desk.Value", "instance.values_set", "values_set", "desk.Ticket",
         ["all"])]
    assert all(derived(s.id) and row_site(s.id) for s in got) and not row_site(site.id + "/retrieve")
    assert row_sites(site, {"rows": {"source": "CustomField.active.all()", "model": "m"}}, {}, "m") == []
