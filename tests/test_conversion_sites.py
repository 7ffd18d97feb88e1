"""FIELD_CONVERSION: a site binding a run-time value of a field whose class converts or validates it in Python
(get_prep_value / get_db_prep_value / get_db_prep_save outside django.*) is reported, not translated, unless
migrator.yaml types: declares a Go type for that field class (issue 12). Table tests on compiled sites."""

from __future__ import annotations

import pytest

from migrator.ir import Field, Model
from migrator.translate.presave import converting_fields, pre_save_columns, write_refusal
from migrator.translate.types import GoType

PREP = "people.fields.Lower.get_prep_value"
JSON = "people.fields.URIList.get_db_prep_value"


def _f(name, cls, conversions=(), internal="CharField"):
    return Field(name=name, attname=name, column=name, internal_type=internal, field_class=cls, conversions=conversions)


def _models():
    fields = (_f("id", "django.db.models.BigAutoField", internal="BigAutoField"),
              _f("nick", "people.fields.Lower", (PREP,)),
              _f("scopes", "people.fields.URIList", (JSON,), internal="JSONField"),
              _f("shown", "people.fields.Shown", ("people.fields.Shown.from_db_value", "people.fields.Shown.to_python")),
              _f("flag", "people.fields.Flag", ("people.fields.Flag.get_prep_value",), internal="BooleanField"),
              _f("checksum", "people.fields.Checksum", ("people.fields.Checksum.pre_save",)))
    return [Model(name="Person", kind="concrete", fields=fields, app_label="people", db_table="people_person",
                  module="people.models", file="people/models.py", line=1)]


def _site(field, kind="str", terminal="create", name="v"):
    compiled = {"statements": [{"sql": 'INSERT INTO "people_other" ("x") VALUES (%s)'}],
                "sentinels": [{"name": name, "kind": kind, "field": f"people.Person.{field}" if field else ""}]}
    return compiled, {"model": "people.Other", "chain": [{"method": terminal}]}


@pytest.mark.parametrize("field, kind, terminal, reason", [
    ("nick", "str", "create", "FIELD_CONVERSION"),            # an INSERT's value: get_db_prep_save -> get_prep_value
    ("nick", "str", "update", "FIELD_CONVERSION"),            # QuerySet.update() converts too (SQLUpdateCompiler)
    ("nick", "str", "filter", "FIELD_CONVERSION"),            # a lookup's right-hand side: get_prep_lookup
    ("scopes", "json", "create", "FIELD_CONVERSION"),         # validates: Django refuses what Go would write
    ("shown", "str", "create", None),                         # from_db_value / to_python: reads, not binds
    ("nick", "bool", "filter", None),                         # nick__isnull=b: the flag is not the field's value
    ("flag", "bool", "filter", "FIELD_CONVERSION"),           # a boolean field's own value is
    ("nick", "year", "filter", None),                         # compared through ExtractYear's integer
    ("id", "int", "filter", None),                            # no conversion of its own
    ("", "int", "filter", None),                              # a value of no field (a limit)
    ("checksum", "str", "filter", None),                      # pre_save: writes only (FIELD_PRE_SAVE's own rule)
])
def test_a_runtime_value_a_field_converts_is_reported(field, kind, terminal, reason):
    compiled, site = _site(field, kind, terminal)
    got = write_refusal(compiled, site, pre_save_columns(_models()), converting_fields(_models()))
    assert (got[0] if got else None) == reason, got
    if reason:
        assert got[1].startswith(f"binds the run-time value `v` for people.Person.{field} (people.fields.")


def test_a_constant_is_exact():
    """The compile bound what Django converted: no sentinel of the field, nothing to refuse."""
    compiled = {"statements": [{"sql": 'UPDATE "people_person" SET "nick" = %s', "params": ["abc"]}], "sentinels": []}
    assert write_refusal(compiled, {"model": "people.Person", "chain": [{"method": "update"}]},
                         pre_save_columns(_models()), converting_fields(_models())) == ()


@pytest.mark.parametrize("key, reported", [
    ("URIList", False), ("people.fields.URIList", False),  # the field class declared: its Go type converts
    ("JSONField", True),                                    # the base type remapped: no conversion of the class
])
def test_a_declared_go_type_converts(key, reported):
    types = {key: GoType(go="URIList", nullable="*URIList")}
    assert ("people.Person.scopes" in converting_fields(_models(), types)) is reported
    assert "people.Person.nick" in converting_fields(_models(), types)


def test_pre_save_and_conversion_both_said():
    compiled, _ = _site("nick", "str", "create")
    got = write_refusal(compiled, {"model": "people.Person", "chain": [{"method": "create"}]},
                        pre_save_columns(_models()), converting_fields(_models()))
    assert got[0] == "FIELD_CONVERSION" and "; and create() INSERTs a people.Person row, writing" in got[1], got
