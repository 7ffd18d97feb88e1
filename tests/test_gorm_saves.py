"""Fast tier (issue 12): keys that are their Go zero value, and save() overrides ported to Go, on tiny in-memory
input with their exact output. The real databases: tests/test_save_overrides.py."""

from __future__ import annotations

import textwrap

import pytest

from migrator.emit import Options
from migrator.emit.gorm import emit_gorm
from migrator.ir import Field, Hook, Model, Project
from migrator.translate.gorm import translate_models
from migrator.translate.saves import Column, NotPorted, port_save


def field(name: str, internal: str, **kw) -> Field:
    return Field(name=name, attname=name, column=name, internal_type=internal,
                 field_class=f"django.db.models.{internal}", **kw)


TICKS = Model(app_label="beat", name="Tick", db_table="beat_tick", kind="concrete", module="beat.models",
              file="beat/models.py", line=8, pk="ident", fields=(field("ident", "SmallIntegerField", primary_key=True, unique=True),
                                                    field("last_update", "DateTimeField")))


def test_an_integer_key_that_is_no_autofield_is_written_even_at_zero():
    [s] = translate_models(Project(root=".", settings_module="s", django_version="5.2", models=(TICKS,))).structs
    assert s.fields[0].tag == '`gorm:"column:ident;primaryKey;autoIncrement:false" json:"ident"`'


def test_gormcheck_saves_through_models_save_keyed():
    project = Project(root=".", settings_module="s", django_version="5.2", models=(TICKS,))
    files = emit_gorm(project, Options(module="beatgo", gorm=translate_models(project))).files
    save = files["gorm/models/save.go"].text
    assert "func Save(db *gorm.DB, m any) error {" in save
    # a zero key that GORM would take for absent: UPDATE the row with that key, INSERT only when none has it
    assert ('\tres := db.Model(m).Omit(clause.Associations).Select("*").\n'
            '\t\tWhere(clause.Eq{Column: pk.DBName, Value: key}).Updates(m)\n') in save
    assert "if pk == nil || pk.AutoIncrement || !zero {\n\t\treturn db.Omit(clause.Associations).Save(m).Error" in save
    # a key given (a row loaded, then saved) names its row even when it is a zero AutoField (sites.Site row 0):
    # SaveKeyed UPDATEs it, and INSERTs it with that key (GORM's Create would leave a zero auto key out)
    assert "func SaveKeyed(db *gorm.DB, m any) error {" in save
    assert "if pk == nil || !zero {\n\t\treturn db.Omit(clause.Associations).Save(m).Error" in save
    assert "return saveKeyed(db, m, pk, key, pk.AutoIncrement)" in save
    assert "\treturn insert.Model(m).Create(row).Error\n" in save
    assert '"gorm.io/gorm/schema"' in save
    assert "if err := models.SaveKeyed(db.Unscoped(), &m); err != nil {" in files["gorm/cmd/gormcheck/main.go"].text


COLUMNS = {"title": Column("Title", "string"), "completed": Column("Completed", "bool"),
           "completed_date": Column("CompletedDate", "*djtypes.Date"), "touched": Column("Touched", "*time.Time"),
           "kind": Column("Kind", "*string"), "port": Column("Port", "*int32"), "n": Column("N", "int64"),
           "flag": Column("Flag", "*bool"), "last": Column("Last", "time.Time"), "day": Column("Day", "djtypes.Date"),
           "status": Column("Status", "TaskStatus", "string"), "guid": Column("GUID", "djtypes.UUID")}


def save(*body: str) -> str:
    return "def save(self, *args, **kwargs):\n" + textwrap.indent("\n".join(body), "    ") + \
        "\n    super().save(*args, **kwargs)\n"


PORTED = [  # the Python before super().save() -> the Go body of portedSave
    (["if self.completed:", "    self.completed_date = datetime.datetime.now()"],
     ["if m.Completed {", "\tm.CompletedDate = ptr(djtypes.Today())", "}"]),
    (["if not self.completed:", "    self.touched = timezone.now()", "else:", "    self.touched = None"],
     ["if !m.Completed {", "\tm.Touched = ptr(djtypes.Now())", "} else {", "\tm.Touched = nil", "}"]),
    (["if len(self.title) > 200:", "    self.title = self.title[:197] + '...'"],
     ["if len([]rune(m.Title)) > 200 {", '\tm.Title = runePrefix(m.Title, 197) + "..."', "}"]),
    (["if self.kind == 'imap' and not self.port:", "    self.port = 143"],
     ["if ((m.Kind != nil && *m.Kind == \"imap\") && !(m.Port != nil && *m.Port != 0)) {",  # gofmt drops the outer ()
      "\tm.Port = ptr(int32(143))", "}"]),
    (["if self.kind != 'x' or self.flag:", "    self.n = 7"],  # None != 'x' is True in Python
     ["if ((m.Kind == nil || *m.Kind != \"x\") || (m.Flag != nil && *m.Flag)) {", "\tm.N = int64(7)", "}"]),
    (['"""docstring"""', "self.title = 'fixed'"], ['m.Title = "fixed"']),
    (["if not self.n == 3:", "    self.title = ''"], ["if !(m.N == int64(3)) {", '\tm.Title = ""', "}"]),
    # django-organizations' OrganizationInvitation.save(): a UUID when unset
    (["if not self.guid:", "    self.guid = str(uuid.uuid4())", "if not self.title:", "    self.title = str(uuid.uuid4())"],
     ["if m.GUID == (djtypes.UUID{}) {", "\tm.GUID = djtypes.NewUUID4()", "}", 'if m.Title == "" {',
      "\tm.Title = uuid.NewString()", "}"]),
    # a date or time is true unless None: NULL, or (NOT NULL) unset, the Go zero value (helpdesk KBItem, IgnoreEmail)
    (["if not self.last:", "    self.last = timezone.now()", "if not self.day:", "    self.day = timezone.now()",
      "if self.touched:", "    self.status = 'seen'"],
     ["if m.Last.IsZero() {", "\tm.Last = djtypes.Now()", "}", "if m.Day == (djtypes.Date{}) {",
      "\tm.Day = djtypes.Today()", "}", "if m.Touched != nil {", '\tm.Status = TaskStatus("seen")', "}"]),
]

NOT_PORTED = [  # the Python -> what the scaffold says
    (["Other.objects.filter(owner=self.owner).update(x=1)"], "line 2: Other.objects.filter(owner=self.owner).update("
                                                            "x=1) (it runs a query)"),
    (["if self.port > 3:", "    self.n = 1"], "Python raises TypeError when self.port is None"),
    (["self.title = slugify(self.title)"], "slugify(self.title) is not ported"),
    (["self.title = self.title[1:]"], "only a prefix [:n] is ported"),
    (["self.n = 'a'"], "'a' (str) into self.n (int)"),
    (["self.ticket.save()"], "line 2: self.ticket.save() (it writes another row)"),
    (["assert self.n"], "line 2: assert self.n (it raises or asserts)"),
    (["self.title = self.title.upper()"], "line 2: self.title = self.title.upper(): self.title.upper() is not ported"),
    (["self.missing = 1"], "self.missing is not a column"),
]


@pytest.mark.parametrize("body, go", PORTED)
def test_readable_overrides_are_ported_exactly(body, go):
    assert port_save(save(*body), COLUMNS) == go


@pytest.mark.parametrize("body, why", NOT_PORTED)
def test_other_overrides_are_not_ported_and_say_why(body, why):
    with pytest.raises(NotPorted) as exc:
        port_save(save(*body), COLUMNS)
    assert why in str(exc.value)


def test_python_after_super_save_is_not_ported():
    source = "def save(self):\n    super().save()\n    self.n = 1\n"
    with pytest.raises(NotPorted) as exc:
        port_save(source, COLUMNS)
    assert str(exc.value) == "line 3: self.n = 1 runs after super().save() (only conditions on the row's fields " \
        "and assignments to them are ported)"
    with pytest.raises(NotPorted) as exc:
        port_save("def save(self):\n    if self.n:\n        super().save()\n", COLUMNS)
    assert str(exc.value).startswith("it calls super().save() under a condition or not at all: line 2: if self.n:")


def test_a_ported_override_is_generated_and_an_other_one_stays_a_scaffold_saying_why():
    task = Model(app_label="todo", name="Task", db_table="todo_task", kind="concrete", module="todo.models",
                 file="todo/models.py", line=3, fields=(
                     field("id", "BigAutoField", primary_key=True, auto_created=True),
                     field("completed", "BooleanField"), field("completed_date", "DateField", null=True)),
                 hooks=(Hook(kind="save_override", name="todo.models.Task.save", file="todo/models.py", line=9,
                             source=save("if self.completed:", "    self.completed_date = datetime.datetime.now()")),))
    queue = Model(app_label="todo", name="Queue", db_table="todo_queue", kind="concrete", module="todo.models",
                  file="todo/models.py", line=20, fields=(field("id", "BigAutoField", primary_key=True),),
                  hooks=(Hook(kind="save_override", name="todo.models.Queue.save", file="todo/models.py", line=22,
                              source=save("Permission.objects.create(codename='q')")),))
    project = Project(root=".", settings_module="s", django_version="5.2", models=(task, queue))
    out = emit_gorm(project, Options(module="todogo", gorm=translate_models(project)))
    models = out.files["gorm/models/todo.go"].text
    assert ("func (m *Task) portedSave(tx *gorm.DB) error {\n\tif m.Completed {\n"
            "\t\tm.CompletedDate = ptr(djtypes.Today())\n\t}\n\treturn nil\n}") in models
    assert "\tif err := m.portedSave(tx); err != nil {" in models and "\tif err := m.pythonSave(tx); err != nil {" in models
    assert "gorm/models/hooks_task.go" not in out.files
    scaffold = out.files["gorm/models/hooks_queue.go"].text
    assert "// Not ported by migrator: line 2: Permission.objects.create(codename='q') (it runs a query)." in scaffold
    assert "gorm: 2 structs, 0 with on_delete emulation, 1 save() overrides ported, 1 Python hooks left as stubs" in out.notes
