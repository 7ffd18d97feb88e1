"""Fast tier (issue 12): delete() overrides that refuse, ported to Go on tiny in-memory input with their exact
output; the others stay scaffolds naming the statement. The real databases: tests/test_save_overrides.py."""

from __future__ import annotations

import textwrap

import pytest

from migrator.emit import Options
from migrator.emit.gorm import emit_gorm
from migrator.ir import Field, Hook, Model, Project
from migrator.translate.gorm import translate_models
from migrator.translate.saves import Column, NotPorted
from migrator.translate.saves_delete import port_delete

COLUMNS = {"locked": Column("Locked", "bool"), "depth": Column("Depth", "int32"), "slug": Column("Slug", "*string")}
REFUSED = 'return &DeleteRefused{{Model: "wiki.Page", Raised: "{}", Where: "wiki/models.py:{}"}}'


def delete(*body: str) -> str:
    return "def delete(self, *args, **kwargs):\n" + textwrap.indent("\n".join(body), "    ") + \
        "\n    super().delete(*args, **kwargs)\n"


PORTED = [  # the Python before super().delete() (the def at wiki/models.py:10) -> the Go body of portedDelete
    (["assert not (self.locked and self.depth), 'no'"],
     ["if (m.Locked && m.Depth != 0) {", "\t" + REFUSED.format("AssertionError", 11), "}"]),
    (["assert self.slug"], ['if !(m.Slug != nil && *m.Slug != "") {', "\t" + REFUSED.format("AssertionError", 11), "}"]),
    (["if self.depth > 2:", "    raise PermissionError('too deep')", "if self.slug == 'root':",
      "    raise errors.Refused"],
     ["if m.Depth > int32(2) {", "\t" + REFUSED.format("PermissionError", 11), "}",
      'if (m.Slug != nil && *m.Slug == "root") {', "\t" + REFUSED.format("Refused", 13), "}"]),
]

NOT_PORTED = [  # the Python -> what the scaffold says
    # wiki's URLPath.delete(): self.parent is a relation, get_children() django-mptt's query
    (["assert not (self.parent and self.get_children()), 'You cannot delete a root article with children.'"],
     "line 2: assert not (self.parent and self.get_children()), 'You cannot delete a root article with children.': "
     "self.parent is not a column the port reads or sets"),
    # django-organizations' OrganizationUser.delete(): three relations under an except
    (["try:", "    if self.organization.owner.organization_user.pk == self.pk:", "        raise OwnershipRequired('x')",
      "except self._org_owner_model.DoesNotExist:", "    pass"],
     "line 2: try: (it calls Python the port does not know)"),
    (["if self.depth:", "    self.depth = 0"], "line 2: if self.depth: (only `if ...: raise` and `assert` on the "
                                                  "row's fields are ported)"),
    (["from organizations.exceptions import OwnershipRequired", "self.depth = 0"], "line 3: self.depth = 0"),
    (["if self.depth:", "    raise PermissionError('x')", "else:", "    pass"], "line 2: if self.depth:"),
    (["Page.objects.filter(depth=0).delete()"], "(it runs a query)"),
    (["pass"], "line 2: pass"),
    (["if self.depth > 2:", "    raise"], "line 2: if self.depth > 2:"),  # a bare re-raise
    (["if self.slug > 'a':", "    raise ValueError"], "Python raises TypeError when self.slug is None"),
]


@pytest.mark.parametrize("body, go", PORTED)
def test_refusing_overrides_are_ported_exactly(body, go):
    assert port_delete(delete(*body), COLUMNS, "wiki.Page", "wiki/models.py:10") == go


@pytest.mark.parametrize("body, why", NOT_PORTED)
def test_other_overrides_are_not_ported_and_say_why(body, why):
    with pytest.raises(NotPorted) as exc:
        port_delete(delete(*body), COLUMNS, "wiki.Page", "wiki/models.py:10")
    assert why in str(exc.value)


def test_python_after_super_delete_or_none_before_is_not_ported():
    with pytest.raises(NotPorted) as exc:
        port_delete("def delete(self):\n    super().delete()\n    log(self)\n", COLUMNS, "wiki.Page", "w.py:1")
    assert str(exc.value) == "super().delete() is not its last statement: line 3: log(self) (it calls Python the " \
        "port does not know)"
    with pytest.raises(NotPorted) as exc:
        port_delete("def delete(self):\n    return super().delete()\n", COLUMNS, "wiki.Page", "w.py:1")
    assert str(exc.value) == "it refuses nothing before super().delete()"


def _field(name: str, internal: str, **kw) -> Field:
    return Field(name=name, attname=name, column=name, internal_type=internal,
                 field_class=f"django.db.models.{internal}", **kw)


def test_deletex_runs_the_ported_refusal_before_deleting_and_an_other_one_stays_a_scaffold():
    def model(name: str, line: int, *body: str) -> Model:
        return Model(app_label="wiki", name=name, db_table=f"wiki_{name.lower()}", kind="concrete", module="wiki.models",
                     file="wiki/models.py", line=line, fields=(_field("id", "BigAutoField", primary_key=True),
                                                              _field("depth", "IntegerField")),
                     hooks=(Hook(kind="delete_override", name=f"wiki.models.{name}.delete", file="wiki/models.py",
                                 line=line + 3, source=delete(*body)),))
    project = Project(root=".", settings_module="s", django_version="5.2", models=(
        model("Page", 1, "assert not self.depth"), model("Path", 20, "assert not self.get_children()")))
    out = emit_gorm(project, Options(module="wikigo", gorm=translate_models(project)))
    models, deletes = out.files["gorm/models/wiki.go"].text, out.files["gorm/models/delete.go"].text
    assert ("func (m *Page) portedDelete(tx *gorm.DB) error {\n\tif m.Depth != 0 {\n\t\treturn &DeleteRefused{"
            'Model: "wiki.Page", Raised: "AssertionError", Where: "wiki/models.py:5"}\n\t}\n\treturn nil\n}') in models
    assert ("// BeforeDelete runs the delete() override of wiki.Page (wiki/models.py:4).\n"
            "func (m *Page) BeforeDelete(tx *gorm.DB) error {\n\tif err := m.portedDelete(tx); err != nil {") in models
    assert ('\tvar rows []Page\n\tif err := tx.Unscoped().Where("id IN ?", ids).Find(&rows).Error; err != nil {\n'
            "\t\treturn err\n\t}\n\tfor i := range rows {\n\t\tif err := rows[i].portedDelete(tx); err != nil {\n"
            "\t\t\treturn err\n\t\t}\n\t}\n\treturn tx.Transaction(func(tx *gorm.DB) error { "
            "return deletePage(tx, ids, collecting{}) })") in deletes
    assert "\t\tif err := rows[i].pythonDelete(tx); err != nil {" in deletes
    assert "func deletePage(tx *gorm.DB, ids []int64, seen collecting) error {\n" \
        '\tif ids = once(seen, "wiki_page", ids); len(ids) == 0 {\n\t\treturn nil\n\t}\n\tif err := ' \
        'tx.Exec("DELETE FROM wiki_page' in deletes  # a cascade does not run the override (Django's Collector)
    scaffold = out.files["gorm/models/hooks_path.go"].text
    assert "// pythonDelete stands for the delete() override at wiki/models.py:23:" in scaffold
    assert "// Not ported by migrator: line 2: assert not self.get_children(): self.get_children() is not a field of the row." \
        in scaffold
    assert "1 save() overrides ported" not in out.notes[-1]
    assert out.notes[-1] == ("gorm: 2 structs, 0 with on_delete emulation, 0 save() overrides ported, "
                             "1 delete() overrides ported, 1 Python hooks left as stubs")


def test_parity_counts_a_ported_refusal_and_django_raising_the_same_class_as_both_refused():
    from migrator.parity.values import both_raised
    go = "delete refused by the delete() override of wiki.Page: OwnershipRequired (wiki/models.py:12)"
    assert both_raised("OwnershipRequired: Cannot delete organization owner", go) == ""
    assert both_raised("OwnershipRequiredError: x", go).startswith("both failed, differently")
    assert both_raised("AssertionError: x", go).startswith("both failed, differently")
