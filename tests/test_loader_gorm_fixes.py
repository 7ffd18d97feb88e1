"""Model graphs seen on real projects (issue 11): each a tiny project under tests/projects/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, go, run_cli

pytestmark = pytest.mark.slow  # every test here starts Django, sqlc, Go or the CLI (tests/conftest.py)

PROJECTS = REPO / "tests" / "projects"


def _codes(diags, code):
    return [d for d in diags if d.code == code]


# ---------------------------------------------------------------- 1. a model the loader cannot read


def test_abstract_base_outside_installed_apps_and_a_broken_model():
    """taggit's TagBase with taggit not installed (app_label None) used to crash the whole registry read;
    a model whose reading raises is now a diagnostic at its class, and the others are analysed."""
    from migrator.analyze import analyze

    a = analyze(PROJECTS / "tagbase_outside")
    assert a.project is not None, [d.render() for d in a.diagnostics]
    labels = {m.label for m in a.project.models if m.kind != "abstract"}
    assert {"tags.MyTag", "tags.Note"} <= labels and "tags.Broken" not in labels
    tag = next(m for m in a.project.models if m.label == "tags.MyTag")
    assert {"name", "slug", "weight"} <= {f.name for f in tag.fields}
    assert any(m.kind == "abstract" and m.name == "TagBase" and m.app_label == "taggit" for m in a.project.models)
    [d] = _codes(a.diagnostics, "MODEL_READ_FAILED")
    assert (d.file, d.line) == ("tags/models.py", 22) and "tags.models.Broken" in d.message
    assert "RuntimeError" in d.detail and "get_internal_type" in d.detail


def test_verbose_shows_the_traceback_only_when_asked():
    root = str(PROJECTS / "tagbase_outside")
    quiet = run_cli("analyze", root, "--format", "json")
    loud = run_cli("analyze", root, "--format", "json", "--verbose")
    assert quiet.returncode == loud.returncode == 0
    assert "MODEL_READ_FAILED" in quiet.stderr and "Traceback" not in quiet.stderr
    assert "Traceback" in loud.stderr and "this field cannot say its type" in loud.stderr


# ---------------------------------------------------------------- 2. abstract -> abstract -> concrete


def test_abstract_chain_gorm_embeds_each_level_once():
    from migrator.emit import Options
    from migrator.emit.gorm import emit_gorm
    from migrator.translate.gorm import translate_models
    from migrator.load import load_project

    project = load_project(PROJECTS / "abstract_chain", scan=False)
    out = emit_gorm(project, Options(module="chaingo", gorm=translate_models(project)))
    chain = out.files["gorm/models/chain.go"].text
    assert "type Timestamped struct {\n\tCreated " in chain  # its own fields only, not Base's again
    article = chain.split("type Article struct {")[1].split("}")[0]
    assert article.split()[:2] == ["Base", "Timestamped"] and "\tUUID " not in article
    renamed = chain.split("type Renamed struct {")[1].split("}")[0]
    assert "\tBase\n" not in renamed and "varchar(99)" in renamed  # an overridden field: columns inlined
    assert "type Stamp struct" in out.files["gorm/models/common.go"].text  # an app of abstract bases only
    check = out.files["gorm/cmd/gormcheck/main.go"].text
    assert "canon(m.UUID)" in check and "canon(m.Code)" in check and "m.ID" not in check


@pytest.mark.slow
def test_abstract_chain_gorm_builds_and_round_trips(tmp_path):
    """Primary keys on abstract bases: gormcheck creates through the promoted fields, with Python's defaults."""
    import json
    import shutil
    import subprocess
    import sys

    out = tmp_path / "go"
    gen = run_cli("generate", str(PROJECTS / "abstract_chain"), "--target", "gorm", "--out", str(out))
    assert gen.returncode == 0, gen.stderr
    go("vet", "./...", cwd=out)
    go("build", "-o", str(out / "bin" / "gormcheck"), "./gorm/cmd/gormcheck", cwd=out)
    project = tmp_path / "project"
    shutil.copytree(PROJECTS / "abstract_chain", project, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    subprocess.run([sys.executable, "manage.py", "migrate", "--run-syncdb", "-v0"], cwd=project, check=True)
    ops = tmp_path / "ops.json"
    ops.write_text(json.dumps([
        {"op": "create", "model": "chain.Article", "values": {"name": "a", "body": "b"}},
        {"op": "create", "model": "chain.Shelf", "values": {"code": "S1", "label": "l"}},
        {"op": "create", "model": "chain.Book", "values": {"code": "B1", "shelf": "S1"}},
    ]))
    db = str(project / "db.sqlite3")
    gc = str(out / "bin" / "gormcheck")
    applied = json.loads(subprocess.run([gc, "apply", db, str(ops)], capture_output=True, text=True, check=True).stdout)
    assert [r.get("pk") for r in applied][1:] == ["S1", "B1"] and len(applied[0]["pk"]) == 36  # uuid4 default
    dump = json.loads(subprocess.run([gc, "dump", db], capture_output=True, text=True, check=True).stdout)
    assert dump["chain.Article"][0]["uuid"] == applied[0]["pk"] and dump["chain.Book"][0]["shelf"] == "S1"


# ---------------------------------------------------------------- 3. custom fields that convert in Python


def test_custom_field_conversion_is_a_located_warning():
    from migrator.analyze import analyze

    a = analyze(PROJECTS / "custom_conversion", sqlc=True)
    found = {d.message.split(":")[0]: d for d in _codes(a.diagnostics, "CUSTOM_FIELD_CONVERSION")}
    assert set(found) == {"people.Person.nickname", "people.Person.email"}  # PlainSlugField converts nothing
    nick = found["people.Person.nickname"]
    assert (nick.file, nick.line, nick.severity) == ("people/models.py", 8, "warning")
    assert "from_db_value, get_prep_value" in nick.message and "EmptyNullCharField" in nick.message
    assert "to_python" in found["people.Person.email"].message
    # a field whose pre_save computes what a save writes (django-oauth-toolkit's TokenChecksumField, ClientSecretField
    # hashing the secret): the Go writes store what they are given, so it is its own warning, never a conversion
    pre = _codes(a.diagnostics, "CUSTOM_FIELD_PRE_SAVE")
    assert [(d.message.split(":")[0], d.file, d.line, d.severity) for d in pre] == [
        ("people.Person.checksum", "people/models.py", 11, "warning")]
    assert "people.fields.ChecksumField.pre_save" in pre[0].message
    assert a.summary["diagnostics"]["warnings"] >= 3
    # its write sites are reported, not translated: the INSERT (create) and the save()'s UPDATE (update_or_create)
    # write the column; QuerySet.update() does not call pre_save, another column's update and the read are exact
    by_function = {s.function.rsplit(".", 1)[-1]: s.id for s in a.project.querysets}
    for dialect in ("sqlite", "postgresql"):
        status = {fn: a.translation[sid][dialect] for fn, sid in by_function.items()}
        assert {fn for fn, st in status.items() if st.get("reason") == "FIELD_PRE_SAVE"} == {"add_person", "rename"}
        assert all(status[fn].get("queries") for fn in ("set_checksum", "set_handle", "by_checksum"))
        assert "people_person.checksum" in status["add_person"]["detail"]
        # a run-time value bound for EmptyNullCharField, which converts '' to NULL in get_prep_value: a WHERE
        # comparison and a QuerySet.update() value alike (issue 12)
        assert {fn for fn, st in status.items() if st.get("reason") == "FIELD_CONVERSION"} == {"by_nickname",
                                                                                             "set_nickname"}
        assert "`nickname` for people.Person.nickname (people.fields.EmptyNullCharField.get_prep_value)" in \
            status["by_nickname"]["detail"]


def test_custom_field_conversion_takes_the_go_type_from_migrator_yaml(tmp_path):
    import shutil

    from migrator.analyze import analyze
    from migrator.config import load_config
    from migrator.emit import Options
    from migrator.emit.gorm import emit_gorm
    from migrator.translate.gorm import translate_models

    root = tmp_path / "p"
    shutil.copytree(PROJECTS / "custom_conversion", root, ignore=shutil.ignore_patterns("__pycache__"))
    (root / "migrator.yaml").write_text(
        'types:\n  EmptyNullCharField: {go: "sql.NullString", nullable: "sql.NullString", imports: ["database/sql"]}\n')
    a = analyze(root, sqlc=True)
    by_function = {s.function.rsplit(".", 1)[-1]: s.id for s in a.project.querysets}
    for dialect in ("sqlite", "postgresql"):  # the declared Go type does the conversion: translated
        assert all(a.translation[by_function[fn]][dialect].get("queries") for fn in ("by_nickname", "set_nickname"))
    found = {d.message.split(":")[0]: d for d in _codes(a.diagnostics, "CUSTOM_FIELD_CONVERSION")}
    assert found["people.Person.nickname"].severity == "info" and "sql.NullString" in found["people.Person.nickname"].message
    assert found["people.Person.email"].severity == "warning"
    config, _ = load_config(root)
    files = emit_gorm(a.project, Options(module="pgo", user_types=config.types,
                                         gorm=translate_models(a.project, config.types))).files
    text = files["gorm/models/people.go"].text
    # GORM's create/save run BeforeSave, which calls a stub for ChecksumField.pre_save, in the user's hooks file
    assert re.search(r"func \(m \*Person\) BeforeSave\(tx \*gorm.DB\) error \{\n(.*\n)*?\tif err := m.preSaveFieldChecksum\(tx\)",
                     text)
    hooks = files["gorm/models/hooks_person.go"]
    assert hooks.scaffold and "people.fields.ChecksumField.pre_save computes" in hooks.text
    assert "func (m *Person) preSaveFieldChecksum(tx *gorm.DB) error {" in hooks.text
    assert "\tNickname sql.NullString " in text and '"database/sql"' in text
    assert re.search(r"\tName +string ", text)  # CharField itself keeps its mapping


# ---------------------------------------------------------------- 4. generic relations


def _generic_gorm():
    from migrator.emit import Options
    from migrator.emit.gorm import emit_gorm
    from migrator.translate.gorm import translate_models
    from migrator.load import load_project

    project = load_project(PROJECTS / "generic_rel", scan=False)
    return project, emit_gorm(project, Options(module="notesgo", gorm=translate_models(project)))


def test_tag_manager_over_a_generic_through_is_not_a_plain_join():
    """taggit's TaggedItem holds the tags of every model (content_type + object_id): a GORM many2many over it
    would give a Note the tags of the Page with the same id. It is left out, with a located warning."""
    project, out = _generic_gorm()
    tags = next(f for m in project.models if m.label == "notes.Note" for f in m.fields if f.name == "tags")
    assert tags.relation.content_type_column == "content_type_id"
    text = "".join(f.text for p, f in out.files.items() if p.startswith("gorm/"))
    assert "many2many:taggit_taggeditem" not in text
    skipped = {(d.file, d.line): d for d in _codes(out.diagnostics, "GENERIC_RELATION_SKIPPED")}
    assert set(skipped) == {("notes/models.py", 18), ("notes/models.py", 26)}
    assert skipped[("notes/models.py", 18)].severity == "warning" and "content_type_id" in skipped[("notes/models.py", 18)].hint


def test_generic_relation_is_reported_where_it_is_declared():
    project, _ = _generic_gorm()
    found = {(d.file, d.line) for d in _codes(project.diagnostics, "GENERIC_RELATION_SKIPPED")}
    assert found == {("notes/models.py", 19), ("notes/models.py", 27)}  # taggit's own tagged_items: not again


@pytest.mark.slow
def test_generic_relations_gorm_builds(tmp_path):
    out = tmp_path / "go"
    gen = run_cli("generate", str(PROJECTS / "generic_rel"), "--target", "gorm", "--out", str(out))
    assert gen.returncode == 0, gen.stderr
    assert "GENERIC_RELATION_SKIPPED" in gen.stderr
    go("vet", "./...", cwd=out)
    go("build", "./...", cwd=out)


def test_a_write_cut_short_in_python_is_not_translated_as_its_select():
    """update_or_create sends its SELECT, then its INSERT prepares a field whose get_prep_value raises on the compile
    step's stand-in: the capture held the SELECT alone, which was translated (a read where Django writes)."""
    from migrator.analyze import analyze

    a = analyze(PROJECTS / "compile_truncated", sqlc=True)
    by_function = {s.function.rsplit(".", 1)[-1]: s.id for s in a.project.querysets}
    for dialect in ("sqlite", "postgresql"):
        cut = a.translation[by_function["rename_badge"]][dialect]
        assert cut.get("reason") == "COMPILE_FAILED" and not cut.get("queries")
        assert "update_or_create() raised ValueError" in cut["detail"] and "before its write" in cut["detail"]
        assert a.translation[by_function["badge_by_name"]][dialect].get("queries")
