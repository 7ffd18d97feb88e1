"""FIELD_PRE_SAVE: a write that stores a column whose field class computes it in pre_save is reported, not
translated (issue 12). Table tests on compiled statements as the loader hands them over."""

from __future__ import annotations

import pytest

from migrator.ir import Field, Model
from migrator.translate.presave import pre_save_columns, pre_save_write

CHK = "people.fields.ChecksumField.pre_save"


def _f(name, cls, conversions=()):
    return Field(name=name, attname=name, column=name, internal_type="CharField", field_class=cls, conversions=conversions)


def _models():
    fields = (Field(name="id", attname="id", column="id", internal_type="BigAutoField", field_class="django.db.models.BigAutoField"),
              _f("checksum", "people.fields.ChecksumField", (CHK,)),
              _f("nickname", "people.fields.X", ("people.fields.X.get_prep_value",)))
    kw = dict(app_label="people", db_table="people_person", module="people.models", file="people/models.py", line=1)
    return [Model(name="Person", kind="concrete", fields=fields, **kw),
            Model(name="Base", kind="abstract", fields=fields, **{**kw, "db_table": "base"}),
            Model(name="Proxy", kind="proxy", fields=fields, proxy_for="people.Person", **{**kw, "db_table": "proxy"})]


@pytest.mark.parametrize("sql, terminal, hit", [
    ('INSERT INTO "people_person" ("checksum") VALUES (%s)', "create", True),
    ("INSERT INTO `people_person` (`nickname`) VALUES (%s)", "bulk_create", True),  # an INSERT writes every column
    ('UPDATE "people_person" SET "nickname" = %s, "checksum" = %s WHERE "people_person"."id" = %s', "save", True),
    ('UPDATE "people_person" SET "nickname" = %s WHERE "people_person"."checksum" = %s', "update_or_create", False),
    ('UPDATE "people_person" SET "nickname" = (SELECT U0."a", U0."checksum" = 1 FROM "x" U0) WHERE "id" = %s', "save",
     False),  # the column inside a subquery or the WHERE is read, not written
    ('UPDATE "people_person" SET "checksum" = %s WHERE "people_person"."id" = %s', "update", False),  # QuerySet.update
    ('SELECT "people_person"."checksum" FROM "people_person"', "filter", False),  # reads stay translated
    ('INSERT INTO "other" ("checksum") VALUES (%s)', "create", False),
])
def test_a_write_of_a_pre_save_column_is_field_pre_save(sql, terminal, hit):
    why = pre_save_write({"statements": [{"sql": "SELECT 1"}, {"sql": sql}]}, {"chain": [{"method": terminal}]},
                         pre_save_columns(_models()))
    assert bool(why) is hit
    if hit:
        assert why.startswith("statement 2 (") and "people_person.checksum (ChecksumField.pre_save)" in why


def test_an_inserting_terminal_is_field_pre_save_whatever_was_captured():
    """oauth2_provider's AccessToken.objects.update_or_create compiled to its SELECT alone: the INSERT it runs
    when no row matches writes token_checksum all the same. A proxy's writes are its concrete model's."""
    cols = pre_save_columns(_models())
    select = {"statements": [{"sql": 'SELECT "people_person"."id" FROM "people_person"'}]}
    for label in ("people.Person", "people.Proxy"):
        for terminal in ("update_or_create", "get_or_create", "create", "bulk_create"):
            why = pre_save_write(select, {"model": label, "chain": [{"method": terminal}]}, cols)
            assert why.startswith(f"{terminal}() INSERTs a {label} row") and "people_person.checksum" in why
    assert pre_save_write(select, {"model": "people.Person", "chain": [{"method": "get"}]}, cols) == ""
    assert pre_save_write(select, {"model": "people.Base", "chain": [{"method": "create"}]}, cols) == ""


def test_only_pre_save_conversions_count():
    assert pre_save_columns(_models()) == {"people_person": {"checksum": CHK}, "people.Person": {"people_person.checksum": CHK},
                                           "people.Proxy": {"people_person.checksum": CHK}}
